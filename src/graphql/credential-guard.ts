/**
 * Self-authorization for credential operations. AWS's credential actions take an optional
 * UserName: given, the action is authorized on that user's ARN (looked up for its path, or the
 * path-`/` ARN when there is none; a denial shows no path to who may not read the user); omitted,
 * on the caller's own ARN, which lets policies like IAMUserChangePassword use `${aws:username}`.
 * The user the guard found is handed to the resolver, whose command then reads it by unique id
 * (`foundId`) and whose read shows it as found, instead of looking the name up a second time.
 */
import type { Caller } from '../authz/caller.ts';
import type { CompiledPolicy } from '../policy/types.ts';
import { resolveCredentialOwner, type SelfUser } from '../iam/credential-owner.ts';
import { virtualMfaDeviceTags } from '../iam/mfa/devices.ts';
import type { User } from '../iam/users.ts';
import type { GraphQLContext } from './context.ts';
import { requireOnPrincipal } from './directory-guard.ts';

/** The caller as a credential owner: users and root manage their own credentials; role sessions have none. */
export function selfOf(caller: Caller): SelfUser | undefined {
  return caller.kind === 'role-session' || caller.kind === 'federated-user' ? undefined : { userId: caller.userId };
}

/** What `requireOnOwner` authorized: the caller, and the named user as its guard found it. */
export interface AuthorizedOnOwner {
  readonly caller: Caller;
  /**
   * The user `userName` names, as the guard found it; undefined when no name was given (the caller
   * means itself) or none has it. A write hands its id to the command (`foundId`), which reads the
   * user by id inside its transaction instead of by name again; given undefined, the command looks
   * the owner up as it always has and reports a missing one the same way.
   */
  readonly owner: User | undefined;
}

/**
 * Authorizes `action` on the credential owner's ARN (named user, or the caller itself), with its
 * tags as facts; on the caller itself, with `selfGrant` too (RequestGuard.requireGranted).
 */
export async function requireOnOwner(context: GraphQLContext, action: string, userName: string | null | undefined, selfGrant?: CompiledPolicy): Promise<AuthorizedOnOwner> {
  const caller = context.guard.caller;
  if (caller === undefined) return { caller: await context.guard.require(action, '*'), owner: undefined };
  if (userName === undefined || userName === null) {
    // The caller's own tags are already loaded with its credential.
    const facts = { resourceTags: caller.kind === 'user' ? Object.entries(caller.tags).map(([key, value]) => ({ key, value })) : undefined };
    return { caller: await context.guard.requireGranted(action, caller.arn, selfGrant, facts), owner: undefined };
  }
  const { caller: authorized, principal } = await requireOnPrincipal(context, action, 'user', userName);
  return { caller: authorized, owner: principal };
}

/**
 * The credential owner a read shows, once `requireOnOwner` authorized it: the user the guard
 * found, else the caller itself; a missing or invalid `userName` fails with its domain error.
 */
export async function ownerToRead(context: GraphQLContext, { caller, owner }: AuthorizedOnOwner, userName: string | null | undefined): Promise<User> {
  if (owner !== undefined) return owner;
  return resolveCredentialOwner(context.database.db, caller.accountId, userName, selfOf(caller), { field: 'userName' });
}

/** Only a well-formed serial number is worth a lookup; anything else names no stored device. */
const MFA_SERIAL = /^arn:aws:iam::\d{12}:mfa\/[\x21-\x7e]{1,512}$/;

/** Authorizes `action` on a virtual MFA device, with its tags (when it exists) as facts. */
export async function requireOnMfaDevice(context: GraphQLContext, action: string, serialNumber: string): Promise<Caller> {
  const caller = context.guard.caller;
  if (caller === undefined || !MFA_SERIAL.test(serialNumber)) return context.guard.require(action, serialNumber);
  const resourceTags = await virtualMfaDeviceTags(context.database.db, caller.accountId, serialNumber);
  return context.guard.require(action, serialNumber, { resourceTags });
}

/**
 * Returns a revoking write's result only once this instance has applied its revision, so the
 * caller's next request here can no longer authenticate with (or be allowed by) what was revoked.
 * Other instances catch up through LISTEN/NOTIFY; decisions there honour `minRevision`.
 */
export async function settled<T extends { readonly revision: string }>(context: GraphQLContext, written: T): Promise<T> {
  await context.authz.runtime.reachRevision(BigInt(written.revision), 'revision');
  return written;
}
