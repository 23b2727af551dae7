/**
 * The service's typed errors. They arise below the wire (src/iam, src/authz, src/sts, src/live) as
 * plain classes with a stable `code`, and know nothing of any protocol: src/graphql/wire-errors.ts
 * maps each to a coded GraphQL error, and src/graphql/error-types.ts registers the directory's as
 * GraphQL objects for result unions. Messages are lower-case, name the field and quote input, and
 * never quote a credential.
 */
import type { Decision, Finding } from './policy/types.ts';

/** Base of every expected failure: directory, authentication, authorization, STS. */
export abstract class IamError extends Error {
  /** Stable, machine-readable code (AWS's error code where AWS has one). */
  abstract readonly code: string;
}

/** Input broke a rule: `field` is the input path (e.g. `input.userName`), `rule` names the rule. */
export class ValidationError extends IamError {
  readonly code = 'ValidationError';
  constructor(
    readonly field: string,
    readonly rule: string,
    message: string,
  ) {
    super(message);
  }
}

/** The entity kinds errors can name. */
export type EntityType =
  | 'Account'
  | 'User'
  | 'Group'
  | 'Role'
  | 'Policy'
  | 'PolicyVersion'
  | 'InlinePolicy'
  | 'AccessKey'
  | 'MFADevice'
  | 'LoginProfile'
  | 'OpenIDConnectProvider'
  | 'SAMLProvider'
  | 'Resource'
  | 'Service'
  | 'CredentialReport'
  | 'AccountAlias'
  | 'Organization'
  | 'Root'
  | 'OrganizationalUnit'
  | 'OrganizationPolicy'
  | 'OrganizationPolicyAttachment';

/** The named entity does not exist (or is not visible to the caller). */
export class NoSuchEntityError extends IamError {
  readonly code = 'NoSuchEntity';
  constructor(
    readonly entityType: EntityType,
    readonly entityName: string,
  ) {
    super(`${entityType.toLowerCase()} '${entityName}' does not exist`);
  }
}

/** An entity with that name (compared case-insensitively, as AWS does) already exists. */
export class EntityAlreadyExistsError extends IamError {
  readonly code = 'EntityAlreadyExists';
  constructor(
    readonly entityType: EntityType,
    readonly entityName: string,
  ) {
    super(`${entityType.toLowerCase()} '${entityName}' already exists`);
  }
}

/** A quota would be exceeded, e.g. more than 10 managed policies attached to one principal. */
export class LimitExceededError extends IamError {
  readonly code = 'LimitExceeded';
  constructor(
    readonly quota: string,
    readonly limit: number,
    message: string,
  ) {
    super(message);
  }
}

/** The entity still has dependents (attachments, members, keys, versions) and cannot be deleted. */
export class DeleteConflictError extends IamError {
  readonly code = 'DeleteConflict';
  constructor(
    readonly entityType: EntityType,
    readonly entityName: string,
    readonly dependents: string,
  ) {
    super(`cannot delete ${entityType.toLowerCase()} '${entityName}': it still has ${dependents}`);
  }
}

/**
 * A write would break a rule of AWS Organizations' tree or policies that is neither a quota nor a
 * malformed input: closing the management account, an OU deeper than five levels, moving an account
 * from a parent it is not in or into another organization. `reason` is AWS's
 * ConstraintViolationException reason (or the name of the AWS exception, e.g. `SourceParentNotFound`).
 */
export class ConstraintViolationError extends IamError {
  readonly code = 'ConstraintViolation';
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

/** A policy document has ERROR findings; `field` names the input that carried it. */
export class MalformedPolicyDocumentError extends IamError {
  readonly code = 'MalformedPolicyDocument';
  constructor(
    readonly field: string,
    readonly findings: readonly Finding[],
  ) {
    const first = findings.find((f) => f.findingType === 'ERROR') ?? findings[0];
    super(
      `${field} is not a valid policy document` +
        (first ? `: ${first.message} (line ${first.line}, column ${first.column})` : ''),
    );
  }
}

/** No credential, or a credential that does not verify (revoked, expired, malformed). */
export class UnauthenticatedError extends IamError {
  readonly code = 'Unauthenticated';

  /** An anonymous request asked for something that needs a caller. */
  static needsCredential(): UnauthenticatedError {
    return new UnauthenticatedError('this operation needs a credential: send Authorization: Basic or Bearer');
  }
}

/** A statement in a denial's explanation, with the field names of the GraphQL `MatchedStatement`. */
export interface ExplainedStatement {
  readonly sourcePolicyId: string;
  readonly policyName?: string;
  readonly statementIndex: number;
  readonly sid?: string;
  readonly effect: string;
  /** Upper case, as the `PolicyLayer` enum spells it. */
  readonly layer: string;
}

/**
 * Why a self-authorization check was denied: what `simulatePrincipalPolicy` would have said, in
 * the shape of the GraphQL `Decision` (matchedStatements, nearMisses, missingContextValues), so a
 * client reads both with the same code. Computed by src/authz/denial-explanation.ts.
 */
export interface DenialExplanation {
  readonly decision: Decision['decision'];
  /** The Deny statements that decided an explicit deny (none for an implicit deny). */
  readonly matchedStatements: readonly ExplainedStatement[];
  /** Statements that matched the action but failed on another part: "why was I denied?". */
  readonly nearMisses: ReadonlyArray<{ statement: ExplainedStatement; failedPart: string; conditionOperator?: string; conditionKey?: string }>;
  readonly missingContextValues: readonly string[];
}

/**
 * The caller may not perform `action` on `resource`: the API's own guard, a decision's
 * `iam:Authorize` check, or STS (trust policy, MFA, a rule of STS) refused it. `explanation` is
 * present only when the caller may see why (it may simulate its own policies).
 */
export class AccessDeniedError extends IamError {
  readonly code = 'AccessDenied';
  constructor(
    readonly action: string,
    readonly resource: string,
    message: string,
    readonly explanation?: DenialExplanation,
  ) {
    super(message);
  }

  /** The denial in AWS's words: "<who> is not authorized to perform <action> on resource <resource>". */
  static notAuthorized(who: string, action: string, resource: string, explanation?: DenialExplanation): AccessDeniedError {
    return new AccessDeniedError(action, resource, `${who} is not authorized to perform ${action} on resource ${resource}`, explanation);
  }
}

/** What a session that must change its password may still do. */
export const ALLOWED_BEFORE_PASSWORD_CHANGE = ['changePassword', 'signOut', 'callerIdentity', 'accountPasswordPolicy'] as const;

/** A sign-in session whose password must be changed asked for `what` (a root field or an action). */
export class PasswordResetRequiredError extends IamError {
  readonly code = 'PasswordResetRequired';
  readonly allowed = ALLOWED_BEFORE_PASSWORD_CHANGE;
  constructor(readonly what: string) {
    super(`${what} is not available until the password is changed: call changePassword (or signOut) with this session`);
  }
}
