/**
 * One rule every string input passes before any resolver runs: no NUL character (U+0000).
 * PostgreSQL's text and jsonb cannot hold it, so a NUL in any argument that reaches a query (a
 * name, an ARN, a cursor, a client id, …) failed there as a masked internal error. No IAM name,
 * ARN, policy or token may contain one, so the whole operation is refused up front with
 * BAD_USER_INPUT naming the argument (`input.principalArn`, `after`, …), and nothing changes.
 * Arguments are walked as written in the document, literals and variables alike, for HTTP and
 * graphql-ws (parse, validate and execute share this envelop).
 */
import { GraphQLError, Kind, getOperationAST } from 'graphql';
import type { DocumentNode, ExecutionArgs, FragmentDefinitionNode, SelectionSetNode, ValueNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';

const NUL = '\u0000';

/** The path of the first string holding a NUL inside a variable's JSON value. */
function inJson(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return value.includes(NUL) ? path : undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = inJson(value[i], `${path}[${i}]`);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const found = key.includes(NUL) ? path : inJson(item, `${path}.${key}`);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/** The path of the first string holding a NUL in an argument value as written. */
function inValue(node: ValueNode, path: string, variables: Readonly<Record<string, unknown>>): string | undefined {
  switch (node.kind) {
    case Kind.STRING:
      return node.value.includes(NUL) ? path : undefined;
    case Kind.VARIABLE:
      return inJson(variables[node.name.value], path);
    case Kind.LIST:
      for (let i = 0; i < node.values.length; i++) {
        const found = inValue(node.values[i]!, `${path}[${i}]`, variables);
        if (found !== undefined) return found;
      }
      return undefined;
    case Kind.OBJECT:
      for (const field of node.fields) {
        const found = inValue(field.value, `${path}.${field.name.value}`, variables);
        if (found !== undefined) return found;
      }
      return undefined;
    default:
      return undefined;
  }
}

/** The argument path of the first string input holding a NUL in the operation, if any. */
export function firstNulInput(document: DocumentNode, operationName: string | null | undefined, variables: Readonly<Record<string, unknown>>): string | undefined {
  const operation = getOperationAST(document, operationName);
  if (operation == null) return undefined;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const seen = new Set<string>();
  const walk = (set: SelectionSetNode): string | undefined => {
    for (const selection of set.selections) {
      let found: string | undefined;
      if (selection.kind === Kind.FIELD) {
        for (const argument of selection.arguments ?? []) {
          found ??= inValue(argument.value, argument.name.value, variables);
        }
        if (found === undefined && selection.selectionSet !== undefined) found = walk(selection.selectionSet);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        found = walk(selection.selectionSet);
      } else if (!seen.has(selection.name.value)) {
        seen.add(selection.name.value);
        const fragment = fragments.get(selection.name.value);
        if (fragment !== undefined) found = walk(fragment.selectionSet);
      }
      if (found !== undefined) return found;
    }
    return undefined;
  };
  // Variables that no argument uses are checked too, by name.
  return walk(operation.selectionSet) ?? inJson(variables, '$');
}

/** The typed refusal for a NUL in `field`. */
export function nulInputError(field: string): GraphQLError {
  return new GraphQLError(`${field} must not contain a NUL character (\\u0000)`, {
    extensions: { code: 'BAD_USER_INPUT', field, rule: 'noNulCharacter' },
  });
}

/** Refuses operations whose string inputs hold a NUL, before they run. */
export function useNulStringRefusal(): Plugin {
  const check = (args: ExecutionArgs): GraphQLError | undefined => {
    const field = firstNulInput(args.document, args.operationName, (args.variableValues ?? {}) as Record<string, unknown>);
    return field === undefined ? undefined : nulInputError(field);
  };
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const error = check(args);
      if (error !== undefined) setResultAndStopExecution({ errors: [error] });
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const error = check(args);
      if (error !== undefined) setResultAndStopExecution({ errors: [error] });
    },
  };
}
