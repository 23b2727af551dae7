/**
 * Whether a field's selection asks for some field below it, through inline fragments and
 * fragment spreads, so resolvers can skip work nobody will see (e.g. a decision's near misses).
 * Documents are cached by Yoga, so the answer is memoised per field node.
 */
import { Kind, type FieldNode, type FragmentDefinitionNode, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

const memo = new WeakMap<FieldNode, Map<string, boolean>>();

/** True when the resolving field's selection contains a field named `name` at any depth. */
export function selects(info: GraphQLResolveInfo, name: string): boolean {
  const node = info.fieldNodes[0];
  if (node === undefined) return false;
  let answers = memo.get(node);
  if (answers === undefined) {
    answers = new Map();
    memo.set(node, answers);
  }
  let answer = answers.get(name);
  if (answer === undefined) {
    answer = info.fieldNodes.some((field) => field.selectionSet !== undefined && contains(field.selectionSet, name, info.fragments, new Set()));
    answers.set(name, answer);
  }
  return answer;
}

function contains(set: SelectionSetNode, name: string, fragments: Record<string, FragmentDefinitionNode>, visiting: Set<string>): boolean {
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value === name) return true;
      if (selection.selectionSet !== undefined && contains(selection.selectionSet, name, fragments, visiting)) return true;
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      if (contains(selection.selectionSet, name, fragments, visiting)) return true;
    } else {
      const fragment = fragments[selection.name.value];
      // A cycle is refused by validation; cutting it here keeps the walk finite regardless.
      if (fragment === undefined || visiting.has(selection.name.value)) continue;
      visiting.add(selection.name.value);
      if (contains(fragment.selectionSet, name, fragments, visiting)) return true;
    }
  }
  return false;
}
