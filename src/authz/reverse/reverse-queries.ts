/**
 * Questions in the reverse direction: *who can* perform an action on a resource (every user and
 * role of the caller's account), and *what can* a principal do (which catalog actions on a
 * resource, on which registered resources an action). Each answer is what
 * `authorize` would say question by question: the same effective sets (loaded for the whole
 * account through the store's batch `loadMany`), the same `evaluateSet`, the same clock for every
 * question of one answer. The full answer comes back sorted; the wire pages it.
 */
import { parseRevision } from '../../changes/revision.ts';
import { NoSuchEntityError, ValidationError } from '../../errors.ts';
import type { Decision, MatchedStatement, RequestContext } from '../../policy/types.ts';
import type { DecisionServices, RevisionedDecision } from '../decide.ts';
import { questionRef, validateQuestion } from '../question.ts';
import { concealOwnersStatements, evaluateQuestion, resourceAccountOf, resourceFacts } from '../resource-facts.ts';
import { FAIL_CLOSED_PLACEMENT, type AccountPlacement } from '../organization-placements.ts';
import { accountOfArn } from '../principal-ref.ts';
import type { EffectivePolicyStore } from '../effective-policies.ts';
import type { EffectivePolicies } from '../effective-set.ts';
import type { RequestGuard } from '../guard.ts';
import type { RegisteredResource, RegisteredResourceStore } from '../registered-resources.ts';
import { TimeSlice } from '../time-slice.ts';
import { compareCodeUnits } from '../code-unit-order.ts';
import type { AccountPrincipal, AccountPrincipals } from './account-principals.ts';
import { prepareQuestion, prepareResourceQuestion } from './prepared-question.ts';
import { attributeStatements, groupsOf, loadManagedHolders, managedPolicyArns, type DecidingStatement } from './grant-sources.ts';
import type { Database } from '../../db/client.ts';
import { resourceTypeOfArn, type AccessLevel, type CatalogView } from '../../policy/validate/catalog.ts';
import { serviceOfArn } from '../../iam/resource-arns.ts';

/** *Who can* perform `action` on `resourceArn` in `context`? */
export interface WhoCanQuestion {
  readonly action: string;
  readonly resourceArn: string;
  /** Account owning the resource; default: the account in `resourceArn`, else each principal's own. */
  readonly resourceOwner?: string | null;
  readonly context?: RequestContext;
  /** Answer only from state reflecting at least this revision. */
  readonly minRevision?: string | null;
}

/** One principal allowed, with why. */
export interface WhoCanEntry {
  readonly principalArn: string;
  readonly principalType: AccountPrincipal['type'];
  /** Its unique id (AIDA…, AROA…; the account id for the root user). */
  readonly principalId: string;
  /** The decision `authorize` gives for this principal (ALLOWED), with its deciding statements. */
  readonly decision: RevisionedDecision;
  /** The deciding statements, each with the groups (users only) it came through. */
  readonly statements: readonly DecidingStatement[];
  /** The distinct groups through which the grant comes; empty when only the user's own (or a resource) policy grants. */
  readonly groupArns: readonly string[];
}

/** *What can* `principalArn` do on `resourceArn`? */
export interface WhatCanActionsQuestion {
  readonly principalArn: string;
  readonly resourceArn: string;
  readonly context?: RequestContext;
  readonly minRevision?: string | null;
}

/** One catalog action allowed. */
export interface WhatCanActionEntry {
  /** `service:Action`, as the catalog spells it. */
  readonly action: string;
  readonly accessLevel: AccessLevel;
  readonly decision: RevisionedDecision;
}

/** *On which registered resources* may `principalArn` perform `action`? */
export interface WhatCanResourcesQuestion {
  readonly principalArn: string;
  readonly action: string;
  readonly resourceType?: string | null;
  readonly serviceName?: string | null;
  readonly arnPrefix?: string | null;
  readonly context?: RequestContext;
  readonly minRevision?: string | null;
}

