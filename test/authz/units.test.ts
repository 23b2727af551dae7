/** Small pure pieces of the authorizer: the LRU, the compiled versions it names as known, typed context entries, principal ARNs. */
import { describe, expect, it } from 'vitest';
import { toRequestContext } from '../../src/authz/context-entries.ts';
import fc from 'fast-check';
import { LruCache } from '../../src/authz/lru.ts';
import { CompiledPolicyCache, KNOWN_VERSIONS_NAMED, VersionTextNotLoaded } from '../../src/authz/compiled-policies.ts';
import { accountOfArn, parsePrincipalArn } from '../../src/authz/principal-ref.ts';

describe('LruCache', () => {
  it('evicts the least recently used entry and counts hits, misses and evictions', () => {
    const cache = new LruCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1); // a is now the youngest
    cache.set('c', 3); // evicts b
    expect(cache.get('b')).toBeUndefined();
    expect(cache.peek('zzz')).toBeUndefined(); // peek does not count a miss
    expect([...cache.entries()].map(([k]) => k)).toEqual(['a', 'c']);
    expect(cache.stats).toMatchObject({ hits: 1, misses: 1, evictions: 1 });
    cache.invalidateWhere((value) => value > 2);
    expect(cache.size).toBe(1);
    expect(cache.stats.invalidations).toBe(1);
  });

  it('refuses a capacity below one', () => {
    expect(() => new LruCache(0)).toThrow(RangeError);
  });

  it('changes its generation when what it holds changes, not on a hit', () => {
    const cache = new LruCache<string, number>(2);
    const seen = [cache.generation];
    cache.set('a', 1);
    seen.push(cache.generation);
    cache.get('a');
    cache.peek('a');
    expect(cache.generation).toBe(seen.at(-1));
    cache.set('b', 2);
    seen.push(cache.generation);
    cache.set('c', 3); // evicts a
    seen.push(cache.generation);
    cache.invalidate('b');
    seen.push(cache.generation);
    cache.invalidate('zzz'); // held nothing: no change
    expect(cache.generation).toBe(seen.at(-1));
    expect(new Set(seen).size).toBe(seen.length);
  });
});

describe('CompiledPolicyCache.knownVersions', () => {
  const text = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] });
  const meta = (id: string) => ({ id, name: id });

  it('names each version held once, whatever its kinds, and only the most recent beyond the cap', () => {
    const cache = new CompiledPolicyCache();
    expect(cache.knownVersions()).toEqual([]);
    cache.version('P1', 1, 'identity', text, meta('P1'));
    cache.version('P1', 1, 'boundary', text, meta('P1'));
    cache.version('P2', 3, 'identity', text, meta('P2'));
    const known = cache.knownVersions();
    expect(known).toEqual(['P1:1', 'P2:3']);
    // Unchanged cache, same answer (not rebuilt).
    expect(cache.knownVersions()).toBe(known);
    for (let i = 0; i < KNOWN_VERSIONS_NAMED; i++) cache.version(`Q${i}`, 1, 'identity', text, meta(`Q${i}`));
    const capped = cache.knownVersions();
    expect(capped).toHaveLength(KNOWN_VERSIONS_NAMED);
    expect(capped.at(-1)).toBe(`Q${KNOWN_VERSIONS_NAMED - 1}:1`);
    expect(capped).not.toContain('P1:1');
  });

  it('asks for the text of a version sent without it that it does not hold in the kind needed', () => {
    const cache = new CompiledPolicyCache();
    const compiled = cache.version('P1', 1, 'identity', text, meta('P1'));
    expect(cache.version('P1', 1, 'identity', null, meta('P1'))).toBe(compiled);
    expect(() => cache.version('P1', 1, 'boundary', null, meta('P1'))).toThrow(VersionTextNotLoaded);
  });
});

describe('toRequestContext', () => {
  it('converts each AWS context type, single and list', () => {
    const context = toRequestContext(
      [
        { contextKeyName: 'aws:SourceIp', contextKeyValues: ['10.0.0.1'], contextKeyType: 'IP' },
        { contextKeyName: 's3:prefix', contextKeyValues: ['a/', 'b/'], contextKeyType: 'STRING_LIST' },
        { contextKeyName: 's3:max-keys', contextKeyValues: ['10'], contextKeyType: 'NUMERIC' },
        { contextKeyName: 'aws:MultiFactorAuthPresent', contextKeyValues: ['TRUE'], contextKeyType: 'BOOLEAN' },
        { contextKeyName: 'aws:CurrentTime', contextKeyValues: ['2026-01-01T00:00:00Z'], contextKeyType: 'DATE' },
        { contextKeyName: 'app:blob', contextKeyValues: ['aGVsbG8='], contextKeyType: 'BINARY' },
      ],
      'input.contextEntries',
    );
    expect(context['s3:prefix']).toEqual({ type: 'string', multi: true, values: ['a/', 'b/'] });
    expect(context['aws:SourceIp']).toEqual({ type: 'ip', multi: false, values: ['10.0.0.1'] });
    expect(context['app:blob']).toMatchObject({ type: 'binary' });
  });

  it.each([
    [{ contextKeyName: 'aws:SourceIp', contextKeyValues: ['999.1.1.1'], contextKeyType: 'IP' as const }, 'x[0].contextKeyValues[0]', 'format'],
    [{ contextKeyName: 'n:count', contextKeyValues: ['ten'], contextKeyType: 'NUMERIC' as const }, 'x[0].contextKeyValues[0]', 'format'],
    [{ contextKeyName: 'b:flag', contextKeyValues: ['yes'], contextKeyType: 'BOOLEAN' as const }, 'x[0].contextKeyValues[0]', 'format'],
    [{ contextKeyName: 'd:when', contextKeyValues: ['tomorrow'], contextKeyType: 'DATE' as const }, 'x[0].contextKeyValues[0]', 'format'],
    [{ contextKeyName: 'aws:username', contextKeyValues: ['a', 'b'], contextKeyType: 'STRING' as const }, 'x[0].contextKeyValues', 'single-value'],
    [{ contextKeyName: 'bad key!', contextKeyValues: ['a'], contextKeyType: 'STRING' as const }, 'x[0].contextKeyName', 'pattern'],
  ])('refuses %o naming the field and the rule', (entry, field, rule) => {
    expect(() => toRequestContext([entry], 'x')).toThrow(expect.objectContaining({ code: 'ValidationError', field, rule }));
  });

  it('refuses a key given twice in any case', () => {
    const entry = { contextKeyName: 'aws:SourceIp', contextKeyValues: ['10.0.0.1'], contextKeyType: 'IP' as const };
    expect(() => toRequestContext([entry, { ...entry, contextKeyName: 'AWS:SOURCEIP' }], 'x')).toThrow(
      expect.objectContaining({ field: 'x[1].contextKeyName', rule: 'unique' }),
    );
  });
});

