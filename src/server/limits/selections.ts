/**
 * Walks an operation's selections through its fragment spreads, which is how every document
 * limit must measure: a fragment spread ten times counts ten times. Cycles (refused by
 * graphql-js's NoFragmentCycles anyway) are cut so the walk always ends.
 */
import { Kind } from 'graphql';
import type { FragmentDefinitionNode, SelectionSetNode } from 'graphql';

/** Fragment definitions by name. */
export type Fragments = ReadonlyMap<string, FragmentDefinitionNode>;

/**
 * The deepest field nesting below `set` (a top-level field is depth 1), meta-fields (`__schema`,
 * `__type`, `__typename`) included like any other; `visiting` holds the fragments on the current
 * path to cut cycles.
 */
export function depthOf(set: SelectionSetNode, fragments: Fragments, visiting: Set<string> = new Set()): number {
  let deepest = 0;
  for (const selection of set.selections) {
    let depth = 0;
    if (selection.kind === Kind.FIELD) {
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

/** How many times a field named `name` is selected below `set`, counting a fragment once per spread. */
export function occurrencesOf(name: string, set: SelectionSetNode, fragments: Fragments, visiting: Set<string> = new Set()): number {
  let count = 0;
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value === name) count++;
      if (selection.selectionSet !== undefined) count += occurrencesOf(name, selection.selectionSet, fragments, visiting);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      count += occurrencesOf(name, selection.selectionSet, fragments, visiting);
    } else {
      const fragmentName = selection.name.value;
      const fragment = fragments.get(fragmentName);
      if (fragment === undefined || visiting.has(fragmentName)) continue;
      visiting.add(fragmentName);
      count += occurrencesOf(name, fragment.selectionSet, fragments, visiting);
      visiting.delete(fragmentName);
    }
  }
  return count;
}
