/**
 * Validation rules for the document limits (depth, aliases, introspection). They run inside
 * graphql-js's validation, so HTTP and WebSocket operations (both validated through Yoga's
 * envelop) are held to them alike, and a refused document is never executed.
 */
import { Kind } from 'graphql';
import type { ASTVisitor, FragmentDefinitionNode, ValidationContext, ValidationRule } from 'graphql';
import { LIMIT_CODES, limitError } from './errors.ts';
import { aliasesOf, depthOf } from './selections.ts';
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

/** Refuses `__schema` and `__type` (INTROSPECTION_DISABLED); `__typename` stays allowed. */
export const noIntrospectionRule: ValidationRule = (context) => ({
  Field(field) {
    const name = field.name.value;
    if (name === '__schema' || name === '__type') {
      context.reportError(limitError(LIMIT_CODES.introspection, `introspection is disabled on this server: field '${name}' is not allowed (GRAPHQL_INTROSPECTION)`));
    }
  },
});
