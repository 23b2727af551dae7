/**
 * The per-process cache of registered resources (the resource registry, src/iam/resources.ts) as
 * decisions use them: owner account, tags (ready as `aws:ResourceTag/*` context values) and the
 * compiled resource policy. Keyed by ARN (an ARN is registered once in the deployment). Loaded in
 * batches (one statement per batch); ARNs known to be unregistered are cached too, in a bounded
 * LRU of their own; everything is dropped precisely when a change-log row names the resource,
 * before the bus advances its revision, so `minRevision` holds as it does for principals.
 *
 * The cheap answer for most questions: the services that have any registered resource at all are
 * tracked (loaded once after the change-log listener is positioned, then extended from the log),
 * and an ARN of any other service is unregistered without a lookup. So deciding about ARNs
 * nobody registered costs a set lookup, not a statement or an LRU entry.
 */
import type { ChangeBus } from '../changes/bus.ts';
import type { ChangeEvent } from '../changes/change.ts';
import type { Database } from '../db/client.ts';
import type { Tag } from '../db/schema/index.ts';
import { getResourcesByArn, listResourcesForEvaluation, servicesWithResources } from '../iam/resource-lookups.ts';
import type { ResourceFilter } from '../iam/resource-reads.ts';
import type { RegisteredResourceRow } from '../iam/resources.ts';
import { serviceOfArn } from '../iam/resource-arns.ts';
import { compilePolicy } from '../policy/index.ts';
import type { CompiledPolicy, ContextValue, RequestContext } from '../policy/types.ts';
import { COMPILED_BYTES_PER_CHAR } from './compiled-policies.ts';
import { LruCache } from './lru.ts';

/** A registered resource as decisions see it. */
export interface RegisteredResource {
  /** The owning account: the resource owner of decisions about it. */
  readonly accountId: string;
  readonly arn: string;
  readonly serviceName: string;
  readonly resourceType: string;
  readonly tags: readonly Tag[];
  /** Its resource-based policy, compiled; absent when it has none. */
  readonly policy?: CompiledPolicy;
  /** `aws:ResourceTag/<key>` for each tag, as a request context (shared, never mutated). */
  readonly tagContext: RequestContext;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** What `listForEvaluation` filters by. */
export type EvaluationFilter = Pick<ResourceFilter, 'serviceName' | 'resourceType' | 'arnPrefix'>;

/** Sizes of the caches (entries; the present cache is also bounded by approximate bytes). */
export interface RegistryCacheLimits {
  readonly present: number;
  readonly presentBytes: number;
  readonly absent: number;
  readonly lists: number;
}

export const DEFAULT_REGISTRY_LIMITS: RegistryCacheLimits = { present: 100_000, presentBytes: 256 * 1024 * 1024, absent: 100_000, lists: 64 };

/** Approximate heap bytes of an entry without its policy, for the byte bound. */
const ENTRY_BYTES = 400;

/** The store of registered resources; one per process (AuthzRuntime builds it). */
export class RegisteredResourceStore {
  readonly present: LruCache<string, RegisteredResource>;
  /** ARNs known to be unregistered (within a service that has registered resources). */
  readonly absent: LruCache<string, true>;
  /** Whole-filter answers of listForEvaluation, per account, dropped by any change to that account's resources. */
  private readonly lists: LruCache<string, readonly RegisteredResource[]>;
  /** Services with at least one registered resource; undefined until loaded (then every ARN is looked up). */
  private services: Set<string> | undefined;
  private servicesLoading: Promise<void> | undefined;
  /** Bumped by every batch that touches resources: a load that overlapped one is used once, not cached. */
  private generation = 0;

  constructor(
    private readonly database: Database,
    bus: ChangeBus,
    limits: RegistryCacheLimits = DEFAULT_REGISTRY_LIMITS,
  ) {
    this.present = new LruCache(limits.present, limits.presentBytes);
    this.absent = new LruCache(limits.absent);
    this.lists = new LruCache(limits.lists);
    bus.subscribe((events) => this.onChanges(events));
  }

  /**
   * Loads the set of services that have registered resources. Call once the change-log listener
   * has positioned the bus (the store already listens): rows committed before that position are
   * in this read, later ones arrive as changes. Until it resolves, every ARN is looked up.
   */
  start(): Promise<void> {
    this.servicesLoading ??= servicesWithResources(this.database.db).then(
      (found) => {
        this.services = new Set([...found, ...(this.services ?? [])]);
      },
      (error: unknown) => {
        this.servicesLoading = undefined;
        throw error;
      },
    );
    return this.servicesLoading;
  }

  /**
   * What is known of `arn` without I/O: the resource, `null` when it is known to be unregistered,
   * undefined when only a load can tell.
   */
  peek(arn: string): RegisteredResource | null | undefined {
    if (this.services !== undefined) {
      const service = serviceOfArn(arn);
      if (service === undefined || !this.services.has(service)) return null;
    }
    const hit = this.present.peek(arn);
    if (hit !== undefined) return hit;
    return this.absent.peek(arn) === undefined ? undefined : null;
  }

