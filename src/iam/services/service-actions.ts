/**
 * A service's actions a page at a time, by name, optionally only those starting with a prefix:
 * what the policy editor completes `s3:Get…` from. In memory (a service has at most a few thousand
 * actions), sorted once per service, and found by binary search, so a page costs O(log n + page).
 */
import { ValidationError } from '../../errors.ts';
import type { CatalogAction, CatalogService } from '../../policy/validate/catalog.ts';
import { decodeCursor, pageSize, toPage, type Page, type PageRequest } from '../pagination.ts';

/** The actions of each service sorted by lower-case name, built on first use. */
const sortedActions = new WeakMap<CatalogService, { readonly keys: readonly string[]; readonly actions: readonly CatalogAction[] }>();

function sortedOf(service: CatalogService) {
  let sorted = sortedActions.get(service);
  if (sorted === undefined) {
    const entries = [...service.actions.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    sorted = { keys: entries.map(([key]) => key), actions: entries.map(([, action]) => action) };
    sortedActions.set(service, sorted);
  }
  return sorted;
}

/** The first index whose key is >= `key` (or, with `strict`, > `key`). */
function lowerBound(keys: readonly string[], key: string, strict: boolean): number {
  let low = 0;
  let high = keys.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    const k = keys[mid]!;
    if (k < key || (strict && k === key)) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** ListServiceActions parameters. */
export interface ListServiceActionsInput extends PageRequest {
  /** Only actions whose name starts with this, in any case (`Get` for `GetObject`, `GetBucketPolicy`, …). */
  readonly prefix?: string | null;
}

/** One page of `service`'s actions in name order (case-insensitive). */
export function listServiceActions(service: CatalogService, input: ListServiceActionsInput): Page<CatalogAction> {
  const limit = pageSize(input.first);
  const after = decodeCursor(input.after)?.[0];
  const prefix = (input.prefix ?? '').toLowerCase();
  if (prefix.length > 128) throw new ValidationError('prefix', 'length', `prefix must be at most 128 characters long; got ${prefix.length}`);
  const { keys, actions } = sortedOf(service);
  let index = lowerBound(keys, prefix, false);
  if (after !== undefined) index = Math.max(index, lowerBound(keys, after, true));
  const rows: CatalogAction[] = [];
  for (; index < keys.length && rows.length <= limit && keys[index]!.startsWith(prefix); index++) rows.push(actions[index]!);
  return toPage(rows, limit, (action) => [action.name.toLowerCase()]);
}