describe('principal ARNs', () => {
  it.each([
    ['arn:aws:iam::111122223333:root', 'root'],
    ['arn:aws:iam::111122223333:user/division/alice', 'user'],
    ['arn:aws:iam::111122223333:role/Deploy', 'role'],
    ['arn:aws:sts::111122223333:assumed-role/Deploy/release-1', 'assumed-role'],
    ['arn:aws:sts::111122223333:federated-user/alice@example.com', 'federated-user'],
  ])('parses %s as %s', (arn, kind) => {
    expect(parsePrincipalArn(arn)?.kind).toBe(kind);
  });

  it.each([
    'arn:aws:iam::111122223333:group/admins',
    'arn:aws:iam::12345:user/x',
    '*',
    'arn:aws:s3:::bucket',
    'arn:aws:iam::111122223333:user/',
    'arn:aws:iam::111122223333:rootx',
    'arn:aws:iam::111122223333:user/a\nb',
    'arn:aws:sts::111122223333:root',
    'arn:aws:sts::111122223333:assumed-role/Deploy',
    'arn:aws:sts::111122223333:assumed-role/Deploy/',
    'arn:aws:sts::111122223333:assumed-role/Deploy/a/b',
    'arn:aws:iam::11112222333x:user/x',
    'arn:aws:sts::111122223333:federated-user/a',
    'arn:aws:sts::111122223333:federated-user/a/b',
    'arn:aws:sts::111122223333:federated-user/has space',
  ])('names no principal: %s', (arn) => {
    expect(parsePrincipalArn(arn)).toBeUndefined();
  });

  it('agrees with the grammar written as regular expressions, on generated ARNs', () => {
    const iam = /^arn:aws:iam::(\d{12}):(root|user\/.+|role\/.+)$/;
    const sts = /^arn:aws:sts::(\d{12}):assumed-role\/([^/]+)\/([^/]+)$/;
    const reference = (arn: string) => {
      const i = iam.exec(arn);
      if (i !== null) return { kind: i[2] === 'root' ? 'root' : i[2]!.slice(0, 4), accountId: i[1] };
      const s = sts.exec(arn);
      return s === null ? undefined : { kind: 'assumed-role', accountId: s[1], roleName: s[2], sessionName: s[3] };
    };
    let accepted = 0;
    // Mostly well-formed heads, so both answers are exercised; the tail is free-form.
    const head = fc.tuple(
      fc.constantFrom('arn:aws:iam::', 'arn:aws:sts::', 'arn:aws:iam::', 'arn:aws:sts::', 'arn:aws:s3::'),
      fc.constantFrom('111122223333', '111122223333', '11112222333', '11112222333x'),
      fc.constantFrom(':', ':', ':', '/'),
      fc.constantFrom('root', 'user/', 'role/', 'assumed-role/', 'assumed-role/Deploy/', ''),
    );
    const piece = fc.constantFrom(':', '/', 'root', 'a', 'Deploy', '\n', '\r', '\u2028', 'x y', '');
    fc.assert(
      fc.property(head, fc.array(piece, { maxLength: 4 }), ([prefix, account, separator, kind], parts) => {
        const arn = prefix + account + separator + kind + parts.join('');
        const parsed = parsePrincipalArn(arn);
        const expected = reference(arn);
        if (expected !== undefined) accepted++;
        expect(parsed === undefined ? undefined : { kind: parsed.kind, accountId: parsed.accountId, ...('roleName' in parsed ? { roleName: parsed.roleName, sessionName: parsed.sessionName } : {}) }).toEqual(expected);
      }),
      { numRuns: 20_000 },
    );
    // The comparison covers both answers: many generated ARNs are principals.
    expect(accepted).toBeGreaterThan(500);
  });

  it('finds the account of any ARN with a 12-digit account field', () => {
    expect(accountOfArn('arn:aws:ec2:us-east-1:444455556666:instance/i-1')).toBe('444455556666');
    expect(accountOfArn('arn:aws:s3:::bucket/key')).toBeUndefined();
    expect(accountOfArn('arn:aws:iam::aws:policy/ReadOnlyAccess')).toBeUndefined();
    expect(accountOfArn('*')).toBeUndefined();
  });
});
