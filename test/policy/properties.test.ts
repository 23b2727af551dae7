/**
 * Properties of the evaluation logic that hold for every policy set, checked on random small
 * policies (see support/arbitraries.ts). Each one is a sentence of the AWS evaluation-logic page
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html)
 * turned into a law: explicit deny wins, allows only add, denies only remove, boundaries only cap,
 * and the answer does not depend on the order in which statements or policies are written.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { compilePolicy, evaluate } from '../../src/policy/index.ts';
import type { CompiledPolicy, Decision, EvaluationRequest, PolicyKind, PolicySet } from '../../src/policy/types.ts';
import { identityPoliciesArb, policyArb, requestArb, type PolicyJson } from './support/arbitraries.ts';

const RUNS = { numRuns: 300 };

/**
 * Counts the runs in which a conditional property's premise held, so that a property guarded by
 * `if (...)` fails when the generators stop reaching its branch instead of passing vacuously.
 */
class Premises {
  private readonly counts = new Map<string, number>();

  /** Returns `holds`, counting it under `name` when true. */
  holds(name: string, holds: boolean): boolean {
    if (holds) this.counts.set(name, (this.counts.get(name) ?? 0) + 1);
    return holds;
  }

  /** Asserts that each named premise held in at least `min` runs. */
  expectAtLeast(min: number, ...names: string[]): void {
    for (const name of names) expect(this.counts.get(name) ?? 0, `runs in which "${name}" held`).toBeGreaterThanOrEqual(min);
  }
}

/**
 * The fewest runs in which a conditional property's premise must hold. The rarest premise below
 * (an allow within a boundary) holds in about a tenth of 300 runs, so 10 fails only when a
 * generator stops reaching the branch, not by bad luck.
 */
const MIN_PREMISE_RUNS = 10;

function compile(policy: PolicyJson, kind: PolicyKind, id: string): CompiledPolicy {
  const result = compilePolicy(JSON.stringify(policy), kind, { id });
  if (!result.ok) throw new Error(`generated policy ${id} did not compile: ${JSON.stringify(result.findings)}`);
  return result.policy;
}

function identitySet(policies: readonly PolicyJson[]): CompiledPolicy[] {
  return policies.map((p, i) => compile(p, 'identity', `identity[${i}]`));
}

/** The explanation in a comparable form: the decision and the Sids of the statements that decided. */
function summary(d: Decision, sidOf: (policyId: string, index: number) => string): { decision: string; matched: string[] } {
  return { decision: d.decision, matched: d.matchedStatements.map((m) => sidOf(m.policyId, m.statementIndex)).sort() };
}

function sidLookup(policies: ReadonlyMap<string, PolicyJson>): (policyId: string, index: number) => string {
  return (policyId, index) => policies.get(policyId)?.Statement[index]?.Sid ?? `${policyId}#${index}?`;
}

/** A Deny that matches the request whatever its context: the request's own action on every resource. */
function matchingDeny(request: EvaluationRequest): PolicyJson {
  return { Version: '2012-10-17', Statement: [{ Sid: 'XDeny', Effect: 'Deny', Action: [request.action], Resource: ['*'] }] };
}

