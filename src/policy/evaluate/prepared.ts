/**
 * Partially applied evaluation: one principal's policies, one action, one request context and one
 * clock, prepared once and then decided against many resources (the reverse questions ask "on
 * which of 100,000 resources?"). Each decision equals `evaluate` on the full request (a property
 * test says so), because it runs the same scan and the same rules (`conclude`); only work that
 * cannot depend on the resource is done up front:
 *
 * - the candidate statements of each identity-side layer for the action (the action index);
 * - policy variables that read no resource key (`${aws:username}`, `${aws:PrincipalTag/team}`)
 *   are substituted once, in Resource entries and in condition values;
 * - conditions on keys that are not the resource's are decided once; a statement one of them
 *   rules out, and that could not even report a missing key, is dropped.
 *
 * What depends on the resource is its ARN (Resource matching), its account (`aws:ResourceAccount`
 * and the cross-account rules), its tags (`aws:ResourceTag/*`) and its resource-based policy,
 * which is scanned as `evaluate` scans it. A resource's context may differ from the prepared one
 * only in those resource keys. Prepared decisions do not collect near misses (`nearMisses: false`).
 */
import type { CompiledPolicy, Decision, EvaluationRequest, GuardrailLevels, OrganizationMembership, PolicySet, RequestContext, RequestPrincipal } from '../types.ts';
import type { CompiledCondition, ConditionEnv } from '../conditions/compile-condition.ts';
import { conclude, decideWith } from '../evaluate.ts';
import { ContextView } from '../context.ts';
import { compileResourcePattern } from '../match/resource-pattern.ts';
import { resolveTemplate } from '../variables.ts';
import type { ResourceTest } from '../compile/resource.ts';
import type { ApplicableStatement, CompiledStatement, LayerIndex } from '../compile/statement.ts';
import { BOUNDARY, GUARDRAIL, IDENTITY, RESOURCE, RESOURCE_GUARDRAIL, SESSION, Scan, internAction } from './scan.ts';
import { candidatesAcross } from './merged-index.ts';

/** The request without its resource: who asks, for which action, in which context, when. */
export interface PreparedRequest {
  readonly principal: RequestPrincipal;
  readonly action: string;
  readonly context?: RequestContext;
  /** The principal's account's place in its organization (aws:PrincipalOrgID, aws:PrincipalOrgPaths). */
  readonly principalOrganization?: OrganizationMembership | undefined;
  /** The clock every decision reads (fixed, so `aws:CurrentTime` conditions are decided once). */
  readonly now: Date;
}

/** The principal's policies: a PolicySet without the resource-based policy, which comes with each resource. */
export type PreparedPolicySet = Omit<PolicySet, 'resource' | 'resourceGuardrails'>;

/** One resource to decide the prepared request on. */
export interface ResourceRequest {
  /** The resource ARN. */
  readonly resource: string;
  /** The account owning it; default the principal's. */
  readonly resourceAccount?: string | undefined;
  /** Its resource-based policy, if any. */
  readonly policy?: CompiledPolicy | undefined;
  /** The resource control policies of its account, by level (absent: none apply). */
  readonly resourceGuardrails?: GuardrailLevels | undefined;
  /** Its account's place in the organization (aws:ResourceOrgID, aws:ResourceOrgPaths). */
  readonly resourceOrganization?: OrganizationMembership | undefined;
  /**
   * The request context for this resource; default the prepared one. It may differ from the
   * prepared context only in resource keys (`aws:ResourceTag/*`, `aws:ResourceAccount`).
   */
  readonly context?: RequestContext;
}

/** Context keys whose value depends on the resource: its tags, its account and that account's organization. */
export function isResourceKey(keyLower: string): boolean {
  return keyLower.startsWith('aws:resourcetag/') || keyLower === 'aws:resourceaccount' || keyLower === 'aws:resourceorgid' || keyLower === 'aws:resourceorgpaths';
}

/** A request decided once per resource; build with `prepareEvaluation`. */
export class PreparedEvaluation {
  private readonly scan = new Scan();
  private readonly hasBoundary: boolean;
  /** Per SCP level, the candidate statements of its policies, prepared. */
  private readonly guardrails: (readonly ApplicableStatement[])[] | undefined;
  private readonly identity: readonly ApplicableStatement[];
  private readonly boundary: readonly ApplicableStatement[] | undefined;
  private readonly session: readonly ApplicableStatement[] | undefined;
  private readonly current: { -readonly [K in keyof EvaluationRequest]: EvaluationRequest[K] };
  /**
   * Whether an identity-side Allow statement survived preparation. When false, only a
   * resource-based policy can allow the prepared request: callers asking about resources that
   * have none (IAM users, groups, policies) may skip them all.
   */
  readonly identityMayAllow: boolean;

