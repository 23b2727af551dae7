/**
 * Authorization questions and their explained answers: the selection the explorer and the
 * watch list read, the `authorizeBatch` mutation, and the shapes they return.
 */
import { request } from './graphql.ts';

/** What the dashboard shows of a statement that took part in a decision. */
const STATEMENT_FIELDS = /* GraphQL */ `
  sourcePolicyId
  sourcePolicyType
  policyName
  policyArn
  versionId
  layer
  statementIndex
  sid
  effect
  startPosition {
    line
  }
  endPosition {
    line
  }
`;

/** The selection of a Decision (also used by the decisionChanged subscription). */
export const DECISION_FIELDS = /* GraphQL */ `
  allowed
  decision
  revision
  missingContextValues
  matchedStatements {
    ${STATEMENT_FIELDS}
  }
  nearMisses {
    statement {
      ${STATEMENT_FIELDS}
    }
    failedPart
    conditionOperator
    conditionKey
  }
  layers {
    layer
    outcome
  }
`;

const AUTHORIZE_BATCH = /* GraphQL */ `
  mutation AuthorizeBatch($requests: [AuthorizeInput!]!) {
    authorizeBatch(requests: $requests) {
      __typename
      ... on Decision {
        ${DECISION_FIELDS}
      }
      ... on Error {
        code
        message
      }
    }
  }
`;

/** A statement that decided (or nearly applied). */
export interface MatchedStatement {
  readonly sourcePolicyId: string;
  readonly sourcePolicyType: string;
  readonly policyName: string | null;
  readonly policyArn: string | null;
  readonly versionId: string | null;
  readonly layer: string;
  readonly statementIndex: number;
  readonly sid: string | null;
  readonly effect: string;
  readonly startPosition: { readonly line: number } | null;
  readonly endPosition: { readonly line: number } | null;
}

/** An explained decision. */
export interface Decision {
  readonly __typename?: 'Decision';
  readonly allowed: boolean;
  readonly decision: 'ALLOWED' | 'EXPLICIT_DENY' | 'IMPLICIT_DENY';
  readonly revision: string;
  readonly missingContextValues: readonly string[];
  readonly matchedStatements: readonly MatchedStatement[];
  readonly nearMisses: ReadonlyArray<{
    readonly statement: MatchedStatement;
    readonly failedPart: string;
    readonly conditionOperator: string | null;
    readonly conditionKey: string | null;
  }>;
  readonly layers: ReadonlyArray<{ readonly layer: string; readonly outcome: string }>;
}

/** A question that could not be answered, with the API's explanation. */
export interface DecisionError {
  readonly __typename: string;
  readonly code: string;
  readonly message: string;
}

/** One context value, typed as AWS types it. */
export interface ContextEntry {
  readonly contextKeyName: string;
  readonly contextKeyValues: readonly string[];
  readonly contextKeyType: string;
}

/** One authorization question (AuthorizeInput). */
export interface Question {
  readonly principalArn?: string;
  readonly action: string;
  readonly resourceArn: string;
  readonly contextEntries?: readonly ContextEntry[];
}

/** Asks every question in one round trip; answers come back in order. */
export async function authorizeBatch(questions: readonly Question[]): Promise<Array<Decision | DecisionError>> {
  const data = await request<{ authorizeBatch: Array<Decision | DecisionError> }>(AUTHORIZE_BATCH, {
    requests: questions.map(toInput),
  });
  return data.authorizeBatch;
}

/** A question as AuthorizeInput, leaving out what is empty. */
export function toInput(question: Question): Record<string, unknown> {
  return {
    action: question.action,
    resourceArn: question.resourceArn,
    ...(question.principalArn === undefined || question.principalArn === '' ? {} : { principalArn: question.principalArn }),
    ...(question.contextEntries === undefined || question.contextEntries.length === 0 ? {} : { contextEntries: question.contextEntries }),
  };
}

/** Whether an answer is a Decision rather than an error. */
export function isDecision(answer: Decision | DecisionError): answer is Decision {
  return 'allowed' in answer;
}
