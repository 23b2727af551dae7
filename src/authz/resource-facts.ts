/**
 * What a question's resource contributes to its evaluation (its registered policy, tags and
 * owner), and the one rule `authorize` and the reverse queries share for evaluating a question
 * with it against a principal's effective set and the organization placements that bind both.
 */
import type { EvaluateOptions } from '../policy/index.ts';
import type { CompiledPolicy, Decision, RequestContext } from '../policy/types.ts';
import { evaluateSet, type EffectivePolicies } from './effective-set.ts';
import type { AccountPlacement } from './organization-placements.ts';
import { accountOfArn } from './principal-ref.ts';
import type { AuthorizeQuestion } from './question.ts';
import type { RegisteredResource } from './registered-resources.ts';

/**
 * The account owning a question's resource: the question's `resourceOwner`, else the registered
 * resource's account, else the ARN's, else the principal's.
 */
export function resourceAccountOf(set: EffectivePolicies, q: Pick<AuthorizeQuestion, 'resourceArn' | 'resourceOwner'>, resource: Pick<ResourceFacts, 'owner'>): string {
  return q.resourceOwner ?? resource.owner ?? accountOfArn(q.resourceArn) ?? set.principal.accountId;
}

/**
 * Evaluates one question for `set` with what its resource contributes: the one rule `authorize`
 * and the reverse questions (src/authz/reverse) share. The placements are those of the
 * principal's account (its SCPs) and of the resource's owner, `resourceAccountOf` (its RCPs): the
 * owner is taken from that placement rather than parsed from the question again.
 */
export function evaluateQuestion(
  set: EffectivePolicies,
  q: Pick<AuthorizeQuestion, 'action' | 'resourceArn'>,
  resource: ResourceFacts,
  now: Date,
  explain: EvaluateOptions | undefined,
  principalPlacement: AccountPlacement,
  resourcePlacement: AccountPlacement,
): Decision {
  return evaluateSet(set, q.action, q.resourceArn, resourcePlacement.accountId, resource.context, now, resource.policy, explain, principalPlacement, resourcePlacement);
}

/** What a question's resource contributes to its evaluation. */
export interface ResourceFacts {
  /** The request context, with the registered resource's tags as `aws:ResourceTag/*` unless the request set them. */
  readonly context: RequestContext;
  /** The resource policy: the question's own, else the registered resource's. */
  readonly policy: CompiledPolicy | undefined;
  /** The registered resource's account (the question's `resourceOwner` still wins). */
  readonly owner: string | undefined;
}

/**
 * When another account's registered resource took part (its owner is not `askerAccount`, the
 * caller's): its resource policy is that account's own, as its registry is, so the explanation
 * keeps the RESOURCE layer's outcome but not that policy's statements (their Sids, positions, and
 * which principal or condition a near miss failed on). Edits the engine's fresh decision in place.
 */
export function concealOwnersStatements(decision: Decision, resource: ResourceFacts, askerAccount: string): void {
  if (resource.owner === undefined || resource.owner === askerAccount) return;
  const fresh = decision as { -readonly [K in keyof Decision]: Decision[K] };
  fresh.matchedStatements = fresh.matchedStatements.filter((statement) => statement.layer !== 'resource');
  fresh.nearMisses = fresh.nearMisses.filter((miss) => miss.statement.layer !== 'resource');
}

/** The facts of a question that brought no resource policy: those of its registered resource, when there is one. */
export function resourceFacts(registered: RegisteredResource | null, context: RequestContext): ResourceFacts {
  if (registered === null) return { context, policy: undefined, owner: undefined };
  return { context: withResourceTags(context, registered.tagContext), policy: registered.policy, owner: registered.accountId };
}

/**
 * `context` plus the resource's `aws:ResourceTag/*` values for the keys it does not set (keys
 * compare case-insensitively, as condition keys do). Shares either object when nothing is added.
 */
function withResourceTags(context: RequestContext, tags: RequestContext): RequestContext {
  const tagKeys = Object.keys(tags);
  if (tagKeys.length === 0) return context;
  const keys = Object.keys(context);
  if (keys.length === 0) return tags;
  const set = new Set(keys.map((k) => k.toLowerCase()));
  const merged: Record<string, RequestContext[string]> = { ...context };
  for (const key of tagKeys) if (!set.has(key.toLowerCase())) merged[key] = tags[key]!;
  return merged;
}
