/**
 * Console sign-in through an identity provider, after the provider has vouched for the person:
 * the roles its verified identity may assume, and the exchange of the one-time code for a role
 * session. Protocol steps (OIDC's redirects: oidc-sign-in.ts; SAML's AuthnRequest and assertion
 * consumer: saml-sign-in.ts) end in a ready row (sign-in-codes.ts, a union by protocol); the
 * console then calls `completeFederatedSignIn` with the code, whatever the protocol.
 *
 * - Which roles: OIDC, those of the provider's account whose trust policy names the provider and
 *   allows sts:AssumeRoleWithWebIdentity for these claims (trustsWebIdentity); SAML, the pairs of
 *   the assertion's Role attribute whose trust policy allows sts:AssumeRoleWithSAML
 *   (samlTrustRefusal). Decided again at the exchange, so a trust policy changed in between counts.
 * - The code: valid CODE_SECONDS, taken once. When the identity allows several roles the console
 *   asks which (RoleChoiceRequired) before taking it.
 * - The session: an ordinary role session (`assumed-role/<role>/<session>`, kind web_identity or
 *   saml), ended by signOut, revokeRoleSessions or its duration, as AWS's console sessions are.
 * - Every refusal is one FederatedSignInRefused audit row, naming the reason, never a secret.
 */
import { and, asc, eq, gt, sql } from 'drizzle-orm';
import type { JWTPayload } from 'jose';
import type { RequestFacts } from '../authz/guard.ts';
import type { Database } from '../db/client.ts';
import { federatedSignIns, oidcProviders, roles } from '../db/schema/index.ts';
import type { OidcProvider } from '../iam/oidc-providers.ts';
import type { Role } from '../iam/roles.ts';
import { startRoleSession, type StartedRoleSession } from './role-session.ts';
import { openSamlSignInSession } from './saml-sign-in.ts';
import { digestOf, RoleChoiceRequiredError, refuse, storeSignInCode, type ReadySignIn, type RefusalReason } from './sign-in-codes.ts';
import { SIGN_IN_SESSION_SECONDS, type SignedIn } from './sign-in.ts';
import { trustsWebIdentity } from './web-identity.ts';

/** Roles looked at per sign-in: bounded work whatever the account holds. */
const MAX_CANDIDATE_ROLES = 100;

/** A role session name from the claims people recognise: email, preferred_username, else sub. */
export function sessionNameOf(claims: JWTPayload): string {
  const raw = [claims['email'], claims['preferred_username'], claims.sub].find((v): v is string => typeof v === 'string' && v !== '') ?? 'federated';
  const cleaned = raw.replace(/[^\w+=,.@-]/g, '-').slice(0, 64);
  return cleaned.length >= 2 ? cleaned : `${cleaned}--`.slice(0, 2);
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
    if (await trustsWebIdentity(database, { provider, payload: claims, audience }, role, sessionName, facts, now)) allowed.push(role);
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
  const data: ReadySignIn = {
    protocol: 'OIDC',
    claims,
    audience,
    sessionName,
    roles: allowed.map((r) => ({ roleArn: r.arn, roleName: r.name, accountId: r.accountId })),
  };
  return storeSignInCode(database.db, { accountId: provider.accountId, providerArn: provider.arn, data, now });
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
  const data = readySignIn(peeked.data);
  const chosen = input.roleArn == null ? (data.roles.length === 1 ? data.roles[0] : undefined) : data.roles.find((r) => r.roleArn === input.roleArn);
  if (input.roleArn == null && chosen === undefined) throw new RoleChoiceRequiredError(data.roles);
  if (chosen === undefined) throw await refused('role', `input.roleArn ${JSON.stringify(String(input.roleArn).slice(0, 200))} is not one of the roles this sign-in may choose`, peeked);

  // Taken once: of two exchanges racing with one code, only one deletes the row.
  const [taken] = await database.db.delete(federatedSignIns).where(live).returning();
  if (taken === undefined) throw await refused('code', badCode, peeked);
  const [role] = await database.db.select().from(roles).where(eq(roles.arn, chosen.roleArn));
  if (role === undefined) throw await refused('role', `the role ${chosen.roleArn} no longer exists`, taken);
  const row = { accountId: taken.accountId, providerArn: taken.providerArn };
  const started =
    data.protocol === 'SAML'
      ? await openSamlSignInSession(database, { row, data, role, facts, now })
      : await openOidcSignInSession(database, { row, data, role, facts, now });
  return {
    credentials: started.credentials,
    accountId: role.accountId,
    userName: `${role.name}/${data.sessionName}`,
    arn: started.assumedRoleUser.arn,
    mfaAuthenticated: false,
    passwordResetRequired: false,
    revision: started.revision,
  };
}

/** A ready row's data; rows written before SAML sign-in existed carry no protocol and are OIDC. */
function readySignIn(data: Record<string, unknown>): ReadySignIn {
  return (data['protocol'] === undefined ? { ...data, protocol: 'OIDC' } : data) as unknown as ReadySignIn;
}

/** The OIDC half of the exchange: the provider still there, the role still trusting the claims, then the session. */
async function openOidcSignInSession(
  database: Database,
  taken: { row: { accountId: string; providerArn: string }; data: Extract<ReadySignIn, { protocol: 'OIDC' }>; role: Role; facts: RequestFacts; now: Date },
): Promise<StartedRoleSession> {
  const { row, data, role, facts, now } = taken;
  const refused = (reason: RefusalReason, message: string) => refuse(database, { reason, message, ...row, clientAddress: facts.sourceIp });
  const [provider] = await database.db.select().from(oidcProviders).where(eq(oidcProviders.arn, row.providerArn));
  if (provider === undefined) throw await refused('provider', 'the identity provider was deleted during the sign-in');
  // The trust policy may have changed since the callback: decide again.
  if (!(await trustsWebIdentity(database, { provider, payload: data.claims, audience: data.audience }, role, data.sessionName, facts, now))) {
    throw await refused('role', `the role ${role.arn} no longer trusts this identity provider for this person`);
  }
  return startRoleSession(database, {
    actor: { arn: provider.arn, accountId: role.accountId },
    role,
    sessionName: data.sessionName,
    durationSeconds: Math.min(SIGN_IN_SESSION_SECONDS, role.maxSessionDuration),
    now,
    values: { kind: 'web_identity', sourceArn: provider.arn },
    audit: {
      kind: 'FederatedSignInSucceeded',
      payload: { protocol: 'OIDC', provider: provider.arn, subject: String(data.claims.sub ?? ''), clientAddress: facts.sourceIp ?? null },
    },
  });
}
