/**
 * Self-authorization of managed-policy operations: the action on the policy's ARN, with the
 * policy's tags as `aws:ResourceTag/*` (looked up through the request's batched loader, once per
 * policy per request) and the request's own facts on top.
 */
import type { ActionFacts } from '../authz/action-keys.ts';
import type { Caller } from '../authz/caller.ts';
import type { GraphQLContext } from './context.ts';

/** Only a well-formed policy ARN is worth a lookup; anything else cannot name a stored policy. */
const POLICY_ARN = /^arn:aws:iam::(?:\d{12}|aws):policy\/[\x21-\x7e]{1,2048}$/;

/** Authorizes `action` on `policyArn`, with the tags of the policy it names (if any) and `facts`. */
export async function requireOnPolicy(context: GraphQLContext, action: string, policyArn: string, facts?: ActionFacts): Promise<Caller> {
  const caller = context.guard.caller;
  if (caller === undefined || !POLICY_ARN.test(policyArn)) return context.guard.require(action, policyArn, facts);
  const policy = await context.loaders.policies.byArn.load({ accountId: caller.accountId, arn: policyArn });
  return context.guard.require(action, policyArn, { resourceTags: policy?.tags, ...facts });
}
