/**
 * The process-wide authorization machinery, created once per server: authentication with its
 * credential cache, compiled-policy and effective-set caches (kept fresh from the change bus the
 * app hands it), decision counters and the last-accessed recorder. Requests get a `RequestAuthz`
 * from it.
 */
import DataLoader from 'dataloader';
import type { Database } from '../db/client.ts';
import type { ChangeBus } from '../changes/bus.ts';
import type { ChangeLogListener } from '../changes/listener.ts';
import { AuditRetention } from '../changes/audit-retention.ts';
import { verifySecret } from '../iam/secrets.ts';
import type { Logger } from '../logger.ts';
import type { Clock } from '../clock.ts';
import { Authenticator } from './authenticate.ts';
import type { Caller } from './caller.ts';
import { CompiledPolicyCache } from './compiled-policies.ts';
import { EffectivePolicyStore } from './effective-policies.ts';
import type { EffectivePolicies } from './effective-set.ts';
import { RequestGuard, type GuardObserver, type RequestFacts } from './guard.ts';
import type { PrincipalRef } from './principal-ref.ts';
import { Decider, type DecisionServices } from './decide.ts';
import { revisionAhead } from '../changes/revision.ts';
import { LastAccessedRecorder } from './last-accessed.ts';
import { RegisteredResourceStore } from './registered-resources.ts';
import { OrganizationPlacementStore } from './organization-placements.ts';
import { KeyLastUsedBuffer } from './key-last-used.ts';
import { ActionUsageBuffer } from './action-usage.ts';
import { DenialAuditBuffer, type DenialTally } from './denial-audit.ts';
import type { EvalDecision } from '../policy/types.ts';
import { AccountPrincipals } from './reverse/account-principals.ts';
import { ReverseQueries } from './reverse/reverse-queries.ts';
import { UsageAnalysis } from './usage/usage-analysis.ts';
import { systemClock } from '../clock.ts';
import { EscalationQueries } from './escalation/escalation-queries.ts';
import { loadCatalogView } from '../iam/services/catalog-view.ts';

/** The per-request half: the batched effective-policy loader and the guard built on it. */
export interface RequestAuthz {
  /** Effective sets by principal ref; every load in one tick of one request becomes one batch. */
  readonly policies: DataLoader<PrincipalRef, EffectivePolicies>;
  readonly guard: RequestGuard;
  readonly facts: RequestFacts;
  /** Answers `authorize` questions for this request, sharing the loader and `iam:Authorize` checks. */
  readonly decider: Decider;
  /** The reverse questions (who can, what can); each method takes this request's guard. */
  readonly reverse: ReverseQueries;
  /** The process-wide runtime (caches, revision tracking). */
  readonly runtime: AuthzRuntime;
}

/** Where committed changes come from: built and stopped by the app (server/change-services.ts). */
export interface ChangeSources {
  /** Invalidates the caches; the runtime subscribes as it is built, before anyone who reads them. */
  readonly bus: ChangeBus;
  /** Read directly when `minRevision` is ahead of the bus. */
  readonly listener: ChangeLogListener;
}

/** Options for `AuthzRuntime`. */
export interface AuthzRuntimeOptions {
  /** How long a `minRevision` waits for the listener before reading the change log itself (default 50 ms). */
  readonly revisionWaitMs?: number;
  /** Last-accessed flush interval (default 5 s). */
  readonly lastAccessedFlushMs?: number;
  /** AUDIT_RETENTION_DAYS: how long audit-only change-log rows are kept (default 90; 0 for ever). */
  readonly auditRetentionDays?: number;
  /** The clock sessions expire by (default the system's). */
  readonly clock?: Clock;
}

