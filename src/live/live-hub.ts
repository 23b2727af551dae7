/**
 * The fan-out between the change bus and live subscriptions: one bus handler per app (createApp
 * builds the hub, see live-services.ts), however many subscriptions are open. It counts its listeners (so tests can prove a vanished client
 * leaves none behind) and gives every listener of one batch the same effective-policy loader,
 * so a write that affects a thousand watched decisions loads each principal once, not a
 * thousand times.
 *
 * Ordering: the authorizer's caches subscribe to the bus when the runtime is built, before this
 * hub, and the bus calls handlers in subscription order; so when a listener hears of a batch,
 * every cache entry it made stale is already gone. Within the hub, the open subscriptions'
 * permits (live-permits.ts) hear each batch before any listener, so a subscriber that may have
 * lost a permission is held before its stream can receive anything from that batch.
 *
 * Credential guards (credential-watch.ts) hear each batch next. A guard that must re-authenticate
 * its connection returns the check, and listeners get the batch only once every check it started
 * has settled: a connection whose credential the batch revoked is closed before any of its
 * streams (changes, decision watches, findings) could receive that very change. Later batches wait
 * behind a held one, so listeners still hear batches in revision order.
 */
import DataLoader from 'dataloader';
import type { EffectivePolicies } from '../authz/effective-set.ts';
import type { PrincipalRef } from '../authz/principal-ref.ts';
import type { AuthzRuntime } from '../authz/runtime.ts';
import type { ChangeEvent } from '../changes/change.ts';
import type { LiveBatch, LiveGuard, LiveListener } from './live-batch.ts';
import { PermitRegistry } from './live-permits.ts';

/** One app's fan-out of committed changes to live subscriptions. */
export class LiveHub {
  private readonly listeners = new Set<LiveListener>();
  private readonly guards = new Set<LiveGuard>();
  /** Settles when the last batch held for its guards' checks has reached the listeners. */
  private delivering: Promise<void> | undefined;
  private detach: (() => void) | undefined;
  /** The open subscriptions' standing permissions, re-decided when a batch may change them. */
  readonly permits: PermitRegistry;

  /** @param runtime whose bus the hub listens to, and whose effective-policy store its batches load from. */
  constructor(readonly runtime: AuthzRuntime) {
    this.permits = new PermitRegistry(runtime, () => this.attachWhileNeeded());
  }

  /** Open listeners and guards (one per live subscription or watched connection). */
  get size(): number {
    return this.listeners.size + this.guards.size;
  }

  /** The highest revision this instance has applied. */
  get currentRevision(): bigint {
    return this.runtime.bus.currentRevision;
  }

  /** Adds a listener for every later batch; returns its idempotent remover. */
  subscribe(listener: LiveListener): () => void {
    return this.addTo(this.listeners, listener);
  }

  /** Adds a credential guard, heard before the listeners; returns its idempotent remover. */
  guard(guard: LiveGuard): () => void {
    return this.addTo(this.guards, guard);
  }

  private addTo<T>(set: Set<T>, member: T): () => void {
    set.add(member);
    this.attachWhileNeeded();
    return () => {
      set.delete(member);
      this.attachWhileNeeded();
    };
  }

  /**
   * A loader like a batch's, for work no batch started (a subscriber regained a permission): it
   * reads the effective-policy store, which every batch heard so far has already invalidated.
   */
  freshLoader(): LiveBatch['policies'] {
    return newBatchLoader(this.runtime);
  }

  /** Listens to the bus while anyone (a listener or a permit) needs batches, and only then. */
  private attachWhileNeeded(): void {
    const needed = this.listeners.size > 0 || this.guards.size > 0 || this.permits.size > 0;
    if (needed) this.detach ??= this.runtime.bus.subscribe((events) => this.publish(events));
    else if (this.detach !== undefined) {
      this.detach();
      this.detach = undefined;
    }
  }

  private publish(events: readonly ChangeEvent[]): void {
    if (this.listeners.size === 0 && this.guards.size === 0 && this.permits.size === 0) return;
    const runtime = this.runtime;
    let loader: DataLoader<PrincipalRef, EffectivePolicies> | undefined;
    const batch: LiveBatch = {
      events,
      // Created on first use: most batches touch no watched decision.
      get policies() {
        loader ??= newBatchLoader(runtime);
        return loader;
      },
    };
    // First the permits: a subscription that must be re-decided holds its stream before it gets anything.
    try {
      this.permits.onBatch(batch);
    } catch (error) {
      this.runtime.logger.error({ err: error }, 'live permits failed');
    }
    const checks: Array<Promise<unknown>> = [];
    for (const guard of [...this.guards]) {
      try {
        const check = guard(batch);
        if (check !== undefined) checks.push(check);
      } catch (error) {
        this.runtime.logger.error({ err: error }, 'live credential guard failed');
      }
    }
    if (checks.length === 0 && this.delivering === undefined) {
      this.deliver(batch);
      return;
    }
    const delivered: Promise<void> = (this.delivering ?? Promise.resolve())
      .then(() => Promise.allSettled(checks))
      .then(() => {
        this.deliver(batch);
        if (this.delivering === delivered) this.delivering = undefined;
      });
    this.delivering = delivered;
  }

  private deliver(batch: LiveBatch): void {
    // Copy: a listener may unsubscribe (or another subscribe) while we iterate.
    for (const listener of [...this.listeners]) {
      try {
        listener(batch);
      } catch (error) {
        this.runtime.logger.error({ err: error }, 'live listener failed');
      }
    }
  }
}

/** A loader that batches and de-duplicates within one change batch (its memo dies with the batch). */
function newBatchLoader(runtime: AuthzRuntime): DataLoader<PrincipalRef, EffectivePolicies> {
  return new DataLoader<PrincipalRef, EffectivePolicies>((refs) => runtime.effective.loadMany(refs), { maxBatchSize: 1_000 });
}