describe('policy evaluation properties', () => {
  test('a matching explicit Deny wins in whatever layer it sits', () => {
    const layers = ['identity', 'boundary', 'session', 'guardrails'] as const;
    fc.assert(
      fc.property(identityPoliciesArb(), requestArb, fc.constantFrom(...layers), (policies, request, layer) => {
        const identity = identitySet(policies);
        const deny = matchingDeny(request);
        const set: PolicySet =
          layer === 'identity'
            ? { identity: [...identity, compile(deny, 'identity', 'deny')] }
            : layer === 'boundary'
              ? { identity, boundary: [compile(deny, 'boundary', 'deny')] }
              : layer === 'session'
                ? { identity, session: [compile(deny, 'session', 'deny')] }
                : { identity, guardrails: [[compile(deny, 'guardrail', 'deny')]] };
        const d = evaluate(request, set);
        expect(d.decision).toBe('EXPLICIT_DENY');
        expect(d.allowed).toBe(false);
        expect(d.matchedStatements.some((m) => m.policyId === 'deny' && m.effect === 'Deny')).toBe(true);
      }),
      RUNS,
    );
  });

  test('a resource-policy Deny for Principal "*" that matches wins', () => {
    fc.assert(
      fc.property(identityPoliciesArb(), requestArb, (policies, request) => {
        const deny = { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Principal: '*', Action: request.action, Resource: '*' }] };
        const result = compilePolicy(JSON.stringify(deny), 'resource', { id: 'resource' });
        if (!result.ok) throw new Error(JSON.stringify(result.findings));
        expect(evaluate(request, { identity: identitySet(policies), resource: result.policy }).decision).toBe('EXPLICIT_DENY');
      }),
      RUNS,
    );
  });

  test('adding an Allow statement never takes access away', () => {
    const seen = new Premises();
    fc.assert(
      fc.property(identityPoliciesArb(), policyArb('A', 'Allow'), requestArb, (policies, extra, request) => {
        const before = evaluate(request, { identity: identitySet(policies) });
        const after = evaluate(request, { identity: identitySet([...policies, extra]) });
        if (seen.holds('allowed before', before.decision === 'ALLOWED')) expect(after.decision).toBe('ALLOWED');
        if (seen.holds('denied before', before.decision === 'EXPLICIT_DENY')) expect(after.decision).toBe('EXPLICIT_DENY');
      }),
      RUNS,
    );
    seen.expectAtLeast(MIN_PREMISE_RUNS, 'allowed before', 'denied before');
  });

  test('adding a Deny statement never grants access', () => {
    const seen = new Premises();
    fc.assert(
      fc.property(identityPoliciesArb(), policyArb('D', 'Deny'), requestArb, (policies, extra, request) => {
        const before = evaluate(request, { identity: identitySet(policies) });
        const after = evaluate(request, { identity: identitySet([...policies, extra]) });
        if (seen.holds('not allowed before', before.decision !== 'ALLOWED')) expect(after.decision).not.toBe('ALLOWED');
        if (seen.holds('denied before', before.decision === 'EXPLICIT_DENY')) expect(after.decision).toBe('EXPLICIT_DENY');
      }),
      RUNS,
    );
    seen.expectAtLeast(MIN_PREMISE_RUNS, 'not allowed before', 'denied before');
  });

  test('a permissions boundary never widens access', () => {
    const seen = new Premises();
    fc.assert(
      fc.property(identityPoliciesArb(1), policyArb('B'), requestArb, (policies, boundary, request) => {
        const identity = identitySet(policies);
        const bounded = evaluate(request, { identity, boundary: [compile(boundary, 'boundary', 'boundary[0]')] });
        const unbounded = evaluate(request, { identity });
        if (seen.holds('allowed within the boundary', bounded.decision === 'ALLOWED')) expect(unbounded.decision).toBe('ALLOWED');
      }),
      RUNS,
    );
    seen.expectAtLeast(MIN_PREMISE_RUNS, 'allowed within the boundary');
  });

  test('session policies and guardrails never widen access either', () => {
    const seen = new Premises();
    fc.assert(
      fc.property(identityPoliciesArb(1), policyArb('L'), requestArb, fc.boolean(), (policies, limit, request, asSession) => {
        const identity = identitySet(policies);
        const limited = asSession
          ? evaluate(request, { identity, session: [compile(limit, 'session', 'session[0]')] })
          : evaluate(request, { identity, guardrails: [[compile(limit, 'guardrail', 'guardrail[0]')]] });
        const layer = asSession ? 'allowed within a session policy' : 'allowed within a guardrail';
        if (seen.holds(layer, limited.decision === 'ALLOWED')) expect(evaluate(request, { identity }).decision).toBe('ALLOWED');
      }),
      // A random session policy or guardrail allows the request in under a tenth of runs; more
      // runs give each layer enough allowed cases to mean something.
      { numRuns: 1000 },
    );
    seen.expectAtLeast(MIN_PREMISE_RUNS, 'allowed within a session policy', 'allowed within a guardrail');
  });

  test('the explanation agrees with the decision', () => {
    const seen = new Premises();
    fc.assert(
      fc.property(identityPoliciesArb(), requestArb, (policies, request) => {
        const d = evaluate(request, { identity: identitySet(policies) });
        seen.holds(d.decision, true);
        expect(d.allowed).toBe(d.decision === 'ALLOWED');
        if (d.decision === 'IMPLICIT_DENY') expect(d.matchedStatements).toEqual([]);
        if (d.decision === 'ALLOWED') {
          expect(d.matchedStatements.length).toBeGreaterThan(0);
          expect(d.matchedStatements.every((m) => m.effect === 'Allow')).toBe(true);
        }
        if (d.decision === 'EXPLICIT_DENY') {
          expect(d.matchedStatements.length).toBeGreaterThan(0);
          expect(d.matchedStatements.every((m) => m.effect === 'Deny')).toBe(true);
        }
      }),
      RUNS,
    );
    seen.expectAtLeast(MIN_PREMISE_RUNS, 'ALLOWED', 'EXPLICIT_DENY', 'IMPLICIT_DENY');
  });

  test('evaluation is deterministic', () => {
    fc.assert(
      fc.property(identityPoliciesArb(), requestArb, (policies, request) => {
        const set = { identity: identitySet(policies) };
        const first = evaluate(request, set);
        const second = evaluate(request, set);
        expect(second).toEqual(first);
        // Recompiling the same text gives the same answer too: compiled policies carry no hidden state.
        expect(evaluate(request, { identity: identitySet(policies) })).toEqual(first);
      }),
      RUNS,
    );
  });

  test('the answer does not depend on statement order', () => {
    fc.assert(
      fc.property(
        identityPoliciesArb(1).chain((policies) =>
          fc.tuple(fc.constant(policies), fc.tuple(...policies.map((p) => fc.shuffledSubarray(p.Statement, { minLength: p.Statement.length })))),
        ),
        requestArb,
        ([policies, shuffledStatements], request) => {
          const shuffled = policies.map((p, i) => ({ ...p, Statement: shuffledStatements[i] ?? p.Statement }));
          const byId = (ps: PolicyJson[]) => new Map(ps.map((p, i) => [`identity[${i}]`, p]));
          const a = summary(evaluate(request, { identity: identitySet(policies) }), sidLookup(byId(policies)));
          const b = summary(evaluate(request, { identity: identitySet(shuffled) }), sidLookup(byId(shuffled)));
          expect(b).toEqual(a);
        },
      ),
      RUNS,
    );
  });

  test('the answer does not depend on policy order', () => {
    fc.assert(
      fc.property(
        identityPoliciesArb(2).chain((policies) => fc.tuple(fc.constant(policies), fc.shuffledSubarray(policies.map((_, i) => i), { minLength: policies.length }))),
        requestArb,
        ([policies, order], request) => {
          // Policies keep their ids when reordered, so the explanation must name the same statements.
          const compiled = identitySet(policies);
          const reordered = order.map((i) => compiled[i]).filter((p): p is CompiledPolicy => p !== undefined);
          const key = (d: Decision) => ({
            decision: d.decision,
            matched: d.matchedStatements.map((m) => `${m.policyId}#${m.statementIndex}`).sort(),
            missing: [...d.missingContextValues].map((k) => k.toLowerCase()).sort(),
          });
          expect(key(evaluate(request, { identity: reordered }))).toEqual(key(evaluate(request, { identity: compiled })));
        },
      ),
      RUNS,
    );
  });
});

