/**
 * Scanning policies against one request: which statements apply (action index, principal,
 * resource, conditions) and what they say. Results go into a reusable scratch object so the hot
 * path allocates nothing until `evaluate` copies out the explanation.
 */
import type { CompiledPolicy, EvaluationRequest, GuardrailLevels, MatchedStatement, NearMiss } from '../types.ts';
import type { ConditionEnv } from '../conditions/compile-condition.ts';
import { ContextView } from '../context.ts';
import { Stack } from './stack.ts';
import { programOf } from '../compile/index.ts';
import { candidatesAcross } from './merged-index.ts';
import { actionKey, type ActionKey } from '../compile/action-index.ts';
import type { ResourceTest } from '../compile/resource.ts';
import { GRANT_DIRECT, GRANT_NONE, type GrantKind } from '../compile/principal.ts';
import { MISS_CONDITION, MISS_PRINCIPAL, MISS_RESOURCE, type ApplicableStatement, type LayerIndex } from '../compile/statement.ts';

/** Layer indexes (see LAYER_NAMES). */
export const GUARDRAIL: LayerIndex = 0;
export const RESOURCE: LayerIndex = 1;
export const IDENTITY: LayerIndex = 2;
export const BOUNDARY: LayerIndex = 3;
export const SESSION: LayerIndex = 4;
/** Resource control policies: scanned like a resource policy (their statements name a Principal). */
export const RESOURCE_GUARDRAIL: LayerIndex = 5;
/** How many layers there are. */
const LAYER_COUNT = 6;

const KEY_LIMIT = 4096;
const actionKeys = new Map<string, ActionKey>();

/**
 * The interned key of a request action as written (actions repeat far more than they vary): the
 * same object, and so the same lower-case strings, for every use of one spelling while it is held.
 */
export function internAction(action: string): ActionKey {
  let key = actionKeys.get(action);
  if (key === undefined) {
    key = actionKey(action.toLowerCase());
    if (actionKeys.size >= KEY_LIMIT) actionKeys.clear();
    actionKeys.set(action, key);
  }
  return key;
}

/** Scratch state for one evaluation; reused across evaluations (evaluation is synchronous). */
export class Scan implements ConditionEnv {
  readonly view = new ContextView();
  request!: EvaluationRequest;
  action: ActionKey = { lower: '', id: -1, service: '' };
  /** The principal has a permissions boundary (affects NotPrincipal in Deny statements). */
  hasBoundary = false;
  /** Record statements that matched the action but failed elsewhere (see EvaluateOptions). */
  explain = true;
  /** Matching Deny statements, all layers. */
  readonly denies = new Stack<MatchedStatement>();
  readonly denyCount = new Array<number>(LAYER_COUNT).fill(0);
  /** Matching Allow statements per layer. */
  readonly allows = Array.from({ length: LAYER_COUNT }, () => new Stack<MatchedStatement>());
  /** For each resource-layer Allow, how it named the principal (parallel to allows[RESOURCE]). */
  readonly resourceGrants = new Stack<GrantKind>();
  readonly nearMisses = new Stack<NearMiss>();
  /**
   * Set only by a scan whose requests all name the same resource (evaluate/prepared.ts): whether
   * each variable-free Resource list matched it, kept across evaluations. Compiled statements are
   * shared by every principal holding their policy, so many principals match each list once.
   */
  resourceMatches: Map<readonly ResourceTest[], boolean> | undefined;
  readonly missingKeys = new Stack<string>();

  readonly lookup = (keyLower: string, keyAsWritten: string): ReturnType<ContextView['get']> => this.view.get(keyLower, keyAsWritten);
  readonly missing = (keyAsWritten: string): void => {
    if (!this.missingKeys.includes(keyAsWritten)) this.missingKeys.push(keyAsWritten);
  };

  /** Start a new evaluation. */
  reset(request: EvaluationRequest, hasBoundary: boolean, explain: boolean): void {
    this.request = request;
    this.hasBoundary = hasBoundary;
    this.explain = explain;
    this.action = internAction(request.action);
    this.view.reset(request);
    this.denies.clear();
    for (let i = 0; i < LAYER_COUNT; i++) {
      this.denyCount[i] = 0;
      this.allows[i]!.clear();
    }
    this.resourceGrants.clear();
    this.nearMisses.clear();
    this.missingKeys.clear();
  }

