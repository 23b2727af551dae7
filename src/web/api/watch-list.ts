/**
 * The watch list: authorization questions the user wants to see answered live, kept in
 * localStorage per signed-in principal (by ARN), so they survive reloads and sign-ins on this
 * browser and the next user who signs in here never sees, or subscribes to, another's list.
 * A switched role has its own list per signed-in principal.
 */
import { useSyncExternalStore } from 'react';
import type { Question } from './decisions.ts';
import { activeRole } from './role-session.ts';
import { currentSession } from './session.ts';

const STORAGE_PREFIX = 'portcullis.watchList:';
// The list used to be one per browser, shared by whoever signed in: drop it.
try {
  window.localStorage.removeItem('portcullis.watchList');
} catch {
  // Storage disabled: there is nothing to drop.
}
const listeners = new Set<() => void>();
/** The list as last read, and the storage key (the principal's) it was read from. */
let cached: { key: string; items: readonly Question[] } = { key: '', items: [] };

/**
 * The storage key of the signed-in principal's list; while working through a switched role, a
 * list of its own (the questions are asked, and answered, in the role's account).
 */
function storageKey(): string {
  const arn = currentSession()?.arn;
  if (arn === undefined) return STORAGE_PREFIX;
  const role = activeRole()?.role;
  return STORAGE_PREFIX + arn + (role === undefined ? '' : ` as arn:aws:iam::${role.accountId}:role/${role.roleName}`);
}

/** The signed-in principal's list, read again when the principal changed. */
function current(): readonly Question[] {
  const key = storageKey();
  if (cached.key !== key) cached = { key, items: read(key) };
  return cached.items;
}

/** Reads a stored list, ignoring anything malformed. */
function read(key: string): readonly Question[] {
  if (key === STORAGE_PREFIX) return [];
  try {
    const parsed = JSON.parse(window.localStorage.getItem(key) ?? '[]') as unknown;
    return Array.isArray(parsed) ? parsed.filter((q): q is Question => typeof q?.action === 'string' && typeof q?.resourceArn === 'string') : [];
  } catch {
    return [];
  }
}

/** Stores and announces a new list. */
function write(next: readonly Question[]): void {
  const key = storageKey();
  if (key === STORAGE_PREFIX) return;
  cached = { key, items: next };
  window.localStorage.setItem(key, JSON.stringify(next));
  for (const listener of listeners) listener();
}

/** A stable identity for a question, so the same one is not watched twice. */
export function questionKey(question: Question): string {
  return JSON.stringify([question.principalArn ?? '', question.action, question.resourceArn, question.contextEntries ?? []]);
}

/** Adds a question unless it is already watched. */
export function watch(question: Question): void {
  const items = current();
  if (items.some((q) => questionKey(q) === questionKey(question))) return;
  write([...items, question]);
}

/** Stops watching a question. */
export function unwatch(question: Question): void {
  write(current().filter((q) => questionKey(q) !== questionKey(question)));
}

/** The watched questions, re-rendering on change (also from other tabs). */
export function useWatchList(): readonly Question[] {
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
