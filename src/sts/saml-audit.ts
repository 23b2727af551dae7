/**
 * Refused SAML responses as audit rows: one `SAMLAssertionRefused` change-log row per refusal (the
 * provider, the error code and message, the client address; never the assertion itself), written
 * in its own transaction since the refused exchange wrote nothing. An audit-only kind (change.ts):
 * left out of `changes` unless asked for, and deleted after AUDIT_RETENTION_DAYS like other refusals.
 * Used by AssumeRoleWithSAML.
 */
import type { Database } from '../db/client.ts';
import { runWrite } from '../changes/outbox.ts';
import type { IamError } from '../errors.ts';

/** Where the refusal happened. */
export interface SamlRefusal {
  /** The account whose provider (or role) was asked; null when the request named none that parses. */
  readonly accountId: string | null;
  /** The provider ARN as given. */
  readonly providerArn: string;
  /** `AssumeRoleWithSAML` or the sign-in flow that refused. */
  readonly operation: string;
  readonly error: IamError;
  readonly clientAddress?: string | undefined;
}

/** Appends the refusal's audit row. */
export async function recordSamlRefusal(database: Database, refusal: SamlRefusal): Promise<void> {
  await runWrite(database, { arn: 'anonymous', accountId: refusal.accountId ?? '' }, async (_tx, record) => {
    record({
      kind: 'SAMLAssertionRefused',
      entityType: 'saml-provider',
      entityArn: refusal.providerArn.slice(0, 2048),
      affectedPrincipalIds: [],
      payload: { operation: refusal.operation, code: refusal.error.code, reason: refusal.error.message.slice(0, 500), clientAddress: refusal.clientAddress ?? null },
      accountId: refusal.accountId,
    });
  });
}
