/**
 * The request context as conditions and variables see it: the caller's typed entries (matched
 * case-insensitively) over the global keys the engine derives from the request principal
 * (User Guide: "AWS global condition context keys"). Nothing is built up front: caller entries are
 * indexed once per context object (cached), derived values once per principal object (cached),
 * and the clock keys only when a policy asks for them.
 */
import type { ContextValue, EvaluationRequest, RequestContext, RequestPrincipal } from './types.ts';

const contextIndexes = new WeakMap<RequestContext, Map<string, ContextValue>>();
const principalValues = new WeakMap<RequestPrincipal, Map<string, ContextValue | null>>();
const EMPTY_INDEX: ReadonlyMap<string, ContextValue> = new Map();

/** Lower-cased index of the caller's entries, built once per context object. */
function indexContext(ctx: RequestContext | undefined): ReadonlyMap<string, ContextValue> {
  if (ctx === undefined) return EMPTY_INDEX;
  let index = contextIndexes.get(ctx);
  if (index === undefined) {
    index = new Map();
    for (const key of Object.keys(ctx)) index.set(key.toLowerCase(), ctx[key]!);
    contextIndexes.set(ctx, index);
  }
  return index;
}

const one = (type: ContextValue['type'], value: string): ContextValue => ({ type, multi: false, values: [value] });

const SESSION_TYPES: ReadonlySet<string> = new Set(['AssumedRole', 'FederatedUser']);

/** The value of a global key derivable from the principal alone, or undefined when AWS would omit it. */
export function derivePrincipalKey(p: RequestPrincipal, keyLower: string): ContextValue | undefined {
  const anonymous = p.type === 'Anonymous';
  switch (keyLower) {
    case 'aws:username':
      // Present for IAM users only.
      return p.type === 'User' && p.userName !== undefined ? one('string', p.userName) : undefined;
    case 'aws:userid': {
      if (p.userId !== undefined) return one('string', p.userId);
      if (p.type === 'Account') return one('string', p.accountId);
      return anonymous ? one('string', 'anonymous') : undefined;
    }
    case 'aws:principalarn':
      // For a role session AWS reports the role's ARN, not the session's.
      if (anonymous) return undefined;
      return one('string', p.type === 'AssumedRole' && p.roleArn !== undefined ? p.roleArn : p.arn);
    case 'aws:principalaccount':
      return anonymous || p.accountId === '' ? undefined : one('string', p.accountId);
    case 'aws:principaltype':
      return one('string', p.type);
    case 'aws:principalisawsservice':
      return one('boolean', p.type === 'AWSService' ? 'true' : 'false');
    case 'aws:principalservicename':
      return p.type === 'AWSService' && p.servicePrincipal !== undefined ? one('string', p.servicePrincipal) : undefined;
    case 'aws:multifactorauthpresent':
      // Only in requests signed with temporary credentials; long-term access keys omit it.
      if (p.mfaPresent !== undefined) return one('boolean', p.mfaPresent ? 'true' : 'false');
      return SESSION_TYPES.has(p.type) ? one('boolean', 'false') : undefined;
    case 'aws:multifactorauthage':
      return p.mfaAgeSeconds !== undefined ? one('numeric', String(p.mfaAgeSeconds)) : undefined;
    case 'aws:tokenissuetime':
      return p.tokenIssueTime !== undefined ? one('date', p.tokenIssueTime.toISOString()) : undefined;
    case 'aws:sourceidentity':
      return p.sourceIdentity !== undefined ? one('string', p.sourceIdentity) : undefined;
  }
  if (keyLower.startsWith('aws:principaltag/') && p.tags !== undefined) {
    // Tag keys in condition keys are case-insensitive.
    const wanted = keyLower.slice('aws:principaltag/'.length);
    for (const tag of Object.keys(p.tags)) {
      if (tag.toLowerCase() === wanted) return one('string', p.tags[tag]!);
    }
  }
  return undefined;
}

/** Cached `derivePrincipalKey`. */
function principalKey(p: RequestPrincipal, keyLower: string): ContextValue | undefined {
  let cache = principalValues.get(p);
  if (cache === undefined) {
    cache = new Map();
    principalValues.set(p, cache);
  }
  let v = cache.get(keyLower);
  if (v === undefined) {
    v = derivePrincipalKey(p, keyLower) ?? null;
    if (cache.size < 256) cache.set(keyLower, v);
  }
  return v ?? undefined;
}

/**
 * A reusable view of one request's context. `evaluate` keeps one and `reset`s it per request,
 * so a decision allocates nothing here unless a policy asks for the clock or resource account.
 */
export class ContextView {
  private request!: EvaluationRequest;
  private index: ReadonlyMap<string, ContextValue> = EMPTY_INDEX;
  private now: Date | undefined;

  /** Point the view at a new request. */
  reset(request: EvaluationRequest): void {
    this.request = request;
    this.index = indexContext(request.context);
    this.now = request.now;
  }

  /** The value for a (lower-cased) key: caller entries first, then derived global keys. */
  get(keyLower: string): ContextValue | undefined {
    const given = this.index.get(keyLower);
    if (given !== undefined) return given;
    if (!keyLower.startsWith('aws:')) return undefined;
    switch (keyLower) {
      case 'aws:currenttime':
        return one('date', this.clock().toISOString());
      case 'aws:epochtime':
        return one('date', String(Math.floor(this.clock().getTime() / 1000)));
      case 'aws:resourceaccount':
        return one('string', this.request.resourceAccount ?? this.request.principal.accountId);
    }
    return principalKey(this.request.principal, keyLower);
  }

  private clock(): Date {
    if (this.now === undefined) this.now = new Date();
    return this.now;
  }
}
