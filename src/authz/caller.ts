/**
 * Who is calling: the principal behind the request's credential, as authentication establishes it
 * and self-authorization consumes it. A discriminated union, so a role session always carries its
 * role and session facts and a user never does.
 */
import type { CompiledPolicy } from '../policy/types.ts';
import type { ActionFacts } from './action-keys.ts';

/** How the caller proved who they are. */
export type CallerCredential =
  | { readonly type: 'access-key'; readonly accessKeyId: string }
  | {
      readonly type: 'session';
      readonly sessionId: string;
      /** The temporary access key id (ASIA…) of the session. */
      readonly accessKeyId: string;
      readonly issuedAt: Date;
      readonly expiresAt: Date;
      readonly mfaAuthenticatedAt?: Date;
      /** A sign-in session whose password must be changed first (see src/server/password-reset-gate.ts). */
      readonly passwordResetRequired?: true;
    };

/** Facts shared by every kind of caller. */
interface CallerBase {
  readonly accountId: string;
  /** The caller's ARN as AWS reports it from GetCallerIdentity. */
  readonly arn: string;
  readonly credential: CallerCredential;
}

/** The account's root user: allowed everything in its own account unless a guardrail or resource policy denies. */
export interface RootCaller extends CallerBase {
  readonly kind: 'root';
  /** The root user's unique id. */
  readonly userId: string;
}

/** An IAM user, with an access key or a sign-in / GetSessionToken session. */
export interface UserCaller extends CallerBase {
  readonly kind: 'user';
  readonly userId: string;
  readonly userName: string;
  readonly tags: Readonly<Record<string, string>>;
}

/** A session of an assumed role (AssumeRole, AssumeRoleWithWebIdentity). */
export interface RoleSessionCaller extends CallerBase {
  readonly kind: 'role-session';
  readonly roleId: string;
  readonly roleArn: string;
  readonly roleName: string;
  readonly sessionName: string;
  /** Role tags overridden by session tags, as `aws:PrincipalTag/*` sees them. */
  readonly tags: Readonly<Record<string, string>>;
  readonly sourceIdentity?: string;
}

/**
 * A GetFederationToken session (`arn:aws:sts::<account>:federated-user/<name>`): the IAM user (or
 * root) that asked for it, cut down by the session policies it was given.
 */
export interface FederatedUserCaller extends CallerBase {
  readonly kind: 'federated-user';
  /** The unique id of the IAM user (or root user) that called GetFederationToken. */
  readonly userId: string;
  /** The ARN of that user. */
  readonly userArn: string;
  /** The name given to GetFederationToken. */
  readonly federatedUserName: string;
}

/** An authenticated principal. */
export type Caller = RootCaller | UserCaller | RoleSessionCaller | FederatedUserCaller;

/**
 * Whether AWS's limits on GetFederationToken sessions refuse `action`: they "cannot call any IAM
 * operations" nor any STS operation but GetCallerIdentity (which needs no permission). Portcullis'
 * own decision action iam:Authorize, asked about the session itself, is the analogue of a request
 * the federated user makes to another service, so it is left to the session's policies.
 */
export function federationForbids(caller: Caller, action: string, resourceArn: string): boolean {
  if (caller.kind !== 'federated-user') return false;
  const lower = action.toLowerCase();
  if (lower === 'iam:authorize' && resourceArn === caller.arn) return false;
  return lower.startsWith('iam:') || lower.startsWith('sts:');
}

/** Whether the caller is a sign-in session that must change its password before anything else. */
export function mustChangePassword(caller: Caller | undefined): boolean {
  return caller?.credential.type === 'session' && caller.credential.passwordResetRequired === true;
}

/**
 * Self-authorization for one request: every GraphQL field is an IAM action on an ARN, decided by
 * the policy engine from the caller's own policies. Lives on the GraphQL context as `guard`.
 */
export interface AccessGuard {
  /** The authenticated caller, or undefined for an anonymous request. */
  readonly caller: Caller | undefined;
  /**
   * Resolves with the caller when the action is allowed on the resource. Rejects with an
   * UnauthenticatedError when there is no caller, a PasswordResetRequiredError for a session that
   * must change its password (for any action but PASSWORD_SELF_SERVICE_ACTIONS), and an
   * AccessDeniedError (naming the action and resource) when the engine does not allow it. `facts`
   * fill the condition keys the action accepts (iam:PolicyARN, aws:RequestTag/*, the target's
   * aws:ResourceTag/* …).
   */
  require(action: string, resourceArn: string, facts?: ActionFacts): Promise<Caller>;
  /**
   * `require` with `grant`, when the caller holds one, counted among its identity-based policies:
   * a permission IAM gives at the account level instead of through an attached policy (password
   * self-service, src/authz/password-self-service.ts). An explicit Deny, an SCP or a permissions
   * boundary that does not allow the action still refuses it. Without a grant, exactly `require`.
   */
  requireGranted(action: string, resourceArn: string, grant: CompiledPolicy | undefined, facts?: ActionFacts): Promise<Caller>;
  /**
   * `require` on an entity the caller named: decided on `resourceArn` (its stored ARN, with its
   * path), but to a caller who may not `readAction` it a denial names `shownArn` instead (the ARN
   * a missing entity of that name would have) and explains the decision there, without the
   * entity's own tags, so the answer is the same whether the entity exists or not and never shows its path.
   */
  requireConcealed(action: string, resourceArn: string, shownArn: string, readAction: string, facts?: ActionFacts): Promise<Caller>;
  /** Whether the action is allowed (false for anonymous); never throws for a denial. */
  allows(action: string, resourceArn: string, facts?: ActionFacts): Promise<boolean>;
}
