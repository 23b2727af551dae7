/**
 * The watch list: authorization questions the user wants to see answered live, kept in
 * localStorage per signed-in principal (by ARN), so they survive reloads and sign-ins on this
 * browser and the next user who signs in here never sees, or subscribes to, another's list.
 * A switched role has its own list per signed-in principal.
 */
import type { Question } from './decisions.ts';
import { activeRole } from './role-session.ts';
import { currentSession } from './session.ts';
import { principalList } from './principal-list.ts';

const STORAGE_PREFIX = 'portcullis.watchList:';
// The list used to be one per browser, shared by whoever signed in: drop it.
try {
  window.localStorage.removeItem('portcullis.watchList');
} catch {
  // Storage disabled: there is nothing to drop.
}

/**
 * The signed-in principal's list; while working through a switched role, a list of its own (the
 * questions are asked, and answered, in the role's account).
 */
const watchList = principalList(() => {
  const arn = currentSession()?.arn;
  if (arn === undefined) return undefined;
  const role = activeRole()?.role;
  return STORAGE_PREFIX + arn + (role === undefined ? '' : ` as arn:aws:iam::${role.accountId}:role/${role.roleName}`);
}, (q): q is Question => typeof (q as Question | null)?.action === 'string' && typeof (q as Question | null)?.resourceArn === 'string');

/** A stable identity for a question, so the same one is not watched twice. */
export function questionKey(question: Question): string {
  return JSON.stringify([question.principalArn ?? '', question.action, question.resourceArn, question.contextEntries ?? []]);
}

/** Adds a question unless it is already watched. */
export function watch(question: Question): void {
  const items = watchList.current();
  if (items.some((q) => questionKey(q) === questionKey(question))) return;
  watchList.write([...items, question]);
}

/** Stops watching a question. */
export function unwatch(question: Question): void {
  watchList.write(watchList.current().filter((q) => questionKey(q) !== questionKey(question)));
}

/** The watched questions, re-rendering on change (also from other tabs). */
export function useWatchList(): readonly Question[] {
  return watchList.use();
}