/** One registered resource on which the action is allowed. */
export interface WhatCanResourceEntry {
  readonly resource: RegisteredResource;
  readonly decision: RevisionedDecision;
}

/** A full, sorted reverse answer and the revision it reflects. */
export interface ReverseAnswer<T> {
  readonly revision: string;
  readonly items: readonly T[];
}

/** What the reverse questions read: the decision services plus the store's batch load and the account's principals. */
export interface ReverseServices {
  readonly database: Database;
  readonly decisions: Pick<DecisionServices, 'bus' | 'reachRevision' | 'placements'>;
  readonly effective: Pick<EffectivePolicyStore, 'loadMany'>;
  readonly principals: Pick<AccountPrincipals, 'list'>;
  readonly resources: Pick<RegisteredResourceStore, 'load' | 'listForEvaluation'>;
  /** The account's service catalog with `prefix` loaded (src/iam/services). */
  catalog(accountId: string, prefix: string): Promise<CatalogView>;
}

/**
 * Reverse answers name the deciding statements; statements that nearly applied are not collected
 * (thousands of questions per answer): `authorize` explains one question in full.
 */
const NO_NEAR_MISSES = { nearMisses: false } as const;

/** validateQuestion checks an action too: questions that name none pass this well-formed one. */
const WELL_FORMED_ACTION = 'iam:Authorize';

/** Principals loaded per `loadMany` call: keeps each statement's parameter list far below PostgreSQL's 65,535. */
const LOAD_CHUNK = 10_000;

/** The reverse questions; one per process, each method given the request's guard. */
export class ReverseQueries {
  constructor(private readonly services: ReverseServices) {}

  /**
   * Every user (the root user included) and role of the caller's account that `authorize` would
   * allow `action` on `resourceArn` (a registered resource's stored policy, tags and owner
   * included, as authorize uses them), sorted by ARN. Needs `iam:WhoCan` on the resource; lists only
   * principals on which the caller has `iam:Authorize`. `field` names the input in errors.
   * SQL: the account's principal list and their effective sets when not cached, plus one
   * statement naming the groups of deciding managed policies — a constant number whatever the
   * size of the account.
   */
  async whoCan(guard: RequestGuard, q: WhoCanQuestion, field = 'input'): Promise<ReverseAnswer<WhoCanEntry>> {
    validateQuestion({ action: q.action, resourceArn: q.resourceArn, resourceOwner: q.resourceOwner ?? null }, field);
    await this.reach(q.minRevision, field);
    const caller = await guard.require('iam:WhoCan', q.resourceArn);
    const listed = await this.services.principals.list(caller.accountId);
    // Only principals the caller may ask about are evaluated (or even loaded).
    const visible = listed.filter((p) => guard.allowsNow('iam:Authorize', p.arn) === true);
    const [sets, registered] = await Promise.all([this.loadSets(visible.map((p) => p.arn)), this.services.resources.load(q.resourceArn)]);
    const facts = resourceFacts(registered, q.context ?? {});
    const owner = q.resourceOwner ?? facts.owner ?? accountOfArn(q.resourceArn) ?? caller.accountId;
    const placements = this.services.decisions.placements;
    const [principalPlacement, ownerPlacement] = await Promise.all([placements.load(caller.accountId), placements.load(owner)]);
    const now = new Date();
    const allowed: Array<{ principal: AccountPrincipal; set: EffectivePolicies; decision: RevisionedDecision }> = [];
    const slice = new TimeSlice();
    // One resource, one action, one context: principals sharing a policy share its resource matching.
    const decideFor = prepareResourceQuestion(q.action, q.resourceArn, facts, now, q.resourceOwner, principalPlacement, ownerPlacement);
    for (let i = 0; i < visible.length; i++) {
      const set = sets[i];
      // A principal deleted between listing and loading is no longer anyone.
      if (set === undefined || set instanceof Error) continue;
      const decision = decideFor(set);
      concealOwnersStatements(decision, facts, caller.accountId);
      if (decision.allowed) allowed.push({ principal: visible[i]!, set, decision: this.stamped(decision) });
      if (slice.due()) await slice.yield();
    }
    const holders = await loadManagedHolders(this.services.database, managedPolicyArns(userStatements(allowed)));
    const items = allowed.map(({ principal, set, decision }): WhoCanEntry => {
      const statements = attributeStatements(set, decision.matchedStatements, holders);
      return { principalArn: principal.arn, principalType: principal.type, principalId: set.principalId, decision, statements, groupArns: groupsOf(statements) };
    });
    return { revision: this.services.decisions.bus.currentRevisionText, items };
  }

