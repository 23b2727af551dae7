/**
 * The records between the steps of a console sign-in through an identity provider, for every
 * protocol: the `pending` row of a request sent to the provider (OIDC's state, SAML's AuthnRequest
 * id), the `ready` row of a verified sign-in keyed by the one-time code the console exchanges,
 * the typed refusals and their audit rows. Codes and states are stored as SHA-256 only.
 */
import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { JWTPayload } from 'jose';
import { runWrite } from '../changes/outbox.ts';
import type { Database, Tx } from '../db/client.ts';
import { federatedSignIns } from '../db/schema/index.ts';
import { IamError } from '../errors.ts';

/** How long the console has to exchange a one-time code. */
export const CODE_SECONDS = 120;

/**
 * Why a federated sign-in was refused; each is named in the error and the audit row. OIDC: state,
 * code, nonce, token; SAML: assertion (does not verify), expired, replayed (its id was used),
 * request (answers no request this service has open), busy (too many open requests); both:
 * no-role, role, provider, idp.
 */
export type RefusalReason = 'state' | 'code' | 'nonce' | 'token' | 'no-role' | 'role' | 'provider' | 'idp' | 'assertion' | 'expired' | 'replayed' | 'request' | 'busy';

/** A federated sign-in refused: the reason says which check failed (state, code, nonce, token, role, …). */
export class FederatedSignInFailedError extends IamError {
  readonly code = 'FederatedSignInFailed';
  constructor(
    readonly reason: RefusalReason,
    message: string,
  ) {
    super(message);
  }
}

/** A role the person may sign in as. */
export interface SignInRole {
  readonly roleArn: string;
  readonly roleName: string;
  readonly accountId: string;
}

/** The identity allows several roles: the console shows them and repeats the exchange with one (the code stays valid). */
export class RoleChoiceRequiredError extends IamError {
  readonly code = 'RoleChoiceRequired';
  constructor(readonly roles: readonly SignInRole[]) {
    super(`this sign-in may choose one of ${roles.length} roles: repeat with input.roleArn`);
  }
}

/** A verified SAML assertion as a ready row keeps it (dates as ISO text, attributes as entries). */
export interface StoredSamlAssertion {
  readonly assertionId: string;
  readonly issuer: string;
  readonly nameId: string;
  readonly nameIdFormat: string | null;
  readonly nameQualifier: string | null;
  readonly spNameQualifier: string | null;
  readonly audiences: readonly string[];
  readonly recipient: string;
  readonly inResponseTo: string | null;
  readonly sessionIndex: string | null;
  readonly issueInstant: string;
  readonly notOnOrAfter: string;
  readonly attributes: ReadonlyArray<readonly [string, readonly string[]]>;
}

/** What a ready row keeps, by protocol: the verified identity (never the token or the response), the session name and the roles offered. */
export type ReadySignIn =
  | { readonly protocol: 'OIDC'; readonly claims: JWTPayload; readonly audience: string; readonly sessionName: string; readonly roles: readonly SignInRole[] }
  | { readonly protocol: 'SAML'; readonly assertion: StoredSamlAssertion; readonly sessionName: string; readonly roles: readonly SignInRole[] };

/** SHA-256 (hex) of a state, request id or code: what the table is keyed by. */
export function digestOf(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** Records one refusal (audit only, never a secret) and returns the error to throw. */
export async function refuse(
  database: Database,
  refusal: {
    reason: RefusalReason;
    message: string;
    accountId?: string | undefined;
    providerArn?: string | undefined;
    clientAddress?: string | undefined;
    /** What the verifier said, for the administrator (bounded). */
    detail?: string | undefined;
  },
): Promise<FederatedSignInFailedError> {
  const accountId = refusal.accountId ?? null;
  await runWrite(database, { arn: 'anonymous', accountId: accountId ?? '' }, async (_tx, record) => {
    record({
      kind: 'FederatedSignInRefused',
      entityType: 'sign-in',
      entityArn: refusal.providerArn ?? 'anonymous',
      affectedPrincipalIds: [],
      payload: { reason: refusal.reason, clientAddress: refusal.clientAddress ?? null, ...(refusal.detail === undefined ? {} : { detail: refusal.detail.slice(0, 500) }) },
      accountId,
    });
  });
  return new FederatedSignInFailedError(refusal.reason, refusal.message);
}

/** Stores a ready row for a verified sign-in and returns its one-time code (32 random bytes, base64url). */
export async function storeSignInCode(
  db: Database['db'] | Tx,
  ready: { accountId: string; providerArn: string; data: ReadySignIn; now: Date },
): Promise<string> {
  const code = randomBytes(32).toString('base64url');
  await db.insert(federatedSignIns).values({
    id: digestOf(code),
    kind: 'ready',
    accountId: ready.accountId,
    providerArn: ready.providerArn,
    data: ready.data as unknown as Record<string, unknown>,
    expiresAt: new Date(ready.now.getTime() + CODE_SECONDS * 1000),
  });
  return code;
}

/** Deletes rows past their expiry (called on each new sign-in: the table stays small). */
export async function sweepFederatedSignIns(database: Database, now: Date): Promise<void> {
  await database.db.delete(federatedSignIns).where(sql`${federatedSignIns.expiresAt} <= ${now.toISOString()}::text::timestamptz`);
}
