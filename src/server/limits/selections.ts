/**
 * Walks an operation's selections through its fragment spreads, which is how every document
 * limit must measure: a fragment spread ten times counts ten times. Cycles (refused by
 * graphql-js's NoFragmentCycles anyway) are cut so the walk always ends.
 */
import { Kind } from 'graphql';
import type { FragmentDefinitionNode, FieldNode, SelectionSetNode } from 'graphql';

/** Fragment definitions by name. */
export type Fragments = ReadonlyMap<string, FragmentDefinitionNode>;

/** Introspection meta-fields (`__schema`, `__type`, `__typename`) are governed by their own switch. */
export function isMetaField(field: FieldNode): boolean {
  return field.name.value.startsWith('__');
}

/**
 * The deepest field nesting below `set` (a top-level field is depth 1), not descending into
 * meta-fields; `visiting` holds the fragments on the current path to cut cycles.
 */
export function depthOf(set: SelectionSetNode, fragments: Fragments, visiting: Set<string> = new Set()): number {
  let deepest = 0;
  for (const selection of set.selections) {
    let depth = 0;
    if (selection.kind === Kind.FIELD) {
      if (isMetaField(selection)) continue;
      depth = 1 + (selection.selectionSet === undefined ? 0 : depthOf(selection.selectionSet, fragments, visiting));
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      depth = depthOf(selection.selectionSet, fragments, visiting);
    } else {
      const name = selection.name.value;
      const fragment = fragments.get(name);
      if (fragment === undefined || visiting.has(name)) continue;
      visiting.add(name);
      depth = depthOf(fragment.selectionSet, fragments, visiting);
      visiting.delete(name);
    }
    if (depth > deepest) deepest = depth;
  }
  return deepest;
}

/** Aliased fields below `set`, counting a fragment once per spread. */
export function aliasesOf(set: SelectionSetNode, fragments: Fragments, visiting: Set<string> = new Set()): number {
  let count = 0;
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.alias !== undefined) count++;
      if (selection.selectionSet !== undefined) count += aliasesOf(selection.selectionSet, fragments, visiting);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      count += aliasesOf(selection.selectionSet, fragments, visiting);
    } else {
      const name = selection.name.value;
      const fragment = fragments.get(name);
      if (fragment === undefined || visiting.has(name)) continue;
      visiting.add(name);
      count += aliasesOf(fragment.selectionSet, fragments, visiting);
      visiting.delete(name);
    }
  }
  return count;
}
