/**
 * Widens an operation's root field to select (nearly) everything its type exposes, a few levels
 * deep: every field that needs no argument, through every member of a union or interface. The
 * operation table selects `__typename` only, which proves authorization but would hide a leak;
 * the isolation test asks for all of it, so whatever another account's entity shows comes back
 * and can be looked for.
 */
import {
  getNamedType,
  isInterfaceType,
  isLeafType,
  isNonNullType,
  isObjectType,
  isUnionType,
  Kind,
  parse,
  print,
  type FieldNode,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

/** Whether a field can be selected with no argument given (every required one has a default). */
function needsNoArgument(field: { args: ReadonlyArray<{ type: unknown; defaultValue: unknown }> }): boolean {
  return field.args.every((arg) => !isNonNullType(arg.type) || arg.defaultValue !== undefined);
}

/**
 * The fields of `type` to `depth` more levels. Inside a fragment on one member of an abstract type
 * each field is aliased `<Type>_<field>`, so members whose fields share a name but not a type do not conflict.
 */
function objectFields(schema: GraphQLSchema, type: GraphQLObjectType, depth: number, aliased: boolean): string {
  const parts: string[] = [];
  for (const field of Object.values(type.getFields())) {
    if (!needsNoArgument(field)) continue;
    const named = getNamedType(field.type);
    const name = aliased ? `${type.name}_${field.name}: ${field.name}` : field.name;
    if (isLeafType(named)) parts.push(name);
    else if (depth > 0) parts.push(`${name} ${selectionOf(schema, named, depth - 1)}`);
  }
  return parts.join(' ');
}

/** A selection set (with braces) for a composite type. */
export function selectionOf(schema: GraphQLSchema, type: GraphQLNamedType, depth: number): string {
  if (isUnionType(type) || isInterfaceType(type)) {
    const members = schema.getPossibleTypes(type).map((member) => `... on ${member.name} { ${objectFields(schema, member, depth, true)} }`);
    return `{ __typename ${members.join(' ')} }`;
  }
  if (isObjectType(type)) return `{ __typename ${objectFields(schema, type, depth, false)} }`;
  return '';
}

/** `query` (one operation, one root field) with that field's selection widened to `depth` levels. */
export function widenRootSelection(schema: GraphQLSchema, query: string, depth: number): string {
  const document = parse(query);
  const definitions = document.definitions.map((definition) => {
    if (definition.kind !== Kind.OPERATION_DEFINITION) return definition;
    const root = definition.operation === 'query' ? schema.getQueryType() : definition.operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
    const selections = definition.selectionSet.selections.map((selection) => {
      if (selection.kind !== Kind.FIELD) return selection;
      const field = root!.getFields()[selection.name.value];
      const type = getNamedType(field!.type);
      if (isLeafType(type)) return selection;
      const parsed = parse(`{ x ${selectionOf(schema, type, depth)} }`).definitions[0] as OperationDefinitionNode;
      const widened = (parsed.selectionSet.selections[0] as FieldNode).selectionSet as SelectionSetNode;
      return { ...selection, selectionSet: widened } satisfies FieldNode;
    });
    return { ...definition, selectionSet: { ...definition.selectionSet, selections } };
  });
  return print({ ...document, definitions });
}
