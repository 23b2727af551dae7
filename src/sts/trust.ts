/**
 * The authorization of role assumption. A role's trust policy is a resource policy on the role;
 * the engine's trust rule (src/policy/evaluate.ts, rule 5) implements the AWS User Guide: the
 * trust policy must allow; if it names the caller's exact ARN that suffices within the account,
 * while a trust policy naming only the account (or the caller's role) also needs the caller's
 * identity policies to allow sts:AssumeRole on the role; across accounts both must allow. The
 * organization's guardrails apply as to any request: the SCPs of the caller's account bind its
 * sts:AssumeRole, and the RCPs of the role's account bind every caller (STS is among the services
 * RCPs cover: https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html).
 */
import { guardrailsBind, type EffectivePolicies } from '../authz/effective-set.ts';
import type { AccountPlacement } from '../authz/organization-placements.ts';
import { compilePolicy, evaluate } from '../policy/index.ts';
import type { CompiledPolicy, Decision, RequestContext, RequestPrincipal } from '../policy/types.ts';

/** Compiled trust policies by role id and text: a role's trust policy changes rarely. */
const compiledTrust = new Map<string, CompiledPolicy | null>();
const CACHE_LIMIT = 1000;

/** What compiling a role's trust policy needs: its text and the unique ids it was saved with (trust-principals.ts). */
export interface TrustedRole {
  readonly id: string;
  readonly arn: string;
  readonly trustPolicy: string;
  readonly trustPrincipalIds: Readonly<Record<string, string>>;
}

/**
 * The role's trust policy compiled as a `trust` document, its user and role ARNs bound to the
 * unique ids saved with it; undefined when it does not compile.
 */
export function compiledTrustPolicy(role: TrustedRole): CompiledPolicy | undefined {
  const key = `${role.id}\n${role.trustPolicy}\n${JSON.stringify(role.trustPrincipalIds)}`;
  let compiled = compiledTrust.get(key);
  if (compiled === undefined) {
    const result = compilePolicy(role.trustPolicy, 'trust', { id: `${role.arn}/trust-policy`, name: 'TrustPolicy' }, { principalIds: role.trustPrincipalIds });
    compiled = result.ok ? result.policy : null;
    if (compiledTrust.size >= CACHE_LIMIT) compiledTrust.clear();
    compiledTrust.set(key, compiled);
  }
  return compiled ?? undefined;
}

/** One question about assuming `role`. */
export interface TrustQuestion {
  readonly action: string;
  readonly role: TrustedRole & { readonly accountId: string };
  readonly principal: RequestPrincipal;
  /** The caller's own policies; absent for web identity (a federated principal has none). */
  readonly identity?: Pick<EffectivePolicies, 'identity' | 'boundary' | 'session'>;
  readonly context: RequestContext;
  readonly now: Date;
  /**
   * The organization placements: the caller's account (its SCPs; absent for federated callers,
   * who are no IAM principal of a member account) and the role's account (its RCPs).
   */
  readonly placements: { readonly caller?: AccountPlacement; readonly role: AccountPlacement };
}

/** Decides one sts:* action on a role from its trust policy and the caller's identity side. */
export function decideTrust(q: TrustQuestion): Decision | undefined {
  const trust = compiledTrustPolicy(q.role);
  if (trust === undefined) return undefined;
  const identity = q.identity;
  const binds = guardrailsBind(q.principal);
  const scps = binds ? q.placements.caller?.serviceControl : undefined;
  const rcps = binds ? q.placements.role.resourceControl : undefined;
  return evaluate(
    {
      principal: q.principal,
      action: q.action,
      resource: q.role.arn,
      resourceAccount: q.role.accountId,
      principalOrganization: q.placements.caller?.organization,
      resourceOrganization: q.placements.role.organization,
      context: q.context,
      now: q.now,
    },
    {
      identity: identity?.identity ?? [],
      resource: trust,
      ...(identity?.boundary === undefined ? {} : { boundary: identity.boundary }),
      ...(identity?.session === undefined ? {} : { session: identity.session }),
      ...(scps === undefined ? {} : { guardrails: scps }),
      ...(rcps === undefined ? {} : { resourceGuardrails: rcps }),
    },
  );
}

/** A single-valued string context entry. */
export function stringEntry(value: string): RequestContext[string] {
  return { type: 'string', multi: false, values: [value] };
}

/** A multi-valued string context entry. */
export function stringList(values: readonly string[]): RequestContext[string] {
  return { type: 'string', multi: true, values: [...values] };
}