  constructor(
    private readonly request: PreparedRequest,
    set: PreparedPolicySet,
  ) {
    const view = new ContextView();
    // No resource yet: only keys that are not the resource's are read through this view.
    view.reset({ principal: request.principal, action: request.action, resource: '*', principalOrganization: request.principalOrganization, context: request.context, now: request.now });
    const known: ConditionEnv = { lookup: (keyLower, key) => view.get(keyLower, key), missing: () => {} };
    const action = internAction(request.action);
    const prepare = (candidates: readonly CompiledStatement[]): readonly ApplicableStatement[] => {
      const out: ApplicableStatement[] = [];
      for (const st of candidates) {
        const prepared = prepareStatement(st, known);
        if (prepared !== undefined) out.push(prepared);
      }
      return out;
    };
    this.current = {
      principal: request.principal,
      action: request.action,
      resource: '*',
      resourceAccount: undefined,
      principalOrganization: request.principalOrganization,
      resourceOrganization: undefined,
      context: request.context,
      now: request.now,
    };
    this.hasBoundary = set.boundary !== undefined;
    this.guardrails = set.guardrails?.map((level) => prepare(candidatesAcross(level, action)));
    this.identity = prepare(candidatesAcross(set.identity, action));
    this.identityMayAllow = this.identity.some((st) => st.allow);
    this.boundary = set.boundary === undefined ? undefined : prepare(candidatesAcross(set.boundary, action));
    this.session = set.session === undefined ? undefined : prepare(candidatesAcross(set.session, action));
  }

  /** The decision `evaluate` gives for the prepared request on `r` (without near misses). */
  decide(r: ResourceRequest): Decision {
    // One request object, refilled per resource: decisions keep no reference to it (100,000 resources, no garbage).
    const request = this.current;
    request.resource = r.resource;
    request.resourceAccount = r.resourceAccount;
    request.resourceOrganization = r.resourceOrganization;
    request.context = r.context ?? this.request.context;
    const s = this.scan;
    s.reset(request, this.hasBoundary, false);
    // The layers in `evaluate`'s order, so Denies and missing keys are reported in the same order.
    // The resource's RCPs come with the resource (its account decides them), scanned as evaluate does.
    const resourceGuardrailsAllow = r.resourceGuardrails === undefined ? undefined : s.scanLevels(r.resourceGuardrails, RESOURCE_GUARDRAIL);
    let guardrailsAllow: boolean | undefined;
    if (this.guardrails !== undefined) {
      // Every SCP level must allow (no level allows nothing); all are scanned (Scan.scanLevels).
      guardrailsAllow = this.guardrails.length > 0;
      for (const statements of this.guardrails) if (!s.scanStatements(statements, GUARDRAIL)) guardrailsAllow = false;
    }
    const resourceAllows = r.policy === undefined ? undefined : s.scanPolicy(r.policy, RESOURCE);
    const identityAllows = s.scanStatements(this.identity, IDENTITY);
    const boundaryAllows = this.boundary === undefined ? undefined : s.scanStatements(this.boundary, BOUNDARY);
    const sessionAllows = this.session === undefined ? undefined : s.scanStatements(this.session, SESSION);
    return conclude(s, request, r.policy?.kind === 'trust', resourceGuardrailsAllow, guardrailsAllow, resourceAllows, identityAllows, boundaryAllows, sessionAllows);
  }
}

/** Prepare `request` with `set` for deciding many resources. */
export function prepareEvaluation(request: PreparedRequest, set: PreparedPolicySet): PreparedEvaluation {
  return new PreparedEvaluation(request, set);
}

/** Missing keys an up-front step found, replayed into each decision where the step would have reported them. */
type Missed = readonly string[];

/**
 * `st` with what does not depend on the resource done: its variables substituted and its
 * resource-independent conditions decided (against `known`). `undefined` when such a condition
 * rules the statement out and nothing about it depends on the resource (it could not report a
 * missing key either); `st` itself when nothing could be done up front.
 */
