/**
 * What the live hub (live-hub.ts) hands its listeners and the open subscriptions' permits
 * (live-permits.ts) for each published batch of committed changes. Its own module so that the
 * hub and the permits can both name it without importing each other.
 */
import type DataLoader from 'dataloader';
import type { EffectivePolicies } from '../authz/effective-set.ts';
import type { PrincipalRef } from '../authz/principal-ref.ts';
import type { ChangeEvent } from '../changes/change.ts';

/** One published batch as listeners see it. */
export interface LiveBatch {
  /** The rows, ascending by revision. */
  readonly events: readonly ChangeEvent[];
  /** Effective policy sets loaded after this batch's invalidation, shared by every listener of it. */
  readonly policies: DataLoader<PrincipalRef, EffectivePolicies>;
}

/** Receives batches; must not throw (errors are reported by the bus and ignored). */
export type LiveListener = (batch: LiveBatch) => void;

/**
 * Hears a batch before the listeners; returns a promise when it started a check (a credential
 * re-authentication) that the batch's delivery must wait for, settled once its outcome (a
 * connection closed, or kept) has taken effect. Must not throw.
 */
export type LiveGuard = (batch: LiveBatch) => Promise<unknown> | undefined;
