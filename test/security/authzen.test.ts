/**
 * The AuthZEN endpoints (issue 18) hold the same gate as GraphQL: no decision without a valid
 * credential, none about a subject the caller may not ask about, no unbounded work from one
 * request (body size, evaluations per request, condition keys, nesting), and the same
 * per-credential rate limit. Cap on evaluations: 1,000 per request (MAX_EVALUATIONS), as
 * authorizeBatch; docs/authzen.md and docs/security.md say so.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_EVALUATIONS } from '../../src/authzen/evaluation.ts';
import { ROOT_AUTH, startPdp, userWithPolicy, type Pdp } from '../authzen/support/pdp.ts';

const POST_PATHS = ['/access/v1/evaluation', '/access/v1/evaluations', '/access/v1/search/subject', '/access/v1/search/resource', '/access/v1/search/action'];
const question = { subject: { type: 'user', id: 'alice' }, action: { name: 'read' }, resource: { type: 'record', id: 'record-1' } };
const searches: Record<string, unknown> = {
  '/access/v1/search/subject': { subject: { type: 'user' }, action: { name: 'read' }, resource: { type: 'record', id: 'record-1' } },
  '/access/v1/search/resource': { subject: { type: 'user', id: 'alice' }, action: { name: 'read' }, resource: { type: 'record' } },
  '/access/v1/search/action': { subject: { type: 'user', id: 'alice' }, resource: { type: 'record', id: 'record-1' } },
};
const bodyFor = (path: string): unknown => searches[path] ?? question;

/** Decisions the server has counted so far. */
function decisionsServed(pdp: Pdp): number {
  const counts = pdp.server.running.app.authz.decisionCounts;
  return counts.ALLOWED + counts.EXPLICIT_DENY + counts.IMPLICIT_DENY;
}

