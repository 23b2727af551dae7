/**
 * AssumeRole: temporary credentials for a role session, decided by the role's trust policy and the
 * caller's own permissions (trust.ts), with the STS rules on duration (900 s to the role's maximum,
 * default 3600; one hour at most when a role session assumes a role), MFA (SerialNumber +
 * TokenCode set aws:MultiFactorAuthPresent), external id, session policies, session tags
 * (sts:TagSession) and source identity (sts:SetSourceIdentity), inherited in role chaining.
 */
import { eq } from 'drizzle-orm';
import { actionContext } from '../authz/action-keys.ts';
import type { Caller } from '../authz/caller.ts';
import type { EffectivePolicies } from '../authz/effective-set.ts';
import type { AccountPlacement } from '../authz/organization-placements.ts';
import type { RequestFacts } from '../authz/guard.ts';
import { requestContext } from '../authz/guard.ts';
import type { Database } from '../db/client.ts';
import { roles, stsSessions, type Tag } from '../db/schema/index.ts';
import { runWrite } from '../changes/outbox.ts';
import type { RequestPrincipal } from '../policy/types.ts';
import { AccessDeniedError, ValidationError } from '../errors.ts';
import type { SeedCipher } from '../iam/mfa/seed-cipher.ts';
import { MIN_SESSION_SECONDS, ROLE_DEFAULT_SECONDS, sessionDuration } from './duration.ts';
import { mfaCodeOf, userMfaCodeIsValid } from './mfa-code.ts';
import { issueSession, type TemporaryCredentials } from './issue.ts';
import {
  sessionTagging,
  validateExternalId,
  validateRoleSessionName,
  validateSessionPolicies,
  validateSourceIdentity,
  type InheritedSession,
} from './session-request.ts';
import { decideTrust } from './trust.ts';

/** What STS needs to know about the request besides its input. */
export interface StsRequest {
  readonly caller: Caller;
  /** The caller's effective policies (the request's batched loader). */
  readonly callerPolicies: () => Promise<EffectivePolicies>;
  /** An account's organization placement (its SCPs and RCPs): the caller's and the role's accounts are asked. */
  readonly placement: (accountId: string) => Promise<AccountPlacement>;
  readonly facts: RequestFacts;
  readonly cipher: () => Promise<SeedCipher>;
  readonly now?: Date;
}

/** AssumeRole parameters, named as in the STS API. */
export interface AssumeRoleInput {
  readonly roleArn: string;
  readonly roleSessionName: string;
  readonly durationSeconds?: number | null;
  readonly policy?: string | null;
  readonly policyArns?: readonly string[] | null;
  readonly tags?: readonly Tag[] | null;
  readonly transitiveTagKeys?: readonly string[] | null;
  readonly externalId?: string | null;
  readonly serialNumber?: string | null;
  readonly tokenCode?: string | null;
  readonly sourceIdentity?: string | null;
}

/** The assumed role session as AssumeRole reports it. */
export interface AssumedRoleUser {
  readonly arn: string;
  /** `AROA…:<session name>`, what aws:userid reports for the session. */
  readonly assumedRoleId: string;
}

/** AssumeRole's answer; the credentials are shown once. */
export interface AssumedRole {
  readonly credentials: TemporaryCredentials;
  readonly assumedRoleUser: AssumedRoleUser;
  readonly sourceIdentity: string | null;
  readonly revision: string;
}

const ROLE_ARN = /^arn:aws:iam::(\d{12}):role\/(?:[!-~]*\/)?[\w+=,.@-]{1,64}$/;

/** Validates a role ARN. */
export function validateRoleArn(value: string, field = 'input.roleArn'): string {
  if (!ROLE_ARN.test(value)) throw new ValidationError(field, 'pattern', `${field} ${JSON.stringify(value.slice(0, 100))} is not a role ARN (arn:aws:iam::<account>:role/<path><name>)`);
  return value;
}

/** The role with this ARN in any account, or undefined (callers answer AccessDenied either way). */
export async function findRoleByArn(database: Database, roleArn: string) {
  const [role] = await database.db.select().from(roles).where(eq(roles.arn, roleArn));
  return role;
}

/** The assumed-role session ARN. */
export function assumedRoleArn(accountId: string, roleName: string, sessionName: string): string {
  return `arn:aws:sts::${accountId}:assumed-role/${roleName}/${sessionName}`;
}

