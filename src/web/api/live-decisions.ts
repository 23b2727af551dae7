/**
 * Keeps watched questions answered live through the `decisionChanged` subscription: the server
 * sends every check's current answer, then re-decides the checks whenever a committed change may
 * affect them and sends `{ index, result, change }` when one flips. A check that fails (refused,
 * invalid, principal deleted) gets its error as its answer; the others go on.
 */
import { useEffect, useRef } from 'react';
import { graphql } from './generated/gql.ts';
import type { DecisionChangedSubscription } from './generated/graphql.ts';
import { toInput } from './decisions.ts';
import type { Answer, Question } from './decisions.ts';
import type { ApiError } from './graphql.ts';
import { subscribeLive } from './live.ts';
import { questionKey } from './watch-list.ts';

const DECISION_CHANGED = graphql(`
  subscription DecisionChanged($checks: [AuthorizeInput!]!) {
    decisionChanged(checks: $checks) {
      index
      revision
      change {
        revision
        kind
        entityArn
      }
      result {
        ...AuthorizeResultFields
      }
    }
  }
`);

/** The change that flipped a decision (null for the initial answers). */
export type FlippingChange = NonNullable<NonNullable<DecisionChangedSubscription['decisionChanged']>['change']>;

/**
 * Subscribes to `questions`' answers while mounted: the server sends each current answer first,
 * then a new one whenever a committed change flips it; `onAnswer` gets each.
 */
export function useLiveDecisions(
  questions: readonly Question[],
  onAnswer: (question: Question, answer: Answer, change: FlippingChange | null) => void,
  onError: (error: ApiError) => void,
): void {
  const listKey = questions.map(questionKey).join('\n');
  const handlers = useRef({ onAnswer, onError });
  handlers.current = { onAnswer, onError };
  useEffect(() => {
    if (questions.length === 0) return;
    const checks = questions.map(toInput);
    return subscribeLive(DECISION_CHANGED, () => ({ checks }), {
      next: ({ decisionChanged }) => {
        // Null only with an error, which `error` reports.
        if (decisionChanged == null) return;
        const question = questions[decisionChanged.index];
        if (question !== undefined) handlers.current.onAnswer(question, decisionChanged.result, decisionChanged.change ?? null);
      },
      error: (error) => handlers.current.onError(error),
    });
    // The effect depends on the questions' identities (listKey), not the array's.
  }, [listKey]);
}