  /**
   * The catalog's actions of the resource's service that `authorize` would allow `principalArn`
   * on `resourceArn`, sorted by name: the actions that take the resource's type (its registered
   * type, else the type whose ARN format it fits), or every action of the service when it fits
   * none. Needs `iam:Authorize` on the principal. SQL: the catalog's custom services (one
   * statement), plus the principal's set and the resource when not cached.
   */
  async whatCanActions(guard: RequestGuard, q: WhatCanActionsQuestion, field = 'input'): Promise<ReverseAnswer<WhatCanActionEntry>> {
    const prefix = serviceOfArn(q.resourceArn);
    validateQuestion({ principalArn: q.principalArn, action: WELL_FORMED_ACTION, resourceArn: q.resourceArn }, field);
    if (prefix === undefined || prefix === '') throw new ValidationError(`${field}.resourceArn`, 'arn', `${field}.resourceArn must be an ARN naming a service, got "${q.resourceArn.slice(0, 120)}"`);
    await this.reach(q.minRevision, field);
    const caller = await guard.require('iam:Authorize', q.principalArn);
    const [set, registered, catalog] = await Promise.all([
      this.loadOne(guard, q.principalArn),
      this.services.resources.load(q.resourceArn),
      this.services.catalog(caller.accountId, prefix),
    ]);
    const service = catalog.service(prefix);
    if (service === undefined) {
      throw new ValidationError(`${field}.resourceArn`, 'catalog', `${field}.resourceArn names service "${prefix}", which is not in the catalog (an AWS service or one of the account's own)`);
    }
    const type = (registered?.resourceType ?? resourceTypeOfArn(service, q.resourceArn)?.name)?.toLowerCase();
    const facts = resourceFacts(registered, q.context ?? {});
    const placements = this.services.decisions.placements;
    const [principalPlacement, resourcePlacement] = await Promise.all([
      placements.load(set.principal.accountId),
      placements.load(resourceAccountOf(set, { resourceArn: q.resourceArn }, facts)),
    ]);
    const now = new Date();
    const items: WhatCanActionEntry[] = [];
    for (const action of service.actions.values()) {
      if (type !== undefined && !action.resourceTypes.some((t) => t.name.toLowerCase() === type)) continue;
      const name = `${service.prefix}:${action.name}`;
      const decision = evaluateQuestion(set, { action: name, resourceArn: q.resourceArn }, facts, now, NO_NEAR_MISSES, principalPlacement, resourcePlacement);
      concealOwnersStatements(decision, facts, caller.accountId);
      if (decision.allowed) items.push({ action: name, accessLevel: action.accessLevel, decision: this.stamped(decision) });
    }
    items.sort((a, b) => compareCodeUnits(a.action, b.action));
    return { revision: this.services.decisions.bus.currentRevisionText, items };
  }

