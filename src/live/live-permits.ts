/**
 * Live subscriptions outlast the check that admitted them, so what they need is decided again
 * whenever it may have changed. Each open subscription holds a permit: its caller, the request
 * facts and the (action, resource) pairs it needs for its whole life (`iam:Changes` on the
 * account, `iam:DecisionChanged` and `iam:Authorize` on each watched principal, …).
 *
 * When to re-decide: a change-log row names what it may alter (affected principal ids, the entity,
 * key ids: `namesInChanges`), and the caller's effective policy set records what it was built from
 * (`dependsOn`: the caller's id, its groups, its role, its session key, its policies). A batch that
 * names any of these, or one of the permit's resources, re-decides that permit, through the same
 * guard every request uses, on the batch's shared loader (so a thousand subscriptions of one caller
 * load its policies once). One registry per hub indexes permits by those names, so a batch costs
 * one lookup per name it carries, however many subscriptions are open.
 *
 * The ordering that keeps a revoked subscriber from seeing another event: the hub hands each batch
 * to the registry before any subscription's listener, so a permit is marked undecided before its
 * stream can receive anything from that batch; the stream (permitted-stream.ts) holds every value
 * while its permit is undecided, and ends with the refusal (ACCESS_DENIED) when re-deciding fails.
 */
import type { Caller } from '../authz/caller.ts';
import type { EffectivePolicies } from '../authz/effective-set.ts';
import { callerRef, RequestGuard, type RequestFacts } from '../authz/guard.ts';
import type { AuthzRuntime } from '../authz/runtime.ts';
import { accountOfArn } from '../authz/principal-ref.ts';
import { namesInChanges } from '../changes/change.ts';
import { AccessDeniedError } from '../errors.ts';
import type { LiveBatch } from './live-batch.ts';

/** One permission a live subscription needs for as long as it runs. */
export interface LivePermission {
  readonly action: string;
  readonly resource: string;
}

/** Whose permissions a permit keeps deciding, and what it tells when they are gone. */
export interface PermitOptions {
  readonly caller: Caller;
  readonly facts: RequestFacts;
  /** What the whole subscription needs: one refused ends it. */
  readonly permissions: readonly LivePermission[];
  /** Called once with the refusal (an AccessDeniedError, or the failure that prevented deciding). */
  readonly onDenied: (error: unknown) => void;
  /**
   * What single parts of the subscription need (each `decisionChanged` check, its principal):
   * decided with `permissions` every time, a refusal costs only its part and may be lifted later.
   */
  readonly partial?: readonly LivePermission[];
  /**
   * Called after every decision, before held values are released, with the refused `partial`
   * permissions (none refused: an empty map).
   */
  readonly onPartial?: (refused: ReadonlyMap<LivePermission, AccessDeniedError>) => void;
}

/** A pending `whenAllowed`. */
interface Waiter {
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/** One subscription's standing permission; created by `PermitRegistry.open`, released by `close`. */
export class LivePermit {
  /** Batches heard that may change the answer (the opening counts as one), and how many are decided. */
  private heard = 1;
  private decided = 0;
  private running = false;
  /** The loader of the newest batch heard: state at least as new as every change heard so far. */
  private loader: LiveBatch['policies'] | undefined;
  private waiters: Waiter[] = [];
  private refusal: { readonly error: unknown } | undefined;
  private closed = false;
  /** Names this permit is indexed under (its caller's `dependsOn` and its resources). */
  names: ReadonlySet<string> = new Set();

  constructor(
    private readonly registry: PermitRegistry,
    private readonly runtime: AuthzRuntime,
    private readonly options: PermitOptions,
  ) {}

