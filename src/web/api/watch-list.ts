/**
 * The watch list: authorization questions the user wants to see answered live, kept in
 * localStorage so they survive reloads and sign-ins on this browser.
 */
import { useSyncExternalStore } from 'react';
import type { Question } from './decisions.ts';

const STORAGE_KEY = 'portcullis.watchList';
const listeners = new Set<() => void>();
let items: readonly Question[] = read();

/** Reads the stored list, ignoring anything malformed. */
function read(): readonly Question[] {
  try {
    const parsed = JSON.parse(window.localStorage.getItem(STORAGE_KEY) ?? '[]') as unknown;
    return Array.isArray(parsed) ? parsed.filter((q): q is Question => typeof q?.action === 'string' && typeof q?.resourceArn === 'string') : [];
  } catch {
    return [];
  }
}

/** Stores and announces a new list. */
function write(next: readonly Question[]): void {
  items = next;
  window.localStorage.setItem(STORAGE_KEY, JSON.stringify(next));
  for (const listener of listeners) listener();
}

/** A stable identity for a question, so the same one is not watched twice. */
export function questionKey(question: Question): string {
  return JSON.stringify([question.principalArn ?? '', question.action, question.resourceArn, question.contextEntries ?? []]);
}

/** Adds a question unless it is already watched. */
export function watch(question: Question): void {
  if (items.some((q) => questionKey(q) === questionKey(question))) return;
  write([...items, question]);
}

/** Stops watching a question. */
export function unwatch(question: Question): void {
  write(items.filter((q) => questionKey(q) !== questionKey(question)));
}

/** The watched questions, re-rendering on change (also from other tabs). */
export function useWatchList(): readonly Question[] {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      const onStorage = (event: StorageEvent): void => {
        if (event.key !== STORAGE_KEY) return;
        items = read();
        listener();
      };
      window.addEventListener('storage', onStorage);
      return () => {
        listeners.delete(listener);
        window.removeEventListener('storage', onStorage);
      };
    },
    () => items,
  );
}
