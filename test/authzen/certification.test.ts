/**
 * The AuthZEN Authorization API 1.0 certification scenario, replayed request by request against a
 * started server loaded with `npm run seed -- authzen-certification`'s fixture, at every level:
 * Basic (Core, Properties), Batch (Core, Properties), Search (Core, Properties), Discovery. Each
 * case checks what the scenario's harness checks: status, structure, and the mandated decisions.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASIC, BATCH, SEARCH, type ScenarioCase } from './support/scenario.ts';
import { ROOT_AUTH, startPdp, type Pdp, type PdpResponse } from './support/pdp.ts';

let pdp: Pdp;
beforeAll(async () => {
  pdp = await startPdp(['authzen-certification']);
}, 120_000);
afterAll(async () => {
  await pdp?.close();
});

/** Sends a case's request as the harness does. */
function send(c: ScenarioCase): Promise<PdpResponse> {
  return pdp.post(c.path, c.body, c.contentType === undefined ? {} : { 'content-type': c.contentType });
}

/** Checks a response against the case's expectation, as the certification harness would. */
function check(c: ScenarioCase, response: PdpResponse): void {
  const expected = c.expect;
  expect(response.status, response.text).toBe(expected.status);
  if (expected.status === 400) {
    // The spec's body for an error is an error message string.
    expect(response.text.length).toBeGreaterThan(0);
    return;
  }
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  const body = response.json as Record<string, unknown>;
  if ('decision' in expected || ('status' in expected && !('evaluations' in expected) && !('results' in expected))) {
    expect(typeof body['decision']).toBe('boolean');
    if ('decision' in expected && expected.decision !== undefined) expect(body['decision']).toBe(expected.decision);
    if (body['context'] !== undefined) expect(typeof body['context']).toBe('object');
    return;
  }
  if ('evaluations' in expected) {
    const evaluations = body['evaluations'] as Array<Record<string, unknown>>;
    expect(evaluations).toHaveLength(expected.evaluations);
    for (const item of evaluations) expect(typeof item['decision']).toBe('boolean');
    expected.decisions?.forEach((decision, i) => {
      if (decision !== null) expect(evaluations[i]!['decision'], `evaluations[${i}]`).toBe(decision);
    });
    return;
  }
  const results = body['results'] as Array<Record<string, unknown>>;
  expect(Array.isArray(results)).toBe(true);
  if (body['page'] !== undefined) {
    expect(typeof body['page']).toBe('object');
    expect(typeof (body['page'] as Record<string, unknown>)['next_token']).toBe('string');
  }
  if (expected.results === 'actions') {
    for (const result of results) expect(typeof result['name']).toBe('string');
    expect(results.map((r) => r['name'])).toEqual(expect.arrayContaining([...expected.includes]));
    return;
  }
  for (const result of results) {
    expect(typeof result['id']).toBe('string');
    expect(result['type']).toBe(expected.type);
  }
  expect(results.map((r) => r['id'])).toEqual(expect.arrayContaining([...expected.includes]));
}

/** One `it` per case, grouped by sub-level. */
function replay(cases: readonly ScenarioCase[]): void {
  for (const level of [...new Set(cases.map((c) => c.level))]) {
    describe(level, () => {
      it.each(cases.filter((c) => c.level === level).map((c) => [`${c.id} ${c.title}`, c] as const))('%s', async (_, c) => {
        check(c, await send(c));
      });
    });
  }
}

