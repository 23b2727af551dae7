/**
 * Two rules every string input passes before any resolver runs: no NUL character (U+0000), and
 * well-formed UTF-16 (no lone surrogate, which has no UTF-8 encoding). PostgreSQL's text and jsonb
 * can hold neither, so such a string in any argument that reaches a query (a name, an ARN, a
 * cursor, a client id, …) failed there as a masked internal error. No IAM name, ARN, policy or
 * token may contain one, so the whole operation is refused up front with VALIDATION_ERROR naming
 * the argument (`input.principalArn`, `after`, …) and the rule, and nothing changes.
 * Arguments are walked as written in the document, literals and variables alike, for HTTP and
 * graphql-ws (parse, validate and execute share this envelop).
 */
import { Kind, getOperationAST, type GraphQLError } from 'graphql';
import type { DocumentNode, ExecutionArgs, FragmentDefinitionNode, SelectionSetNode, ValueNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { inputError } from '../graphql/wire-errors.ts';
import { useOperationGate } from './operation-gate.ts';

const NUL = '\u0000';

/** A rule a string input breaks. */
export type TextRule = 'noNulCharacter' | 'wellFormedUnicode';

/** An input that breaks a rule, by its argument path. */
export interface BadTextInput {
  readonly field: string;
  readonly rule: TextRule;
}

/** A NUL or any surrogate: a string without one breaks neither rule (one scan, no allocation). */
const SUSPECT = /[\u0000\uD800-\uDFFF]/;

/** The rule `text` breaks, if any. */
function brokenRule(text: string): TextRule | undefined {
  if (!SUSPECT.test(text)) return undefined;
  if (text.includes(NUL)) return 'noNulCharacter';
  return text.isWellFormed() ? undefined : 'wellFormedUnicode';
}

/**
 * Whether any string in a variable's JSON value (keys included) breaks a rule. Nearly every
 * operation is clean, so this walk builds no paths; `inJson` names the field only when it is not.
 */
function holdsBadText(value: unknown): boolean {
  if (typeof value === 'string') return brokenRule(value) !== undefined;
  if (Array.isArray(value)) {
    for (const item of value) if (holdsBadText(item)) return true;
    return false;
  }
  if (value !== null && typeof value === 'object') {
    for (const key in value) {
      if (brokenRule(key) !== undefined || holdsBadText((value as Record<string, unknown>)[key])) return true;
    }
  }
  return false;
}

/** `path` with the rule `text` breaks, if any. */
function check(text: string, path: string): BadTextInput | undefined {
  const rule = brokenRule(text);
  return rule === undefined ? undefined : { field: path, rule };
}

/** The first bad string inside a variable's JSON value (keys included). */
function inJson(value: unknown, path: string): BadTextInput | undefined {
  if (typeof value === 'string') return check(value, path);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = inJson(value[i], `${path}[${i}]`);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const found = check(key, path) ?? inJson(item, `${path}.${key}`);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/** The first bad string in an argument value as written (`variables` undefined: they are all clean). */
function inValue(node: ValueNode, path: string, variables: Readonly<Record<string, unknown>> | undefined): BadTextInput | undefined {
  switch (node.kind) {
    case Kind.STRING:
      return check(node.value, path);
    case Kind.VARIABLE:
      return variables === undefined ? undefined : inJson(variables[node.name.value], path);
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

/** The first string input of the operation that breaks a rule, if any. */
export function firstBadTextInput(
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Readonly<Record<string, unknown>>,
): BadTextInput | undefined {
  const operation = getOperationAST(document, operationName);
  if (operation == null) return undefined;
  // Variables are looked at by argument (to name the field) only when some string in them is bad.
  const suspects = holdsBadText(variables) ? variables : undefined;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const seen = new Set<string>();
  const walk = (set: SelectionSetNode): BadTextInput | undefined => {
    for (const selection of set.selections) {
      let found: BadTextInput | undefined;
      if (selection.kind === Kind.FIELD) {
        for (const argument of selection.arguments ?? []) {
          found ??= inValue(argument.value, argument.name.value, suspects);
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
  return walk(operation.selectionSet) ?? (suspects === undefined ? undefined : inJson(suspects, '$'));
}

const MESSAGES: Record<TextRule, string> = {
  noNulCharacter: 'must not contain a NUL character (\\u0000)',
  wellFormedUnicode: 'must be well-formed Unicode (it holds a lone surrogate)',
};

/** The typed refusal for a bad string in `field`. */
export function badTextInputError({ field, rule }: BadTextInput): GraphQLError {
  return inputError(`${field} ${MESSAGES[rule]}`, field, rule);
}

/** Refuses operations whose string inputs hold a NUL or a lone surrogate, before they run. */
export function useTextInputRefusal(): Plugin {
  const refusal = (args: ExecutionArgs): GraphQLError | undefined => {
    const bad = firstBadTextInput(args.document, args.operationName, (args.variableValues ?? {}) as Record<string, unknown>);
    return bad === undefined ? undefined : badTextInputError(bad);
  };
  return useOperationGate(refusal);
}
