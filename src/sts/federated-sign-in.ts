/**
 * Console sign-in through an identity provider, after the provider has vouched for the person:
 * the roles its verified token may assume, the one-time code the console exchanges for a role
 * session, and the exchange itself. Protocol-specific steps (OIDC's redirects: oidc-sign-in.ts)
 * end in `grantSignIn`; the console then calls `completeFederatedSignIn` with the code.
 *
 * - Which roles: those of the provider's account whose trust policy names the provider and allows
 *   sts:AssumeRoleWithWebIdentity for these claims (trustsWebIdentity, as the API operation
 *   decides); looked at again at the exchange, so a trust policy changed in between counts.
 * - The code: 32 random bytes, stored as its SHA-256, valid CODE_SECONDS, taken once. When the
 *   token allows several roles the console asks which (RoleChoiceRequired) before taking it.
 * - The session: an ordinary role session (`assumed-role/<role>/<session>`, kind web_identity) of
 *   one hour, ended by signOut, revokeRoleSessions or its duration, as AWS's console sessions are.
 * - Every refusal is one FederatedSignInRefused audit row, naming the reason, never a secret.
 */
import { createHash, randomBytes } from 'node:crypto';
import { and, asc, eq, gt, sql } from 'drizzle-orm';
import type { JWTPayload } from 'jose';
import type { RequestFacts } from '../authz/guard.ts';
import { runWrite } from '../changes/outbox.ts';
import type { Database } from '../db/client.ts';
import { federatedSignIns, oidcProviders, roles } from '../db/schema/index.ts';
import { IamError } from '../errors.ts';
import type { OidcProvider } from '../iam/oidc-providers.ts';
import type { Role } from '../iam/roles.ts';
import { assumedRoleArn } from './assume-role.ts';
import { issueSession } from './issue.ts';
import { SIGN_IN_SESSION_SECONDS, type SignedIn } from './sign-in.ts';
import { trustsWebIdentity } from './web-identity.ts';

/** How long the console has to exchange a one-time code. */
export const CODE_SECONDS = 120;
/** Roles looked at per sign-in: bounded work whatever the account holds. */
const MAX_CANDIDATE_ROLES = 100;

/** Why a federated sign-in was refused; each is named in the error and the audit row. */
export type RefusalReason = 'state' | 'code' | 'nonce' | 'token' | 'no-role' | 'role' | 'provider' | 'idp';

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

/** The token allows several roles: the console shows them and repeats the exchange with one (the code stays valid). */
export class RoleChoiceRequiredError extends IamError {
  readonly code = 'RoleChoiceRequired';
  constructor(readonly roles: readonly SignInRole[]) {
    super(`this sign-in may choose one of ${roles.length} roles: repeat with input.roleArn`);
  }
}

/** What a ready row keeps: the verified claims, never the token. */
interface ReadyData {
  readonly claims: JWTPayload;
  readonly audience: string;
  readonly sessionName: string;
  readonly roles: readonly SignInRole[];
}

