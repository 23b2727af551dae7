/**
 * The overview's security recommendations (AWS's IAM dashboard list), from the account summary and
 * the users' credentials: each is open exactly when there is something to fix, and links to it.
 */
import { describe, expect, it } from 'vitest';
import type { SecurityRecommendationsQuery } from '../../src/web/api/generated/graphql.ts';
import { keysToCheckForUse, KEY_LAST_USED_LOOKUPS, recommendationsFor } from '../../src/web/components/recommendations.ts';

const NOW = Date.parse('2026-12-06T12:00:00Z');
const DAY = 86_400_000;

type UserNode = NonNullable<SecurityRecommendationsQuery['users']>['edges'][number]['node'];

function account(summary: Record<string, number>, users: UserNode[], hasNextPage = false): SecurityRecommendationsQuery {
  return {
    accountSummary: { summaryMap: Object.entries(summary).map(([key, value]) => ({ key, value })) },
    users: { pageInfo: { hasNextPage }, edges: users.map((node) => ({ node })) },
  } as SecurityRecommendationsQuery;
}

function user(userName: string, options: { password?: boolean; mfa?: boolean; keyAgeDays?: number[]; inactive?: boolean } = {}): UserNode {
  return {
    userName,
    loginProfile: options.password === true ? { createDate: new Date(NOW).toISOString() } : null,
    mfaDevices: options.mfa === true ? [{ serialNumber: `arn:aws:iam::111122223333:mfa/${userName}` }] : [],
    accessKeys: (options.keyAgeDays ?? []).map((age, i) => ({
      accessKeyId: `AKIA${userName.toUpperCase()}${i}`,
      status: options.inactive === true ? 'INACTIVE' : 'ACTIVE',
      createDate: new Date(NOW - age * DAY).toISOString(),
    })),
  } as UserNode;
}

const byId = (list: ReturnType<typeof recommendationsFor>) => Object.fromEntries(list.map((r) => [r.id, r]));

describe('security recommendations', () => {
  it('asks for root MFA and removing root keys, linking to the credentials page', () => {
    const r = byId(recommendationsFor(account({ ACCOUNT_MFA_ENABLED: 0, ACCOUNT_ACCESS_KEYS_PRESENT: 1 }, []), NOW));
    expect(r['root-mfa']).toMatchObject({ done: false, fix: { to: '/security-credentials' } });
    expect(r['root-keys']).toMatchObject({ done: false, fix: { to: '/security-credentials' } });
    const fixed = byId(recommendationsFor(account({ ACCOUNT_MFA_ENABLED: 1, ACCOUNT_ACCESS_KEYS_PRESENT: 0 }, []), NOW));
    expect(fixed['root-mfa']!.done).toBe(true);
    expect(fixed['root-keys']!.done).toBe(true);
  });

  it('names users who sign in without MFA (not users without a password), linking to the first', () => {
    const r = byId(recommendationsFor(account({}, [user('alice', { password: true }), user('bob', { password: true, mfa: true }), user('svc')]), NOW));
    expect(r['user-mfa']).toMatchObject({ done: false, fix: { to: '/users/alice' } });
    expect(r['user-mfa']!.detail).toContain('1 user signs in without MFA');
    expect(r['user-mfa']!.detail).not.toContain('svc');
  });

  it('asks to rotate active keys older than 90 days only', () => {
    const r = byId(recommendationsFor(account({}, [user('old', { keyAgeDays: [91] }), user('new', { keyAgeDays: [89] }), user('off', { keyAgeDays: [400], inactive: true })]), NOW));
    expect(r['key-rotation']).toMatchObject({ done: false, fix: { to: '/users/old' } });
    expect(r['key-rotation']!.detail).toMatch(/^1 active key is older than 90 days: AKIAOLD0 \(old\)\.$/);
    const none = byId(recommendationsFor(account({}, [user('new', { keyAgeDays: [89] })]), NOW));
    expect(none['key-rotation']!.done).toBe(true);
  });

  it('asks to deactivate active keys unused for 90 days, looking up only keys old enough', () => {
    const data = account({}, [user('idle', { keyAgeDays: [200] }), user('busy', { keyAgeDays: [200] }), user('fresh', { keyAgeDays: [10] }), user('off', { keyAgeDays: [400], inactive: true })]);
    expect(keysToCheckForUse(data, NOW)).toEqual(['AKIAIDLE0', 'AKIABUSY0']);
    // Not shown until the last uses are known.
    expect(byId(recommendationsFor(data, NOW))['key-unused']).toBeUndefined();
    const lastUsed = new Map([
      ['AKIAIDLE0', new Date(NOW - 91 * DAY).toISOString()],
      ['AKIABUSY0', new Date(NOW - 89 * DAY).toISOString()],
    ]);
    const r = byId(recommendationsFor(data, NOW, lastUsed));
    expect(r['key-unused']).toMatchObject({ done: false, fix: { to: '/users/idle' } });
    expect(r['key-unused']!.detail).toBe('1 active key has not been used for 90 days: AKIAIDLE0 (idle).');
    // Never used counts from creation.
    const never = byId(recommendationsFor(data, NOW, new Map([['AKIAIDLE0', null], ['AKIABUSY0', new Date(NOW).toISOString()]])));
    expect(never['key-unused']!.detail).toContain('AKIAIDLE0 (idle)');
    const allUsed = byId(recommendationsFor(data, NOW, new Map([['AKIAIDLE0', new Date(NOW).toISOString()], ['AKIABUSY0', new Date(NOW).toISOString()]])));
    expect(allUsed['key-unused']!.done).toBe(true);
  });

  it('says which keys could not be checked and caps the look-ups', () => {
    const data = account({}, [user('idle', { keyAgeDays: [200] }), user('hidden', { keyAgeDays: [200] })]);
    const r = byId(recommendationsFor(data, NOW, new Map([['AKIAIDLE0', new Date(NOW).toISOString()]])));
    expect(r['key-unused']).toMatchObject({ done: true });
    expect(r['key-unused']!.detail).toContain('the last use of 1 key could not be read');
    const many = account({}, Array.from({ length: KEY_LAST_USED_LOOKUPS + 3 }, (_, i) => user(`u${i}`, { keyAgeDays: [200] })));
    expect(keysToCheckForUse(many, NOW)).toHaveLength(KEY_LAST_USED_LOOKUPS);
    const capped = byId(recommendationsFor(many, NOW, new Map()));
    expect(capped['key-unused']!.detail).toContain(`the first ${KEY_LAST_USED_LOOKUPS} of ${KEY_LAST_USED_LOOKUPS + 3} keys older than 90 days checked`);
  });

  it('says when only the first page of users was examined', () => {
    const r = byId(recommendationsFor(account({}, [user('a', { password: true })], true), NOW));
    expect(r['user-mfa']!.detail).toContain('(of the first 1 users)');
  });
});
