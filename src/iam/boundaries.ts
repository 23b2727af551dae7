/**
 * Permissions boundaries: Put/Delete{User,Role}PermissionsBoundary. A boundary is a managed
 * policy (the account's own or built-in) that caps what the principal's identity policies can
 * grant; setting, replacing or removing it changes that principal's effective permissions.
 */
import { eq } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { roles, users } from '../db/schema/index.ts';
import { getPolicy, type ManagedPolicy } from './policies.ts';
import { findPrincipal, type PrincipalRef } from './principal-refs.ts';
import { runWrite, type WriteActor as Actor, type WriteResult as Written } from '../changes/outbox.ts';

/** The principal kinds that can have a permissions boundary. */
export type BoundedKind = 'user' | 'role';

/** Put{User,Role}PermissionsBoundary parameters: the principal's name and the boundary policy ARN. */
export interface PutBoundaryInput {
  readonly principalName: string;
  readonly permissionsBoundary: string;
}

/** Sets the principal's boundary column. */
async function setBoundary(tx: Parameters<Parameters<typeof runWrite>[2]>[0], principal: PrincipalRef, arn: string | null): Promise<void> {
  const table = principal.kind === 'user' ? users : roles;
  await tx.update(table).set({ permissionsBoundaryArn: arn }).where(eq(table.id, principal.id));
}

/** Put{User,Role}PermissionsBoundary: set or replace the principal's permissions boundary. `foundId`: see FindPrincipalOptions. */
export async function putPermissionsBoundary(
  database: Database,
  actor: Actor,
  kind: BoundedKind,
  input: PutBoundaryInput,
  foundId?: string,
): Promise<Written<{ principal: PrincipalRef; policy: ManagedPolicy }>> {
  return runWrite(database, actor, async (tx, record) => {
    const principal = await findPrincipal(tx, actor.accountId, kind, input.principalName, { foundId });
    const policy = await getPolicy(tx, actor.accountId, input.permissionsBoundary, 'input.permissionsBoundary');
    await setBoundary(tx, principal, policy.arn);
    record({
      kind: 'PermissionsBoundarySet',
      entityType: kind,
      entityArn: principal.arn,
      affectedPrincipalIds: [principal.id],
      payload: { permissionsBoundary: policy.arn, previous: principal.permissionsBoundaryArn },
    });
    return { principal: { ...principal, permissionsBoundaryArn: policy.arn }, policy };
  });
}

/** Delete{User,Role}PermissionsBoundary: remove the boundary (a principal without one is left as it is). `foundId`: see FindPrincipalOptions. */
export async function deletePermissionsBoundary(
  database: Database,
  actor: Actor,
  kind: BoundedKind,
  input: { readonly principalName: string },
  foundId?: string,
): Promise<Written<{ principal: PrincipalRef }>> {
  return runWrite(database, actor, async (tx, record) => {
    const principal = await findPrincipal(tx, actor.accountId, kind, input.principalName, { foundId });
    if (principal.permissionsBoundaryArn !== null) {
      await setBoundary(tx, principal, null);
      record({
        kind: 'PermissionsBoundaryDeleted',
        entityType: kind,
        entityArn: principal.arn,
        affectedPrincipalIds: [principal.id],
        payload: { previous: principal.permissionsBoundaryArn },
      });
    }
    return { principal: { ...principal, permissionsBoundaryArn: null } };
  });
}
