/**
 * The dashboard's GraphQL client over HTTP: one POST per operation to /graphql with the session's
 * bearer token. Errors the API returns at the top level become an `ApiError` carrying the API's
 * code and explanation; UNAUTHENTICATED ends the session (the sign-in page then brings the user
 * back). Expected failures of mutations arrive as data in result unions, see `results.ts`.
 */
import { currentPath } from '../router.ts';
import { currentSession, expireSession } from './session.ts';

/** Where the API is served (same origin as the dashboard). */
export const GRAPHQL_PATH = '/graphql';

/** One error from the `errors` list of a GraphQL response. */
interface WireError {
  readonly message: string;
  readonly path?: ReadonlyArray<string | number>;
  readonly extensions?: Readonly<Record<string, unknown>>;
}

/** A request the API refused or could not answer, with the API's own code and explanation. */
export class ApiError extends Error {
  constructor(
    /** The API's error code (`UNAUTHENTICATED`, `ACCESS_DENIED`, …) or `NETWORK` / `HTTP_<status>`. */
    readonly code: string,
    message: string,
    /** The IAM action that was refused, when the API named it. */
    readonly action?: string,
  ) {
    super(message);
  }
}

/** Options for one request. */
export interface RequestOptions {
  readonly signal?: AbortSignal;
  /** Send without the session token (sign-in). */
  readonly anonymous?: boolean;
}

/** Runs a query or mutation and returns its data; throws ApiError when the API answers with errors. */
export async function request<TData>(
  query: string,
  variables: Record<string, unknown> = {},
  options: RequestOptions = {},
): Promise<TData> {
  const session = options.anonymous === true ? undefined : currentSession();
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/graphql-response+json, application/json',
  };
  if (session !== undefined) headers.authorization = `Bearer ${session.token}`;

  let response: Response;
  try {
    response = await fetch(GRAPHQL_PATH, {
      method: 'POST',
      headers,
      body: JSON.stringify({ query, variables }),
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
  const first = body?.errors?.[0];
  const code = typeof first?.extensions?.code === 'string' ? first.extensions.code : undefined;
  if (response.status === 401 || code === 'UNAUTHENTICATED') {
    // Only a session that was sent can have expired; an anonymous sign-in failure is just an error.
    if (session !== undefined) expireSession(currentPath());
    throw new ApiError('UNAUTHENTICATED', first?.message ?? 'your session has ended; sign in again');
  }
  if (first !== undefined) {
    const action = typeof first.extensions?.action === 'string' ? first.extensions.action : undefined;
    throw new ApiError(code ?? `HTTP_${response.status}`, first.message, action);
  }
  if (!response.ok || body?.data == null) {
    throw new ApiError(`HTTP_${response.status}`, `the server answered ${response.status} ${response.statusText}`.trim());
  }
  return body.data;
}