  /**
   * The account's registered resources (of a type, a service or an ARN prefix) on which
   * `authorize` would allow `principalArn` the `action`, each with its stored policy and tags,
   * sorted by ARN. Needs `iam:Authorize` on the principal and `iam:ListResources`. SQL: the
   * filtered resource list (one statement, cached until the account's resources change), plus the
   * principal's set when not cached — whatever the number of resources.
   */
  async whatCanResources(guard: RequestGuard, q: WhatCanResourcesQuestion, field = 'input'): Promise<ReverseAnswer<WhatCanResourceEntry>> {
    validateQuestion({ principalArn: q.principalArn, action: q.action, resourceArn: '*' }, field);
    await this.reach(q.minRevision, field);
    const caller = await guard.require('iam:Authorize', q.principalArn);
    await guard.require('iam:ListResources', '*');
    const filter = { serviceName: q.serviceName ?? null, resourceType: q.resourceType ?? null, arnPrefix: q.arnPrefix ?? null };
    const [set, resources] = await Promise.all([this.loadOne(guard, q.principalArn), this.services.resources.listForEvaluation(caller.accountId, filter)]);
    const context = q.context ?? {};
    const now = new Date();
    const items: WhatCanResourceEntry[] = [];
    const slice = new TimeSlice();
    // One principal, one action, one context: prepared once, then each resource costs only its own work.
    const placements = this.services.decisions.placements;
    const owners = new Set<string>([set.principal.accountId]);
    for (const resource of resources) owners.add(resource.accountId);
    const placed = new Map<string, AccountPlacement>();
    for (const placement of await Promise.all([...owners].map((id) => placements.load(id)))) placed.set(placement.accountId, placement);
    const decideOn = prepareQuestion(set, q.action, context, now, placed.get(set.principal.accountId)!, (id) => placed.get(id) ?? placements.peek(id) ?? FAIL_CLOSED_PLACEMENT);
    for (const resource of resources) {
      const decision = decideOn(resource.arn, resourceFacts(resource, context));
      if (decision.allowed) items.push({ resource, decision: this.stamped(decision) });
      if (slice.due()) await slice.yield();
    }
    // The database's collation need not be code-unit order, which cursors rely on.
    if (!isSorted(items)) items.sort((a, b) => compareCodeUnits(a.resource.arn, b.resource.arn));
    return { revision: this.services.decisions.bus.currentRevisionText, items };
  }

  /** The effective set `authorize` would use for `principalArn` asked by this guard's caller (its own session when it names itself). */
  private async loadOne(guard: RequestGuard, principalArn: string): Promise<EffectivePolicies> {
    const ref = questionRef({ principalArn, action: '', resourceArn: '' }, guard.caller!);
    const [set] = await this.services.effective.loadMany([ref]);
    if (set === undefined) throw new NoSuchEntityError('User', principalArn);
    if (set instanceof Error) throw set;
    return set;
  }

  /** The engine's fresh decision, stamped in place with the revision it reflects (no copy: answers hold thousands). */
  private stamped(decision: Decision): RevisionedDecision {
    const stampable = decision as { -readonly [K in keyof RevisionedDecision]: RevisionedDecision[K] };
    stampable.revision = this.services.decisions.bus.currentRevisionText;
    return stampable;
  }

  /** Waits until this instance reflects `minRevision` (a ValidationError on `<field>.minRevision` when the log has not reached it). */
  private async reach(minRevision: string | null | undefined, field: string): Promise<void> {
    if (minRevision == null) return;
    const revision = parseRevision(minRevision, `${field}.minRevision`);
    await this.services.decisions.reachRevision(revision, `${field}.minRevision`);
  }

  /** Effective sets of `arns`, in order, through the store's batch load (chunked for very large accounts). */
  private async loadSets(arns: readonly string[]): Promise<Array<EffectivePolicies | Error>> {
    if (arns.length <= LOAD_CHUNK) return this.services.effective.loadMany(arns);
    const out: Array<EffectivePolicies | Error> = [];
    for (let start = 0; start < arns.length; start += LOAD_CHUNK) out.push(...(await this.services.effective.loadMany(arns.slice(start, start + LOAD_CHUNK))));
    return out;
  }
}


function isSorted(items: readonly WhatCanResourceEntry[]): boolean {
  for (let i = 1; i < items.length; i++) if (items[i - 1]!.resource.arn > items[i]!.resource.arn) return false;
  return true;
}

/** The deciding statements of allowed users (only users have groups). */
function* userStatements(allowed: ReadonlyArray<{ set: EffectivePolicies; decision: RevisionedDecision }>): Iterable<MatchedStatement> {
  for (const { set, decision } of allowed) if (set.principal.type === 'User') yield* decision.matchedStatements;
}
