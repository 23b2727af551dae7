/**
 * The live machinery one app owns: the hub every subscription listens on (with the open
 * subscriptions' permits) and the rounds that re-decide watched decisions together. createApp
 * builds it once and the GraphQL context carries it to the subscription resolvers.
 */
import type { AuthzRuntime } from '../authz/runtime.ts';
import { DecisionRounds } from './decision-rounds.ts';
import { LiveHub } from './live-hub.ts';

/** The app's live hub and decision rounds. */
export interface LiveServices {
  readonly hub: LiveHub;
  readonly decisionRounds: DecisionRounds;
}

/** Builds the hub and the rounds over `runtime`; the hub listens to its bus only while someone is subscribed. */
export function createLiveServices(runtime: AuthzRuntime): LiveServices {
  const hub = new LiveHub(runtime);
  return { hub, decisionRounds: new DecisionRounds(runtime, hub) };
}
