/**
 * Self-authorization for credential operations. AWS's credential actions take an optional
 * UserName: given, the action is authorized on that user's ARN (looked up for its path, or the
 * path-`/` ARN when there is none; a denial shows no path to who may not read the user); omitted,
 * on the caller's own ARN, which lets policies like IAMUserChangePassword use `${aws:username}`.
 */
import type { Caller } from '../authz/caller.ts';
import type { SelfUser } from '../iam/credential-owner.ts';
import { virtualMfaDeviceTags } from '../iam/mfa/devices.ts';
import type { GraphQLContext } from './context.ts';
import { requireOnPrincipal } from './directory-guard.ts';

/** The caller as a credential owner: users and root manage their own credentials; role sessions have none. */
export function selfOf(caller: Caller): SelfUser | undefined {
  return caller.kind === 'role-session' ? undefined : { userId: caller.userId };
}

/** Authorizes `action` on the credential owner's ARN (named user, or the caller itself), with its tags as facts. */
export async function requireOnOwner(context: GraphQLContext, action: string, userName: string | null | undefined): Promise<Caller> {
  const caller = context.guard.caller;
  if (caller === undefined) return context.guard.require(action, '*');
  if (userName === undefined || userName === null) {
    // The caller's own tags are already loaded with its credential.
    const resourceTags = caller.kind === 'user' ? Object.entries(caller.tags).map(([key, value]) => ({ key, value })) : undefined;
    return context.guard.require(action, caller.arn, { resourceTags });
  }
  return (await requireOnPrincipal(context, action, 'user', userName)).caller;
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
