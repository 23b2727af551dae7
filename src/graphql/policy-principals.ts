/**
 * What the policy type files share about principals: the GraphQL type and action word of each
 * kind, and loading the full row of a principal a write touched (for success payloads).
 */
import type { PrincipalRef } from '../iam/principal-refs.ts';
import type { GraphQLContext } from './context.ts';
import { GroupRef, RoleRef, UserRef } from './principal-refs.ts';

/** The GraphQL type of each principal kind. */
export const PRINCIPAL_TYPES = { user: UserRef, group: GroupRef, role: RoleRef } as const;

/** Each kind as IAM action names spell it (AttachUserPolicy, PutGroupPolicy, …). */
export const KIND_WORD = { user: 'User', group: 'Group', role: 'Role' } as const;

/** The full row of a principal a write touched, batched by id through the principal loaders. */
export function loadPrincipal(context: GraphQLContext, principal: PrincipalRef) {
  const key = { accountId: context.guard.caller?.accountId ?? '', id: principal.id };
  const loaders = context.loaders.principals;
  if (principal.kind === 'user') return loaders.userById.load(key);
  return principal.kind === 'group' ? loaders.groupById.load(key) : loaders.roleById.load(key);
}