/** SHA-256 (hex) of a state or code: what the table is keyed by. */
export function digestOf(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** A role session name from the claims people recognise: email, preferred_username, else sub. */
export function sessionNameOf(claims: JWTPayload): string {
  const raw = [claims['email'], claims['preferred_username'], claims.sub].find((v): v is string => typeof v === 'string' && v !== '') ?? 'federated';
  const cleaned = raw.replace(/[^\w+=,.@-]/g, '-').slice(0, 64);
  return cleaned.length >= 2 ? cleaned : `${cleaned}--`.slice(0, 2);
}

/** Records one refusal (audit only) and returns the error to throw. */
export async function refuse(
  database: Database,
  refusal: { reason: RefusalReason; message: string; accountId?: string | undefined; providerArn?: string | undefined; clientAddress?: string | undefined },
): Promise<FederatedSignInFailedError> {
  const accountId = refusal.accountId ?? null;
  await runWrite(database, { arn: 'anonymous', accountId: accountId ?? '' }, async (_tx, record) => {
    record({
      kind: 'FederatedSignInRefused',
      entityType: 'sign-in',
      entityArn: refusal.providerArn ?? 'anonymous',
      affectedPrincipalIds: [],
      payload: { reason: refusal.reason, clientAddress: refusal.clientAddress ?? null },
      accountId,
    });
  });
  return new FederatedSignInFailedError(refusal.reason, refusal.message);
}

/** The provider's roles (bounded) whose trust policy allows this verified token. */
async function trustedRoles(database: Database, provider: OidcProvider, claims: JWTPayload, audience: string, sessionName: string, facts: RequestFacts, now: Date): Promise<Role[]> {
  const candidates = await database.db
    .select()
    .from(roles)
    .where(and(eq(roles.accountId, provider.accountId), sql`position(${provider.arn} in ${roles.trustPolicy}) > 0`))
    .orderBy(asc(roles.name))
    .limit(MAX_CANDIDATE_ROLES);
  const allowed: Role[] = [];
  for (const role of candidates) {
    if (await trustsWebIdentity({ provider, payload: claims, audience }, role, sessionName, facts, now)) allowed.push(role);
  }
  return allowed;
}

/**
 * After the provider's token is verified: finds the roles it may assume and stores a one-time
 * code for the console. Refused (and audited) when no role trusts it.
 */
export async function grantSignIn(
  database: Database,
  verified: { provider: OidcProvider; claims: JWTPayload; audience: string },
  facts: RequestFacts,
  now: Date,
): Promise<string> {
  const { provider, claims, audience } = verified;
  const sessionName = sessionNameOf(claims);
  const allowed = await trustedRoles(database, provider, claims, audience, sessionName, facts, now);
  if (allowed.length === 0) {
    throw await refuse(database, {
      reason: 'no-role',
      message: 'no role of the account trusts this identity provider for this person (sts:AssumeRoleWithWebIdentity)',
      accountId: provider.accountId,
      providerArn: provider.arn,
      clientAddress: facts.sourceIp,
    });
  }
  const code = randomBytes(32).toString('base64url');
  const data: ReadyData = { claims, audience, sessionName, roles: allowed.map((r) => ({ roleArn: r.arn, roleName: r.name, accountId: r.accountId })) };
  await database.db.insert(federatedSignIns).values({
    id: digestOf(code),
    kind: 'ready',
    accountId: provider.accountId,
    providerArn: provider.arn,
    data: data as unknown as Record<string, unknown>,
    expiresAt: new Date(now.getTime() + CODE_SECONDS * 1000),
  });
  return code;
}

/** completeFederatedSignIn parameters. */
export interface CompleteFederatedSignInInput {
  readonly code: string;
  /** Required when the token allows several roles. */
  readonly roleArn?: string | null;
}

/**
 * Exchanges a one-time code for a role session, or (several roles, none chosen) throws
 * RoleChoiceRequired naming the roles the person may choose from, without using the code up. A wrong, expired or used code, or a role
 * outside the list, is refused and audited once.
 */
export async function completeFederatedSignIn(
  database: Database,
  input: CompleteFederatedSignInInput,
  facts: RequestFacts,
  now: Date,
): Promise<SignedIn> {
  const refused = (reason: RefusalReason, message: string, row?: { accountId: string; providerArn: string }) =>
    refuse(database, { reason, message, accountId: row?.accountId, providerArn: row?.providerArn, clientAddress: facts.sourceIp });
  const badCode = 'input.code is not a valid sign-in code: it is wrong, expired or already used';
  if (typeof input.code !== 'string' || !/^[\w-]{43}$/.test(input.code)) throw await refused('code', badCode);
  const id = digestOf(input.code);
  const live = and(eq(federatedSignIns.id, id), eq(federatedSignIns.kind, 'ready'), gt(federatedSignIns.expiresAt, now));
  const [peeked] = await database.db.select().from(federatedSignIns).where(live);
  if (peeked === undefined) throw await refused('code', badCode);
  const data = peeked.data as unknown as ReadyData;
  const chosen = input.roleArn == null ? (data.roles.length === 1 ? data.roles[0] : undefined) : data.roles.find((r) => r.roleArn === input.roleArn);
  if (input.roleArn == null && chosen === undefined) throw new RoleChoiceRequiredError(data.roles);
  if (chosen === undefined) throw await refused('role', `input.roleArn ${JSON.stringify(String(input.roleArn).slice(0, 200))} is not one of the roles this sign-in may choose`, peeked);

  // Taken once: of two exchanges racing with one code, only one deletes the row.
  const [taken] = await database.db.delete(federatedSignIns).where(live).returning();
  if (taken === undefined) throw await refused('code', badCode, peeked);
  const [provider] = await database.db.select().from(oidcProviders).where(eq(oidcProviders.arn, taken.providerArn));
  const [role] = await database.db.select().from(roles).where(eq(roles.arn, chosen.roleArn));
  if (provider === undefined) throw await refused('provider', 'the identity provider was deleted during the sign-in', taken);
  // The trust policy may have changed since the callback: decide again.
  if (role === undefined || !(await trustsWebIdentity({ provider, payload: data.claims, audience: data.audience }, role, data.sessionName, facts, now))) {
    throw await refused('role', `the role ${chosen.roleArn} no longer trusts this identity provider for this person`, taken);
  }

  const arn = assumedRoleArn(role.accountId, role.name, data.sessionName);
  const durationSeconds = Math.min(SIGN_IN_SESSION_SECONDS, role.maxSessionDuration);
  const { result, revision } = await runWrite(database, { arn: provider.arn, accountId: role.accountId }, async (tx, record) => {
    const issued = await issueSession(tx, {
      accountId: role.accountId,
      kind: 'web_identity',
      roleId: role.id,
      arn,
      sessionName: data.sessionName,
      sourceArn: provider.arn,
      issuedAt: now,
      expiresAt: new Date(now.getTime() + durationSeconds * 1000),
    });
    await tx.update(roles).set({ lastUsedAt: now }).where(eq(roles.id, role.id));
    record({
      kind: 'FederatedSignInSucceeded',
      entityType: 'role-session',
      entityArn: arn,
      affectedPrincipalIds: [],
      payload: {
        roleName: role.name,
        roleSessionName: data.sessionName,
        provider: provider.arn,
        subject: String(data.claims.sub ?? ''),
        accessKeyId: issued.credentials.accessKeyId,
        clientAddress: facts.sourceIp ?? null,
      },
    });
    return issued;
  });
  return {
    credentials: result.credentials,
    accountId: role.accountId,
    userName: `${role.name}/${data.sessionName}`,
    arn,
    mfaAuthenticated: false,
    passwordResetRequired: false,
    revision,
  };
}

/** Deletes rows past their expiry (called on each new sign-in: the table stays small). */
export async function sweepFederatedSignIns(database: Database, now: Date): Promise<void> {
  await database.db.delete(federatedSignIns).where(sql`${federatedSignIns.expiresAt} <= ${now.toISOString()}::text::timestamptz`);
}