describe('AuthZEN endpoints: credentials, permissions and bounded work', () => {
  let pdp: Pdp;
  let nobody: string;
  beforeAll(async () => {
    pdp = await startPdp(['authzen-certification'], { MAX_BODY_BYTES: '65536' });
    // A valid key whose policies allow nothing of what AuthZEN needs.
    nobody = await userWithPolicy(pdp, 'nobody', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:GetUser', Resource: '*' }] });
  }, 120_000);
  afterAll(async () => {
    await pdp?.close();
  });

  it.each(POST_PATHS)('anonymous caller: %s answers 401 and decides nothing', async (path) => {
    const served = decisionsServed(pdp);
    const answer = await pdp.post(path, bodyFor(path), { authorization: '' });
    expect(answer.status).toBe(401);
    expect(answer.text).not.toMatch(/alice|bob|record|decision/);
    expect(decisionsServed(pdp)).toBe(served);
  });

  it.each(POST_PATHS)('low-privilege key: %s refuses to tell it anything about alice (403)', async (path) => {
    const served = decisionsServed(pdp);
    const answer = await pdp.post(path, bodyFor(path), { authorization: nobody });
    expect(answer.status).toBe(403);
    expect(answer.text).not.toMatch(/"decision"|"results"/);
    expect(decisionsServed(pdp)).toBe(served);
  });

  it('low-privilege key: every item of a batch about subjects it may not ask about is refused alone, none decided', async () => {
    const served = decisionsServed(pdp);
    const answer = await pdp.post('/access/v1/evaluations', { action: { name: 'read' }, resource: { type: 'record', id: 'record-1' }, evaluations: [{ subject: { type: 'user', id: 'alice' } }, { subject: { type: 'user', id: 'bob' } }] }, { authorization: nobody });
    expect(answer.status).toBe(200);
    expect(answer.json.evaluations.map((e: { decision: boolean; context: { error: { status: number } } }) => [e.decision, e.context.error.status])).toEqual([
      [false, 403],
      [false, 403],
    ]);
    expect(decisionsServed(pdp)).toBe(served);
  });

  it.each(['deactivated', 'deleted'])('a %s key gets no decision from its very next request, though its credential was cached', async (change) => {
    const pep = await userWithPolicy(pdp, `pep-${change}`, { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:Authorize', Resource: '*' }] });
    // Two answers: the second is served from the credential cache (the route's synchronous path).
    for (let i = 0; i < 2; i++) expect((await pdp.post('/access/v1/evaluation', question, { authorization: pep })).status).toBe(200);
    const accessKeyId = Buffer.from(pep.slice('Basic '.length), 'base64').toString('utf8').split(':')[0]!;
    const mutation =
      change === 'deactivated'
        ? `mutation { updateAccessKey(input: { userName: "pep-${change}", accessKeyId: "${accessKeyId}", status: INACTIVE }) { __typename } }`
        : `mutation { deleteAccessKey(input: { userName: "pep-${change}", accessKeyId: "${accessKeyId}" }) { __typename } }`;
    const revoked = await pdp.server.gql(mutation, undefined, { authorization: ROOT_AUTH });
    expect(JSON.stringify(revoked.body.data)).toMatch(/Success/);
    const served = decisionsServed(pdp);
    for (const path of ['/access/v1/evaluation', '/access/v1/evaluations']) {
      const answer = await pdp.post(path, { ...question, evaluations: [{}] }, { authorization: pep });
      expect(answer.status).toBe(401);
      expect(answer.text).not.toMatch(/"decision"/);
    }
    expect(decisionsServed(pdp)).toBe(served);
  });

  it(`malicious application: more than ${MAX_EVALUATIONS} evaluations in one request are refused before any is decided (400)`, async () => {
    const served = decisionsServed(pdp);
    const tooMany = await pdp.post('/access/v1/evaluations', { ...question, evaluations: Array.from({ length: MAX_EVALUATIONS + 1 }, () => ({})) });
    expect(tooMany.status).toBe(400);
    expect(tooMany.text).toContain(`at most ${MAX_EVALUATIONS}`);
    expect(decisionsServed(pdp)).toBe(served);
    const full = await pdp.post('/access/v1/evaluations', { ...question, evaluations: Array.from({ length: MAX_EVALUATIONS }, () => ({})) });
    expect(full.status).toBe(200);
    expect(full.json.evaluations).toHaveLength(MAX_EVALUATIONS);
  });

  it('malicious application: a body over MAX_BODY_BYTES is refused with 413, declared or streamed', async () => {
    const big = JSON.stringify({ ...question, context: { padding: 'x'.repeat(70_000) } });
    const declared = await pdp.post('/access/v1/evaluation', big);
    expect(declared.status).toBe(413);
    expect(declared.text).toContain('MAX_BODY_BYTES');
    // Without a Content-Length (chunked), the body is counted as it streams and cut at the limit.
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 10; i++) controller.enqueue(new TextEncoder().encode(big.slice(i * 7_100, (i + 1) * 7_100)));
        controller.close();
      },
    });
    const streamed = await fetch(`${pdp.server.url}/access/v1/evaluation`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: ROOT_AUTH },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
  });

  it('malicious application: deep nesting and condition-key floods are 400s naming the path, not crashes', async () => {
    let nested: unknown = 'x';
    for (let i = 0; i < 10; i++) nested = { deeper: nested };
    const deep = await pdp.post('/access/v1/evaluation', { ...question, resource: { ...question.resource, properties: { nested } } });
    expect(deep.status).toBe(400);
    expect(deep.text).toContain('resource.properties.nested');
    const flood = await pdp.post('/access/v1/evaluation', { ...question, context: Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`key${i}`, i])) });
    expect(flood.status).toBe(400);
    expect(flood.text).toMatch(/at most 100 condition keys/);
    // JSON nested far past any property depth still parses or is refused as a 400.
    const arrays = await pdp.post('/access/v1/evaluation', `{"subject":${'['.repeat(20_000)}${']'.repeat(20_000)}}`);
    expect(arrays.status).toBe(400);
  });

  it('low-privilege key and root alike: a principal ARN of another account needs iam:Authorize on it, which no policy of this account grants', async () => {
    const mallory = { ...question, subject: { type: 'user', id: 'arn:aws:iam::444455556666:user/mallory' } };
    for (const authorization of [nobody, ROOT_AUTH]) {
      const answer = await pdp.post('/access/v1/evaluation', mallory, { authorization });
      expect(answer.status).toBe(403);
      expect(answer.text).toContain('arn:aws:iam::444455556666:user/mallory');
    }
  });
});

describe('AuthZEN endpoints: the per-credential rate limit', () => {
  let pdp: Pdp;
  beforeAll(async () => {
    pdp = await startPdp([], { RATE_LIMIT_PER_SECOND: '1', RATE_LIMIT_BURST: '3' });
  }, 120_000);
  afterAll(async () => {
    await pdp?.close();
  });

  it('draws from the same bucket as GraphQL: past the burst, 429 with Retry-After', async () => {
    const statuses: number[] = [];
    await pdp.server.gql('{ __typename }', undefined, { authorization: ROOT_AUTH });
    for (let i = 0; i < 3; i++) statuses.push((await pdp.post('/access/v1/evaluation', question)).status);
    // One GraphQL operation and two evaluations used the burst of three; the third evaluation waits.
    expect(statuses.slice(0, 2)).toEqual([200, 200]);
    expect(statuses[2]).toBe(429);
    const refused = await pdp.post('/access/v1/evaluation', question);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });
});
