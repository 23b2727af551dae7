/**
 * Recently used roles, as AWS's console keeps them: the last five switched to, newest first, in
 * localStorage per signed-in principal (by ARN), so they survive reloads and sign-ins on this
 * browser and the next user who signs in here never sees another's. No secret is kept: choosing
 * one switches again with the signed-in principal's own credentials.
 */
import { useSyncExternalStore } from 'react';
import { ROLE_COLOURS } from './switch-role-form.ts';
import type { RoleChoice } from './switch-role-form.ts';
import { currentSession } from './session.ts';

/** How many AWS's console remembers. */
export const RECENT_ROLES_LIMIT = 5;

const STORAGE_PREFIX = 'portcullis.recentRoles:';
const listeners = new Set<() => void>();
let cached: { key: string; items: readonly RoleChoice[] } = { key: '', items: [] };

/** The storage key of the signed-in principal's list ('' when signed out). */
function storageKey(): string {
  const arn = currentSession()?.arn;
  return arn === undefined ? '' : STORAGE_PREFIX + arn;
}

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

/** The signed-in principal's list, read again when the principal changed. */
function current(): readonly RoleChoice[] {
  const key = storageKey();
  if (cached.key === key) return cached.items;
  let items: readonly RoleChoice[] = [];
  if (key !== '') {
    try {
      const parsed = JSON.parse(window.localStorage.getItem(key) ?? '[]') as unknown;
      items = Array.isArray(parsed) ? parsed.filter(isChoice).slice(0, RECENT_ROLES_LIMIT) : [];
    } catch {
      items = [];
    }
  }
  cached = { key, items };
  return items;
}

/** The same role (account and name; names are case-insensitive in IAM). */
function sameRole(a: RoleChoice, b: RoleChoice): boolean {
  return a.accountId === b.accountId && a.roleName.toLowerCase() === b.roleName.toLowerCase();
}

/** Puts a role first in the list (replacing its older entry), keeping the newest five. */
export function rememberRole(choice: RoleChoice): void {
  const key = storageKey();
  if (key === '') return;
  const next = [choice, ...current().filter((item) => !sameRole(item, choice))].slice(0, RECENT_ROLES_LIMIT);
  cached = { key, items: next };
  try {
    window.localStorage.setItem(key, JSON.stringify(next));
  } catch {
    // Storage disabled: the list lasts as long as this page.
  }
  for (const listener of listeners) listener();
}

/** The signed-in principal's recent roles, re-rendering on change (also from other tabs). */
export function useRecentRoles(): readonly RoleChoice[] {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      const onStorage = (event: StorageEvent): void => {
        if (event.key !== storageKey()) return;
        cached = { key: '', items: [] };
        listener();
      };
      window.addEventListener('storage', onStorage);
      return () => {
        listeners.delete(listener);
        window.removeEventListener('storage', onStorage);
      };
    },
    current,
  );
}
