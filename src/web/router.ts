/**
 * A small history-API router: the location is an external store (useSyncExternalStore), links
 * push entries, and pages read their parameters from the path. The server answers every page
 * path with index.html (src/server/static.ts), so deep links and reloads work.
 */
import { useSyncExternalStore } from 'react';
import type { MouseEvent } from 'react';

const listeners = new Set<() => void>();
const notify = (): void => {
  for (const listener of listeners) listener();
};
window.addEventListener('popstate', notify);

/** The current path plus query, e.g. `/users/alice?tab=groups`. */
export function currentPath(): string {
  return window.location.pathname + window.location.search;
}

/**
 * Goes to `to` (a path inside the dashboard); `replace` rewrites the current history entry, and
 * `keepScroll` stays where the page is scrolled (a tab or filter of the same page).
 */
export function navigate(to: string, options: { replace?: boolean; keepScroll?: boolean } = {}): void {
  if (to === currentPath()) return;
  if (options.replace === true) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  if (options.keepScroll !== true) window.scrollTo(0, 0);
  notify();
}

/** The current location, re-rendering on navigation. */
export function useLocation(): { pathname: string; search: URLSearchParams; path: string } {
  const path = useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    currentPath,
  );
  const url = new URL(path, window.location.origin);
  return { pathname: url.pathname, search: url.searchParams, path };
}

/** Matches `pattern` (segments like `:name`) against a path; decoded parameters or undefined. */
export function matchPath(pattern: string, pathname: string): Record<string, string> | undefined {
  const want = pattern.split('/').filter(Boolean);
  const have = pathname.split('/').filter(Boolean);
  if (want.length !== have.length) return undefined;
  const params: Record<string, string> = {};
  for (const [i, segment] of want.entries()) {
    const actual = have[i]!;
    if (segment.startsWith(':')) {
      try {
        params[segment.slice(1)] = decodeURIComponent(actual);
      } catch {
        return undefined;
      }
    } else if (segment !== actual) return undefined;
  }
  return params;
}

/** Click handler for in-app anchors: plain clicks navigate without a reload; modified clicks open normally. */
export function followLink(event: MouseEvent<HTMLAnchorElement>): void {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  navigate(event.currentTarget.getAttribute('href') ?? '/');
}
