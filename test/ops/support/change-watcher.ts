/**
 * A `changes` subscriber that survives its instance: when the socket dies it subscribes again on
 * another live instance with `afterRevision` set to the last revision it saw, so a complete,
 * ordered feed proves that no event was lost or repeated across outages and failovers.
 */
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { ROOT_AUTH } from './env.ts';
import type { Target } from './mixed-load.ts';

const CHANGES = 'subscription ($after: String) { changes(afterRevision: $after) { revision kind } }';

/** Collects every change revision from `afterRevision` on, resubscribing after failures. */
export class ChangeWatcher {
  readonly revisions: bigint[] = [];
  /** Revisions received twice or out of order. */
  outOfOrder = 0;
  resubscriptions = 0;
  private client: Client | undefined;
  private running = true;
  private last: bigint;

  constructor(
    readonly name: string,
    private readonly targets: readonly Target[],
    afterRevision: bigint,
    private preferred: Target,
  ) {
    this.last = afterRevision;
    this.subscribe();
  }

  /** The last revision seen. */
  get lastRevision(): bigint {
    return this.last;
  }

  /** Ends the subscription. */
  async stop(): Promise<void> {
    this.running = false;
    await this.client?.dispose();
  }

  private subscribe(): void {
    if (!this.running) return;
    const target = this.preferred.alive ? this.preferred : this.targets.find((t) => t.alive);
    if (target === undefined) return;
    this.preferred = target;
    const client = createClient({ url: target.graphqlUrl.replace(/^http/, 'ws'), webSocketImpl: WebSocket, retryAttempts: 0, connectionParams: { authorization: ROOT_AUTH } });
    this.client = client;
    const retry = (): void => {
      void client.dispose();
      if (!this.running) return;
      this.resubscriptions++;
      setTimeout(() => this.subscribe(), 250);
    };
    client.subscribe<{ changes: { revision: string } }>(
      { query: CHANGES, variables: { after: this.last.toString() } },
      {
        next: (result) => {
          const revision = result.data?.changes.revision;
          if (revision === undefined) return;
          const value = BigInt(revision);
          if (value <= this.last) this.outOfOrder++;
          else {
            this.revisions.push(value);
            this.last = value;
          }
        },
        error: retry,
        complete: retry,
      },
    );
  }
}
