/**
 * What the policy type files share about principals: the GraphQL type and action word of each
 * kind, and loading the full row of a principal by its unique id (success payloads, policy entities, owners).
 */
import { ID_PREFIXES } from '../iam/ids.ts';
import type { PrincipalKind, PrincipalRef } from '../iam/principal-refs.ts';
import type { GraphQLContext } from './context.ts';
import { GroupRef, RoleRef, UserRef } from './principal-refs.ts';

/** The GraphQL type of each principal kind. */
export const PRINCIPAL_TYPES = { user: UserRef, group: GroupRef, role: RoleRef } as const;

/** Each kind as IAM action names spell it (AttachUserPolicy, PutGroupPolicy, …). */
export const KIND_WORD = { user: 'User', group: 'Group', role: 'Role' } as const;

/** The kind of principal a unique id names, from its prefix (AIDA…, AGPA…, AROA…); undefined for any other id. */
export function principalKindOfId(id: string): PrincipalKind | undefined {
  return (['user', 'group', 'role'] as const).find((kind) => id.startsWith(ID_PREFIXES[kind]));
}

/** The `User` with this unique id in the caller's account, batched; null for none (the root user is no `User`). */
export function loadUser(context: GraphQLContext, id: string) {
  return context.loaders.principals.userById.load({ accountId: context.guard.caller?.accountId ?? '', id });
}

/** The full row of a principal (one a write touched, one that uses a policy), batched by id through the principal loaders. */
export function loadPrincipal(context: GraphQLContext, principal: Pick<PrincipalRef, 'kind' | 'id'>) {
  const key = { accountId: context.guard.caller?.accountId ?? '', id: principal.id };
  const loaders = context.loaders.principals;
  if (principal.kind === 'user') return loadUser(context, principal.id);
  return principal.kind === 'group' ? loaders.groupById.load(key) : loaders.roleById.load(key);
}
