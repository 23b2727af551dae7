/**
 * The drills' mixed load against a set of instances: writers flip policy attachments
 * (attach/detach) on users they own, checking after every revoke that another instance given
 * its revision answers IMPLICIT_DENY; deciders ask authorize with the latest revision. Every
 * request is timed and failures are counted by error code. Loops stop at `stop()`.
 */
import { ALLOW_ACTION } from './grant.ts';
import type { Grant } from './grant.ts';
import { ATTACH, AUTHORIZE, DETACH, errorCode, post } from './directory.ts';
import { ROOT_AUTH } from './env.ts';

/** Somewhere to send requests. */
export interface Target {
  readonly name: string;
  readonly graphqlUrl: string;
  alive: boolean;
}

/** One write as the client saw it. */
export interface WriteRecord {
  readonly user: string;
  readonly kind: 'PolicyAttached' | 'PolicyDetached';
  /** ok: answered with a revision; failed: answered with an error; ambiguous: no answer (may or may not have committed). */
  readonly outcome: 'ok' | 'failed' | 'ambiguous';
  readonly revision?: string;
  readonly code?: string;
}

/** A timed request. */
interface Sample {
  readonly at: number;
  readonly ms: number;
}

/** Counters and samples of a run. */
export class LoadStats {
  requests = 0;
  readonly failures = new Map<string, number>();
  readonly writes: WriteRecord[] = [];
  readonly samples: Sample[] = [];
  /** Revokes later answered ALLOWED by an instance given the revoke's revision. */
  staleAllowed = 0;
  revokeChecks = 0;

  record(started: number, code: string | undefined): void {
    this.requests++;
    this.samples.push({ at: started, ms: performance.now() - started });
    if (code !== undefined) this.failures.set(code, (this.failures.get(code) ?? 0) + 1);
  }
}

/** Options for `MixedLoad`. */
export interface MixedLoadOptions {
  readonly targets: readonly Target[];
  /** Users with a grant; writer i owns grants i, i+writers, … */
  readonly grants: readonly Grant[];
  readonly writers: number;
  readonly deciders: number;
}

/** Runs the load until `stop()`. */
export class MixedLoad {
  readonly stats = new LoadStats();
  private running = true;
  private loops: Array<Promise<void>> = [];
  private latestRevision = '0';
  private turn = 0;

  constructor(private readonly options: MixedLoadOptions) {}

  /** Starts the writer and decider loops. */
  start(): void {
    for (let w = 0; w < this.options.writers; w++) this.loops.push(this.writer(w));
    for (let d = 0; d < this.options.deciders; d++) this.loops.push(this.decider());
  }

  /** Stops the loops and waits for their last requests. */
  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }

  private target(except?: Target): Target | undefined {
    const alive = this.options.targets.filter((t) => t.alive && t !== except);
    if (alive.length === 0) return this.options.targets.find((t) => t.alive);
    return alive[this.turn++ % alive.length];
  }

  private async call(query: string, variables: Record<string, unknown>, except?: Target) {
    const target = this.target(except);
    const started = performance.now();
    if (target === undefined) {
      this.stats.record(started, 'NO_INSTANCE');
      return { answer: undefined, code: 'NO_INSTANCE' };
    }
    const answer = await post(target.graphqlUrl, ROOT_AUTH, query, variables, 10_000);
    const code = errorCode(answer);
    this.stats.record(started, code);
    return { answer, code, target };
  }

  private noteRevision(revision: string): void {
    if (BigInt(revision) > BigInt(this.latestRevision)) this.latestRevision = revision;
  }

  private async writer(index: number): Promise<void> {
    const owned = this.options.grants.filter((_, i) => i % this.options.writers === index);
    const attached = new Map(owned.map((g) => [g.userName, true]));
    for (let n = 0; this.running; n++) {
      const grant = owned[n % owned.length]!;
      const attach = !attached.get(grant.userName);
      const kind = attach ? 'PolicyAttached' : 'PolicyDetached';
      const { answer, code, target } = await this.call(attach ? ATTACH : DETACH, { u: grant.userName, p: grant.policyArn });
      const field = attach ? 'attachUserPolicy' : 'detachUserPolicy';
      const revision = answer?.body.data?.[field]?.revision as string | undefined;
      if (revision !== undefined && code === undefined) {
        this.stats.writes.push({ user: grant.userName, kind, outcome: 'ok', revision });
        attached.set(grant.userName, attach);
        this.noteRevision(revision);
        if (!attach) await this.checkRevoke(grant, revision, target);
        continue;
      }
      // No answer (connection cut) or a 5xx after sending: the write may have committed.
      const ambiguous = answer === undefined || answer.status === 0 || answer.status >= 500;
      this.stats.writes.push({ user: grant.userName, kind, outcome: ambiguous ? 'ambiguous' : 'failed', ...(code === undefined ? {} : { code }) });
      // The directory is the truth: a typed error (already attached, not attached) or an unknown outcome resyncs from it.
      const known = await this.readAttached(grant);
      if (known !== undefined) attached.set(grant.userName, known);
      else await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  /** After a revoke returned `revision`, another instance given that revision must not answer ALLOWED. */
  private async checkRevoke(grant: Grant, revision: string, writtenOn: Target | undefined): Promise<void> {
    const { answer, code } = await this.call(AUTHORIZE, { p: grant.userArn, a: ALLOW_ACTION, r: '*', m: revision }, writtenOn);
    if (code !== undefined || answer === undefined) return;
    this.stats.revokeChecks++;
    if (answer.body.data?.['authorize']?.decision === 'ALLOWED') this.stats.staleAllowed++;
  }

  private async readAttached(grant: Grant): Promise<boolean | undefined> {
    const { answer, code } = await this.call('query ($u: String!) { user(userName: $u) { attachedPolicies { policyArn } } }', { u: grant.userName });
    if (code !== undefined || answer?.body.data?.['user'] == null) return undefined;
    return (answer.body.data['user'].attachedPolicies as Array<{ policyArn: string }>).some((p) => p.policyArn === grant.policyArn);
  }

  private async decider(): Promise<void> {
    for (let n = 0; this.running; n++) {
      const grant = this.options.grants[Math.floor(Math.random() * this.options.grants.length)]!;
      const { code } = await this.call(AUTHORIZE, { p: grant.userArn, a: ALLOW_ACTION, r: '*', m: this.latestRevision });
      if (code !== undefined) await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/** Percentile of sorted numbers. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
