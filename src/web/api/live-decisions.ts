/**
 * Keeps watched questions answered live through the `decisionChanged` subscription: the server
 * re-decides the checks whenever a change may affect them and sends `{ index, decision }`.
 */
import { useEffect, useRef } from 'react';
import { DECISION_FIELDS, toInput } from './decisions.ts';
import type { Decision, Question } from './decisions.ts';
import type { ApiError } from './graphql.ts';
import { subscribeLive } from './live.ts';
import { questionKey } from './watch-list.ts';

const DECISION_CHANGED = /* GraphQL */ `
  subscription DecisionChanged($checks: [AuthorizeInput!]!) {
    decisionChanged(checks: $checks) {
      index
      revision
      decision {
        ${DECISION_FIELDS}
      }
    }
  }
`;

/** Subscribes to changes of `questions`' answers while mounted; `onAnswer` gets each new answer. */
export function useLiveDecisions(
  questions: readonly Question[],
  onAnswer: (question: Question, decision: Decision) => void,
  onError: (error: ApiError) => void,
): void {
  const listKey = questions.map(questionKey).join('\n');
  const handlers = useRef({ onAnswer, onError });
  handlers.current = { onAnswer, onError };
  useEffect(() => {
    if (questions.length === 0) return;
    const checks = questions.map(toInput);
    return subscribeLive<{ decisionChanged: { index: number; decision: Decision } }>(
      DECISION_CHANGED,
      () => ({ checks }),
      {
        next: ({ decisionChanged }) => {
          const question = questions[decisionChanged.index];
          if (question !== undefined) handlers.current.onAnswer(question, decisionChanged.decision);
        },
        error: (error) => handlers.current.onError(error),
      },
    );
    // The effect depends on the questions' identities (listKey), not the array's.
  }, [listKey]);
}
