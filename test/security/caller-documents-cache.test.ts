/**
 * Issue 13, item 10: every distinct `resourcePolicy` text passed to `authorize` stayed in the
 * compiled-policy cache (600 × 9.5 kB added 217 MB) and shared it with stored policies. Caches are
 * now bounded by (approximate) bytes, and caller documents have a smaller cache of their own, so
 * they can neither grow memory past its bound nor evict a stored policy's compiled form.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CompiledPolicyCache } from '../../src/authz/compiled-policies.ts';
import type { TestServer } from '../support/server.ts';
import { arn, policy, userWithPolicy } from '../authz/support/directory.ts';
import { dataOf, rootAuth, startAuthzServer } from '../authz/support/server.ts';

/** A distinct, valid resource policy of about `size` characters. */
function largeDocument(i: number, size: number): string {
  const sids = Math.floor(size / 200);
  return policy(
    ...Array.from({ length: sids }, (_, s) => ({
      Sid: `S${i}x${s}`,
      Effect: 'Allow',
      Principal: '*',
      Action: 's3:GetObject',
      Resource: `arn:aws:s3:::bucket-${i}/prefix-${s}/*`,
    })),
  );
}

describe('caller-supplied documents cannot fill memory or evict stored policies', () => {
  it('1000 distinct large caller documents stay under the byte bound and leave stored entries in place', () => {
    const limits = { capacity: 100, storedBytes: 64 * 1024 * 1024, callerCapacity: 50, callerBytes: 4 * 1024 * 1024 };
    const cache = new CompiledPolicyCache(limits);
    const stored = policy({ Sid: 'Stored', Effect: 'Allow', Action: 's3:*', Resource: '*' });
    const version = cache.version('ANPASTORED', 1, 'identity', stored, { id: 'stored' });
    const inline = cache.document('AIDAUSER/inline', 'identity', stored, { id: 'inline' });
    for (let i = 0; i < 1000; i++) cache.callerDocument(`digest-${i}`, 'resource', largeDocument(i, 9_500), { id: 'ResourcePolicy' });
    expect(cache.callerDocuments.bytes).toBeLessThanOrEqual(limits.callerBytes);
    expect(cache.callerDocuments.size).toBeLessThanOrEqual(limits.callerCapacity);
    expect(cache.callerDocuments.stats.evictions).toBeGreaterThan(900);
    // The stored entries are still the same compiled objects: nothing recompiled, nothing evicted.
    expect(cache.versions.peek('ANPASTORED:1:identity')).toBe(version);
    expect(cache.documents.peek('identity:AIDAUSER/inline')?.policy).toBe(inline);
    expect(cache.versions.stats.evictions + cache.documents.stats.evictions).toBe(0);
  });

  describe('over the wire', () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startAuthzServer();
      await userWithPolicy(server, 'reader', { Sid: 'Read', Effect: 'Allow', Action: 's3:GetObject', Resource: '*' });
    });
    afterAll(async () => {
      await server.dispose();
    });

    it('1000 distinct large resourcePolicy texts keep the caller cache under its bound', async () => {
      const BATCH = `mutation ($r: [AuthorizeInput!]!) { authorizeBatch(requests: $r) { __typename ... on Decision { decision } } }`;
      const ask = (resourcePolicy?: string) => ({ principalArn: arn.user('reader'), action: 's3:GetObject', resourceArn: 'arn:aws:s3:::bucket-0/prefix-0/k', ...(resourcePolicy === undefined ? {} : { resourcePolicy }) });
      const first = dataOf(await server.gql<{ authorizeBatch: Array<{ decision?: string }> }>(BATCH, { r: [ask()] }, rootAuth));
      expect(first.authorizeBatch[0]?.decision).toBe('ALLOWED');
      const compiled = server.running.app.authz.compiled;
      const storedKeys = [...compiled.versions.entries()].map(([key]) => key);
      expect(storedKeys.length).toBeGreaterThan(0);
      for (let b = 0; b < 20; b++) {
        const requests = Array.from({ length: 50 }, (_, i) => ask(largeDocument(b * 50 + i, 9_500)));
        const res = dataOf(await server.gql<{ authorizeBatch: Array<{ __typename: string }> }>(BATCH, { r: requests }, rootAuth));
        expect(res.authorizeBatch.every((r) => r.__typename === 'Decision')).toBe(true);
      }
      expect(compiled.callerDocuments.stats.misses).toBeGreaterThanOrEqual(1000);
      expect(compiled.callerDocuments.bytes).toBeLessThanOrEqual(compiled.callerDocuments.maxBytes);
      for (const key of storedKeys) expect(compiled.versions.peek(key)).toBeDefined();
    });
  });
});