function prepareStatement(st: CompiledStatement, known: ConditionEnv): ApplicableStatement | undefined {
  let changed = false;
  // Whether some step left for each resource could report a missing key.
  let mayReport = false;
  let resources = st.resources;
  const templates = st.resourceTemplates;
  if (resources !== undefined && templates !== undefined) {
    const out: ResourceTest[] = [];
    for (let i = 0; i < resources.length; i++) {
      const template = templates[i]!;
      const vars = template.parts.flatMap((p) => (p.kind === 'var' ? [p.keyLower] : []));
      if (template.constant !== undefined || vars.length === 0) out.push(resources[i]!);
      else if (vars.some(isResourceKey)) {
        out.push(resources[i]!);
        mayReport = true;
      } else {
        const missed: string[] = [];
        const parts = resolveTemplate(template, known.lookup, (key) => missed.push(key));
        // A variable without a value and without a default: the entry matches nothing.
        if (parts === undefined) out.push(missed.length === 0 ? NEVER : (_resource, env) => replay(env, missed, false));
        else out.push(compileResourcePattern(parts));
        if (missed.length > 0) mayReport = true;
        changed = true;
      }
    }
    resources = out;
  }

  const conditions: CompiledCondition[] = [];
  let ruledOut = false;
  for (const c of st.conditions) {
    if (isResourceKey(c.keyLower) || c.variableKeys.some(isResourceKey)) {
      // Read per resource; its values are substituted once when they read no resource key.
      conditions.push(c.variableKeys.length === 0 || c.variableKeys.some(isResourceKey) ? c : { ...c, test: c.withValuesFrom(known) });
      if (c.variableKeys.length > 0) changed = true;
      mayReport = true;
      continue;
    }
    changed = true;
    const missed: string[] = [];
    const holds = c.test({ lookup: known.lookup, missing: (key) => missed.push(key) });
    // Holds and reported nothing (so its key is present, or it is `Null`): nothing left to do.
    if (holds && missed.length === 0) continue;
    if (!holds) ruledOut = true;
    if (missed.length > 0) mayReport = true;
    conditions.push({ ...c, test: (env) => replay(env, missed, holds) });
  }
  if (ruledOut && !mayReport) return undefined;
  if (!changed) return st;
  return new PreparedStatement(st, resources, conditions);
}

/** Report `missed` to `env`, then answer `result`. */
function replay(env: ConditionEnv, missed: Missed, result: boolean): boolean {
  for (let i = 0; i < missed.length; i++) env.missing(missed[i]!);
  return result;
}

const NEVER: ResourceTest = () => false;

/** A statement specialised for one prepared request. */
class PreparedStatement implements ApplicableStatement {
  readonly allow: boolean;
  readonly principal: CompiledStatement['principal'];
  readonly notPrincipal: CompiledStatement['notPrincipal'];
  readonly notResource: boolean;
  /** Specialised for one principal: never shared, so nothing to gain from remembering matches. */
  readonly constantResources = false;

  constructor(
    private readonly source: CompiledStatement,
    readonly resources: readonly ResourceTest[] | undefined,
    readonly conditions: readonly CompiledCondition[],
  ) {
    this.allow = source.allow;
    this.principal = source.principal;
    this.notPrincipal = source.notPrincipal;
    this.notResource = source.notResource;
  }

  ref(layer: LayerIndex): ReturnType<CompiledStatement['ref']> {
    return this.source.ref(layer);
  }

  nearMiss(): never {
    // Conditions decided up front are gone, so condition slots would not line up.
    throw new Error('prepared evaluations do not collect near misses');
  }
}

/** The question without its principal: one action on one resource, in one context, at one time. */
export interface PreparedResourceRequest {
  readonly action: string;
  readonly resource: string;
  /** The account owning the resource; default each principal's own. */
  readonly resourceAccount?: string;
  readonly context?: RequestContext;
  readonly now: Date;
  /** The resource-based policy, if any. */
  readonly policy?: CompiledPolicy;
  /** The resource control policies of the resource's account, by level (absent: none apply). */
  readonly resourceGuardrails?: GuardrailLevels;
  /** The resource's account's place in the organization (aws:ResourceOrgID, aws:ResourceOrgPaths). */
  readonly resourceOrganization?: OrganizationMembership;
}

/**
 * The other direction (who can?): one resource asked about by many principals. Each decision is
 * `evaluate`'s; what is kept across principals is whether each variable-free Resource element
 * matches the resource, since principals holding the same policy share its compiled statements.
 * Decisions carry no near misses.
 */
export class PreparedResourceQuestion {
  private readonly scan = new Scan();

  constructor(private readonly request: PreparedResourceRequest) {
    this.scan.resourceMatches = new Map();
  }

  /**
   * The decision `evaluate` gives `principal` with its policies `set` (and the resource's policy),
   * its account standing at `principalOrganization` in its organization.
   */
  decide(principal: RequestPrincipal, set: PreparedPolicySet, principalOrganization?: OrganizationMembership): Decision {
    const r = this.request;
    const request: EvaluationRequest = {
      principal,
      action: r.action,
      resource: r.resource,
      resourceAccount: r.resourceAccount,
      principalOrganization,
      resourceOrganization: r.resourceOrganization,
      context: r.context,
      now: r.now,
    };
    this.scan.reset(request, set.boundary !== undefined, false);
    const full: PolicySet =
      r.policy === undefined && r.resourceGuardrails === undefined
        ? set
        : { ...set, ...(r.policy === undefined ? {} : { resource: r.policy }), ...(r.resourceGuardrails === undefined ? {} : { resourceGuardrails: r.resourceGuardrails }) };
    return decideWith(this.scan, request, full);
  }
}