/** AssumeRole. */
export async function assumeRole(database: Database, request: StsRequest, input: AssumeRoleInput): Promise<AssumedRole> {
  const { caller } = request;
  const now = request.now ?? new Date();
  validateRoleArn(input.roleArn);
  const sessionName = validateRoleSessionName(input.roleSessionName);
  const externalId = validateExternalId(input.externalId);
  let sourceIdentity = validateSourceIdentity(input.sourceIdentity);
  const mfaCode = mfaCodeOf(input);
  const deny = (message: string, action = 'sts:AssumeRole') => new AccessDeniedError(action, input.roleArn, message);
  if (caller.kind === 'root') throw deny('the root user cannot assume roles; use an IAM user or role');
  // AWS: a GetFederationToken session can call no STS operation but GetCallerIdentity.
  if (caller.kind === 'federated-user') throw deny('federated user sessions cannot call STS operations other than GetCallerIdentity');

  // Nothing about the role (whether it exists, its MaxSessionDuration, its account's policies) is
  // looked at before trust allows the caller: "no such role" and "not trusted" get one answer.
  const notTrusted = (action: string) => deny(`${caller.arn} is not authorized to perform ${action} on resource ${input.roleArn}`, action);
  const chained = caller.kind === 'role-session';

  // Role chaining: transitive tags and the source identity of the calling session carry over.
  let inherited: InheritedSession | undefined;
  let callerMfa = false;
  if (caller.credential.type === 'session') {
    const [own] = await database.db.select().from(stsSessions).where(eq(stsSessions.accessKeyId, caller.credential.accessKeyId));
    if (own !== undefined) {
      callerMfa = own.mfaAuthenticated;
      if (chained) inherited = { tags: own.sessionTags, transitiveTagKeys: own.transitiveTagKeys };
      if (chained && own.sourceIdentity !== null) {
        if (sourceIdentity !== undefined && sourceIdentity !== own.sourceIdentity) {
          throw new ValidationError('input.sourceIdentity', 'immutable', 'input.sourceIdentity cannot differ from the source identity of the calling session');
        }
        sourceIdentity = own.sourceIdentity;
      }
    }
  }
  const tagging = sessionTagging(input.tags, input.transitiveTagKeys, inherited);

  let mfaNow = false;
  if (mfaCode !== undefined) {
    if (caller.kind !== 'user') throw deny('MFA authentication needs an IAM user caller');
    mfaNow = await userMfaCodeIsValid(database, caller, mfaCode, await request.cipher(), now, 'sts:AssumeRole');
    if (!mfaNow) throw deny('MultiFactorAuthentication failed with an invalid serial number or one-time code');
  }

  const role = await findRoleByArn(database, input.roleArn);
  if (role === undefined) throw notTrusted('sts:AssumeRole');
  const [effective, callerPlacement, rolePlacement] = await Promise.all([
    request.callerPolicies(),
    request.placement(caller.accountId),
    request.placement(role.accountId),
  ]);
  const placements = { caller: callerPlacement, role: rolePlacement };
  const mfaPresent = mfaNow || callerMfa;
  const principal: RequestPrincipal = {
    ...effective.principal,
    ...(mfaPresent ? { mfaPresent: true, ...(mfaNow ? { mfaAgeSeconds: 0 } : {}) } : {}),
  };
  // One request, one context: the keys the Reference lists for sts:AssumeRole (which include those
  // of sts:TagSession and sts:SetSourceIdentity) serve every action the call is checked for.
  const context = await actionContext(
    'sts:AssumeRole',
    {
      roleSessionName: sessionName,
      externalId,
      sourceIdentity: input.sourceIdentity,
      requestTags: tagging.requestTags,
      transitiveTagKeys: tagging.requestTransitiveKeys,
      resourceTags: role.tags,
    },
    requestContext(request.facts),
  );

  // Passing tags needs sts:TagSession, setting a source identity sts:SetSourceIdentity, both in the trust policy too.
  const actions = ['sts:AssumeRole'];
  if (tagging.requestTags.length > 0) actions.push('sts:TagSession');
  if (input.sourceIdentity != null) actions.push('sts:SetSourceIdentity');
  for (const action of actions) {
    const decision = decideTrust({ action, role, principal, identity: effective, context, now, placements });
    if (decision === undefined || !decision.allowed) throw notTrusted(action);
  }

  // Only now, with the caller trusted, is the request checked against the role.
  const durationSeconds = sessionDuration(input.durationSeconds, {
    min: MIN_SESSION_SECONDS,
    max: chained ? ROLE_DEFAULT_SECONDS : role.maxSessionDuration,
    fallback: ROLE_DEFAULT_SECONDS,
    maxReason: chained ? 'role chaining limits sessions to one hour' : "the role's MaxSessionDuration",
  });
  const sessionPolicies = await validateSessionPolicies(database.db, role.accountId, input.policy, input.policyArns);

  const arn = assumedRoleArn(role.accountId, role.name, sessionName);
  const { result, revision } = await runWrite(database, { arn: caller.arn, accountId: caller.accountId }, async (tx, record) => {
    const issued = await issueSession(tx, {
      accountId: role.accountId,
      kind: 'assume_role',
      roleId: role.id,
      arn,
      sessionName,
      sessionPolicy: sessionPolicies.policy,
      sessionPolicyArns: sessionPolicies.policyArns,
      sessionTags: tagging.tags,
      transitiveTagKeys: tagging.transitiveTagKeys,
      sourceIdentity: sourceIdentity ?? null,
      sourceArn: caller.arn,
      mfaAuthenticated: mfaPresent,
      issuedAt: now,
      expiresAt: new Date(now.getTime() + durationSeconds * 1000),
    });
    await tx.update(roles).set({ lastUsedAt: now }).where(eq(roles.id, role.id));
    record({
      kind: 'RoleAssumed',
      entityType: 'role-session',
      entityArn: arn,
      affectedPrincipalIds: [],
      accountId: role.accountId,
      payload: {
        roleName: role.name,
        roleSessionName: sessionName,
        accessKeyId: issued.credentials.accessKeyId,
        durationSeconds,
        mfaAuthenticated: mfaPresent,
        sourceIdentity: sourceIdentity ?? null,
        tagKeys: tagging.tags.map((t) => t.key),
        chained,
      },
    });
    return issued;
  });
  return {
    credentials: result.credentials,
    assumedRoleUser: { arn, assumedRoleId: `${role.id}:${sessionName}` },
    sourceIdentity: sourceIdentity ?? null,
    revision,
  };
}
