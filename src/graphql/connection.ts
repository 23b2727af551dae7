/**
 * Relay connections over the keyset pages of src/iam/pagination.ts. Lists take only `first` and
 * `after` (AWS's MaxItems and Marker): keyset pages go forward, so `last`/`before` are not offered.
 */
import type { Page } from '../iam/pagination.ts';
import { builder } from './builder.ts';

/** The `first`/`after` arguments every directory connection field takes. */
export const pageArgs = builder.args((t) => ({
  first: t.int({ defaultValue: 100, description: 'How many items to return: 1-1000.' }),
  after: t.string({ description: "Return items after this cursor (an edge's `cursor` or `pageInfo.endCursor`)." }),
}));

/** The `first`/`after`/`pathPrefix` arguments of the top-level principal lists. */
export const listArgs = builder.args((t) => ({
  ...pageArgs,
  pathPrefix: t.string({
    defaultValue: '/',
    description: 'Only entities whose path starts with this prefix, e.g. `/division_abc/`; `/` lists all.',
  }),
}));

/** The Relay connection shape of one page: edges with cursors and forward page info. */
export interface PageConnection<T> {
  readonly edges: Array<{ cursor: string; node: T }>;
  readonly pageInfo: {
    hasNextPage: boolean;
    hasPreviousPage: boolean;
    startCursor: string | null;
    endCursor: string | null;
  };
}

/**
 * A keyset page as a Relay connection. `hasPreviousPage` is false: forward pagination need not
 * compute it (Relay spec) and doing so would cost a query.
 */
export function pageConnection<T>(page: Page<T>): PageConnection<T> {
  return {
    edges: page.items.map((node, i) => ({ cursor: page.cursors[i] ?? '', node })),
    pageInfo: {
      hasNextPage: page.hasNextPage,
      hasPreviousPage: false,
      startCursor: page.cursors[0] ?? null,
      endCursor: page.cursors[page.cursors.length - 1] ?? null,
    },
  };
}
