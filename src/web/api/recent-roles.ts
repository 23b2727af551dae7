/**
 * Recently used roles, as AWS's console keeps them: the last five switched to, newest first, in
 * localStorage per signed-in principal (by ARN), so they survive reloads and sign-ins on this
 * browser and the next user who signs in here never sees another's. No secret is kept: choosing
 * one switches again with the signed-in principal's own credentials.
 */
import { ROLE_COLOURS } from './switch-role-form.ts';
import type { RoleChoice } from './switch-role-form.ts';
import { currentSession } from './session.ts';
import { principalList } from './principal-list.ts';

/** How many AWS's console remembers. */
export const RECENT_ROLES_LIMIT = 5;

const STORAGE_PREFIX = 'portcullis.recentRoles:';

/** Whether a stored value is a well-formed choice (storage is not trusted). */
function isChoice(value: unknown): value is RoleChoice {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.accountId === 'string' &&
    typeof v.roleName === 'string' &&
    typeof v.displayName === 'string' &&
    ROLE_COLOURS.includes(v.colour as (typeof ROLE_COLOURS)[number])
  );
}

/** Kept per signed-in principal (by ARN). */
const recentRoles = principalList(() => {
  const arn = currentSession()?.arn;
  return arn === undefined ? undefined : STORAGE_PREFIX + arn;
}, isChoice, RECENT_ROLES_LIMIT);

/** The same role (account and name; names are case-insensitive in IAM). */
function sameRole(a: RoleChoice, b: RoleChoice): boolean {
  return a.accountId === b.accountId && a.roleName.toLowerCase() === b.roleName.toLowerCase();
}

/** Puts a role first in the list (replacing its older entry), keeping the newest five. */
export function rememberRole(choice: RoleChoice): void {
  recentRoles.write([choice, ...recentRoles.current().filter((item) => !sameRole(item, choice))].slice(0, RECENT_ROLES_LIMIT));
}

/** The signed-in principal's recent roles, re-rendering on change (also from other tabs). */
export function useRecentRoles(): readonly RoleChoice[] {
  return recentRoles.use();
}
