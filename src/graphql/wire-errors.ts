/**
 * The one vocabulary of error codes the API answers with, and the one mapping of domain errors
 * (src/errors.ts, src/sts, src/iam/mfa) to it. Domain classes keep AWS-style codes (`NoSuchEntity`);
 * on the wire every code is an `ErrorCode` value (`NO_SUCH_ENTITY`), the same whether the error is
 * data in a result union (`code: ErrorCode!` of a `ResultError`) or a top-level error
 * (`extensions.code`). The GraphQL enum is built from ERROR_CODES in src/graphql/errors.ts.
 *
 * A domain error raised where no union carries it becomes a coded top-level GraphQL error:
 *
 * | domain error               | other extensions                              |
 * | -------------------------- | --------------------------------------------- |
 * | UnauthenticatedError       | `http`: status 401, `www-authenticate` header |
 * | AccessDeniedError          | `action`, `resource`, `explanation` if shown  |
 * | PasswordResetRequiredError | `allowed`: the root fields still allowed      |
 * | any other IamError         | `field` and `rule` when it has them           |
 *
 * Resolvers throw domain errors; the server maps them on the way out (src/server/masked-errors.ts),
 * over HTTP and graphql-ws alike. Anything else is not mapped here and is masked as unexpected.
 * GraphQL's own failures (a document that does not parse or validate, variables that do not
 * coerce) keep graphql-yoga's codes (`GRAPHQL_PARSE_FAILED`, `GRAPHQL_VALIDATION_FAILED`,
 * `BAD_USER_INPUT`) and are not part of ErrorCode.
 */
import { GraphQLError } from 'graphql';
import { AccessDeniedError, IamError, PasswordResetRequiredError, UnauthenticatedError } from '../errors.ts';

/** One ErrorCode value: the domain error code it stands for (if any) and its description. */
interface ErrorCodeEntry {
  /** The `code` of the domain error class mapped to this value. */
  readonly domain?: string;
  readonly description: string;
}

/**
 * Every code the API answers with. Values of domain errors are their GraphQL type names in
 * UPPER_SNAKE; each description names AWS's error code for the same condition.
 */
export const ERROR_CODES = {
  UNAUTHENTICATED: {
    domain: 'Unauthenticated',
    description: 'No credential, or one that does not verify (revoked, expired, malformed). AWS: `InvalidClientTokenId` / `MissingAuthenticationToken`. Over HTTP the whole response is a 401.',
  },
  ACCESS_DENIED: {
    domain: 'AccessDenied',
    description:
      'The caller may not perform the action on the resource. A refused mutation returns `AccessDenied` in its result union; a refused read nulls its field, with this code at its path. AWS: `AccessDenied`.',
  },
  PASSWORD_RESET_REQUIRED: {
    domain: 'PasswordResetRequired',
    description: 'The session must change its password first (changePassword); only changePassword, signOut and callerIdentity run. AWS: `PasswordResetRequired`.',
  },
  VALIDATION_ERROR: { domain: 'ValidationError', description: 'An input value broke a rule. AWS: `ValidationError`.' },
  NO_SUCH_ENTITY: { domain: 'NoSuchEntity', description: 'The named entity does not exist. AWS: `NoSuchEntity`.' },
  ENTITY_ALREADY_EXISTS: { domain: 'EntityAlreadyExists', description: 'An entity with that name already exists. AWS: `EntityAlreadyExists`.' },
  LIMIT_EXCEEDED: { domain: 'LimitExceeded', description: 'A quota would be exceeded. AWS: `LimitExceeded`.' },
  DELETE_CONFLICT: { domain: 'DeleteConflict', description: 'The entity still has dependents. AWS: `DeleteConflict`.' },
  MALFORMED_POLICY_DOCUMENT: { domain: 'MalformedPolicyDocument', description: 'A policy document is invalid. AWS: `MalformedPolicyDocument`.' },
  CONSTRAINT_VIOLATION: {
    domain: 'ConstraintViolation',
    description:
      "A rule of the organization's tree or policies (closing the management account, OU depth, a move from the wrong parent or into another organization); `reason` names it. AWS Organizations: `ConstraintViolationException` and kin.",
  },
  INVALID_IDENTITY_TOKEN: { domain: 'InvalidIdentityToken', description: 'A web identity token is malformed, badly signed or for another issuer or audience. AWS STS: `InvalidIdentityToken`.' },
  EXPIRED_TOKEN: { domain: 'ExpiredToken', description: 'A web identity token has expired. AWS STS: `ExpiredToken`.' },
  IDP_COMMUNICATION_ERROR: { domain: 'IDPCommunicationError', description: "The identity provider's keys could not be fetched. AWS STS: `IDPCommunicationError`." },
  MFA_DEVICE_LOCKED: { domain: 'MFADeviceLocked', description: 'The MFA device refuses codes for a while after too many wrong ones. No AWS equivalent (AWS throttles instead).' },
  SIGN_IN_FAILED: { domain: 'SignInFailed', description: 'The account, user name, password or MFA code is wrong. AWS console: "Your authentication information is incorrect".' },
  SIGN_IN_THROTTLED: { domain: 'Throttling', description: 'Too many failed sign-in attempts. AWS: `Throttling`.' },
  FEDERATED_SIGN_IN_FAILED: { domain: 'FederatedSignInFailed', description: 'A sign-in through an identity provider was refused (wrong state, used or expired code, nonce, token or role); `reason` says which. No AWS error code (the AWS console shows the refusal on its sign-in page).' },
  ROLE_CHOICE_REQUIRED: { domain: 'RoleChoiceRequired', description: 'The identity may sign in as several roles: repeat with one of them (AWS console: the role chooser).' },
  MFA_REQUIRED: { domain: 'MFARequired', description: 'The user has an MFA device: sign in again with its code. No AWS error code (the console asks for the code).' },
  PASSWORD_EXPIRED: { domain: 'PasswordExpired', description: 'The password expired under hard expiry; an administrator must reset it. AWS console: "Your password has expired".' },
  RATE_LIMITED: { description: 'Too many operations per second for this credential; retry after `extensions.retryAfterSeconds` (HTTP 429). AWS: `Throttling`.' },
  SERVICE_UNAVAILABLE: { description: 'The database is unreachable; retry after `extensions.retryAfterSeconds` (HTTP 503). AWS: `ServiceUnavailable`.' },
  INTERNAL_SERVER_ERROR: { description: 'An unexpected failure, logged with `extensions.requestId`. AWS: `ServiceFailure`.' },
  PAYLOAD_TOO_LARGE: { description: 'The request body exceeds the size limit (HTTP 413). No AWS equivalent.' },
  QUERY_TOO_DEEP: { description: 'The document nests deeper than the limit. No AWS equivalent.' },
  TOO_MANY_ALIASES: { description: 'The document uses more aliases than the limit. No AWS equivalent.' },
  QUERY_TOO_COSTLY: { description: 'The document would cost more than the limit. No AWS equivalent.' },
  TOO_MANY_TOKENS: { description: 'The document has more tokens than the limit. No AWS equivalent.' },
  INTROSPECTION_DISABLED: { description: 'Introspection is disabled for this caller. No AWS equivalent.' },
  TOO_MANY_INTROSPECTION_FIELDS: { description: 'The document asks for more introspection fields than the limit. No AWS equivalent.' },
} as const satisfies Record<string, ErrorCodeEntry>;

