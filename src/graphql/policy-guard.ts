/**
 * Self-authorization of managed-policy operations: the action on the policy's ARN, with the
 * policy's tags as `aws:ResourceTag/*` (looked up through the request's batched loader, once per
 * policy per request) and the request's own facts on top. The policy it found is handed to the
 * resolver, whose command then reads it by unique id (`foundId`) instead of by ARN again.
 */
import type { ActionFacts } from '../authz/action-keys.ts';
import type { Caller } from '../authz/caller.ts';
import type { ManagedPolicy } from '../iam/policies.ts';
import type { GraphQLContext } from './context.ts';

/** Only a well-formed policy ARN is worth a lookup; anything else cannot name a stored policy. */
const POLICY_ARN = /^arn:aws:iam::(?:\d{12}|aws):policy\/[\x21-\x7e]{1,2048}$/;

/** What `requireOnPolicy` authorized: the caller, and the policy it found by ARN. */
export interface AuthorizedOnPolicy {
  readonly caller: Caller;
  /**
   * The policy as the guard found it (visible to the caller's account), or undefined when none has
   * the ARN (or it is malformed). A write hands its id to the command (`foundId`); given undefined,
   * the command looks the ARN up and reports it as it always has.
   */
  readonly policy: ManagedPolicy | undefined;
}

/** Authorizes `action` on `policyArn`, with the tags of the policy it names (if any) and `facts`. */
export async function requireOnPolicy(context: GraphQLContext, action: string, policyArn: string, facts?: ActionFacts): Promise<AuthorizedOnPolicy> {
  const caller = context.guard.caller;
  if (caller === undefined || !POLICY_ARN.test(policyArn)) return { caller: await context.guard.require(action, policyArn, facts), policy: undefined };
  const policy = (await context.loaders.policies.byArn.load({ accountId: caller.accountId, arn: policyArn })) ?? undefined;
  return { caller: await context.guard.require(action, policyArn, { resourceTags: policy?.tags, ...facts }), policy };
}
