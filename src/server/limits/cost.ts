/**
 * Field cost: an estimate of how many fields an operation resolves, computed before execution
 * with the variables at hand. Every field costs 1 plus its children; a list multiplies what it
 * contains by its expected length: the `first`/`last` argument of the field (or of the
 * connection field above it, for `edges`/`nodes`), else DEFAULT_LIST_LENGTH. Meta-fields count
 * like any other (`__schema { types { … } }` is a list of 10 types with their lists of 10 fields),
 * so aliased copies of an introspection add up as copies of any field do.
 */
import { Kind, SchemaMetaFieldDef, TypeMetaFieldDef, TypeNameMetaFieldDef, getNamedType, getNullableType, isInterfaceType, isListType, isObjectType, valueFromASTUntyped } from 'graphql';
import type { FieldNode, GraphQLField, GraphQLNamedType, GraphQLSchema, OperationDefinitionNode, SelectionSetNode } from 'graphql';
import type { Fragments } from './selections.ts';

/** The length assumed for a list nothing bounds more tightly (a group's members, a batch's answers). */
export const DEFAULT_LIST_LENGTH = 10;

/** What the cost walk needs besides the selections. */
export interface CostInput {
  readonly schema: GraphQLSchema;
  readonly fragments: Fragments;
  readonly variables: Readonly<Record<string, unknown>>;
}

/** The estimated cost of one operation. */
export function operationCost(operation: OperationDefinitionNode, input: CostInput): number {
  const root =
    operation.operation === 'query'
      ? input.schema.getQueryType()
      : operation.operation === 'mutation'
        ? input.schema.getMutationType()
        : input.schema.getSubscriptionType();
  if (root == null) return 0;
  return selectionCost(operation.selectionSet, root, undefined, input, new Set());
}

function selectionCost(
  set: SelectionSetNode,
  parent: GraphQLNamedType,
  pageLength: number | undefined,
  input: CostInput,
  visiting: Set<string>,
): number {
  let total = 0;
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) {
      total += fieldCost(selection, parent, pageLength, input, visiting);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      const type = selection.typeCondition === undefined ? parent : input.schema.getType(selection.typeCondition.name.value);
      if (type != null) total += selectionCost(selection.selectionSet, type, pageLength, input, visiting);
    } else {
      const name = selection.name.value;
      const fragment = input.fragments.get(name);
      if (fragment === undefined || visiting.has(name)) continue;
      const type = input.schema.getType(fragment.typeCondition.name.value);
      if (type == null) continue;
      visiting.add(name);
      total += selectionCost(fragment.selectionSet, type, pageLength, input, visiting);
      visiting.delete(name);
    }
  }
  return total;
}

function fieldCost(field: FieldNode, parent: GraphQLNamedType, pageLength: number | undefined, input: CostInput, visiting: Set<string>): number {
  const definition = definitionOf(field, parent, input.schema);
  if (definition === undefined) return 1;
  const requested = pageArgument(field, input.variables);
  const list = isListType(getNullableType(definition.type));
  // A paginated list is as long as asked; a connection object passes the page length to its lists.
  const multiplier = list ? (requested ?? pageLength ?? DEFAULT_LIST_LENGTH) : 1;
  const childPage = list ? undefined : requested;
  const children =
    field.selectionSet === undefined ? 0 : selectionCost(field.selectionSet, getNamedType(definition.type), childPage, input, visiting);
  return multiplier * (1 + children);
}

/** The `first` or `last` argument's value, when given as a non-negative integer. */
function pageArgument(field: FieldNode, variables: Readonly<Record<string, unknown>>): number | undefined {
  for (const argument of field.arguments ?? []) {
    if (argument.name.value !== 'first' && argument.name.value !== 'last') continue;
    const value = valueFromASTUntyped(argument.value, variables);
    if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
  }
  return undefined;
}

/** The field's definition, meta-fields included (graphql-js keeps those out of `getFields()`). */
function definitionOf(field: FieldNode, parent: GraphQLNamedType, schema: GraphQLSchema): GraphQLField<unknown, unknown> | undefined {
  const name = field.name.value;
  if (name === TypeNameMetaFieldDef.name) return TypeNameMetaFieldDef;
  if (parent === schema.getQueryType()) {
    if (name === SchemaMetaFieldDef.name) return SchemaMetaFieldDef;
    if (name === TypeMetaFieldDef.name) return TypeMetaFieldDef;
  }
  if (!isObjectType(parent) && !isInterfaceType(parent)) return undefined;
  return parent.getFields()[name];
}