/** A value of the GraphQL enum `ErrorCode`. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** ErrorCode by domain error code (`NoSuchEntity` → `NO_SUCH_ENTITY`). */
const BY_DOMAIN_CODE: ReadonlyMap<string, ErrorCode> = new Map(
  Object.entries(ERROR_CODES).flatMap(([value, entry]) => ('domain' in entry ? [[entry.domain, value as ErrorCode] as const] : [])),
);

/**
 * The ErrorCode of a domain error, by its `code` (so it works on the proxies batch items wrap
 * errors in). A class missing from ERROR_CODES is a bug: test/graphql/wire-errors.test.ts lists them.
 */
export function errorCodeOf(error: { readonly code: string }): ErrorCode {
  const code = BY_DOMAIN_CODE.get(error.code);
  if (code === undefined) throw new Error(`domain error code ${error.code} has no ErrorCode in src/graphql/wire-errors.ts`);
  return code;
}

/** What an unauthenticated HTTP response says it accepts. */
const WWW_AUTHENTICATE = 'Basic realm="portcullis", Bearer';

/** The wire code and extensions of `error`. */
function extensionsOf(error: IamError): Record<string, unknown> {
  const code = errorCodeOf(error);
  if (error instanceof UnauthenticatedError) {
    // Yoga answers HTTP with the status of `extensions.http`.
    return { code, http: { status: 401, headers: { 'www-authenticate': WWW_AUTHENTICATE } } };
  }
  if (error instanceof AccessDeniedError) {
    return { code, action: error.action, resource: error.resource, ...(error.explanation === undefined ? {} : { explanation: error.explanation }) };
  }
  if (error instanceof PasswordResetRequiredError) return { code, allowed: [...error.allowed] };
  const field = 'field' in error ? { field: error.field } : {};
  const rule = 'rule' in error ? { rule: error.rule } : {};
  return { code, ...field, ...rule };
}

/** `error` as a coded GraphQL error (see the table above). */
export function toGraphQLError(error: IamError): GraphQLError {
  return new GraphQLError(error.message, { extensions: extensionsOf(error) });
}

/** A domain error as a coded GraphQL error; anything else unchanged. */
export function wireError(error: unknown): unknown {
  return error instanceof IamError ? toGraphQLError(error) : error;
}

/**
 * A refusal of the server's own input checks that run outside any resolver (a malformed global
 * id, a NUL in a string): VALIDATION_ERROR naming the input and the rule, like a ValidationError.
 */
export function inputError(message: string, field: string, rule: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'VALIDATION_ERROR' satisfies ErrorCode, field, rule } });
}

/** The domain error a GraphQL error was raised for (possibly wrapped by the executor), if any. */
export function domainErrorOf(error: unknown): IamError | undefined {
  let current = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    if (current instanceof IamError) return current;
    if (!(current instanceof GraphQLError)) return undefined;
    current = current.originalError;
  }
  return undefined;
}

/**
 * A result's error, mapped when it was raised for a domain error: the coded error at the same
 * path and locations; anything else unchanged (for the error masker to judge).
 */
export function mapResultError(error: GraphQLError): GraphQLError {
  const domain = domainErrorOf(error);
  if (domain === undefined) return error;
  const mapped = new GraphQLError(domain.message, { nodes: error.nodes, source: error.source, positions: error.positions, path: error.path, extensions: extensionsOf(domain) });
  // graphql-jit's errors carry locations without nodes; keep them as the client saw them before.
  if (mapped.locations === undefined && error.locations !== undefined) Object.assign(mapped, { locations: error.locations });
  return mapped;
}
