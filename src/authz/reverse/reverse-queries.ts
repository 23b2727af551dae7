/**
 * Questions in the reverse direction: *who can* perform an action on a resource (every user and
 * role of the caller's account), and later *what can* a principal do. Each answer is what
 * `authorize` would say question by question: the same effective sets (loaded for the whole
 * account through the store's batch `loadMany`), the same `evaluateSet`, the same clock for every
 * question of one answer. The full answer comes back sorted; the wire pages it.
 */
import { parseRevision } from '../../changes/revision.ts';
import type { MatchedStatement, RequestContext } from '../../policy/types.ts';
import type { DecisionServices, RevisionedDecision } from '../decide.ts';
import { validateQuestion } from '../decide.ts';
import type { EffectivePolicyStore } from '../effective-policies.ts';
import { evaluateSet, type EffectivePolicies } from '../effective-set.ts';
import type { RequestGuard } from '../guard.ts';
import { accountOfArn } from '../principal-ref.ts';
import { TimeSlice } from '../time-slice.ts';
import type { AccountPrincipal, AccountPrincipals } from './account-principals.ts';
import { attributeStatements, groupsOf, loadManagedHolders, managedPolicyArns, type DecidingStatement } from './grant-sources.ts';
import type { Database } from '../../db/client.ts';

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
  /** The decision `authorize` gives for this principal (ALLOWED), with its deciding statements. */
  readonly decision: RevisionedDecision;
  /** The deciding statements, each with the groups (users only) it came through. */
  readonly statements: readonly DecidingStatement[];
  /** The distinct groups through which the grant comes; empty when only the user's own (or a resource) policy grants. */
  readonly groupArns: readonly string[];
}

/** A full, sorted reverse answer and the revision it reflects. */
export interface ReverseAnswer<T> {
  readonly revision: string;
  readonly items: readonly T[];
}

/** What the reverse questions read: the decision services plus the store's batch load and the account's principals. */
export interface ReverseServices {
  readonly database: Database;
  readonly decisions: Pick<DecisionServices, 'bus' | 'reachRevision'>;
  readonly effective: Pick<EffectivePolicyStore, 'loadMany'>;
  readonly principals: Pick<AccountPrincipals, 'list'>;
}

/** Principals loaded per `loadMany` call: keeps each statement's parameter list far below PostgreSQL's 65,535. */
const LOAD_CHUNK = 10_000;

/** The reverse questions; one per process, each method given the request's guard. */
export class ReverseQueries {
  constructor(private readonly services: ReverseServices) {}

  /**
   * Every user (the root user included) and role of the caller's account that `authorize` would
   * allow `action` on `resourceArn`, sorted by ARN. Needs `iam:WhoCan` on the resource; lists only
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
    const sets = await this.loadSets(visible.map((p) => p.arn));
    const now = new Date();
    const context = q.context ?? {};
    const allowed: Array<{ principal: AccountPrincipal; set: EffectivePolicies; decision: RevisionedDecision }> = [];
    const slice = new TimeSlice();
    for (let i = 0; i < visible.length; i++) {
      const set = sets[i];
      // A principal deleted between listing and loading is no longer anyone.
      if (set === undefined || set instanceof Error) continue;
      const resourceAccount = q.resourceOwner ?? accountOfArn(q.resourceArn) ?? set.principal.accountId;
      const decision = evaluateSet(set, q.action, q.resourceArn, resourceAccount, context, now);
      if (decision.allowed) allowed.push({ principal: visible[i]!, set, decision: { ...decision, revision: this.services.decisions.bus.currentRevisionText } });
      if (slice.due()) await slice.yield();
    }
    const holders = await loadManagedHolders(this.services.database, managedPolicyArns(userStatements(allowed)));
    const items = allowed.map(({ principal, set, decision }): WhoCanEntry => {
      const statements = attributeStatements(set, decision.matchedStatements, holders);
      return { principalArn: principal.arn, principalType: principal.type, decision, statements, groupArns: groupsOf(statements) };
    });
    return { revision: this.services.decisions.bus.currentRevisionText, items };
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

/** The deciding statements of allowed users (only users have groups). */
function* userStatements(allowed: ReadonlyArray<{ set: EffectivePolicies; decision: RevisionedDecision }>): Iterable<MatchedStatement> {
  for (const { set, decision } of allowed) if (set.principal.type === 'User') yield* decision.matchedStatements;
}