/** Authorization state shared by every request of one server. */
export class AuthzRuntime implements DecisionServices {
  readonly bus: ChangeBus;
  readonly listener: ChangeLogListener;
  readonly authenticator: Authenticator;
  readonly compiled = new CompiledPolicyCache();
  readonly effective: EffectivePolicyStore;
  /** Registered resources (their policies, tags and owners), for questions that bring no resource policy. */
  readonly resources: RegisteredResourceStore;
  /** Accounts' places in the organization: SCP and RCP levels and the organization condition keys. */
  readonly placements: OrganizationPlacementStore;
  /** Every user and role of an account, for the reverse questions. */
  readonly accountPrincipals: AccountPrincipals;
  /** Who can / what can, over the caches above. */
  readonly reverse: ReverseQueries;
  /** Access advisor, unused-access findings and policy generation, over the usage tables. */
  readonly usage: UsageAnalysis;
  /** How often live unused-access findings look at usage data again: as often as it is flushed. */
  readonly usagePollMs: number;
  /** Escalation paths per principal and for the account, over the caches above. */
  readonly escalation: EscalationQueries;
  readonly lastAccessed: LastAccessedRecorder;
  /** Access-key last use, flushed with last-accessed data. */
  readonly keyLastUsed = new KeyLastUsedBuffer();
  /** Action-level use per resource and day, flushed with last-accessed data. */
  readonly actionUsage = new ActionUsageBuffer();
  /** Denied guard checks waiting to become AccessDenied change-log rows. */
  readonly denials = new DenialAuditBuffer();
  /** Deletes audit-only change-log rows (AccessDenied rows among them) past their retention. */
  readonly auditRetention: AuditRetention;
  /** Decisions answered since start, by outcome (for /metrics). */
  readonly decisionCounts: Record<EvalDecision, number> = { ALLOWED: 0, EXPLICIT_DENY: 0, IMPLICIT_DENY: 0 };
  /** `minRevision` waits the listener did not satisfy in time, so the change log was read directly. */
  readThroughs = 0;
  private readonly revisionWaitMs: number;
  /** The listener's start promise `started` was chained on (see start). */
  private listening: Promise<void> | undefined;
  private started: Promise<void> | undefined;
  /** The listener start `started` has settled for (see authenticatedNow). */
  private startedWith: Promise<void> | undefined;
  /**
   * Feeds one request's guard into the in-memory usage buffers (no I/O on the request path). Its
   * denials share one tally, so an operation becomes at most one AccessDenied row.
   */
  private guardObserver(): GuardObserver {
    let tally: DenialTally | undefined;
    return {
      firstCheck: (caller, action) => {
        if (caller.credential.type === 'access-key') this.keyLastUsed.record(caller.credential.accessKeyId, action, new Date());
      },
      denied: (caller, action, resourceArn) => {
        tally ??= this.denials.tally();
        tally({ accountId: caller.accountId, callerArn: caller.arn, action, resourceArn, at: new Date() });
      },
    };
  }

  constructor(
    readonly database: Database,
    readonly logger: Logger,
    changes: ChangeSources,
    options: AuthzRuntimeOptions = {},
  ) {
    this.bus = changes.bus;
    this.listener = changes.listener;
    this.authenticator = new Authenticator(database, verifySecret, this.bus, options.clock);
    this.effective = new EffectivePolicyStore(database, this.compiled, this.bus);
    this.resources = new RegisteredResourceStore(database, this.bus);
    this.placements = new OrganizationPlacementStore(database, this.compiled, this.bus);
    this.accountPrincipals = new AccountPrincipals(database, this.bus);
    this.reverse = new ReverseQueries({
      database,
      decisions: this,
      effective: this.effective,
      principals: this.accountPrincipals,
      resources: this.resources,
      catalog: (accountId, prefix) => loadCatalogView(database, accountId, [prefix]),
    });
    this.usage = new UsageAnalysis(database, this.compiled, this.effective, options.clock ?? systemClock);
    this.usagePollMs = options.lastAccessedFlushMs ?? 5_000;
    this.escalation = new EscalationQueries({
      database,
      compiled: this.compiled,
      bus: this.bus,
      decisions: this,
      effective: this.effective,
      principals: this.accountPrincipals,
      // The SCP levels binding the account's principals (none for the management account).
      guardrails: async (accountId) => (await this.placements.load(accountId)).serviceControl,
    });
    this.lastAccessed = new LastAccessedRecorder(
      database,
      (error) => logger.warn({ err: error }, 'flushing last-accessed data failed; will retry'),
      options.lastAccessedFlushMs,
      [this.keyLastUsed, this.actionUsage, this.denials],
    );
    this.revisionWaitMs = options.revisionWaitMs ?? 50;
    this.auditRetention = new AuditRetention(database, options.auditRetentionDays ?? 90, (error) =>
      logger.warn({ err: error }, 'deleting expired audit rows failed; will retry'),
    );
  }

