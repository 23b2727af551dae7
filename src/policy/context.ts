/**
 * The request context as conditions and variables see it: the caller's typed entries (matched
 * case-insensitively) over the global keys the engine derives from the request principal
 * (User Guide: "AWS global condition context keys"). Nothing is built up front: caller entries are
 * indexed once per context object (cached), derived values once per principal object (cached),
 * and the clock keys only when a policy asks for them.
 */
import type { ContextValue, EvaluationRequest, OrganizationMembership, RequestContext, RequestPrincipal } from './types.ts';

const contextIndexes = new WeakMap<RequestContext, Map<string, ContextValue>>();
const principalValues = new WeakMap<RequestPrincipal, Map<string, ContextValue | null>>();

/** Contexts with more keys than this get a lower-cased index (cached per object) instead of scans. */
const SCAN_LIMIT = 16;

/** Lower-cased index of a large context, built once per context object. */
function indexContext(ctx: RequestContext): Map<string, ContextValue> {
  let index = contextIndexes.get(ctx);
  if (index === undefined) {
    index = new Map();
    for (const key of Object.keys(ctx)) index.set(key.toLowerCase(), ctx[key]!);
    contextIndexes.set(ctx, index);
  }
  return index;
}

/** Find a key by exact spelling (the common case). */
function directLookup(ctx: RequestContext, keyAsWritten: string): ContextValue | undefined {
  const direct = ctx[keyAsWritten];
  return direct !== undefined && Object.hasOwn(ctx, keyAsWritten) ? direct : undefined;
}

const one = (type: ContextValue['type'], value: string): ContextValue => ({ type, multi: false, values: [value] });

const SESSION_TYPES: ReadonlySet<string> = new Set(['AssumedRole', 'FederatedUser']);

/** The organization keys' values of one membership, built once per membership object. */
interface MembershipValues {
  readonly organizationId: ContextValue;
  /** Multivalued, as AWS types aws:PrincipalOrgPaths / aws:ResourceOrgPaths (ArrayOfString). */
  readonly paths: ContextValue;
}
const membershipValues = new WeakMap<OrganizationMembership, MembershipValues>();

function valuesOf(m: OrganizationMembership): MembershipValues {
  let v = membershipValues.get(m);
  if (v === undefined) {
    v = { organizationId: one('string', m.organizationId), paths: { type: 'string', multi: true, values: [m.path] } };
    membershipValues.set(m, v);
  }
  return v;
}

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

/** The cache of derived values for one principal object. */
function principalCache(p: RequestPrincipal): Map<string, ContextValue | null> {
  let cache = principalValues.get(p);
  if (cache === undefined) {
    cache = new Map();
    principalValues.set(p, cache);
  }
  return cache;
}

/**
 * A reusable view of one request's context. `evaluate` keeps one and `reset`s it per request,
 * so a decision allocates nothing here unless a policy asks for the clock or resource account.
 */
export class ContextView {
  private request!: EvaluationRequest;
  private context: RequestContext | undefined;
  private index: Map<string, ContextValue> | undefined;
  private clockValues: { ms: number; current: ContextValue; epoch: ContextValue } | undefined;
  private now: Date | undefined;
  private derived: Map<string, ContextValue | null> | undefined;

  /** Point the view at a new request. */
  reset(request: EvaluationRequest): void {
    this.request = request;
    const ctx = request.context;
    this.context = ctx;
    this.index = undefined;
    this.now = request.now;
    this.derived = undefined;
  }

  /** The value for a key (lower-cased, and as written): caller entries first, then derived global keys. */
  get(keyLower: string, keyAsWritten: string = keyLower): ContextValue | undefined {
    const ctx = this.context;
    if (ctx !== undefined) {
      const given = this.index !== undefined ? this.index.get(keyLower) : this.search(ctx, keyLower, keyAsWritten);
      if (given !== undefined) return given;
    }
    // Principal-derived values (and known absences) are cached per principal object.
    const cache = (this.derived ??= principalCache(this.request.principal));
    const cached = cache.get(keyLower);
    if (cached !== undefined) return cached ?? undefined;
    if (!keyLower.startsWith('aws:')) return undefined;
    switch (keyLower) {
      // These depend on the request, not the principal: computed when asked, never cached.
      case 'aws:currenttime':
        return this.clockValue().current;
      case 'aws:epochtime':
        return this.clockValue().epoch;
      case 'aws:resourceaccount':
        return one('string', this.request.resourceAccount ?? this.request.principal.accountId);
      // Present only when the account is a member of an organization.
      case 'aws:principalorgid': {
        const m = this.request.principalOrganization;
        return m === undefined ? undefined : valuesOf(m).organizationId;
      }
      case 'aws:principalorgpaths': {
        const m = this.request.principalOrganization;
        return m === undefined ? undefined : valuesOf(m).paths;
      }
      case 'aws:resourceorgid': {
        const m = this.resourceOrganization();
        return m === undefined ? undefined : valuesOf(m).organizationId;
      }
      case 'aws:resourceorgpaths': {
        const m = this.resourceOrganization();
        return m === undefined ? undefined : valuesOf(m).paths;
      }
    }
    const v = derivePrincipalKey(this.request.principal, keyLower);
    if (cache.size < 256) cache.set(keyLower, v ?? null);
    return v;
  }

  /**
   * The resource's account's organization: the request's, else the principal's when the resource
   * is the principal's own account's (the default owner); absent outside any organization.
   */
  private resourceOrganization(): OrganizationMembership | undefined {
    const r = this.request;
    if (r.resourceOrganization !== undefined) return r.resourceOrganization;
    return r.resourceAccount === undefined || r.resourceAccount === r.principal.accountId ? r.principalOrganization : undefined;
  }

  /** Exact spelling first, then a case-insensitive scan; a large context gets indexed instead. */
  private search(ctx: RequestContext, keyLower: string, keyAsWritten: string): ContextValue | undefined {
    const direct = directLookup(ctx, keyAsWritten);
    if (direct !== undefined) return direct;
    let n = 0;
    for (const key in ctx) {
      n++;
      // Only a key of the same length can be the same name in another letter case.
      if (key.length === keyLower.length && key !== keyAsWritten && key.toLowerCase() === keyLower && Object.hasOwn(ctx, key)) {
        return ctx[key];
      }
    }
    if (n > SCAN_LIMIT) this.index = indexContext(ctx);
    return undefined;
  }

  /** aws:CurrentTime / aws:EpochTime, reused while the clock reads the same millisecond. */
  private clockValue(): { ms: number; current: ContextValue; epoch: ContextValue } {
    const now = this.clock();
    const ms = now.getTime();
    let c = this.clockValues;
    if (c === undefined || c.ms !== ms) {
      c = { ms, current: one('date', now.toISOString()), epoch: one('date', String(Math.floor(ms / 1000))) };
      this.clockValues = c;
    }
    return c;
  }

  private clock(): Date {
    if (this.now === undefined) this.now = new Date();
    return this.now;
  }
}
