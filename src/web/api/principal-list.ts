/**
 * A list kept in localStorage per signed-in principal: the watch list and the recent roles. Each
 * is stored under its own prefix and the key the caller derives from who is signed in (and, for
 * the watch list, the role worked through), so the next user who signs in on this browser never
 * sees another's list. Stored values are not trusted: each item is checked on the way in. React
 * components read a list through `use()`, which re-renders on change, also from other tabs.
 */
import { useSyncExternalStore } from 'react';

/** One stored list; see `principalList`. */
export interface PrincipalList<T> {
  /** The signed-in principal's items (empty when signed out). */
  current(): readonly T[];
  /** Stores and announces a new list for the signed-in principal (nothing when signed out). */
  write(next: readonly T[]): void;
  /** The items, re-rendering on change. */
  use(): readonly T[];
}

/**
 * A list whose storage key is `keyOf()` (undefined when nobody is signed in); `isItem` keeps the
 * well-formed stored items and `limit` the first few.
 */
export function principalList<T>(keyOf: () => string | undefined, isItem: (value: unknown) => value is T, limit = Infinity): PrincipalList<T> {
  const listeners = new Set<() => void>();
  /** The list as last read, and the storage key it was read from ('' when signed out). */
  let cached: { key: string; items: readonly T[] } = { key: '', items: [] };

  const read = (key: string): readonly T[] => {
    if (key === '') return [];
    try {
      const parsed = JSON.parse(window.localStorage.getItem(key) ?? '[]') as unknown;
      return Array.isArray(parsed) ? parsed.filter(isItem).slice(0, limit) : [];
    } catch {
      return [];
    }
  };
  const current = (): readonly T[] => {
    const key = keyOf() ?? '';
    if (cached.key !== key) cached = { key, items: read(key) };
    return cached.items;
  };
  const write = (next: readonly T[]): void => {
    const key = keyOf() ?? '';
    if (key === '') return;
    cached = { key, items: next };
    try {
      window.localStorage.setItem(key, JSON.stringify(next));
    } catch {
      // Storage disabled: the list lasts as long as this page.
    }
    for (const listener of listeners) listener();
  };
  const subscribe = (listener: () => void) => {
    listeners.add(listener);
    const onStorage = (event: StorageEvent): void => {
      if (event.key !== keyOf()) return;
      cached = { key: '', items: [] };
      listener();
    };
    window.addEventListener('storage', onStorage);
    return () => {
      listeners.delete(listener);
      window.removeEventListener('storage', onStorage);
    };
  };
  return { current, write, use: () => useSyncExternalStore(subscribe, current) };
}
