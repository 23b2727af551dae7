/**
 * AWS's IAM dashboard security recommendations, worked out from the account summary, the
 * first page of users with their credentials and the last use of their oldest keys (pure: no
 * I/O, testable without a browser).
 */
import type { SecurityRecommendationsQuery } from '../api/generated/graphql.ts';
import type { KeysLastUsed } from '../api/keys-last-used.ts';

/** Access keys older than this many days should be rotated (AWS's recommendation). */
export const KEY_ROTATION_DAYS = 90;
/** Active access keys unused for this many days should be deactivated (AWS's recommendation). */
export const KEY_UNUSED_DAYS = 90;
/** At most this many keys have their last use looked up (one request each). */
export const KEY_LAST_USED_LOOKUPS = 25;
/** The root user's own credentials page (My security credentials). */
const ROOT_CREDENTIALS_PATH = '/security-credentials';

/** One recommendation: what, why, and where to fix it; `done` when nothing needs doing. */
export interface Recommendation {
  readonly id: string;
  readonly title: string;
  readonly detail: string;
  readonly done: boolean;
  readonly fix?: { readonly to: string; readonly label: string };
}

/** One active key of a user, with when it was created. */
interface ActiveKey {
  readonly user: string;
  readonly key: string;
  readonly created: number;
}

function activeKeys(data: SecurityRecommendationsQuery): ActiveKey[] {
  return (data.users?.edges ?? []).flatMap(({ node: user }) =>
    (user.accessKeys ?? []).filter((key) => key.status === 'ACTIVE').map((key) => ({ user: user.userName, key: key.accessKeyId, created: Date.parse(key.createDate) })),
  );
}

/**
 * The keys whose last use decides the "unused" recommendation: active keys created more than
 * KEY_UNUSED_DAYS ago (a younger key cannot have gone unused that long), the first
 * KEY_LAST_USED_LOOKUPS of them.
 */
export function keysToCheckForUse(data: SecurityRecommendationsQuery, now: number): string[] {
  const cutoff = now - KEY_UNUSED_DAYS * 86_400_000;
  return activeKeys(data)
    .filter((k) => k.created < cutoff)
    .slice(0, KEY_LAST_USED_LOOKUPS)
    .map((k) => k.key);
}

/**
 * Works the recommendations out of the account summary and the users' credentials; `lastUsed`
 * (from `keysToCheckForUse`) adds the unused-keys one once it is known.
 */
