/**
 * Validation rules for the document limits (depth, aliases, introspection). Meta-fields count in
 * depth and aliases like any other field. They run inside
 * graphql-js's validation, so HTTP and WebSocket operations (both validated through Yoga's
 * envelop) are held to them alike, and a refused document is never executed.
 */
import { Kind } from 'graphql';
import type { ASTVisitor, FragmentDefinitionNode, ValidationContext, ValidationRule } from 'graphql';
import { LIMIT_CODES, limitError } from './errors.ts';
import { aliasesOf, depthOf, occurrencesOf } from './selections.ts';
import type { Fragments } from './selections.ts';

/** The document's fragment definitions by name. */
function fragmentsOf(context: ValidationContext): Fragments {
  const map = new Map<string, FragmentDefinitionNode>();
  for (const definition of context.getDocument().definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) map.set(definition.name.value, definition);
  }
  return map;
}

/** The operation's name for messages: `operation 'Name'` or `the anonymous operation`. */
function named(name: string | undefined): string {
  return name === undefined ? 'the anonymous operation' : `operation '${name}'`;
}

/** Refuses operations whose fields nest deeper than `max` (QUERY_TOO_DEEP). */
export function depthLimitRule(max: number): ValidationRule {
  return (context: ValidationContext): ASTVisitor => ({
    OperationDefinition(operation) {
      const depth = depthOf(operation.selectionSet, fragmentsOf(context));
      if (depth > max) {
        const error = limitError(LIMIT_CODES.depth, `query depth ${depth} exceeds the limit of ${max} in ${named(operation.name?.value)}`, {
          limit: max,
          extensions: { depth },
        });
        context.reportError(error);
      }
      return false;
    },
  });
}

/** Refuses operations with more than `max` aliased fields (TOO_MANY_ALIASES). */
export function aliasLimitRule(max: number): ValidationRule {
  return (context: ValidationContext): ASTVisitor => ({
    OperationDefinition(operation) {
      const aliases = aliasesOf(operation.selectionSet, fragmentsOf(context));
      if (aliases > max) {
        const error = limitError(LIMIT_CODES.aliases, `alias count ${aliases} exceeds the limit of ${max} in ${named(operation.name?.value)}`, {
          limit: max,
          extensions: { aliases },
        });
        context.reportError(error);
      }
      return false;
    },
  });
}

/** The introspection root fields; `__typename` is not one of them and stays allowed everywhere. */
const INTROSPECTION_FIELDS = ['__schema', '__type'] as const;

/** Introspection answered at most this often per operation: graphql-js's getIntrospectionQuery (GraphiQL's) asks once. */
export const MAX_INTROSPECTION_FIELDS = 1;

/**
 * Refuses an operation selecting `__schema`/`__type` more than once (TOO_MANY_INTROSPECTION_FIELDS):
 * one full introspection is a few hundred kilobytes, a thousand aliased copies of it are not a client.
 */
export const singleIntrospectionRule: ValidationRule = function singleIntrospectionRule(context) {
  return {
    OperationDefinition(operation) {
      const fragments = fragmentsOf(context);
      const count = INTROSPECTION_FIELDS.reduce((sum, name) => sum + occurrencesOf(name, operation.selectionSet, fragments), 0);
      if (count > MAX_INTROSPECTION_FIELDS) {
        const message = `introspection fields (__schema, __type) are selected ${count} times in ${named(operation.name?.value)}; at most ${MAX_INTROSPECTION_FIELDS} is allowed`;
        context.reportError(limitError(LIMIT_CODES.introspectionCount, message, { limit: MAX_INTROSPECTION_FIELDS, extensions: { introspectionFields: count } }));
      }
      return false;
    },
  };
};

/** A rule refusing `__schema` and `__type` with INTROSPECTION_DISABLED, saying `who` it is off for and `remedy`; `__typename` stays allowed. */
function refuseIntrospection(who: string, remedy: string): ValidationRule {
  return (context) => ({
    Field(field) {
      const name = field.name.value;
      if ((INTROSPECTION_FIELDS as readonly string[]).includes(name)) {
        context.reportError(limitError(LIMIT_CODES.introspection, `introspection is disabled ${who}: field '${name}' is not allowed (${remedy})`));
      }
    },
  });
}

// Named functions: Yoga's validation cache keys its results by the rules' names, and an anonymous
// caller's verdict must never be served to an authenticated one (or the reverse).

/** Refuses `__schema` and `__type` when GRAPHQL_INTROSPECTION is off (INTROSPECTION_DISABLED). */
export const noIntrospectionRule: ValidationRule = function noIntrospectionRule(context) {
  return refuseIntrospection('on this server', 'GRAPHQL_INTROSPECTION')(context);
};

/** Refuses `__schema` and `__type` to a caller without a credential (INTROSPECTION_DISABLED), whatever the server's switch. */
export const anonymousIntrospectionRule: ValidationRule = function anonymousIntrospectionRule(context) {
  return refuseIntrospection('for anonymous callers', 'authenticate with an access key or a session')(context);
};
