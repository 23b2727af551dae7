/**
 * The directory's typed errors. They arise in src/iam (and src/authz) as plain classes with a
 * stable `code`, and are mapped to the wire in one place: src/graphql/error-types.ts registers
 * each as a GraphQL object in result unions. Messages are lower-case, name the field and quote input.
 */
import type { Finding } from './policy/types.ts';

/** Base of every expected directory failure. */
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
  | 'OpenIDConnectProvider';

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
