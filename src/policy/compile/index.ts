/**
 * Compile a validated PolicyDocument once into an immutable evaluator (`CompiledPolicy`), whose
 * `_compiled` field holds a `PolicyProgram` that only the evaluator reads.
 */
import type { PolicyDocument } from '../document.ts';
import type { CompiledPolicy, PolicyKind, PolicyMeta } from '../types.ts';
import { ActionIndex } from './action-index.ts';
import { CompiledStatement } from './statement.ts';

/** Engine-private form of a policy. */
export interface PolicyProgram {
  readonly statements: readonly CompiledStatement[];
  readonly index: ActionIndex;
}

/**
 * Compile a document. Throws PolicyCompileError for elements the validator should have refused.
 * `principalIds`: unique ids of the user and role ARNs its principal elements name (compile/principal.ts).
 */
export function compileDocument(
  doc: PolicyDocument,
  kind: PolicyKind,
  meta: PolicyMeta,
  size: number,
  principalIds?: Readonly<Record<string, string>>,
): CompiledPolicy {
  const statements = doc.statements.map((s) => new CompiledStatement(s, meta, doc.version, principalIds));
  const program: PolicyProgram = { statements, index: new ActionIndex(statements) };
  return Object.freeze({ kind, meta: Object.freeze({ ...meta }), size, _compiled: program });
}

/** The program inside a compiled policy (the engine's only way in). */
export function programOf(policy: CompiledPolicy): PolicyProgram {
  return policy._compiled as PolicyProgram;
}
