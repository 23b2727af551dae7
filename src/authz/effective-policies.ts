/**
 * The store of effective policy sets (effective-set.ts): identity policies (attached managed
 * policies' default versions and inline policies, directly and through the user's groups),
 * permissions boundary, and session policies (inline and by ARN) for a session. Loaded for a whole batch of principals
 * in one statement (load-principals.ts), cached per principal, and dropped precisely when a
 * change-log row names anything the entry was built from — never by a timer. Misses of
 * concurrent requests are coalesced (load-coalescer.ts): under load, first touches share
 * statements instead of each costing its own.
 */
import type { Database } from '../db/client.ts';
import type { ChangeBus } from '../changes/bus.ts';
import { namesInChanges, type ChangeEvent } from '../changes/change.ts';
import { NoSuchEntityError } from '../errors.ts';
import { Assembler, StringPool } from './assemble-policies.ts';
import { VersionTextNotLoaded, type CompiledPolicyCache } from './compiled-policies.ts';
import type { EffectivePolicies } from './effective-set.ts';
import { LoadCoalescer } from './load-coalescer.ts';
import { loadPrincipalRows, type PrincipalQuery } from './load-principals.ts';
import { LruCache } from './lru.ts';
import { parsePrincipalArn, sessionKeyOf, type PrincipalRef } from './principal-ref.ts';

/** Loads and caches effective policy sets; one per process. */
export class EffectivePolicyStore {
  readonly cache: LruCache<PrincipalRef, EffectivePolicies>;
  /** Bumped by every change batch: a load that overlapped a change is used once, not cached. */
  private generation = 0;
  /** Strings shared by many cached sets (group and policy ids and ARNs), kept once. */
  private readonly strings = new StringPool();
  /** Misses of every request, batched into shared statements. */
  readonly loads: LoadCoalescer<PrincipalRef, EffectivePolicies>;

  constructor(
    private readonly database: Database,
    private readonly compiled: CompiledPolicyCache,
    bus: ChangeBus,
    capacity = 50_000,
  ) {
    this.cache = new LruCache(capacity);
    bus.subscribe((events) => this.onChanges(events));
    // PGlite runs one statement at a time: a second batch out would only wait inside it, so
    // everything waits here and joins the next one. PostgreSQL overlaps a few, sparing latency.
    this.loads = new LoadCoalescer((refs) => this.loadAndCache(refs), { maxInFlight: database.kind === 'pglite' ? 1 : 4 });
  }

  /** The cached set of `ref`, if any (a miss is not counted: `loadMany` counts it). */
  peek(ref: PrincipalRef): EffectivePolicies | undefined {
    const entry = this.cache.peek(ref);
    return entry === undefined || isCurrent(entry) ? entry : undefined;
  }

  /**
   * The effective sets of `refs`, in order: cached entries directly, the rest from one batched
   * load. An unknown principal yields a NoSuchEntityError in its slot.
   */
  async loadMany(refs: readonly PrincipalRef[]): Promise<Array<EffectivePolicies | Error>> {
    const results: Array<EffectivePolicies | Error | undefined> = refs.map((ref) => {
      const entry = this.cache.get(ref);
      return entry === undefined || isCurrent(entry) ? entry : undefined;
    });
    if (!results.includes(undefined)) return results as EffectivePolicies[];
    return Promise.all(
      refs.map(async (ref, i) => results[i] ?? (await this.loads.load(ref)) ?? noSuchPrincipal(ref)),
    );
  }

  /** One batch's load: its sets are cached unless a change arrived while the statement ran. */
  private async loadAndCache(refs: readonly PrincipalRef[]): Promise<Map<PrincipalRef, EffectivePolicies | Error>> {
    const generation = this.generation;
    const loaded = await this.loadFromDatabase(refs);
    if (generation === this.generation) {
      for (const [ref, entry] of loaded) if (!(entry instanceof Error)) this.cache.set(ref, entry);
    }
    return loaded;
  }

  /** Drops every entry built from something a change names. */
  private onChanges(events: readonly ChangeEvent[]): void {
    this.generation++;
    const named = namesInChanges(events);
    this.cache.invalidateWhere((entry) => {
      for (const id of entry.dependsOn) if (named.has(id)) return true;
      return false;
    });
  }

  private async loadFromDatabase(refs: readonly PrincipalRef[]): Promise<Map<PrincipalRef, EffectivePolicies | Error>> {
    const userArns: string[] = [];
    const roleArns: string[] = [];
    const sessionArns: string[] = [];
    const sessionKeyIds: string[] = [];
    for (const ref of refs) {
      const key = sessionKeyOf(ref);
      if (key !== undefined) {
        sessionKeyIds.push(key);
        continue;
      }
      const parsed = parsePrincipalArn(ref);
      if (parsed === undefined) continue;
      if (parsed.kind === 'root' || parsed.kind === 'user') userArns.push(ref);
      else if (parsed.kind === 'role') roleArns.push(ref);
      else sessionArns.push(ref);
    }
    const query = { userArns, roleArns, sessionArns, sessionKeyIds };
    const sparing = await this.loadAndBuild(refs, { ...query, knownVersions: this.compiled.knownVersions() });
    // A version sent without its text was evicted meanwhile, or is needed in another kind: once more, with every text.
    return sparing ?? (await this.loadAndBuild(refs, { ...query, knownVersions: [] }))!;
  }

  /** One statement and the sets built from it; undefined when a version's text is needed after all (VersionTextNotLoaded). */
  private async loadAndBuild(refs: readonly PrincipalRef[], query: PrincipalQuery): Promise<Map<PrincipalRef, EffectivePolicies | Error> | undefined> {
    const rows = await loadPrincipalRows(this.database, query, new Date());
    const assembler = new Assembler(rows, this.compiled, this.strings);
    const out = new Map<PrincipalRef, EffectivePolicies | Error>();
    for (const ref of refs) {
      try {
        const entry = assembler.build(ref);
        if (entry !== undefined) out.set(ref, entry);
      } catch (error) {
        if (error instanceof VersionTextNotLoaded && query.knownVersions.length > 0) return undefined;
        out.set(ref, error instanceof Error ? error : new Error(String(error)));
      }
    }
    return out;
  }
}

/** False once a session entry's session has expired. */
function isCurrent(entry: EffectivePolicies): boolean {
  return entry.validUntil === undefined || entry.validUntil > Date.now();
}

function noSuchPrincipal(ref: PrincipalRef): NoSuchEntityError {
  const parsed = sessionKeyOf(ref) === undefined ? parsePrincipalArn(ref) : undefined;
  const type = parsed?.kind === 'role' || parsed?.kind === 'assumed-role' ? 'Role' : 'User';
  return new NoSuchEntityError(type, ref);
}
