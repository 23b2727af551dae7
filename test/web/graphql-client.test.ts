/**
 * The console's GraphQL client keeps partial data: a refused field is null with its error at its
 * path and the rest of the answer stands; only an answer without data is thrown.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type * as Client from '../../src/web/api/graphql.ts';
import type { TypedDocumentString } from '../../src/web/api/generated/graphql.ts';

/** The two root fields the fake answers carry. */
interface TwoFields {
  readonly allowed: { readonly revision: string } | null;
  readonly refused: { readonly revision: string } | null;
}

// The client sends the document's text; any String stands in for a generated document here.
const DOCUMENT = new String('mutation { allowed { revision } refused { revision } }') as unknown as TypedDocumentString<TwoFields, Record<string, never>>;

let client: typeof Client;
let answer: { status: number; body: unknown };

beforeAll(async () => {
  // The console runs in a browser: give its modules the little of `window` they touch.
  vi.stubGlobal('window', {
    addEventListener: () => {},
    location: { pathname: '/', search: '' },
    sessionStorage: { getItem: () => null, setItem: () => {}, removeItem: () => {} },
  });
  vi.stubGlobal('fetch', async () => new Response(JSON.stringify(answer.body), { status: answer.status, headers: { 'content-type': 'application/json' } }));
  client = await import('../../src/web/api/graphql.ts');
});

afterAll(() => {
  vi.unstubAllGlobals();
});

describe('request', () => {
  it('returns the permitted field and the refused field’s error at its path', async () => {
    answer = {
      status: 200,
      body: {
        data: { allowed: { revision: '42' }, refused: null },
        errors: [{ message: 'not authorized to perform iam:DeleteUser', path: ['refused'], extensions: { code: 'ACCESS_DENIED', action: 'iam:DeleteUser' } }],
      },
    };
    const { data, errors } = await client.request(DOCUMENT, {});
    expect(data.allowed).toEqual({ revision: '42' });
    expect(data.refused).toBeNull();
    const refusal = client.errorAt(errors, 'refused');
    expect(refusal).toMatchObject({ code: 'ACCESS_DENIED', action: 'iam:DeleteUser', path: ['refused'] });
    expect(client.errorAt(errors, 'allowed')).toBeUndefined();
  });

  it('throws the first error when the answer has no data', async () => {
    answer = { status: 200, body: { data: null, errors: [{ message: 'rate limited', extensions: { code: 'THROTTLED' } }] } };
    await expect(client.request(DOCUMENT, {})).rejects.toMatchObject({ code: 'THROTTLED', message: 'rate limited' });
  });

  it('throws UNAUTHENTICATED for a 401, whatever data came with it', async () => {
    answer = { status: 401, body: { errors: [{ message: 'no valid credential', extensions: { code: 'UNAUTHENTICATED' } }] } };
    await expect(client.request(DOCUMENT, {})).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});
