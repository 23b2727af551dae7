/**
 * A statement compiled for evaluation: action patterns, principal matcher, resource tests and
 * condition tests, plus lazily built, shared explanation objects (MatchedStatement / NearMiss per
 * layer) so that explaining a decision allocates nothing per request.
 */
import type { PolicyVersion, StatementDocument } from '../document.ts';
import type { MatchedStatement, MismatchPart, NearMiss, PolicyLayer, PolicyMeta } from '../types.ts';
import { compileCondition, type CompiledCondition } from '../conditions/compile-condition.ts';
import { compileAction, type ActionPattern } from './action.ts';
import { compilePrincipal, type PrincipalMatcher } from './principal.ts';
import { compileResourceTemplate, type ResourceTest } from './resource.ts';
import { compileTemplate, type Template } from '../variables.ts';

/** Layer numbers used to index per-layer caches. */
export const LAYER_NAMES: readonly PolicyLayer[] = ['guardrail', 'resource', 'identity', 'boundary', 'session', 'resourceGuardrail'];
/** Index of a layer in LAYER_NAMES. */
export type LayerIndex = 0 | 1 | 2 | 3 | 4 | 5;

const RESOURCE_MISS: MismatchPart = Object.freeze({ part: 'resource' });
const PRINCIPAL_MISS: MismatchPart = Object.freeze({ part: 'principal' });
/** The conditions of every statement without any (one shared empty list). */
const NO_CONDITIONS: readonly CompiledCondition[] = Object.freeze([]);

/** Near-miss slots: 0 resource, 1 principal, 2+i condition i. */
export const MISS_RESOURCE = 0;
export const MISS_PRINCIPAL = 1;
export const MISS_CONDITION = 2;

/** What scanning needs of a statement (evaluate/prepared.ts presents statements specialised for one request this way). */
export type ApplicableStatement = Pick<CompiledStatement, 'allow' | 'principal' | 'notPrincipal' | 'resources' | 'constantResources' | 'notResource' | 'conditions' | 'ref' | 'nearMiss'>;

/** The compiled form of one statement. */
export class CompiledStatement implements ApplicableStatement {
  readonly allow: boolean;
  readonly actions: readonly ActionPattern[];
  /** True for `NotAction`: the statement applies to actions that match none of `actions`. */
  readonly notAction: boolean;
  readonly principal: PrincipalMatcher | undefined;
  readonly notPrincipal: PrincipalMatcher | undefined;
  /** `undefined`: no Resource/NotResource element (trust policies), any resource. */
  readonly resources: readonly ResourceTest[] | undefined;
  /** The parsed Resource/NotResource entries `resources` test (a prepared evaluation resolves their variables once). */
  readonly resourceTemplates: readonly Template[] | undefined;
  /** Every Resource/NotResource entry is free of policy variables: whether `resources` match depends on the resource ARN alone. */
  readonly constantResources: boolean;
  readonly notResource: boolean;
  readonly conditions: readonly CompiledCondition[];
  // Created on first use: most statements are never explained, and a principal's own inline
  // policy is compiled for that principal alone, so empty arrays would be paid per cached principal.
  private refs: (MatchedStatement | undefined)[] | undefined;
  private misses: (NearMiss | undefined)[][] | undefined;

  constructor(
    readonly doc: StatementDocument,
    readonly meta: PolicyMeta,
    version: PolicyVersion,
    principalIds?: Readonly<Record<string, string>>,
  ) {
    this.allow = doc.effect === 'Allow';
    this.notAction = doc.action === undefined && doc.notAction !== undefined;
    this.actions = (doc.action ?? doc.notAction ?? []).map(compileAction);
    this.principal = doc.principal ? compilePrincipal(doc.principal, principalIds) : undefined;
    this.notPrincipal = doc.notPrincipal ? compilePrincipal(doc.notPrincipal, principalIds) : undefined;
    const res = doc.resource ?? doc.notResource;
    this.notResource = doc.resource === undefined && doc.notResource !== undefined;
    this.resourceTemplates = res?.map((r) => compileTemplate(r, version));
    this.resources = this.resourceTemplates?.map(compileResourceTemplate);
    this.constantResources = this.resourceTemplates?.every((t) => t.constant !== undefined) ?? true;
    this.conditions =
      doc.condition.length === 0 ? NO_CONDITIONS : doc.condition.map((c, i) => compileCondition(c, version, `$.Statement[${doc.index}].Condition[${i}]`));
  }

  /** Whether the statement applies to a lower-cased action (Action matches / NotAction does not). */
  appliesToAction(lowerAction: string): boolean {
    let hit = false;
    for (const a of this.actions) {
      if (a.test(lowerAction)) {
        hit = true;
        break;
      }
    }
    return hit !== this.notAction;
  }

  /** The shared MatchedStatement describing this statement in `layer`. */
  ref(layer: LayerIndex): MatchedStatement {
    let r = this.refs?.[layer];
    if (r === undefined) {
      const m = this.meta;
      const d = this.doc;
      r = Object.freeze({
        policyId: m.id,
        ...(m.name !== undefined ? { policyName: m.name } : {}),
        ...(m.arn !== undefined ? { policyArn: m.arn } : {}),
        ...(m.versionId !== undefined ? { versionId: m.versionId } : {}),
        layer: LAYER_NAMES[layer]!,
        statementIndex: d.index,
        ...(d.sid !== undefined ? { sid: d.sid } : {}),
        effect: d.effect,
        span: d.span,
      });
      (this.refs ??= [])[layer] = r;
    }
    return r;
  }

  /** The shared NearMiss for failing at `slot` (MISS_*) in `layer`. */
  nearMiss(layer: LayerIndex, slot: number): NearMiss {
    const row = ((this.misses ??= [])[layer] ??= []);
    let miss = row[slot];
    if (miss === undefined) {
      const failed =
        slot === MISS_RESOURCE ? RESOURCE_MISS
        : slot === MISS_PRINCIPAL ? PRINCIPAL_MISS
        : this.conditions[slot - MISS_CONDITION]!.failure;
      miss = Object.freeze({ statement: this.ref(layer), failed });
      row[slot] = miss;
    }
    return miss;
  }
}
