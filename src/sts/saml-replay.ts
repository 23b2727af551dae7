/**
 * The SAML replay store: each assertion id of an issuer is accepted once. The id is inserted in the
 * transaction that issues the session, so a refused exchange consumes nothing and two concurrent
 * exchanges of one assertion cannot both commit (the primary key decides). Rows are kept until the
 * assertion could no longer be accepted anyway (its NotOnOrAfter plus the clock skew); each use
 * removes a bounded batch of expired rows.
 */
import { sql } from 'drizzle-orm';
import type { Tx } from '../db/client.ts';
import { samlAssertionUses } from '../db/schema/index.ts';
import { InvalidIdentityTokenError } from './errors.ts';
import { SAML_CLOCK_SKEW_SECONDS, type VerifiedSamlAssertion } from './saml-verify.ts';

/** Expired rows one use deletes, so pruning costs each request a bounded amount. */
const PRUNE_BATCH = 100;

/** Records the assertion's id as used; throws InvalidIdentityTokenError if it was used before. */
export async function consumeSamlAssertion(tx: Tx, assertion: Pick<VerifiedSamlAssertion, 'issuer' | 'assertionId' | 'notOnOrAfter'>, now: Date): Promise<void> {
  const expiresAt = new Date(assertion.notOnOrAfter.getTime() + SAML_CLOCK_SKEW_SECONDS * 1000);
  await tx.execute(sql`
    delete from ${samlAssertionUses} where (issuer, assertion_id) in (
      select issuer, assertion_id from ${samlAssertionUses} where expires_at < ${now.toISOString()}::timestamptz limit ${PRUNE_BATCH})`);
  const inserted = await tx
    .insert(samlAssertionUses)
    .values({ issuer: assertion.issuer, assertionId: assertion.assertionId, expiresAt })
    .onConflictDoNothing()
    .returning({ id: samlAssertionUses.assertionId });
  if (inserted.length === 0) {
    throw new InvalidIdentityTokenError(`the SAML assertion ${JSON.stringify(assertion.assertionId.slice(0, 100))} was already used`);
  }
}
