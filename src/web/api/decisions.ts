/**
 * Authorization questions and their explained answers: the fragments the explorer and the watch
 * list read, the `authorizeBatch` mutation, and the questions as the console keeps them.
 */
import { ApiError, errorAt, request } from './graphql.ts';
import { graphql } from './generated/gql.ts';
import type { AuthorizeInput, AuthorizeResultFieldsFragment, ContextEntryInput, DecisionFieldsFragment, StatementFieldsFragment } from './generated/graphql.ts';

// Fragments are found by graphql-codegen where they are written here; operations spread them by
// name, and each generated operation string carries the fragments it uses.

/** What the dashboard shows of a statement that took part in a decision. */
export const STATEMENT_FIELDS = graphql(`
  fragment StatementFields on MatchedStatement {
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
  }
`);

/** The selection of a Decision (also used by the decisionChanged subscription). */
export const DECISION_FIELDS = graphql(`
  fragment DecisionFields on Decision {
    allowed
    decision
    revision
    missingContextValues
    matchedStatements {
      ...StatementFields
    }
    nearMisses {
      statement {
        ...StatementFields
      }
      failedPart
      conditionOperator
      conditionKey
    }
    layers {
      layer
      outcome
    }
  }
`);

/** One question's answer (AuthorizeResult): a Decision, or the error that kept it from being answered. */
export const AUTHORIZE_RESULT_FIELDS = graphql(`
  fragment AuthorizeResultFields on AuthorizeResult {
    __typename
    ... on Decision {
      ...DecisionFields
    }
    ...ResultErrorFields
  }
`);

const AUTHORIZE_BATCH = graphql(`
  mutation AuthorizeBatch($requests: [AuthorizeInput!]!) {
    authorizeBatch(requests: $requests) {
      ...AuthorizeResultFields
    }
  }
`);

/** A statement that decided (or nearly applied). */
export type MatchedStatement = StatementFieldsFragment;

/** An explained decision. */
export type Decision = DecisionFieldsFragment;

/** One answer (of a batch or a live watch): a Decision or the error that kept that question from being answered. */
export type Answer = AuthorizeResultFieldsFragment;

/** One context value, typed as AWS types it. */
export type ContextEntry = ContextEntryInput;

/** One authorization question, as the explorer asks it and the watch list stores it. */
export interface Question {
  readonly principalArn?: string;
  readonly action: string;
  readonly resourceArn: string;
  readonly contextEntries?: readonly ContextEntry[];
}

/** Asks every question in one round trip; the API answers them in the questions' order. */
export async function authorizeBatch(questions: readonly Question[]): Promise<readonly Answer[]> {
  const { data, errors } = await request(AUTHORIZE_BATCH, { requests: questions.map(toInput) });
  if (data.authorizeBatch == null) throw errorAt(errors, 'authorizeBatch') ?? errors[0] ?? new ApiError('CLIENT', 'the API answered no decisions');
  // Answers match questions by position, so a short list would pair them wrongly: refuse it.
  if (data.authorizeBatch.length !== questions.length) {
    throw new ApiError('CLIENT', `the API answered ${data.authorizeBatch.length} of ${questions.length} questions`);
  }
  return data.authorizeBatch;
}

/** A question as AuthorizeInput, leaving out what is empty. */
export function toInput(question: Question): AuthorizeInput {
  return {
    action: question.action,
    resourceArn: question.resourceArn,
    ...(question.principalArn === undefined || question.principalArn === '' ? {} : { principalArn: question.principalArn }),
    ...(question.contextEntries === undefined || question.contextEntries.length === 0 ? {} : { contextEntries: [...question.contextEntries] }),
  };
}

/** Whether an answer is a Decision rather than an error. */
export function isDecision<TAnswer extends { readonly __typename?: string }>(answer: TAnswer): answer is Extract<TAnswer, { readonly __typename?: 'Decision' }> {
  return answer.__typename === 'Decision';
}
