/**
 * The overview's security recommendations (AWS's IAM dashboard list), from the account summary and
 * the users' credentials: each is open exactly when there is something to fix, and links to it.
 */
import { describe, expect, it } from 'vitest';
import type { SecurityRecommendationsQuery } from '../../src/web/api/generated/graphql.ts';
import { recommendationsFor } from '../../src/web/components/recommendations.ts';

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

  it('says when only the first page of users was examined', () => {
    const r = byId(recommendationsFor(account({}, [user('a', { password: true })], true), NOW));
    expect(r['user-mfa']!.detail).toContain('(of the first 1 users)');
  });
});
