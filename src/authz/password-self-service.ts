/**
 * The permissions IAM gives a user over its own password without an attached policy: what the
 * account password policy's AllowUsersToChangePassword gives every IAM user ("permissions to
 * iam:ChangePassword for only their user and to the iam:GetAccountPasswordPolicy action … applied
 * at the account-level for all users by IAM"), and what a sign-in that must set a new password is
 * given (AWS's console attaches IAMUserChangePassword to such a user). Both are the statements of
 * the AWS managed policy IAMUserChangePassword.
 *
 * It is a grant, not a bypass: the guard evaluates it as one more identity-based policy of the
 * caller (RequestGuard.requireGranted), so an explicit Deny, an SCP or a permissions boundary that
 * does not allow the action still refuses it, as they would the attached managed policy.
 */
import { compilePolicy } from '../policy/index.ts';
import type { CompiledPolicy } from '../policy/types.ts';
import { mustChangePassword, type Caller } from './caller.ts';

const DOCUMENT = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Action: 'iam:ChangePassword', Resource: ['arn:aws:iam::*:user/${aws:username}', 'arn:aws:iam::*:user/*/${aws:username}'] },
    { Effect: 'Allow', Action: 'iam:GetAccountPasswordPolicy', Resource: '*' },
  ],
});

function compileGrant(): CompiledPolicy {
  const result = compilePolicy(DOCUMENT, 'identity', { id: 'AccountPasswordPolicy/AllowUsersToChangePassword', name: 'IAMUserChangePassword' });
  if (!result.ok) throw new Error(`the password self-service grant does not compile: ${result.findings.map((f) => f.message).join('; ')}`);
  return result.policy;
}

/**
 * The actions of the grant: what a session that must change its password may still be checked
 * for (changing it, and reading the rules the new one must follow).
 */
export const PASSWORD_SELF_SERVICE_ACTIONS: ReadonlySet<string> = new Set(['iam:ChangePassword', 'iam:GetAccountPasswordPolicy']);

/** The grant, compiled once. */
export const PASSWORD_SELF_SERVICE: CompiledPolicy = compileGrant();

/**
 * The grant `caller` holds: an IAM user's (not the root user's, nor a role's or a federated
 * user's) while its account lets users change their passwords or its sign-in must set a new one.
 */
export function passwordSelfServiceOf(caller: Caller | undefined, policy: { readonly allowUsersToChangePassword: boolean } | undefined): CompiledPolicy | undefined {
  if (caller?.kind !== 'user') return undefined;
  return policy?.allowUsersToChangePassword === true || mustChangePassword(caller) ? PASSWORD_SELF_SERVICE : undefined;
}
