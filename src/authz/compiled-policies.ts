/**
 * Compiled policies, cached. A managed policy version is immutable (version numbers are never
 * reused), so its compiled form is cached by (policy id, version, kind) and never invalidated,
 * only evicted. Inline and session policies are mutable text, so they are cached by owner and
 * name and reused only while the text is unchanged. Documents a caller passes with a question
 * (a `resourcePolicy`) live in a third, smaller cache of their own, so however many distinct ones
 * callers send they can never evict the stored policies every decision needs. All three are
 * bounded by bytes as well as entries.
 */
import { compilePolicy } from '../policy/index.ts';
import type { CompiledPolicy, Finding, PolicyKind, PolicyMeta } from '../policy/types.ts';
import { LruCache } from './lru.ts';

/**
 * A policy text that does not compile. For a stored policy the principal fails closed (an error,
 * never a set that silently lost a Deny); for a policy passed with a request it is the caller's error.
 */
export class PolicyCompileFailure extends Error {
  constructor(
    readonly policyId: string,
    readonly findings: readonly Finding[],
  ) {
    const first = findings.find((f) => f.findingType === 'ERROR');
    super(`policy ${policyId} does not compile: ${first?.message ?? 'invalid policy'}`);
    this.name = 'PolicyCompileFailure';
  }
}

/**
 * A managed policy version a principal load sent without its text (the cache said it held the
 * version compiled, see `knownVersions`) that the cache no longer holds in the kind now needed:
 * evicted meanwhile, or compiled so far only as another kind. The load is repeated with every text.
 */
export class VersionTextNotLoaded extends Error {
  constructor(
    readonly policyId: string,
    readonly versionNumber: number,
  ) {
    super(`the text of policy ${policyId} version ${versionNumber} was not loaded`);
    this.name = 'VersionTextNotLoaded';
  }
}

/**
 * Most versions `knownVersions` names: a load's parameter grows with it, and PostgreSQL reads it
 * on every first touch, so beyond this many only the most recently stored are named.
 */
export const KNOWN_VERSIONS_NAMED = 1_000;

/**
 * Approximate heap bytes of a compiled policy per character of its source text (measured: 600
 * distinct 9.5 kB resource policies grew the heap by 217 MB, about 38 bytes a character).
 */
export const COMPILED_BYTES_PER_CHAR = 40;

/** Byte bounds of the compiled-policy caches. */
export interface CompiledCacheLimits {
  /** Entries in each stored-policy cache. */
  readonly capacity: number;
  /** Approximate bytes of each stored-policy cache (managed versions; inline and session documents). */
  readonly storedBytes: number;
  /** Entries in the cache of caller-supplied documents. */
  readonly callerCapacity: number;
  /** Approximate bytes of the cache of caller-supplied documents. */
  readonly callerBytes: number;
}

/** 256 MB for each stored cache, 32 MB (about 40 full-size 20 kB resource policies) for callers'. */
export const DEFAULT_CACHE_LIMITS: CompiledCacheLimits = {
  capacity: 20_000,
  storedBytes: 256 * 1024 * 1024,
  callerCapacity: 1_000,
  callerBytes: 32 * 1024 * 1024,
};

/** Approximate bytes of the compiled form of `text`. */
function approxBytes(text: string): number {
  return text.length * COMPILED_BYTES_PER_CHAR;
}

/** Caches compiled policy documents; one per process. */
export class CompiledPolicyCache {
  /** Immutable managed-policy versions by `policyId:version:kind`. */
  readonly versions: LruCache<string, CompiledPolicy>;
  /** Mutable documents (inline, session) by owner key, with the text they were compiled from. */
  readonly documents: LruCache<string, { readonly text: string; readonly policy: CompiledPolicy }>;
  /** Documents passed with a question, by a digest of their text: kept apart so they cannot evict the above. */
  readonly callerDocuments: LruCache<string, { readonly text: string; readonly policy: CompiledPolicy }>;

  constructor(limits: CompiledCacheLimits = DEFAULT_CACHE_LIMITS) {
    this.versions = new LruCache(limits.capacity, limits.storedBytes);
    this.documents = new LruCache(limits.capacity, limits.storedBytes);
    this.callerDocuments = new LruCache(limits.callerCapacity, limits.callerBytes);
  }

  /**
   * The compiled form of one managed policy version. `text` is null when the load skipped it
   * because the version was known here (`knownVersions`); if it is not held in this kind after
   * all, VersionTextNotLoaded asks for the load to be repeated with the text.
   */
  version(policyId: string, versionNumber: number, kind: PolicyKind, text: string | null, meta: PolicyMeta): CompiledPolicy {
    const key = `${policyId}:${versionNumber}:${kind}`;
    const hit = this.versions.get(key);
    if (hit !== undefined) return hit;
    if (text === null) throw new VersionTextNotLoaded(policyId, versionNumber);
    const policy = compileOrThrow(text, kind, meta, Number.POSITIVE_INFINITY);
    this.versions.set(key, policy, approxBytes(text));
    return policy;
  }

  /**
   * The managed policy versions held compiled (in any kind), as `policyId:versionNumber`: a
   * principal load need not send their text again (AWS managed policies run to tens of kB, and
   * every principal of a group names the group's). At most KNOWN_VERSIONS_NAMED, the most
   * recently stored; the list is rebuilt only after the cache's contents changed.
   */
  knownVersions(): readonly string[] {
    if (this.known.generation === this.versions.generation) return this.known.keys;
    const keys = new Set<string>();
    for (const [key] of this.versions.entries()) keys.add(key.slice(0, key.lastIndexOf(':')));
    const all = [...keys];
    this.known = { generation: this.versions.generation, keys: all.length > KNOWN_VERSIONS_NAMED ? all.slice(-KNOWN_VERSIONS_NAMED) : all };
    return this.known.keys;
  }

  /** The last `knownVersions` answer and the cache generation it was read at. */
  private known: { readonly generation: number; readonly keys: readonly string[] } = { generation: -1, keys: [] };

  /** The compiled form of a mutable document known by `ownerKey`, recompiled when its text changed. */
  document(ownerKey: string, kind: PolicyKind, text: string, meta: PolicyMeta): CompiledPolicy {
    const key = `${kind}:${ownerKey}`;
    const hit = this.documents.get(key);
    if (hit !== undefined && hit.text === text) return hit.policy;
    const policy = compileOrThrow(text, kind, meta, Number.POSITIVE_INFINITY);
    this.documents.set(key, { text, policy }, approxBytes(text));
    return policy;
  }

  /**
   * The compiled form of a document a caller passed with a question, known by a digest of its
   * text. Unlike stored documents it must meet the engine's size quota for its kind (AWS's).
   */
  callerDocument(digest: string, kind: PolicyKind, text: string, meta: PolicyMeta): CompiledPolicy {
    const key = `${kind}:${digest}`;
    const hit = this.callerDocuments.get(key);
    if (hit !== undefined && hit.text === text) return hit.policy;
    const policy = compileOrThrow(text, kind, meta, undefined);
    this.callerDocuments.set(key, { text, policy }, approxBytes(text));
    return policy;
  }
}

function compileOrThrow(text: string, kind: PolicyKind, meta: PolicyMeta, sizeQuota: number | undefined): CompiledPolicy {
  // Stored documents passed the directory's size quota for their use (a role's inline policy may
  // have 10,240 characters) when written; the engine's per-kind default must not refuse them here.
  const result = compilePolicy(text, kind, meta, sizeQuota === undefined ? {} : { sizeQuota });
  if (result.ok) return result.policy;
  throw new PolicyCompileFailure(meta.id, result.findings);
}
