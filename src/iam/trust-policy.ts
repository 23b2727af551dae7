/**
 * UpdateAssumeRolePolicy: replace a role's trust policy, validated as a `trust` document (a
 * resource policy on the role: Principal required, no Resource; 2,048 characters).
 */
import { eq } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { roles } from '../db/schema/index.ts';
import type { Finding } from '../policy/index.ts';
import { catalogForDocument } from './services/catalog-view.ts';
import { checkPolicyDocument } from './policy-documents.ts';
import { findPrincipal, type PrincipalRef } from './principal-refs.ts';
import { resolvePrincipalIds } from './trust-principals.ts';
import { validateRequired } from './validation.ts';
import { runWrite, type WriteActor as Actor, type WriteResult as Written } from '../changes/outbox.ts';

/** UpdateAssumeRolePolicy parameters. */
export interface UpdateAssumeRolePolicyInput {
  readonly roleName: string;
  readonly policyDocument: string;
}

/** Validates and stores a role's new trust policy; returns the role and the document's non-error findings. `foundId`: see FindPrincipalOptions. */
export async function updateAssumeRolePolicy(
  database: Database,
  actor: Actor,
  input: UpdateAssumeRolePolicyInput,
  foundId?: string,
): Promise<Written<{ role: PrincipalRef; findings: readonly Finding[] }>> {
  validateRequired(input.policyDocument, 'input.policyDocument');
  const catalog = await catalogForDocument(database, actor.accountId, input.policyDocument);
  const findings = checkPolicyDocument(input.policyDocument, 'trust', 'input.policyDocument', { catalog });
  return runWrite(database, actor, async (tx, record) => {
    const role = await findPrincipal(tx, actor.accountId, 'role', input.roleName, { foundId });
    const trustPrincipalIds = await resolvePrincipalIds(tx, actor.accountId, input.policyDocument, 'input.policyDocument', role);
    await tx.update(roles).set({ trustPolicy: input.policyDocument, trustPrincipalIds }).where(eq(roles.id, role.id));
    record({
      kind: 'AssumeRolePolicyUpdated',
      entityType: 'role',
      entityArn: role.arn,
      // Who may assume the role changes, which the authorizer caches per role.
      affectedPrincipalIds: [role.id],
      payload: {},
    });
    return { role, findings };
  });
}
