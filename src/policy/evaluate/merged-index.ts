/**
 * One action index over a list of policies of one layer (a principal's identity policies, say):
 * the candidate statements of every policy for an action, concatenated in policy order, so a
 * request finds them with one lookup instead of one per policy. Per-policy lookups chase a few
 * pointers each; for a principal with a dozen policies, decided once per HTTP request, those
 * cache misses cost more than the statements themselves.
 *
 * Memoised per policy array (a WeakMap): callers that keep their policy sets (the authorizer's
 * cached effective sets) build each list once; a fresh array just builds a fresh, small index.
 */
import type { CompiledPolicy } from '../types.ts';
import { programOf } from '../compile/index.ts';
import { ActionIdMemo, type ActionKey } from '../compile/action-index.ts';
import type { CompiledStatement } from '../compile/statement.ts';

const NONE: readonly CompiledStatement[] = Object.freeze([]);
const indexes = new WeakMap<readonly CompiledPolicy[], MergedIndex>();

/** The candidate statements of `policies` for an interned action, in policy then document order. */
export function candidatesAcross(policies: readonly CompiledPolicy[], key: ActionKey): readonly CompiledStatement[] {
  if (policies.length === 1) return programOf(policies[0]!).index.candidatesFor(key);
  let index = indexes.get(policies);
  if (index === undefined) {
    index = new MergedIndex(policies);
    indexes.set(policies, index);
  }
  return index.candidatesFor(key);
}

class MergedIndex {
  private readonly byId = new ActionIdMemo<readonly CompiledStatement[]>();

  constructor(private readonly policies: readonly CompiledPolicy[]) {}

  candidatesFor(key: ActionKey): readonly CompiledStatement[] {
    const hit = this.byId.get(key);
    if (hit !== undefined) return hit;
    const list = this.collect(key);
    this.byId.set(key, list);
    return list;
  }

  private collect(key: ActionKey): readonly CompiledStatement[] {
    let out: CompiledStatement[] | undefined;
    for (const policy of this.policies) {
      const found = programOf(policy).index.candidatesFor(key);
      if (found.length === 0) continue;
      out ??= [];
      for (const statement of found) out.push(statement);
    }
    return out === undefined ? NONE : Object.freeze(out);
  }
}
