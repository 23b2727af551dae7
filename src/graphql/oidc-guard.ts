/**
 * Self-authorization of operations on an OpenID Connect provider: the action on the ARN asked
 * for, with the provider's tags as `aws:ResourceTag/*` when it exists (nothing otherwise, so a
 * refusal reads the same whether or not it does).
 */
import type { ActionFacts } from '../authz/action-keys.ts';
import type { Caller } from '../authz/caller.ts';
import { NoSuchEntityError, ValidationError } from '../errors.ts';
import { getOidcProvider } from '../iam/oidc-providers.ts';
import type { GraphQLContext } from './context.ts';

/** Authorizes `action` on the provider `arn`, with its tags as facts (and the request's own `facts`, e.g. tags being set). */
export async function requireOnOidcProvider(context: GraphQLContext, action: string, arn: string, facts?: ActionFacts): Promise<Caller> {
  const caller = context.guard.caller;
  if (caller === undefined) return context.guard.require(action, arn, facts);
  const provider = await getOidcProvider(context.database.db, caller.accountId, arn).catch((error: unknown) => {
    if (error instanceof NoSuchEntityError || error instanceof ValidationError) return undefined;
    throw error;
  });
  return context.guard.require(action, arn, { ...facts, resourceTags: provider?.tags });
}