describe('Basic: Access Evaluation API', () => {
  replay(BASIC);

  it('C.2.5 echoes X-Request-ID, and answers without one', async () => {
    const body = { subject: { type: 'user', id: 'alice' }, action: { name: 'read' }, resource: { type: 'record', id: 'record-1' } };
    const withId = await pdp.post('/access/v1/evaluation', body, { 'x-request-id': 'bfe9eb29-ab87-4ca3-be83-a1d5d8305716' });
    expect(withId.headers.get('x-request-id')).toBe('bfe9eb29-ab87-4ca3-be83-a1d5d8305716');
    // An arbitrary string, not only what the access log keeps as a request id.
    const arbitrary = await pdp.post('/access/v1/evaluation', body, { 'x-request-id': 'my request #7 (retry)' });
    expect(arbitrary.headers.get('x-request-id')).toBe('my request #7 (retry)');
    const without = await pdp.post('/access/v1/evaluation', body);
    expect(without.status).toBe(200);
    expect(without.json).toEqual({ decision: true });
  });

  it('C.2.6 gives the same decision to the same request every time', async () => {
    const body = { subject: { type: 'user', id: 'bob' }, action: { name: 'write' }, resource: { type: 'record', id: 'record-1' } };
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push((await pdp.post('/access/v1/evaluation', body)).json);
    expect(answers).toEqual(Array.from({ length: 5 }, () => ({ decision: false })));
  });
});

describe('Batch: Access Evaluations API', () => {
  replay(BATCH);

  it('C.3.3 answers in request order, one decision per item, without a top-level decision', async () => {
    const response = await pdp.post('/access/v1/evaluations', {
      subject: { type: 'user', id: 'alice' },
      resource: { type: 'record', id: 'record-1' },
      evaluations: [{ action: { name: 'read' } }, { action: { name: 'delete', properties: { soft: false } } }, { action: { name: 'write' } }, { action: { name: 'delete', properties: { soft: true } } }],
    });
    expect(response.json).toEqual({ evaluations: [{ decision: true }, { decision: false }, { decision: true }, { decision: true }] });
  });
});

describe('Search: Subject, Resource and Action Search APIs', () => {
  replay(SEARCH);

  it('C.4.5.2 pages with the token of the previous response (page.token as the harness sends it, page.next_token as the spec names it)', async () => {
    const search = { subject: { type: 'user' }, action: { name: 'read' }, resource: { type: 'record', id: 'record-1' } };
    const first = await pdp.post('/access/v1/search/subject', { ...search, page: { limit: 1 } });
    expect(first.json).toEqual({ results: [{ type: 'user', id: 'alice' }], page: { next_token: expect.any(String), count: 1, total: 2 } });
    const token = first.json.page.next_token as string;
    expect(token).not.toBe('');
    for (const page of [{ token }, { next_token: token }]) {
      const second = await pdp.post('/access/v1/search/subject', { ...search, page: { ...page, limit: 1 } });
      expect(second.json).toEqual({ results: [{ type: 'user', id: 'bob' }], page: { next_token: '', count: 1, total: 2 } });
    }
    // A token belongs to its search: replayed with another, it is refused rather than misread.
    const other = await pdp.post('/access/v1/search/subject', { ...search, action: { name: 'write' }, page: { next_token: token } });
    expect(other.status).toBe(400);
  });
});

describe('Discovery: PDP metadata', () => {
  it('C.6 serves the metadata at the well-known URI, naming the base URL used and every endpoint', async () => {
    const response = await pdp.get('/.well-known/authzen-configuration', { authorization: '' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const base = pdp.server.url;
    expect(response.json).toMatchObject({
      policy_decision_point: base,
      access_evaluation_endpoint: `${base}/access/v1/evaluation`,
      access_evaluations_endpoint: `${base}/access/v1/evaluations`,
      search_subject_endpoint: `${base}/access/v1/search/subject`,
      search_resource_endpoint: `${base}/access/v1/search/resource`,
      search_action_endpoint: `${base}/access/v1/search/action`,
    });
    // Every endpoint it names answers there.
    for (const key of ['access_evaluation_endpoint', 'access_evaluations_endpoint']) {
      // The search endpoints are replayed above; these two take the first Basic request.
      const answer = await fetch(response.json[key], { method: 'POST', headers: { 'content-type': 'application/json', authorization: ROOT_AUTH }, body: JSON.stringify(BASIC[0]!.body) });
      expect(answer.status).toBe(200);
    }
  });
});
