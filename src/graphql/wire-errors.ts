/**
 * The one mapping of domain errors (src/errors.ts) to GraphQL errors, for fields that have no
 * result union to carry them (a union carries them as data: src/graphql/error-types.ts):
 *
 * | domain error               | `extensions.code`         | other extensions                              |
 * | -------------------------- | ------------------------- | --------------------------------------------- |
 * | UnauthenticatedError       | `UNAUTHENTICATED`         | `http`: status 401, `www-authenticate` header |
 * | AccessDeniedError          | `ACCESS_DENIED`           | `action`, `resource`, `explanation` if shown  |
 * | PasswordResetRequiredError | `PASSWORD_RESET_REQUIRED` | `allowed`: the root fields still allowed      |
 * | any other IamError         | its `code`                | `field` and `rule` when it has them           |
 *
 * Resolvers throw domain errors; the server maps them on the way out (src/server/masked-errors.ts),
 * over HTTP and graphql-ws alike. Anything else is not mapped here and is masked as unexpected.
 */
import { GraphQLError } from 'graphql';
import { AccessDeniedError, IamError, PasswordResetRequiredError, UnauthenticatedError, ValidationError } from '../errors.ts';

/** What an unauthenticated HTTP response says it accepts. */
const WWW_AUTHENTICATE = 'Basic realm="portcullis", Bearer';

/** The wire code and extensions of `error`. */
function extensionsOf(error: IamError): Record<string, unknown> {
  if (error instanceof UnauthenticatedError) {
    // Yoga answers HTTP with the status of `extensions.http`.
    return { code: 'UNAUTHENTICATED', http: { status: 401, headers: { 'www-authenticate': WWW_AUTHENTICATE } } };
  }
  if (error instanceof AccessDeniedError) {
    return { code: 'ACCESS_DENIED', action: error.action, resource: error.resource, ...(error.explanation === undefined ? {} : { explanation: error.explanation }) };
  }
  if (error instanceof PasswordResetRequiredError) return { code: 'PASSWORD_RESET_REQUIRED', allowed: [...error.allowed] };
  const field = 'field' in error ? { field: error.field } : {};
  const rule = 'rule' in error ? { rule: error.rule } : {};
  return { code: error.code, ...field, ...rule };
}

/** `error` as a coded GraphQL error (see the table above). */
export function toGraphQLError(error: IamError): GraphQLError {
  return new GraphQLError(error.message, { extensions: extensionsOf(error) });
}

/** A domain error as a coded GraphQL error; anything else unchanged. */
export function wireError(error: unknown): unknown {
  return error instanceof IamError ? toGraphQLError(error) : error;
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

/**
 * Reads have no result union, so bad arguments (a ValidationError) are the client's input error,
 * coded BAD_USER_INPUT with their field and rule; any other error is thrown as it is.
 */
export function asReadError(error: unknown): never {
  if (error instanceof ValidationError) {
    throw new GraphQLError(error.message, { extensions: { code: 'BAD_USER_INPUT', field: error.field, rule: error.rule } });
  }
  throw error;
}
