/**
 * The typed errors (src/errors.ts) as data: each class becomes a GraphQL object implementing
 * `ResultError`, so mutations list the classes in `errors: { types }` and get them back inside
 * their result unions. Every mutation's union carries AccessDenied and PasswordResetRequired
 * (mutation-result.ts), so a refused mutation costs only itself. An error raised where no union
 * carries it becomes a coded top-level error instead (src/graphql/wire-errors.ts); STS and
 * sign-in register their own error objects beside their fields (sts.ts, sign-in.ts, mfa.ts).
 */
import {
  AccessDeniedError,
  DeleteConflictError,
  type EntityType,
  EntityAlreadyExistsError,
  LimitExceededError,
  MalformedPolicyDocumentError,
  NoSuchEntityError,
  PasswordResetRequiredError,
  ConstraintViolationError,
  ValidationError,
} from '../errors.ts';
import type { Finding } from '../policy/types.ts';
import { builder } from './builder.ts';
import { errorObjectType } from './errors.ts';

/** Severity of a policy finding, as Access Analyzer spells it. */
export const PolicyFindingTypeEnum = builder.enumType('PolicyFindingType', {
  description: 'How serious a policy finding is: ERROR findings make a document invalid.',
  values: {
    ERROR: { description: 'The document is invalid and was refused.' },
    SECURITY_WARNING: { description: 'Valid, but grants more access than it probably should.' },
    WARNING: { description: 'Valid, but probably not what was meant.' },
    SUGGESTION: { description: 'Valid; a simpler or clearer form exists.' },
  } as const,
});

/** The kinds of entity an error names; the domain keeps AWS's PascalCase names (src/errors.ts). */
export const EntityTypeEnum = builder.enumType('EntityType', {
  description: 'The kind of entity an error is about.',
  values: {
    ACCOUNT: { value: 'Account' },
    USER: { value: 'User' },
    GROUP: { value: 'Group' },
    ROLE: { value: 'Role' },
    POLICY: { value: 'Policy', description: 'A managed policy.' },
    POLICY_VERSION: { value: 'PolicyVersion' },
    INLINE_POLICY: { value: 'InlinePolicy' },
    ACCESS_KEY: { value: 'AccessKey' },
    MFA_DEVICE: { value: 'MFADevice' },
    LOGIN_PROFILE: { value: 'LoginProfile' },
    OPEN_ID_CONNECT_PROVIDER: { value: 'OpenIDConnectProvider' },
    SAML_PROVIDER: { value: 'SAMLProvider' },
    RESOURCE: { value: 'Resource', description: 'A registered resource (registerResource), named by its ARN.' },
    SERVICE: { value: 'Service', description: 'A service of the catalog (AWS or custom).' },
    CREDENTIAL_REPORT: { value: 'CredentialReport', description: 'The account credential report (AWS ReportNotPresent / ReportExpired).' },
    ACCOUNT_ALIAS: { value: 'AccountAlias', description: "The account's alias (CreateAccountAlias)." },
    ORGANIZATION: { value: 'Organization', description: 'The AWS Organizations organization (AWSOrganizationsNotInUse when there is none).' },
    ROOT: { value: 'Root', description: "The organization's root (r-…)." },
    ORGANIZATIONAL_UNIT: { value: 'OrganizationalUnit', description: 'An organizational unit (ou-…).' },
    ORGANIZATION_POLICY: { value: 'OrganizationPolicy', description: 'A service or resource control policy (p-…).' },
    ORGANIZATION_POLICY_ATTACHMENT: { value: 'OrganizationPolicyAttachment', description: 'A policy attached to a root, OU or account.' },
  } as const satisfies Record<string, { value: EntityType; description?: string }>,
});

/** One problem (or advice) about a policy document, located in its text. */
export const PolicyFindingRef = builder.objectRef<Finding>('PolicyFinding').implement({
  description: 'One problem or piece of advice about a policy document, located in its text.',
  fields: (t) => ({
    findingType: t.field({ type: PolicyFindingTypeEnum, resolve: (f) => f.findingType }),
    issueCode: t.exposeString('issueCode', { description: 'Stable code, e.g. `MISSING_ACTION`.' }),
    message: t.exposeString('message'),
    path: t.exposeString('path', { description: 'JSON path of the element, e.g. `$.Statement[0].Action`.' }),
    line: t.exposeInt('line', { description: '1-based line of the element in the document text.' }),
    column: t.exposeInt('column', { description: '1-based column of the element in the document text.' }),
  }),
});

/** ValidationError: input broke a rule. */
export const ValidationErrorRef = errorObjectType(ValidationError, {
  name: 'ValidationError',
  description:
    'An input value broke a rule; `field` is its path in the input, `rule` names the rule. ' +
    'A policy document that does not parse or validate is MalformedPolicyDocument instead, with findings.',
});
builder.objectFields(ValidationErrorRef, (t) => ({
  field: t.exposeString('field', { description: 'The input path, e.g. `input.userName`.' }),
  rule: t.exposeString('rule', { description: 'The rule broken, e.g. `length`, `pattern`, `range`.' }),
}));

