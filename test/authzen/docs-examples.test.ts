/**
 * docs/authzen.md is a contract: every example request it shows (a ```json POST <path> block) is
 * sent to a server loaded with the certification fixture, and the answer must be the response
 * block that follows it (```json <status> or ```text <status>), exactly.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPdp, type Pdp } from './support/pdp.ts';

const doc = readFileSync(new URL('../../docs/authzen.md', import.meta.url), 'utf8');

/** The examples of the page: a request block and the response block after it. */
function examples(): Array<{ path: string; body: string; status: number; kind: string; response: string }> {
  const pattern = /```json POST (\S+)\n([\s\S]*?)```\s*```(json|text) (\d{3})\n([\s\S]*?)```/g;
  return [...doc.matchAll(pattern)].map(([, path, body, kind, status, response]) => ({ path: path!, body: body!, kind: kind!, status: Number(status), response: response! }));
}

let pdp: Pdp;
beforeAll(async () => {
  pdp = await startPdp(['authzen-certification']);
}, 120_000);
afterAll(async () => {
  await pdp?.close();
});

describe('docs/authzen.md examples', () => {
  const found = examples();

  it('shows examples (the extraction still finds them)', () => {
    expect(found.length).toBeGreaterThanOrEqual(7);
  });

  it.each(found.map((example) => [`${example.path} ${example.body.replace(/\s+/g, ' ').slice(0, 90)}`, example] as const))('%s', async (_, example) => {
    const answer = await pdp.post(example.path, example.body);
    expect(answer.status, answer.text).toBe(example.status);
    if (example.kind === 'json') expect(answer.json).toEqual(JSON.parse(example.response));
    else expect(answer.text).toBe(example.response.trim());
  });
});