  /** Scan one policy in `layer`; true when some Allow statement applies. */
  scanPolicy(policy: CompiledPolicy, layer: LayerIndex): boolean {
    return this.scanStatements(programOf(policy).index.candidatesFor(this.action), layer);
  }

  /** Scan candidate statements (already matched on action) in `layer`; true when some Allow applies. */
  scanStatements(candidates: readonly ApplicableStatement[], layer: LayerIndex): boolean {
    let allowed = false;
    for (let i = 0; i < candidates.length; i++) {
      const st = candidates[i]!;
      const grant = this.applies(st, layer);
      if (grant === GRANT_NONE) continue;
      if (st.allow) {
        allowed = true;
        this.allows[layer]!.push(st.ref(layer));
        if (layer === RESOURCE) this.resourceGrants.push(grant);
      } else {
        this.denies.push(st.ref(layer));
        this.denyCount[layer]!++;
      }
    }
    return allowed;
  }

  /** Scan several policies; true when any allows (all are scanned, so every Deny is seen). */
  scanAny(policies: readonly CompiledPolicy[], layer: LayerIndex): boolean {
    return this.scanStatements(candidatesAcross(policies, this.action), layer);
  }

  /**
   * Scan guardrail levels (root, each OU, the account); true when EVERY level has a policy that
   * allows: "for a permission to be allowed for a specific account, there must be an explicit
   * Allow statement at every level from the root through each OU in the direct path to the
   * account (including the target account itself)" (orgs_manage_policies_scps_evaluation; the
   * same for RCPs, orgs_manage_policies_rcps_evaluation). Every level is scanned, so every Deny is
   * seen. An empty level, or no level at all, allows nothing (the PolicySet contract).
   */
  scanLevels(levels: GuardrailLevels, layer: LayerIndex): boolean {
    let allowed = levels.length > 0;
    for (let i = 0; i < levels.length; i++) if (!this.scanAny(levels[i]!, layer)) allowed = false;
    return allowed;
  }

  /** Does a statement (already matched on action) apply? Returns how it named the principal. */
  private applies(st: ApplicableStatement, layer: LayerIndex): GrantKind {
    let grant: GrantKind = GRANT_DIRECT;
    // RCP statements name a Principal as resource policies do (usually "*", narrowed by conditions).
    if (layer === RESOURCE || layer === RESOURCE_GUARDRAIL) {
      const p = this.request.principal;
      if (st.principal !== undefined) grant = st.principal.match(p);
      else if (st.notPrincipal !== undefined) {
        // "If you use NotPrincipal with Deny and the principal has a permissions boundary, the
        // request is always denied" (permissions boundaries page): no exemption then.
        const exempt = st.notPrincipal.names(p) && !(this.hasBoundary && !st.allow);
        grant = exempt ? GRANT_NONE : GRANT_DIRECT;
      }
      else grant = GRANT_NONE; // a resource policy statement must name a principal
      if (grant === GRANT_NONE) {
        if (this.explain) this.nearMisses.push(st.nearMiss(layer, MISS_PRINCIPAL));
        return GRANT_NONE;
      }
    }
    const resources = st.resources;
    if (resources !== undefined) {
      const memo = this.resourceMatches;
      let hit = memo !== undefined && st.constantResources ? memo.get(resources) : undefined;
      if (hit === undefined) {
        hit = false;
        const resource = this.request.resource;
        for (let i = 0; i < resources.length; i++) {
          if (resources[i]!(resource, this)) {
            hit = true;
            break;
          }
        }
        if (memo !== undefined && st.constantResources) memo.set(resources, hit);
      }
      if (hit === st.notResource) {
        if (this.explain) this.nearMisses.push(st.nearMiss(layer, MISS_RESOURCE));
        return GRANT_NONE;
      }
    }
    const conditions = st.conditions;
    for (let i = 0; i < conditions.length; i++) {
      if (conditions[i]!.test(this)) continue;
      if (this.explain) this.nearMisses.push(st.nearMiss(layer, MISS_CONDITION + i));
      // Still report keys the rest of the block would have needed.
      for (let j = i + 1; j < conditions.length; j++) {
        const c = conditions[j]!;
        if (c.needsKey && this.view.get(c.keyLower, c.key) === undefined) this.missing(c.key);
      }
      return GRANT_NONE;
    }
    return grant;
  }
}
