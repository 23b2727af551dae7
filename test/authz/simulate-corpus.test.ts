/**
 * The golden evaluation corpus, fed through `simulateCustomPolicy` over HTTP: every case whose
 * request an API caller can express (a user principal, its facts as context entries, no session
 * or guardrail layer; `callerArn` takes only an IAM user, as in AWS) must get the same decision and matched statements as the engine
 * gives in-process (test/policy/corpus.test.ts), proving the wire mapping loses nothing.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContextValue } from '../../src/policy/types.ts';
import type { TestServer } from '../support/server.ts';
import { loadCorpus, type CasePolicy, type EvaluationCase } from '../policy/support/corpus-case.ts';
import { dataOf, rootAuth, startAuthzServer } from './support/server.ts';

const SIMULATE = `query ($input: SimulateCustomPolicyInput!) { simulateCustomPolicy(input: $input) {
  evalActionName evalResourceName evalDecision missingContextValues matchedStatements { sourcePolicyId statementIndex layer } } }`;

interface ContextEntryInput {
  contextKeyName: string;
  contextKeyValues: string[];
  contextKeyType: string;
}

/** A context value as a ContextEntryInput. */
function entry(name: string, value: ContextValue): ContextEntryInput {
  return { contextKeyName: name, contextKeyValues: [...value.values], contextKeyType: `${value.type.toUpperCase()}${value.multi ? '_LIST' : ''}` };
}

/** The principal fields the API derives from callerArn alone; everything else must travel as context. */
const DERIVED = new Set(['type', 'arn', 'accountId', 'userName', 'userId', 'tags', 'mfaPresent', 'tokenIssueTime']);

/** The simulateCustomPolicy input for a case, or undefined when the API cannot express it. */
function toInput(c: EvaluationCase): Record<string, unknown> | undefined {
  const p = c.request.principal;
  if (c.resourceKind === 'trust') return undefined;
  if (c.policies.session !== undefined || c.policies.guardrails !== undefined || c.policies.guardrailLevels !== undefined || c.policies.resourceGuardrailLevels !== undefined) return undefined;
  // An empty boundary list means "no boundary" on the API (as in AWS), not "a boundary allowing nothing".
  if (c.policies.boundary?.length === 0) return undefined;
  if (p.type !== 'User') return undefined;
  if (Object.keys(p).some((k) => !DERIVED.has(k))) return undefined;
  if (p.userName !== p.arn.slice(p.arn.lastIndexOf('/') + 1)) return undefined;
  const context: ContextEntryInput[] = [];
  const given = new Set(Object.keys(c.request.context ?? {}).map((k) => k.toLowerCase()));
  const add = (name: string, value: ContextValue) => {
    if (!given.has(name.toLowerCase())) context.push(entry(name, value));
  };
  // Tags feed aws:PrincipalTag/* and aws:PrincipalTagKeys; keep cases that need the keys list out.
  if (p.tags !== undefined) {
    const policiesText = JSON.stringify(c.policies);
    if (/PrincipalTagKeys/i.test(policiesText)) return undefined;
    for (const [key, value] of Object.entries(p.tags)) add(`aws:PrincipalTag/${key}`, { type: 'string', multi: false, values: [value] });
  }
  if (p.userId !== undefined) add('aws:userid', { type: 'string', multi: false, values: [p.userId] });
  if (p.mfaPresent !== undefined) add('aws:MultiFactorAuthPresent', { type: 'boolean', multi: false, values: [String(p.mfaPresent)] });
  if (p.tokenIssueTime !== undefined) add('aws:TokenIssueTime', { type: 'date', multi: false, values: [p.tokenIssueTime] });
  if (c.request.now !== undefined) {
    add('aws:CurrentTime', { type: 'date', multi: false, values: [c.request.now] });
    add('aws:EpochTime', { type: 'numeric', multi: false, values: [String(Math.floor(Date.parse(c.request.now) / 1000))] });
  }
  for (const [name, value] of Object.entries(c.request.context ?? {})) context.push(entry(name, value));
  const text = (policy: CasePolicy) => (typeof policy === 'string' ? policy : JSON.stringify(policy, null, 2));
  return {
    policyInputList: (c.policies.identity ?? []).map(text),
    ...(c.policies.boundary === undefined ? {} : { permissionsBoundaryPolicyInputList: c.policies.boundary.map(text) }),
    ...(c.policies.resource === undefined ? {} : { resourcePolicy: text(c.policies.resource) }),
    actionNames: [c.request.action],
    resourceArns: [c.request.resource],
    callerArn: p.arn,
    resourceOwner: c.request.resourceAccount ?? p.accountId,
    contextEntries: context,
  };
}

/** The sourcePolicyId simulateCustomPolicy reports for a case's layer and index. */
function sourceId(layer: string, index: number): string {
  if (layer === 'resource') return 'ResourcePolicy';
  if (layer === 'boundary') return `PermissionsBoundaryPolicyInputList.${index + 1}`;
  return `PolicyInputList.${index + 1}`;
}

const corpus = loadCorpus(join(import.meta.dirname, '../corpus/evaluation'));
const cases = corpus.flatMap((f) => f.cases.flatMap((c) => {
  const input = toInput(c);
  return input === undefined || c.request.principal.accountId !== '111122223333' ? [] : [{ c, input }];
}));

describe('golden corpus through simulateCustomPolicy', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startAuthzServer();
  });
  afterAll(async () => {
    await server.dispose();
  });

  it('has a sample that covers most of the corpus', () => {
    const total = corpus.reduce((n, f) => n + f.cases.length, 0);
    expect(cases.length).toBeGreaterThan(total / 3);
  });

  it.each(cases.map(({ c, input }) => [c.id, c, input] as const))('%s', async (_id, c, input) => {
    const response = await server.gql<{ simulateCustomPolicy: Array<{ evalDecision: string; matchedStatements: Array<{ sourcePolicyId: string; statementIndex: number; layer: string }>; missingContextValues: string[] }> }>(
      SIMULATE,
      { input },
      rootAuth,
    );
    const [result] = dataOf(response).simulateCustomPolicy;
    expect(result?.evalDecision).toBe(c.expected.decision);
    const actual = (result?.matchedStatements ?? []).map((m) => `${m.layer.toLowerCase()} ${m.sourcePolicyId} #${m.statementIndex}`).sort();
    const expected = c.expected.matched.map((m) => `${m.layer} ${sourceId(m.layer, m.policy)} #${m.statementIndex}`).sort();
    expect(actual).toEqual(expected);
    if (c.expected.missingContextValues !== undefined) expect([...(result?.missingContextValues ?? [])].sort()).toEqual([...c.expected.missingContextValues].sort());
  });
});
