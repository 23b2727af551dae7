/**
 * The dashboard's GraphQL client over HTTP: one POST per operation to /graphql, authenticated by
 * the session's HttpOnly cookie, which the server accepts only with the `X-Portcullis-Console`
 * header (so that no other site can make the browser send it). Operations are typed documents written with `graphql(…)` (graphql-codegen, see
 * codegen.ts), so data and variables are checked against the schema.
 *
 * A response may carry data and errors together: a refused or failed field is null with an error
 * at its path, and the rest of the data stands. `request` keeps both and throws an `ApiError` only
 * when there is no data at all (network, HTTP, an invalid document, or a failure of the whole
 * request). UNAUTHENTICATED anywhere ends the session (the sign-in page then brings the user back).
 * While the tab works through a switched role (`role-session.ts`), requests carry the role
 * session's token as `Authorization: Bearer` and no cookie at all (so no answer can replace or
 * clear the signed-in session's); when the API no longer accepts it, the switch ends and the tab is
 * back as the signed-in principal.
 * Expected failures of mutations arrive as data in result unions, see `results.ts`.
 */
import { currentPath } from '../router.ts';
import type { TypedDocumentString } from './generated/graphql.ts';
import { activeRole, endRoleSession } from './role-session.ts';
import { currentSession, expireSession } from './session.ts';

/** The header that makes the server accept the console's session cookie (src/server/console-session.ts). */
export const CONSOLE_HEADER = 'x-portcullis-console';

/** Where the API is served (same origin as the dashboard). */
export const GRAPHQL_PATH = '/graphql';

/** The path of a field in a response: response keys and list indexes. */
export type ResponsePath = ReadonlyArray<string | number>;

/** One error from the `errors` list of a GraphQL response. */
export interface WireError {
  readonly message: string;
  readonly path?: ResponsePath;
  readonly extensions?: Readonly<Record<string, unknown>>;
}

/** A request or a part of one that the API refused or could not answer, with the API's own code and explanation. */
export class ApiError extends Error {
  constructor(
    /** The API's error code (`UNAUTHENTICATED`, `ACCESS_DENIED`, …) or the console's `NETWORK` / `HTTP_<status>` / `CLIENT`. */
    readonly code: string,
    message: string,
    /** The IAM action that was refused, when the API named it. */
    readonly action?: string,
    /** The field it concerns, when it concerns one field and not the whole request. */
    readonly path?: ResponsePath,
  ) {
    super(message);
  }

  /** A wire error as an ApiError. */
  static fromWire(error: WireError, fallbackCode: string): ApiError {
    const code = typeof error.extensions?.code === 'string' ? error.extensions.code : fallbackCode;
    const action = typeof error.extensions?.action === 'string' ? error.extensions.action : undefined;
    return new ApiError(code, error.message, action, error.path);
  }
}

/** What a request answered: its data (null where a field failed) and the errors at those fields. */
export interface Answer<TData> {
  readonly data: TData;
  readonly errors: readonly ApiError[];
}

/** The error at exactly `path` (e.g. `['user', 'groups']`), if that field failed. */
export function errorAt(errors: readonly ApiError[], ...path: ResponsePath): ApiError | undefined {
  return errors.find((error) => error.path !== undefined && error.path.length === path.length && error.path.every((key, i) => key === path[i]));
}

/** Options for one request. */
export interface RequestOptions {
  readonly signal?: AbortSignal;
  /** Send without the session (sign-in): a stale cookie must not turn it into a 401. */
  readonly anonymous?: boolean;
  /**
   * Whose credentials: `signed-in` always sends the signed-in principal's (switching role, signing
   * out); a token sends that session's (revoking a switched role's); by default the switched
   * role's while there is one, else the signed-in principal's.
   */
  readonly as?: 'signed-in' | { readonly bearer: string };
}

/** Runs a query or mutation; throws ApiError only when the answer has no data at all. */
export async function request<TData, TVariables>(
  document: TypedDocumentString<TData, TVariables>,
  variables: TVariables,
  options: RequestOptions = {},
): Promise<Answer<TData>> {
  const session = options.anonymous === true ? undefined : currentSession();
  const role = options.anonymous === true || options.as !== undefined ? undefined : activeRole();
  const bearer = typeof options.as === 'object' ? options.as.bearer : role?.token;
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/graphql-response+json, application/json',
  };
  if (bearer !== undefined) headers.authorization = `Bearer ${bearer}`;
  else if (options.anonymous !== true) headers[CONSOLE_HEADER] = '1';

  let response: Response;
  try {
    response = await fetch(GRAPHQL_PATH, {
      method: 'POST',
      headers,
      body: JSON.stringify({ query: document.toString(), variables: variables ?? {} }),
      // Sent and stored for sign-in too (its response sets the cookie); without the console header
      // the server ignores a stale cookie on an anonymous request. A role session's request
      // neither sends nor stores cookies: its signOut must not clear the signed-in session's.
      credentials: bearer === undefined ? 'same-origin' : 'omit',
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError('NETWORK', 'the Portcullis server could not be reached; check your connection and try again');
  }

  let body: { data?: TData | null; errors?: WireError[] } | undefined;
  try {
    body = (await response.json()) as typeof body;
  } catch {
    body = undefined;
  }
  const errors = (body?.errors ?? []).map((error) => ApiError.fromWire(error, `HTTP_${response.status}`));
  const unauthenticated = errors.find((error) => error.code === 'UNAUTHENTICATED');
  if (response.status === 401 || unauthenticated !== undefined) {
    // The switched role's session ended (expired or revoked): back to the signed-in principal.
    if (role !== undefined) {
      if (activeRole()?.token === role.token) endRoleSession('expired');
      throw new ApiError('UNAUTHENTICATED', 'the role session has ended; you are back in your own account');
    }
    if (typeof options.as === 'object') throw new ApiError('UNAUTHENTICATED', unauthenticated?.message ?? 'that session has already ended');
    // Only a session that was sent can have expired; an anonymous sign-in failure is just an error.
    if (session !== undefined) expireSession(currentPath());
    throw new ApiError('UNAUTHENTICATED', unauthenticated?.message ?? errors[0]?.message ?? 'your session has ended; sign in again');
  }
  if (body?.data == null) {
    throw errors[0] ?? new ApiError(`HTTP_${response.status}`, `the server answered ${response.status} ${response.statusText}`.trim());
  }
  return { data: body.data, errors };
}
