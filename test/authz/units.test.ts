/** Small pure pieces of the authorizer: the LRU, typed context entries, principal ARNs. */
import { describe, expect, it } from 'vitest';
import { toRequestContext } from '../../src/authz/context-entries.ts';
import { LruCache } from '../../src/authz/lru.ts';
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
  ])('parses %s as %s', (arn, kind) => {
    expect(parsePrincipalArn(arn)?.kind).toBe(kind);
  });

  it.each(['arn:aws:iam::111122223333:group/admins', 'arn:aws:iam::12345:user/x', '*', 'arn:aws:s3:::bucket'])('names no principal: %s', (arn) => {
    expect(parsePrincipalArn(arn)).toBeUndefined();
  });

  it('finds the account of any ARN with a 12-digit account field', () => {
    expect(accountOfArn('arn:aws:ec2:us-east-1:444455556666:instance/i-1')).toBe('444455556666');
    expect(accountOfArn('arn:aws:s3:::bucket/key')).toBeUndefined();
    expect(accountOfArn('arn:aws:iam::aws:policy/ReadOnlyAccess')).toBeUndefined();
    expect(accountOfArn('*')).toBeUndefined();
  });
});