export function recommendationsFor(data: SecurityRecommendationsQuery, now: number, lastUsed?: KeysLastUsed): Recommendation[] {
  const counts = new Map(data.accountSummary?.summaryMap.map((entry) => [entry.key, entry.value]));
  const users = data.users?.edges.map((edge) => edge.node) ?? [];
  const more = data.users?.pageInfo.hasNextPage === true ? ` (of the first ${users.length} users)` : '';
  const list: Recommendation[] = [];
  if (counts.has('ACCOUNT_MFA_ENABLED')) {
    const enabled = counts.get('ACCOUNT_MFA_ENABLED') === 1;
    list.push({
      id: 'root-mfa',
      title: 'Add MFA for the root user',
      detail: enabled ? 'The root user has an MFA device.' : 'The root user can do anything in the account: protect its sign-in with an MFA device.',
      done: enabled,
      fix: { to: ROOT_CREDENTIALS_PATH, label: 'Manage root MFA' },
    });
  }
  if (counts.has('ACCOUNT_ACCESS_KEYS_PRESENT')) {
    const present = counts.get('ACCOUNT_ACCESS_KEYS_PRESENT') === 1;
    list.push({
      id: 'root-keys',
      title: 'Remove the root user’s access keys',
      detail: present ? 'The root user has access keys: use an IAM user or role for programmatic access instead.' : 'The root user has no access keys.',
      done: !present,
      fix: { to: ROOT_CREDENTIALS_PATH, label: 'Manage root access keys' },
    });
  }
  if (data.users != null) {
    const withoutMfa = users.filter((user) => user.loginProfile != null && (user.mfaDevices ?? []).length === 0);
    list.push({
      id: 'user-mfa',
      title: 'Add MFA for users who sign in',
      detail:
        withoutMfa.length === 0
          ? `Every user with a console password has an MFA device${more}.`
          : `${withoutMfa.length} ${withoutMfa.length === 1 ? 'user signs' : 'users sign'} in without MFA${more}: ${names(withoutMfa.map((u) => u.userName))}.`,
      done: withoutMfa.length === 0,
      ...(withoutMfa[0] === undefined ? {} : { fix: { to: `/users/${encodeURIComponent(withoutMfa[0].userName)}`, label: `Add MFA for ${withoutMfa[0].userName}` } }),
    });
    const cutoff = now - KEY_ROTATION_DAYS * 86_400_000;
    const stale = users.flatMap((user) =>
      (user.accessKeys ?? []).filter((key) => key.status === 'ACTIVE' && Date.parse(key.createDate) < cutoff).map((key) => ({ user: user.userName, key: key.accessKeyId })),
    );
    list.push({
      id: 'key-rotation',
      title: `Rotate access keys older than ${KEY_ROTATION_DAYS} days`,
      detail:
        stale.length === 0
          ? `No active access key is older than ${KEY_ROTATION_DAYS} days${more}.`
          : `${stale.length} active ${stale.length === 1 ? 'key is' : 'keys are'} older than ${KEY_ROTATION_DAYS} days${more}: ${names(stale.map((s) => `${s.key} (${s.user})`))}.`,
      done: stale.length === 0,
      ...(stale[0] === undefined ? {} : { fix: { to: `/users/${encodeURIComponent(stale[0].user)}`, label: `Rotate ${stale[0].user}’s key` } }),
    });
    if (lastUsed !== undefined) list.push(unusedKeys(data, now, lastUsed, more));
  }
  return list;
}

/** Active keys not used (or, never used, created) within KEY_UNUSED_DAYS, as AWS's dashboard flags them. */
function unusedKeys(data: SecurityRecommendationsQuery, now: number, lastUsed: KeysLastUsed, more: string): Recommendation {
  const checked = keysToCheckForUse(data, now);
  const cutoff = now - KEY_UNUSED_DAYS * 86_400_000;
  const byId = new Map(activeKeys(data).map((k) => [k.key, k]));
  const unused = checked.flatMap((id) => {
    const key = byId.get(id);
    if (key === undefined || !lastUsed.has(id)) return [];
    const used = lastUsed.get(id);
    return (used == null ? key.created : Date.parse(used)) < cutoff ? [key] : [];
  });
  const unread = checked.filter((id) => !lastUsed.has(id)).length;
  const old = activeKeys(data).filter((k) => k.created < cutoff).length;
  const capped = old > checked.length ? ` (the first ${checked.length} of ${old} keys older than ${KEY_UNUSED_DAYS} days checked)` : '';
  const partial = `${more}${capped}${unread === 0 ? '' : ` (the last use of ${unread} ${unread === 1 ? 'key' : 'keys'} could not be read)`}`;
  return {
    id: 'key-unused',
    title: `Deactivate access keys unused for ${KEY_UNUSED_DAYS} days`,
    detail:
      unused.length === 0
        ? `No active access key has gone unused for ${KEY_UNUSED_DAYS} days${partial}.`
        : `${unused.length} active ${unused.length === 1 ? 'key has' : 'keys have'} not been used for ${KEY_UNUSED_DAYS} days${partial}: ${names(unused.map((k) => `${k.key} (${k.user})`))}.`,
    done: unused.length === 0,
    ...(unused[0] === undefined ? {} : { fix: { to: `/users/${encodeURIComponent(unused[0].user)}`, label: `Review ${unused[0].user}’s unused key` } }),
  };
}

/** Up to five names, then how many more. */
function names(all: readonly string[]): string {
  const shown = all.slice(0, 5).join(', ');
  return all.length > 5 ? `${shown} and ${all.length - 5} more` : shown;
}