describe('compilePolicy on arbitrary input', () => {
  const kinds: PolicyKind[] = ['identity', 'resource', 'trust', 'boundary', 'session', 'guardrail'];

  /**
   * compilePolicy returns findings instead of throwing, and none of them is VALIDATION_FAILED:
   * that code means a check or the compiler failed internally and the fail-closed guard caught
   * it, which is a bug even though nothing was thrown.
   */
  function checkNeverThrows(text: string, kind: PolicyKind): void {
    const result = compilePolicy(text, kind, { id: 'fuzz' });
    for (const f of result.findings) expect(f.issueCode, f.message).not.toBe('VALIDATION_FAILED');
    if (!result.ok) {
      expect(result.findings.length).toBeGreaterThan(0);
      expect(result.findings.some((f) => f.findingType === 'ERROR')).toBe(true);
    }
  }

  test('never throws on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), fc.constantFrom(...kinds), checkNeverThrows),
      { numRuns: 500 },
    );
  });

  test('never throws on arbitrary JSON', () => {
    fc.assert(fc.property(fc.json({ maxDepth: 4 }), fc.constantFrom(...kinds), checkNeverThrows), { numRuns: 500 });
  });

  test('never throws on policy-shaped JSON with arbitrary element values', () => {
    const element = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.string(), fc.array(fc.string(), { maxLength: 3 }));
    const statement = fc.dictionary(
      fc.constantFrom('Sid', 'Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Principal', 'NotPrincipal', 'Condition', 'Bogus'),
      element,
      { maxKeys: 6 },
    );
    const policy = fc.record(
      {
        Version: fc.oneof(fc.constantFrom('2012-10-17', '2008-10-17'), fc.jsonValue({ maxDepth: 1 })),
        Id: fc.string(),
        Statement: fc.oneof(statement, fc.array(statement, { maxLength: 3 }), fc.jsonValue({ maxDepth: 1 })),
      },
      { requiredKeys: [] },
    );
    fc.assert(fc.property(policy, fc.constantFrom(...kinds), (p, kind) => checkNeverThrows(JSON.stringify(p), kind)), { numRuns: 500 });
  });

  test('never throws on truncated or corrupted valid policies', () => {
    fc.assert(
      fc.property(policyArb('T'), fc.nat(), fc.string({ maxLength: 3 }), fc.constantFrom(...kinds), (p, cut, junk, kind) => {
        const text = JSON.stringify(p, null, 2);
        const at = cut % (text.length + 1);
        checkNeverThrows(text.slice(0, at), kind);
        checkNeverThrows(text.slice(0, at) + junk + text.slice(at), kind);
      }),
      { numRuns: 300 },
    );
  });

  test('every generated policy compiles for identity-grammar kinds', () => {
    fc.assert(
      fc.property(policyArb('C'), fc.constantFrom<PolicyKind>('identity', 'boundary', 'session', 'guardrail'), (p, kind) => {
        const result = compilePolicy(JSON.stringify(p), kind, { id: 'gen' });
        expect(result.ok, JSON.stringify(result.findings)).toBe(true);
      }),
      RUNS,
    );
  });
});