  /** Counts one decision for /metrics. */
  countDecision(decision: EvalDecision): void {
    this.decisionCounts[decision]++;
  }

  /**
   * Resolves once this instance has applied `revision`: waits briefly for the listener, then reads
   * the change log directly. Throws a ValidationError on `field` when the log has not reached it.
   */
  async reachRevision(revision: bigint, field: string): Promise<void> {
    if (this.bus.currentRevision >= revision) return;
    if (await this.bus.waitForRevision(revision, this.revisionWaitMs)) return;
    this.readThroughs++;
    await this.listener.catchUp();
    if (this.bus.currentRevision >= revision) return;
    throw revisionAhead(field, revision, this.bus.currentRevision);
  }

  /**
   * Read-your-writes on this instance: resolves once the caches reflect every write this process
   * has committed. A write's NOTIFY can arrive after its response; without this, the writer's next
   * request here could be decided from the policies it just replaced. Usually already true.
   */
  reachOwnWrites(): Promise<void> {
    const own = this.database.commits.highest;
    return this.bus.currentRevision >= own ? Promise.resolve() : this.reachRevision(own, 'revision');
  }

  /**
   * Starts the usage flushes and audit retention, and resolves once the change-log listener has
   * positioned the bus (its start is shared and retried after a failure); every request awaits it
   * before answering.
   */
  start(): Promise<void> {
    this.lastAccessed.start();
    this.auditRetention.start();
    const listening = this.listener.start();
    if (listening !== this.listening) {
      // Called by every request: the chain is built once per listener start.
      this.listening = listening;
      this.started = listening.then(() => {
        this.startedWith = listening;
        // Once the bus is positioned (see RegisteredResourceStore.start); until then, and if it
        // fails, decisions look every ARN up, which is correct, only slower.
        this.resources.start().catch((error: unknown) => this.logger.warn({ err: error }, 'loading the services with registered resources failed; looking every resource up'));
      });
    }
    return this.started!;
  }

  /** Stops the usage flushes (writing what is buffered) and audit retention; the app stops the listener. */
  async stop(): Promise<void> {
    await this.auditRetention.stop();
    await this.lastAccessed.stop();
  }

  /** Writes buffered last-accessed data, key last use and denial audit rows now (tests, shutdown). */
  flushUsage(): Promise<void> {
    return this.lastAccessed.flush();
  }

  /** Authenticates an Authorization header value (HTTP or WebSocket connection_init). */
  authenticate(header: string | null | undefined): Promise<Caller | undefined> {
    return this.authenticator.authenticate(header);
  }

  /**
   * The caller of an Authorization header without waiting, when waiting would change nothing:
   * `start()` has settled for the current listener, this instance reflects its own writes, and
   * the credential is in the authenticator's cache (which the change log invalidates, so a
   * revoked key is never found here). Undefined otherwise: then `start`, `reachOwnWrites` and
   * `authenticate` decide, as for any request.
   */
  authenticatedNow(header: string | null | undefined): Caller | undefined {
    if (this.startedWith === undefined || this.listener.start() !== this.startedWith) return undefined;
    this.lastAccessed.start();
    this.auditRetention.start();
    if (this.bus.currentRevision < this.database.commits.highest) return undefined;
    return this.authenticator.cached(header);
  }

  /** The request-scoped loader and guard for an authenticated (or anonymous) caller. */
  forRequest(caller: Caller | undefined, facts: RequestFacts): RequestAuthz {
    const policies = new DataLoader<PrincipalRef, EffectivePolicies>((refs) => this.effective.loadMany(refs), {
      maxBatchSize: 1_000,
      // No per-request memo: a question with minRevision must not reuse a set loaded before its wait.
      // The process-wide store already caches; DataLoader here only batches.
      cache: false,
    });
    // A cached caller set is taken directly: a DataLoader batch for it would cost more than the request's decision.
    const guard = new RequestGuard(caller, (ref) => policies.load(ref), facts, this.placements, this.guardObserver(), (ref) => this.effective.peek(ref));
    return { policies, guard, facts, decider: new Decider(this, policies, guard), reverse: this.reverse, runtime: this };
  }
}
