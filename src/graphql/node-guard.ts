/**
 * Relay `node`/`nodes` lookups through the guard. Each Node type's `loadMany` loads what its ids
 * name in the caller's account and authorizes each object with the same check as the field that
 * shows it. A refusal stands in for that object as an Error value, which GraphQL reports at the
 * object's own path (`nodes.2`) as ACCESS_DENIED and nulls only it; the other ids still resolve.
 */
import type { Caller } from '../authz/caller.ts';
import type { GraphQLContext } from './context.ts';

/**
 * Loads `ids` in the caller's account (`load`, batched: one call for them all) and passes each
 * result, null for none, to `authorize`, which checks it and returns the node (or null). Anonymous
 * requests are refused by `require(action)` (UNAUTHENTICATED) before anything is looked up.
 */
export async function loadGuardedNodes<Found, Node>(
  context: GraphQLContext,
  action: string,
  ids: readonly string[],
  load: (caller: Caller) => Promise<readonly (Found | null | Error)[]>,
  authorize: (found: Found | null, caller: Caller, id: string) => Promise<Node | null>,
): Promise<(Node | null)[]> {
  const caller = context.guard.caller ?? (await context.guard.require(action, '*'));
  const found = await load(caller);
  return Promise.all(
    ids.map(async (id, i) => {
      const item = found[i];
      try {
        return await authorize(item === undefined || item instanceof Error ? null : item, caller, id);
      } catch (error) {
        // Typed as a node for Pothos; GraphQL turns an Error value into this path's error.
        if (error instanceof Error) return error as unknown as Node;
        throw error;
      }
    }),
  );
}
