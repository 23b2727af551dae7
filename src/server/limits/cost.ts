/**
 * Field cost: an estimate of how many fields an operation resolves, computed before execution
 * with the variables at hand. Every field costs 1 plus its children; a list multiplies what it
 * contains by its expected length: the `first`/`last` argument of the field (or of the
 * connection field above it, for `edges`/`nodes`), the length its input lists fix for the fields
 * in ARGUMENT_LENGTHS (a simulation's actions × resources, a batch's requests), else
 * DEFAULT_LIST_LENGTH. Meta-fields count like any other (`__schema { types { … } }` is a list of
 * 10 types with their lists of 10 fields), so aliased copies of an introspection add up as copies
 * of any field do.
 */
import { Kind, SchemaMetaFieldDef, TypeMetaFieldDef, TypeNameMetaFieldDef, getNamedType, getNullableType, isInterfaceType, isListType, isObjectType, valueFromASTUntyped } from 'graphql';
import type { FieldNode, GraphQLField, GraphQLNamedType, GraphQLSchema, OperationDefinitionNode, SelectionSetNode } from 'graphql';
import { DEFAULT_MAX_ITEMS } from '../../authz/simulate.ts';
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
  const requested = pageArgument(field, input.variables) ?? argumentLength(parent.name, field, input.variables);
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

/** How long a list is, when it is one; undefined otherwise. */
function lengthOf(value: unknown): number | undefined {
  return Array.isArray(value) ? value.length : undefined;
}

/** A simulation's results: actions × resources (default one resource), capped by `maxItems` or the page default. */
function simulationLength(input: unknown, pageDefault: number): number | undefined {
  if (typeof input !== 'object' || input === null) return undefined;
  const fields = input as Record<string, unknown>;
  const actions = lengthOf(fields['actionNames']);
  if (actions === undefined) return undefined;
  const pairs = actions * Math.max(1, lengthOf(fields['resourceArns']) ?? 1);
  const maxItems = fields['maxItems'];
  return Math.min(pairs, typeof maxItems === 'number' && maxItems >= 0 ? maxItems : pageDefault);
}

/**
 * Fields whose work their input lists fix rather than `first`/`last`: the length each answers
 * (for a list) or passes to its lists (for a page object), from the field's argument values.
 */
const ARGUMENT_LENGTHS: Readonly<Record<string, (args: Readonly<Record<string, unknown>>) => number | undefined>> = {
  'Query.simulateCustomPolicy': (args) => simulationLength(args['input'], Infinity),
  'Query.simulatePrincipalPolicy': (args) => simulationLength(args['input'], Infinity),
  'Query.simulateCustomPolicyPage': (args) => simulationLength(args['input'], DEFAULT_MAX_ITEMS),
  'Query.simulatePrincipalPolicyPage': (args) => simulationLength(args['input'], DEFAULT_MAX_ITEMS),
  'Mutation.authorizeBatch': (args) => lengthOf(args['requests']),
  'Query.nodes': (args) => lengthOf(args['ids']),
};

/** The length ARGUMENT_LENGTHS gives `parent.field`, from its arguments with the variables applied. */
function argumentLength(parent: string, field: FieldNode, variables: Readonly<Record<string, unknown>>): number | undefined {
  const length = ARGUMENT_LENGTHS[`${parent}.${field.name.value}`];
  if (length === undefined) return undefined;
  const args: Record<string, unknown> = {};
  for (const argument of field.arguments ?? []) args[argument.name.value] = valueFromASTUntyped(argument.value, variables);
  return length(args);
}