/** NoSuchEntity: the named entity does not exist in the caller's account. */
export const NoSuchEntityRef = errorObjectType(NoSuchEntityError, {
  name: 'NoSuchEntity',
  description: "The named entity does not exist in the caller's account.",
});
builder.objectFields(NoSuchEntityRef, (t) => ({
  entityType: t.expose('entityType', { type: EntityTypeEnum, description: 'What kind of entity was looked up.' }),
  entityName: t.exposeString('entityName', { description: 'The name or ARN that was looked up.' }),
}));

/** EntityAlreadyExists: a name collides (case-insensitively) with an existing entity. */
export const EntityAlreadyExistsRef = errorObjectType(EntityAlreadyExistsError, {
  name: 'EntityAlreadyExists',
  description: 'An entity with that name already exists; names are compared case-insensitively.',
});
builder.objectFields(EntityAlreadyExistsRef, (t) => ({
  entityType: t.expose('entityType', { type: EntityTypeEnum, description: 'What kind of entity the name belongs to.' }),
  entityName: t.exposeString('entityName', { description: 'The name that collided.' }),
}));

/** LimitExceeded: a quota would be exceeded. */
export const LimitExceededRef = errorObjectType(LimitExceededError, {
  name: 'LimitExceeded',
  description: 'The write would exceed an IAM quota.',
});
builder.objectFields(LimitExceededRef, (t) => ({
  quota: t.exposeString('quota', { description: 'The quota, named as AWS names it, e.g. `GroupsPerUser`.' }),
  limit: t.exposeInt('limit', { description: 'The quota value.' }),
}));

/** DeleteConflict: the entity still has dependents. */
export const DeleteConflictRef = errorObjectType(DeleteConflictError, {
  name: 'DeleteConflict',
  description: 'The entity still has dependents (members, attachments, keys, …) that must be removed first.',
});
builder.objectFields(DeleteConflictRef, (t) => ({
  entityType: t.expose('entityType', { type: EntityTypeEnum, description: 'What kind of entity it is.' }),
  entityName: t.exposeString('entityName', { description: 'The entity that could not be deleted.' }),
  dependents: t.exposeString('dependents', { description: 'What still depends on it, in words.' }),
}));

/** MalformedPolicyDocument: a policy document has ERROR findings. */
export const MalformedPolicyDocumentRef = errorObjectType(MalformedPolicyDocumentError, {
  name: 'MalformedPolicyDocument',
  description: 'A policy document is invalid; `findings` locate each problem in its text.',
});
builder.objectFields(MalformedPolicyDocumentRef, (t) => ({
  field: t.exposeString('field', { description: 'The input that carried the document, e.g. `input.policyDocument`.' }),
  findings: t.field({ type: [PolicyFindingRef], resolve: (e) => [...e.findings] }),
}));

/** AccessDenied: the caller may not perform the action; a mutation's refusal, as data. */
export const AccessDeniedRef = errorObjectType(AccessDeniedError, {
  name: 'AccessDenied',
  description:
    'The caller is not allowed to perform `action` on `resource`: the API\'s own self-authorization, a trust policy, or a rule of STS refused it.',
});
builder.objectFields(AccessDeniedRef, (t) => ({
  action: t.exposeString('action', { description: 'The refused action, e.g. `iam:CreateUser`.' }),
  resource: t.exposeString('resource', { description: 'The ARN it was refused on (or `*`).' }),
}));

/** PasswordResetRequired: a session that must change its password asked for something else. */
export const PasswordResetRequiredRef = errorObjectType(PasswordResetRequiredError, {
  name: 'PasswordResetRequired',
  description: 'This sign-in session must change its password (changePassword) before it may do anything else.',
});
builder.objectFields(PasswordResetRequiredRef, (t) => ({
  allowed: t.stringList({ description: 'The root fields such a session may still use.', resolve: (e) => [...e.allowed] }),
}));

/** ConstraintViolation: a rule of AWS Organizations' tree or policies (AWS ConstraintViolationException and kin). */
export const ConstraintViolationRef = errorObjectType(ConstraintViolationError, {
  name: 'ConstraintViolation',
  description: "The write would break a rule of the organization's tree or policies; `reason` names it, as AWS does.",
});
builder.objectFields(ConstraintViolationRef, (t) => ({
  reason: t.exposeString('reason', { description: 'AWS\'s reason, e.g. `OU_DEPTH_LIMIT_EXCEEDED`, `MASTER_ACCOUNT_CANNOT_BE_CLOSED`, `SourceParentNotFound`.' }),
}));
