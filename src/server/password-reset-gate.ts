/**
 * The forced password change, enforced on the server: a sign-in session of a user whose password
 * must be changed (an administrator asked for it, or it aged out) may only change its own
 * password, sign out, read its own identity and the account's password rules — what the
 * console's change-password screen needs (src/web/pages/change-password.tsx) — as AWS's console
 * arranges for such users. Any other root field refuses the whole operation with
 * PASSWORD_RESET_REQUIRED before anything runs; the guard refuses such a session too
 * (src/authz/guard.ts), behind this gate.
 */
import { Kind, getOperationAST } from 'graphql';
import type { DocumentNode, ExecutionArgs, FragmentDefinitionNode, SelectionSetNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { mustChangePassword } from '../authz/caller.ts';
import { ALLOWED_BEFORE_PASSWORD_CHANGE, PasswordResetRequiredError } from '../errors.ts';
import type { GraphQLContext } from '../graphql/context.ts';
import { toGraphQLError } from '../graphql/wire-errors.ts';
import { useOperationGate } from './operation-gate.ts';

/** Root fields such a session may use. */
const ALLOWED_ROOT_FIELDS: ReadonlySet<string> = new Set([...ALLOWED_BEFORE_PASSWORD_CHANGE, '__typename']);

/** The first root field of the operation that is not allowed, or undefined when all are. */
function firstForbiddenRootField(document: DocumentNode, operationName: string | null | undefined): string | undefined {
  const operation = getOperationAST(document, operationName);
  if (operation == null) return undefined;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const seen = new Set<string>();
  const walk = (set: SelectionSetNode): string | undefined => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        if (!ALLOWED_ROOT_FIELDS.has(selection.name.value)) return selection.name.value;
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const found = walk(selection.selectionSet);
        if (found !== undefined) return found;
      } else if (!seen.has(selection.name.value)) {
        seen.add(selection.name.value);
        const fragment = fragments.get(selection.name.value);
        const found = fragment === undefined ? undefined : walk(fragment.selectionSet);
        if (found !== undefined) return found;
      }
    }
    return undefined;
  };
  return walk(operation.selectionSet);
}

/** Refuses every operation but the allowed ones for sessions that must change their password. */
export function usePasswordResetGate(): Plugin {
  const check = (args: ExecutionArgs) => {
    const context = args.contextValue as GraphQLContext | undefined;
    if (!mustChangePassword(context?.guard.caller)) return undefined;
    const field = firstForbiddenRootField(args.document, args.operationName);
    return field === undefined ? undefined : toGraphQLError(new PasswordResetRequiredError(field));
  };
  return useOperationGate(check);
}
