/**
 * Compiled policies, cached. A managed policy version is immutable (version numbers are never
 * reused), so its compiled form is cached by (policy id, version, kind) and never invalidated,
 * only evicted. Inline and session policies are mutable text, so they are cached by owner and
 * name and reused only while the text is unchanged.
 */
import { compilePolicy } from '../policy/index.ts';
import type { CompiledPolicy, PolicyKind, PolicyMeta } from '../policy/types.ts';
import { LruCache } from './lru.ts';

/** A stored policy that no longer compiles: the principal fails closed rather than losing a Deny. */
export class StoredPolicyError extends Error {
  constructor(readonly policyId: string, reason: string) {
    super(`stored policy ${policyId} does not compile: ${reason}`);
    this.name = 'StoredPolicyError';
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
  const result = compilePolicy(text, kind, meta);
  if (result.ok) return result.policy;
  const first = result.findings.find((f) => f.findingType === 'ERROR');
  throw new StoredPolicyError(meta.id, first?.message ?? 'invalid policy');
}
