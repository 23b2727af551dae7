/**
 * Escalation paths as the API serves them: one principal's paths, and the account's summary (every
 * principal that has a path). The analysis of an account (its directory loaded once, moves and
 * comparisons shared by every principal) is kept until the change log names anything of that
 * account, so repeated questions cost nothing and `minRevision` holds. Self-authorized:
 * `iam:EscalationPaths` on the principal, `iam:EscalationSummary` on the account, and the summary
 * lists only principals on which the caller has `iam:EscalationPaths`.
 */
import type { ChangeBus } from '../../changes/bus.ts';
import { isAuditOnly, type ChangeEvent } from '../../changes/change.ts';
import { parseRevision } from '../../changes/revision.ts';
import type { Database } from '../../db/client.ts';
import { NoSuchEntityError, ValidationError } from '../../errors.ts';
import type { CompiledPolicy, GuardrailLevels } from '../../policy/types.ts';
import type { CompiledPolicyCache } from '../compiled-policies.ts';
import { changesPlacements } from '../organization-placements.ts';
import type { DecisionServices } from '../decide.ts';
import type { EffectivePolicyStore } from '../effective-policies.ts';
import type { RequestGuard } from '../guard.ts';
import { parsePrincipalArn } from '../principal-ref.ts';
import type { AccountPrincipals } from '../reverse/account-principals.ts';
import { TimeSlice } from '../time-slice.ts';
import { EscalationAnalysis, type PrincipalEscalation } from './analyze.ts';
import { loadEscalationDirectory } from './load-directory.ts';

/** What the escalation questions read. */
export interface EscalationServices {
  readonly database: Database;
  readonly compiled: CompiledPolicyCache;
  readonly bus: Pick<ChangeBus, 'subscribe' | 'currentRevisionText'>;
  readonly decisions: Pick<DecisionServices, 'reachRevision'>;
  readonly effective: Pick<EffectivePolicyStore, 'loadMany'>;
  readonly principals: Pick<AccountPrincipals, 'list'>;
  /** The organization's SCP levels that apply to an account's principals (undefined: none apply, as for the management account). */
  guardrails?(accountId: string): GuardrailLevels | undefined | Promise<GuardrailLevels | undefined>;
}

/** One principal's paths and the revision they reflect. */
export interface EscalationAnswer {
  readonly revision: string;
  readonly escalation: PrincipalEscalation;
}

/** The account's principals that have a path (sorted by ARN), and how many were analysed. */
export interface EscalationSummary {
  readonly revision: string;
  /** Users and roles analysed (those the caller may ask about). */
  readonly principalsAnalyzed: number;
  readonly items: readonly PrincipalEscalation[];
}

/** Principals loaded per `loadMany` call (as the reverse questions chunk them). */
const LOAD_CHUNK = 10_000;

interface CachedAnalysis {
  readonly revision: string;
  readonly analysis: EscalationAnalysis;
}

/** The escalation questions; one per process, each method given the request's guard. */
export class EscalationQueries {
  private readonly analyses = new Map<string, Promise<CachedAnalysis>>();
  /** Bumped by every change batch naming an account: an analysis loaded across one is used once, not kept. */
  private generation = 0;

  constructor(private readonly services: EscalationServices) {
    services.bus.subscribe((events) => this.onChanges(events));
  }

  /** The paths of `principalArn` (a user or role of the caller's account). */
  async pathsOf(guard: RequestGuard, principalArn: string, minRevision?: string | null): Promise<EscalationAnswer> {
    const parsed = parsePrincipalArn(principalArn);
    if (parsed === undefined || (parsed.kind !== 'user' && parsed.kind !== 'role')) {
      throw new ValidationError('principalArn', 'arn', `principalArn must be a user or role ARN (arn:aws:iam::<account>:user/… or :role/…), got "${principalArn.slice(0, 120)}"`);
    }
    await this.reach(minRevision);
    const caller = await guard.require('iam:EscalationPaths', principalArn);
    const type = parsed.kind === 'role' ? 'Role' : 'User';
    if (parsed.accountId !== caller.accountId) throw new NoSuchEntityError(type, principalArn);
    const { revision, analysis } = await this.analysisOf(caller.accountId);
    const escalation = analysis.pathsOf(principalArn);
    if (escalation === undefined) throw new NoSuchEntityError(type, principalArn);
    return { revision, escalation };
  }

  /** Every user and role of the caller's account that has a path, among those the caller may ask about. */
  async summary(guard: RequestGuard, minRevision?: string | null): Promise<EscalationSummary> {
    await this.reach(minRevision);
    // The account's root ARN names the account (AWS's `account-root` resource type); unauthenticated, the guard refuses.
    const caller = await guard.require('iam:EscalationSummary', guard.caller === undefined ? '*' : `arn:aws:iam::${guard.caller.accountId}:root`);
    const { revision, analysis } = await this.analysisOf(caller.accountId);
    const items: PrincipalEscalation[] = [];
    let analysed = 0;
    const slice = new TimeSlice();
    for (const p of analysis.directory.principals) {
      if (guard.allowsNow('iam:EscalationPaths', p.arn) !== true) continue;
      analysed++;
      const escalation = analysis.pathsOf(p.arn)!;
      if (escalation.paths.length > 0) items.push(escalation);
      if (slice.due()) await slice.yield();
    }
    items.sort((a, b) => (a.principalArn < b.principalArn ? -1 : a.principalArn > b.principalArn ? 1 : 0));
    return { revision, principalsAnalyzed: analysed, items };
  }

  /** The account's analysis, loaded once per state of the account. */
  analysisOf(accountId: string): Promise<CachedAnalysis> {
    const cached = this.analyses.get(accountId);
    if (cached !== undefined) return cached;
    const generation = this.generation;
    const loading = this.load(accountId);
    this.analyses.set(accountId, loading);
    const forget = () => {
      if (this.analyses.get(accountId) === loading) this.analyses.delete(accountId);
    };
    loading.then(() => {
      if (generation !== this.generation) forget();
    }, forget);
    return loading;
  }

  private async load(accountId: string): Promise<CachedAnalysis> {
    const revision = this.services.bus.currentRevisionText;
    const s = this.services;
    const directory = await loadEscalationDirectory(
      {
        database: s.database,
        compiled: s.compiled,
        listPrincipals: (id) => s.principals.list(id),
        loadSets: (arns) => this.loadSets(arns),
      },
      accountId,
      await s.guardrails?.(accountId),
    );
    return { revision, analysis: new EscalationAnalysis(directory, new Date()) };
  }

  private async loadSets(arns: readonly string[]) {
    const out = [];
    for (let start = 0; start < arns.length; start += LOAD_CHUNK) out.push(...(await this.services.effective.loadMany(arns.slice(start, start + LOAD_CHUNK))));
    return out;
  }

  private async reach(minRevision: string | null | undefined): Promise<void> {
    if (minRevision == null) return;
    await this.services.decisions.reachRevision(parseRevision(minRevision, 'minRevision'), 'minRevision');
  }

  private onChanges(events: readonly ChangeEvent[]): void {
    let touched = false;
    for (const event of events) {
      // Audit rows (denials, failed sign-ins) change nobody's permissions.
      if (isAuditOnly(event)) continue;
      // An organization change (recorded under the management account) may change any member
      // account's SCPs: every analysis goes.
      if (event.accountId === null || changesPlacements(event)) this.analyses.clear();
      else this.analyses.delete(event.accountId);
      touched = true;
    }
    if (touched) this.generation++;
  }
}
