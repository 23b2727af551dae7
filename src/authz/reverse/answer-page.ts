/**
 * Pages of a reverse answer for the wires (GraphQL connections, AuthZEN search pages). An answer
 * is sorted by a unique key (principal ARN, resource ARN, action name), so a cursor is the opaque
 * form of the last key seen and the next page is everything after it: stable while the answer
 * changes between pages (a principal added or removed moves no other one).
 */
import { decodeCursor, encodeCursor, pageSize, type Page, type PageRequest } from '../../iam/pagination.ts';

/**
 * The page of `items` (sorted ascending by `keyOf`, keys unique) that `request` asks for. A
 * cursor that was not made here is a ValidationError on `<field>after`; `first` must be 1-1000.
 */
export function answerPage<T>(items: readonly T[], keyOf: (item: T) => string, request: PageRequest, field = ''): Page<T> {
  const size = pageSize(request.first, `${field}first`);
  const after = decodeCursor(request.after, 1, `${field}after`)?.[0];
  const start = after === undefined ? 0 : firstAfter(items, keyOf, after);
  const pageItems = items.slice(start, start + size);
  return { items: pageItems, cursors: pageItems.map((item) => encodeCursor([keyOf(item)])), hasNextPage: start + size < items.length };
}

/** Index of the first item whose key sorts after `key` (binary search). */
function firstAfter<T>(items: readonly T[], keyOf: (item: T) => string, key: string): number {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (keyOf(items[mid]!) <= key) low = mid + 1;
    else high = mid;
  }
  return low;
}
