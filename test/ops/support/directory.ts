/**
 * The directory writes and decisions the outage test and the drills drive, over real HTTP with
 * the root key: create a user and a policy, attach/detach, authorize with minRevision.
 */

/** One GraphQL answer over HTTP (a failed fetch is status 0 with the error message). */
export interface HttpAnswer {
  readonly status: number;
  readonly body: { data?: Record<string, any> | null; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };
}

/** POSTs a GraphQL operation; network failures come back as status 0 instead of throwing. */
export async function post(graphqlUrl: string, authorization: string, query: string, variables: Record<string, unknown> = {}, timeoutMs = 15_000): Promise<HttpAnswer> {
  try {
    const response = await fetch(graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    try {
      return { status: response.status, body: JSON.parse(text) as HttpAnswer['body'] };
    } catch {
      return { status: response.status, body: { errors: [{ message: text.slice(0, 200), extensions: { code: `HTTP_${response.status}` } }] } };
    }
  } catch (error) {
    return { status: 0, body: { errors: [{ message: error instanceof Error ? error.message : String(error), extensions: { code: 'NETWORK_ERROR' } }] } };
  }
}

/** The first error code of an answer, or `HTTP_<status>` / undefined when it succeeded. */
export function errorCode(answer: HttpAnswer): string | undefined {
  const code = answer.body.errors?.[0]?.extensions?.['code'];
  if (typeof code === 'string') return code;
  if (answer.body.errors !== undefined && answer.body.errors.length > 0) return 'ERROR';
  return answer.status >= 400 ? `HTTP_${answer.status}` : undefined;
}

export const CREATE_USER = 'mutation ($u: String!) { createUser(input: { userName: $u }) { __typename ... on CreateUserSuccess { revision user { arn } } } }';
export const CREATE_POLICY =
  'mutation ($n: String!, $d: String!) { createPolicy(input: { policyName: $n, policyDocument: $d }) { __typename ... on CreatePolicySuccess { revision policy { arn } } } }';
export const ATTACH = 'mutation ($u: String!, $p: String!) { attachUserPolicy(input: { userName: $u, policyArn: $p }) { __typename ... on AttachUserPolicySuccess { revision } } }';
export const DETACH = 'mutation ($u: String!, $p: String!) { detachUserPolicy(input: { userName: $u, policyArn: $p }) { __typename ... on DetachUserPolicySuccess { revision } } }';
export const AUTHORIZE =
  'mutation ($p: String!, $a: String!, $r: String!, $m: String) { authorize(input: { principalArn: $p, action: $a, resourceArn: $r, minRevision: $m }) { __typename ... on Decision { decision revision } ... on AccessDenied { message } } }';

/** A policy document allowing `action` on every resource. */
export function allowDocument(action: string): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] });
}

/** Calls `post` and throws unless the answer has data without errors. */
export async function must(graphqlUrl: string, authorization: string, query: string, variables: Record<string, unknown>): Promise<Record<string, any>> {
  const answer = await post(graphqlUrl, authorization, query, variables);
  if (answer.body.errors !== undefined || answer.body.data == null) throw new Error(`${query.slice(0, 40)}… failed: ${JSON.stringify(answer.body).slice(0, 300)}`);
  return answer.body.data;
}
