/**
 * Compiled policies, cached. A managed policy version is immutable (version numbers are never
 * reused), so its compiled form is cached by (policy id, version, kind) and never invalidated,
 * only evicted. Inline and session policies are mutable text, so they are cached by owner and
 * name and reused only while the text is unchanged.
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

/** Caches compiled policy documents; one per process. */
export class CompiledPolicyCache {
  /** Immutable managed-policy versions by `policyId:version:kind`. */
  readonly versions: LruCache<string, CompiledPolicy>;
  /** Mutable documents (inline, session) by owner key, with the text they were compiled from. */
  readonly documents: LruCache<string, { readonly text: string; readonly policy: CompiledPolicy }>;

  constructor(capacity = 20_000) {
    this.versions = new LruCache(capacity);
    this.documents = new LruCache(capacity);
  }

  /** The compiled form of one managed policy version. */
  version(policyId: string, versionNumber: number, kind: PolicyKind, text: string, meta: PolicyMeta): CompiledPolicy {
    const key = `${policyId}:${versionNumber}:${kind}`;
    const hit = this.versions.get(key);
    if (hit !== undefined) return hit;
    const policy = compileOrThrow(text, kind, meta);
    this.versions.set(key, policy);
    return policy;
  }

  /** The compiled form of a mutable document known by `ownerKey`, recompiled when its text changed. */
  document(ownerKey: string, kind: PolicyKind, text: string, meta: PolicyMeta): CompiledPolicy {
    const key = `${kind}:${ownerKey}`;
    const hit = this.documents.get(key);
    if (hit !== undefined && hit.text === text) return hit.policy;
    const policy = compileOrThrow(text, kind, meta);
    this.documents.set(key, { text, policy });
    return policy;
  }
}

function compileOrThrow(text: string, kind: PolicyKind, meta: PolicyMeta): CompiledPolicy {
  // Stored documents passed the directory's size quota for their use (a role's inline policy may
  // have 10,240 characters) when written; the engine's per-kind default must not refuse them here.
  const result = compilePolicy(text, kind, meta, { sizeQuota: Number.POSITIVE_INFINITY });
  if (result.ok) return result.policy;
  throw new PolicyCompileFailure(meta.id, result.findings);
}
