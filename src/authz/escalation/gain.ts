/**
 * Whether an identity, possibly changed by an escalation step, may do something its would-be user
 * may not: the test that makes a step a *raise*. Containment of IAM policies is undecidable in
 * general, so the comparison uses witnesses: the (action, resource) patterns of the Allow
 * statements that grant the target its permissions (grantPatterns), each decided by the engine
 * for the target, with its boundary and the guardrails, and for the source. A witness the
 * target is allowed and the source is not is a gain. Deny statements, boundaries, guardrails and
 * conditions act on both sides exactly as in any decision.
 */
import { evaluate, grantPatterns, type GrantPattern } from '../../policy/index.ts';
import type { CompiledPolicy, GuardrailLevels, PolicySet } from '../../policy/types.ts';
import type { DirectoryPrincipal } from './directory.ts';

/** How a step changes the target's policies before the comparison. */
export type Change =
  /** None: the source acts as the target with the target's current permissions. */
  | { readonly kind: 'none' }
  /** The source may write any identity policy for the target (put, attach-any, new version). */
  | { readonly kind: 'any-policy' }
  /** These policies are added to the target's (a group joined, a policy attached, a version made default); `key` is their ARN (a version's: `arn:v2`). */
  | { readonly kind: 'add'; readonly key: string; readonly policies: readonly CompiledPolicy[] };

/** Witnesses considered per comparison at most: bounded work whatever the policies hold. */
const MAX_WITNESSES = 128;

/** The witness of "any policy": every action on every resource, whatever the boundary allows. */
const EVERYTHING: GrantPattern = { action: '*', resource: '*' };

/** Compares principals' permissions with the engine; remembers each answer for one analysis. */
export class GainJudge {
  /**
   * The witnesses each target is allowed after each change, by target and change key: what the
   * target side of a comparison needs, the same whoever the source is, so it is decided once and
   * shared by every principal that reaches the target (thousands do, in a large account).
   */
  private readonly targetAllowed = new Map<DirectoryPrincipal, Map<string, readonly GrantPattern[]>>();
  private readonly asIs = new Map<DirectoryPrincipal, Map<GrantPattern, boolean>>();
  private readonly patterns = new WeakMap<CompiledPolicy, readonly GrantPattern[]>();
  /** Witnesses of each principal's own policies (as it is), computed once. */
  private readonly ownWitnesses = new Map<string, GrantPattern[]>();

  constructor(
    private readonly accountId: string,
    private readonly guardrails: GuardrailLevels | undefined,
    private readonly now: Date,
    /** A policy allowing everything, added to the target for an `any-policy` change. */
    private readonly anyPolicy: CompiledPolicy,
  ) {}

  /** Whether `target`, after `change`, is allowed some witness that `source` is not. */
  gains(target: DirectoryPrincipal, change: Change, source: DirectoryPrincipal): boolean {
    const allowed = this.allowedWitnesses(target, change);
    if (allowed.length === 0) return false;
    const known = this.answersOf(source);
    for (const w of allowed) if (!(known.get(w) ?? this.allowedAsIs(source, w))) return true;
    return false;
  }

  /** The witnesses `target` is allowed after `change`, in witness order; decided once per target and change. */
  private allowedWitnesses(target: DirectoryPrincipal, change: Change): readonly GrantPattern[] {
    let byChange = this.targetAllowed.get(target);
    if (byChange === undefined) {
      byChange = new Map();
      this.targetAllowed.set(target, byChange);
    }
    const key = changeKey(change);
    let allowed = byChange.get(key);
    if (allowed === undefined) {
      const added = change.kind === 'none' ? [] : change.kind === 'any-policy' ? [this.anyPolicy] : change.policies;
      const targetSet = this.setOf(target, added);
      allowed = this.witnesses(target, change, added).filter((w) => (added.length === 0 ? this.allowedAsIs(target, w) : this.allowed(target, targetSet, w.action, w.resource)));
      byChange.set(key, allowed);
    }
    return allowed;
  }

  /** `allowed` for a principal's own policies, remembered by witness object (witnesses are shared: see `patternsOf`). */
  private allowedAsIs(p: DirectoryPrincipal, w: GrantPattern): boolean {
    const answers = this.answersOf(p);
    let answer = answers.get(w);
    if (answer === undefined) {
      answer = this.allowed(p, this.setOf(p, []), w.action, w.resource);
      answers.set(w, answer);
    }
    return answer;
  }

  private answersOf(p: DirectoryPrincipal): Map<GrantPattern, boolean> {
    let answers = this.asIs.get(p);
    if (answers === undefined) {
      answers = new Map();
      this.asIs.set(p, answers);
    }
    return answers;
  }

  /** A policy's grant patterns, read once per analysis (the same objects every time, so answers can be remembered by them). */
  private patternsOf(policy: CompiledPolicy): readonly GrantPattern[] {
    let patterns = this.patterns.get(policy);
    if (patterns === undefined) {
      patterns = grantPatterns(policy);
      this.patterns.set(policy, patterns);
    }
    return patterns;
  }

  /** The patterns that could show a gain: what grants the target its permissions after the change. */
  private witnesses(target: DirectoryPrincipal, change: Change, added: readonly CompiledPolicy[]): GrantPattern[] {
    const out: GrantPattern[] = [];
    const seen = new Set<string>();
    const push = (patterns: readonly GrantPattern[]) => {
      for (const p of patterns) {
        if (out.length >= MAX_WITNESSES) return;
        const key = `${p.action}\n${p.resource}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push(p);
      }
    };
    if (change.kind === 'none') {
      let own = this.ownWitnesses.get(target.arn);
      if (own === undefined) {
        own = [];
        const ownSeen = new Set<string>();
        for (const policy of target.identity) {
          for (const p of this.patternsOf(policy)) {
            const key = `${p.action}\n${p.resource}`;
            if (own.length >= MAX_WITNESSES || ownSeen.has(key)) continue;
            ownSeen.add(key);
            own.push(p);
          }
        }
        this.ownWitnesses.set(target.arn, own);
      }
      return own;
    }
    else if (change.kind === 'add') for (const policy of added) push(this.patternsOf(policy));
    else {
      // Any policy: everything, and what the boundary and guardrails leave of it.
      push([EVERYTHING]);
      for (const policy of target.boundary ?? []) push(this.patternsOf(policy));
      for (const level of this.guardrails ?? []) for (const policy of level) push(this.patternsOf(policy));
    }
    return out;
  }

  private setOf(p: DirectoryPrincipal, added: readonly CompiledPolicy[]): PolicySet {
    return {
      identity: added.length === 0 ? p.identity : [...p.identity, ...added],
      ...(p.boundary === undefined ? {} : { boundary: p.boundary }),
      ...(this.guardrails === undefined ? {} : { guardrails: this.guardrails }),
    };
  }

  private allowed(p: DirectoryPrincipal, set: PolicySet, action: string, resource: string): boolean {
    return evaluate({ principal: p.principal, action, resource, resourceAccount: this.accountId, context: {}, now: this.now }, set, NO_NEAR_MISSES).allowed;
  }
}

const NO_NEAR_MISSES = { nearMisses: false } as const;

/** An added policy's key is an ARN (`arn:…`), so it never meets the other kinds' names; no string is built per comparison. */
function changeKey(change: Change): string {
  return change.kind === 'add' ? change.key : change.kind;
}