  /**
   * The registered resources of `arns`, in order (`null` for unregistered ones): cached answers
   * directly, the rest in one statement. A resource whose stored policy fails to compile is an
   * Error in its slot (never cached).
   */
  async loadMany(arns: readonly string[]): Promise<Array<RegisteredResource | null | Error>> {
    const results: Array<RegisteredResource | null | Error | undefined> = arns.map((arn) => this.peek(arn));
    const missing = [...new Set(arns.filter((_, i) => results[i] === undefined))];
    if (missing.length === 0) return results as Array<RegisteredResource | null>;
    const generation = this.generation;
    const rows = await getResourcesByArn(this.database.db, missing);
    const cacheable = generation === this.generation;
    const loaded = new Map<string, RegisteredResource | Error>();
    for (const row of rows) {
      try {
        loaded.set(row.arn, this.entryOf(row));
      } catch (error) {
        loaded.set(row.arn, error instanceof Error ? error : new Error(String(error)));
      }
    }
    if (cacheable) {
      for (const arn of missing) {
        const entry = loaded.get(arn);
        if (entry === undefined) this.absent.set(arn, true);
        else if (!(entry instanceof Error)) this.present.set(arn, entry, entryBytes(entry));
      }
    }
    return arns.map((arn, i) => results[i] ?? loaded.get(arn) ?? null);
  }

  /** One resource (see loadMany); rejects when its stored policy fails to compile. */
  async load(arn: string): Promise<RegisteredResource | null> {
    const [entry] = await this.loadMany([arn]);
    if (entry instanceof Error) throw entry;
    return entry ?? null;
  }

  /**
   * Every registered resource of `accountId` matching `filter`, in ARN order: one statement
   * whatever the count, or none when the same filter was answered since the account's resources
   * last changed.
   */
  async listForEvaluation(accountId: string, filter: EvaluationFilter = {}): Promise<readonly RegisteredResource[]> {
    const key = JSON.stringify([accountId, filter.serviceName?.toLowerCase() ?? null, filter.resourceType?.toLowerCase() ?? null, filter.arnPrefix ?? null]);
    const cached = this.lists.get(key);
    if (cached !== undefined) return cached;
    const generation = this.generation;
    const rows = await listResourcesForEvaluation(this.database.db, accountId, filter);
    const list = rows.map((row) => {
      const hit = this.present.peek(row.arn);
      return hit !== undefined && hit.updatedAt.getTime() === row.updatedAt.getTime() ? hit : this.entryOf(row);
    });
    if (generation === this.generation) this.lists.set(key, list);
    return list;
  }

  /** Drops what the batch's resource rows name; other rows leave the registry alone. */
  private onChanges(events: readonly ChangeEvent[]): void {
    let touched = false;
    for (const event of events) {
      if (event.entityType !== 'resource') continue;
      touched = true;
      this.present.invalidate(event.entityArn);
      this.absent.invalidate(event.entityArn);
      const service = serviceOfArn(event.entityArn);
      if (service !== undefined) this.services?.add(service);
      if (event.accountId !== null) this.dropLists(event.accountId);
    }
    if (touched) this.generation++;
  }

  private dropLists(accountId: string): void {
    const prefix = JSON.stringify([accountId]).slice(0, -1);
    this.lists.invalidateWhere((_, key) => key.startsWith(prefix));
  }

  /** A row as decisions use it; throws when a stored policy no longer compiles (the question then fails rather than skip a Deny). */
  private entryOf(row: RegisteredResourceRow): RegisteredResource {
    let policy: CompiledPolicy | undefined;
    if (row.policyDocument !== null) {
      // Stored documents passed validation and their quota when written.
      const compiled = compilePolicy(row.policyDocument, 'resource', { id: row.arn, name: 'ResourcePolicy' }, { sizeQuota: Number.POSITIVE_INFINITY });
      if (!compiled.ok) throw new Error(`the stored resource policy of ${row.arn} does not compile: ${compiled.findings[0]?.message ?? 'unknown error'}`);
      policy = compiled.policy;
    }
    return {
      accountId: row.accountId,
      arn: row.arn,
      serviceName: row.service,
      resourceType: row.resourceType,
      tags: row.tags,
      ...(policy === undefined ? {} : { policy }),
      tagContext: tagContextOf(row.tags),
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
    };
  }
}

/** `aws:ResourceTag/<key>` entries for `tags`. */
function tagContextOf(tags: readonly Tag[]): RequestContext {
  const context: Record<string, ContextValue> = {};
  for (const tag of tags) context[`aws:ResourceTag/${tag.key}`] = { type: 'string', multi: false, values: [tag.value] };
  return context;
}

function entryBytes(entry: RegisteredResource): number {
  return ENTRY_BYTES + (entry.policy === undefined ? 0 : entry.policy.size * COMPILED_BYTES_PER_CHAR);
}