  /**
   * Undefined when the subscription is allowed as of every change heard so far (the common case,
   * no promise); otherwise a promise that resolves once it is decided allowed again, or rejects
   * with the refusal.
   */
  whenAllowed(): Promise<void> | undefined {
    if (this.refusal !== undefined) return Promise.reject(this.refusal.error);
    if (this.closed) return Promise.reject(new Error('the live permit is closed'));
    if (this.decided === this.heard) return undefined;
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  /** A batch named something this permit depends on: decide again before anything else goes out. */
  hear(loader: LiveBatch['policies']): void {
    if (this.closed) return;
    this.heard++;
    this.loader = loader;
    void this.run();
  }

  /** Decides once now: the caller may have lost a permission between its admission and this permit. */
  start(): void {
    void this.run();
  }

  /** Stops deciding; idempotent. Pending `whenAllowed` promises reject. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.registry.remove(this);
    this.settle(new Error('the live permit is closed'));
  }

  private async run(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (!this.closed && this.decided < this.heard) {
        const target = this.heard;
        const refusal = await this.decide(this.loader);
        if (this.closed) return;
        if (refusal !== undefined) {
          this.deny(refusal);
          return;
        }
        this.decided = target;
      }
    } finally {
      this.running = false;
    }
    if (!this.closed && this.decided === this.heard) this.settle(undefined);
  }

  /**
   * Undefined when every permission is allowed now (and the partial ones are reported); else the
   * refusal (or what kept it from deciding: fail closed).
   */
  private async decide(loader: LiveBatch['policies'] | undefined): Promise<unknown> {
    const { caller, facts, permissions, partial = [] } = this.options;
    try {
      const ref = callerRef(caller);
      const set = loader === undefined ? await loadOne(this.runtime, ref) : await loader.load(ref);
      if (this.closed) return undefined;
      const guard = new RequestGuard(caller, () => Promise.resolve(set), facts, this.runtime.placements);
      // Indexed under the caller's set and, once decided, the organization placements the checks
      // used too (an SCP attached to the caller's OU re-decides the permit). While deciding, the
      // names of the last decision are kept besides the set's: hearing one change too many costs a
      // re-decision, and in the steady state neither call changes the index.
      this.registry.index(this, set.dependsOn, [...permissions, ...partial], { widenOnly: true });
      try {
        for (const { action, resource } of permissions) await guard.require(action, resource);
        if (partial.length > 0) await guard.placeAll(...partial.map((p) => accountOfArn(p.resource) ?? caller.accountId));
      } finally {
        if (!this.closed) this.registry.index(this, [...set.dependsOn, ...guard.placementDependencies()], [...permissions, ...partial]);
      }
      if (partial.length === 0) return undefined;
      const refused = new Map<LivePermission, AccessDeniedError>();
      for (const permission of partial) {
        try {
          await guard.require(permission.action, permission.resource);
        } catch (error) {
          if (!(error instanceof AccessDeniedError)) throw error;
          refused.set(permission, error);
        }
      }
      if (!this.closed) this.options.onPartial?.(refused);
      return undefined;
    } catch (error) {
      return error;
    }
  }

  private deny(error: unknown): void {
    this.refusal = { error };
    this.closed = true;
    this.registry.remove(this);
    this.settle(error);
    this.options.onDenied(error);
  }

  private settle(error: unknown): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) {
      if (error === undefined) waiter.resolve();
      else waiter.reject(error);
    }
  }
}

/** The caller's effective set straight from the store (the opening decision has no batch loader). */
async function loadOne(runtime: AuthzRuntime, ref: string): Promise<EffectivePolicies> {
  const [set] = await runtime.effective.loadMany([ref]);
  if (set === undefined || set instanceof Error) throw set ?? new Error(`no effective policies for ${ref}`);
  return set;
}

/** The open permits of one hub, indexed by the names whose change re-decides them. */
export class PermitRegistry {
  private readonly byName = new Map<string, Set<LivePermit>>();
  /** Permits not decided yet: they hear every batch that names anything. */
  private readonly unindexed = new Set<LivePermit>();
  private readonly opened = new Set<LivePermit>();

  /** @param onCountChange tells the hub when the first permit opens or the last one closes. */
  constructor(
    private readonly runtime: AuthzRuntime,
    private readonly onCountChange: (count: number) => void,
  ) {}

  /** Open permits. */
  get size(): number {
    return this.opened.size;
  }

  /** Opens a permit and decides it once; `close()` it when the subscription ends. */
  open(options: PermitOptions): LivePermit {
    const permit = new LivePermit(this, this.runtime, options);
    this.unindexed.add(permit);
    this.opened.add(permit);
    this.onCountChange(this.opened.size);
    permit.start();
    return permit;
  }

  /** Hands a batch to every permit that depends on something it names (called by the hub before its listeners). */
  onBatch(batch: LiveBatch): void {
    if (this.opened.size === 0) return;
    const named = namesInChanges(batch.events);
    if (named.size === 0) return;
    const hit = new Set<LivePermit>(this.unindexed);
    for (const name of named) {
      const permits = this.byName.get(name);
      if (permits !== undefined) for (const permit of permits) hit.add(permit);
    }
    for (const permit of hit) permit.hear(batch.policies);
  }

  /** Re-indexes `permit` under what its caller's set depends on and its resources. */
  index(permit: LivePermit, dependsOn: Iterable<string>, permissions: readonly LivePermission[], options: { readonly widenOnly?: boolean } = {}): void {
    if (!this.opened.has(permit)) return;
    const names = new Set(dependsOn);
    for (const { resource } of permissions) names.add(resource);
    if (!this.unindexed.has(permit)) {
      // Re-decided permits mostly depend on what they did: leave the index as it is then.
      if (options.widenOnly === true) for (const name of permit.names) names.add(name);
      if (sameNames(names, permit.names)) return;
    }
    this.unindex(permit);
    permit.names = names;
    for (const name of names) {
      let permits = this.byName.get(name);
      if (permits === undefined) {
        permits = new Set();
        this.byName.set(name, permits);
      }
      permits.add(permit);
    }
  }

  /** Forgets a closed or refused permit. */
  remove(permit: LivePermit): void {
    if (!this.opened.delete(permit)) return;
    this.unindex(permit);
    permit.names = new Set();
    this.onCountChange(this.opened.size);
  }

  private unindex(permit: LivePermit): void {
    this.unindexed.delete(permit);
    for (const name of permit.names) {
      const permits = this.byName.get(name);
      if (permits === undefined) continue;
      permits.delete(permit);
      if (permits.size === 0) this.byName.delete(name);
    }
  }
}

function sameNames(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  if (a.size !== b.size) return false;
  for (const name of a) if (!b.has(name)) return false;
  return true;
}
