/**
 * Issue 13, item 2: one `authorize` call could freeze the server. Wildcard matching backtracked
 * (`StringLike "*"+"a"×5900+"b*"` against a 300,000-character value took 12.8 s) and context
 * values, entries and caller-supplied documents had no caps. Now matching reads a value at most
 * once per piece of the pattern (counted by `globWork.steps`, never timed), and the caps of
 * src/authz/input-caps.ts are typed validation errors that name the field and the cap.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileGlob, globWork, wildParts } from '../../src/policy/match/glob.ts';
import { compileResourcePattern } from '../../src/policy/match/resource-pattern.ts';
import {
  MAX_CONTEXT_ENTRIES,
  MAX_CONTEXT_VALUE_LENGTH,
  MAX_CONTEXT_VALUES,
  MAX_DOCUMENT_LENGTH,
} from '../../src/authz/input-caps.ts';
import type { TestServer } from '../support/server.ts';
import { arn, policy, write } from '../authz/support/directory.ts';
import { dataOf, rootAuth, startAuthzServer } from '../authz/support/server.ts';

/** Characters read while running `f`. */
function stepsOf(f: () => boolean): { result: boolean; steps: number } {
  const before = globWork.steps;
  const result = f();
  return { result, steps: globWork.steps - before };
}

const N = MAX_CONTEXT_VALUE_LENGTH;

describe('wildcard matching does bounded work on hostile pairs at the caps', () => {
  // Pattern lengths are kept under the value length: a longer pattern is refused by length alone.
  const cases: Array<[string, string, string, boolean]> = [
    ['the reported pair, at the value cap', `*${'a'.repeat(2000)}b*`, 'a'.repeat(N), false],
    ['the reported pair, matching at the very end', `*${'a'.repeat(2000)}b*`, `${'a'.repeat(N - 1)}b`, true],
    ['`?` between every character', `*${'a?'.repeat(1000)}b*`, 'a'.repeat(N), false],
    ['`?` pieces that almost fit everywhere', `*${'a?'.repeat(1000)}b*`, `${'ab'.repeat(N / 2 - 1)}bb`, true],
    ['many stars', `${'*a'.repeat(1000)}*b`, 'a'.repeat(N), false],
  ];

  it.each(cases)('StringLike: %s', (_name, pattern, value, want) => {
    const m = compileGlob(wildParts(pattern), false);
    const { result, steps } = stepsOf(() => m(value));
    expect(result).toBe(want);
    // One scan of the value per 31-character piece of the pattern, plus the anchored ends.
    const pieces = Math.ceil(pattern.length / 31) + 2;
    expect(steps).toBeLessThanOrEqual(pieces * (value.length + 31) + pattern.length);
  });

  it('a literal pattern costs about one scan of the value, not one per position', () => {
    const m = compileGlob(wildParts(`*${'a'.repeat(2000)}b*`), false);
    const { steps } = stepsOf(() => m('a'.repeat(N)));
    expect(steps).toBeLessThanOrEqual(2 * N);
  });

  it('Resource: many spanning segments against a 2,048-character ARN do not try every colon', () => {
    const pattern = `${'x*:'.repeat(8)}?q:y`;
    const resource = `${'x:'.repeat(1020)}zzq:y`;
    const m = compileResourcePattern(wildParts(pattern));
    const { result, steps } = stepsOf(() => m(resource));
    expect(result).toBe(false);
    expect(steps).toBeLessThanOrEqual(10 * resource.length);
    expect(compileResourcePattern(wildParts(pattern))(`${'x:'.repeat(1020)}zq:y`)).toBe(true);
  });
});

describe('authorize refuses inputs over the caps and decides hostile pairs at them', () => {
  let server: TestServer;
  const AUTHORIZE = `mutation ($input: AuthorizeInput!) { authorize(input: $input) { __typename ... on Decision { decision } ... on AccessDenied { message } ... on ValidationError { field message } } }`;
  const BATCH = `mutation ($r: [AuthorizeInput!]!) { authorizeBatch(requests: $r) { __typename ... on Decision { decision } ... on ValidationError { field rule message } } }`;
  const principalArn = arn.user('eve');
  const resourcePolicy = (pattern: string) =>
    policy({ Effect: 'Allow', Principal: { AWS: principalArn }, Action: 's3:GetObject', Resource: '*', Condition: { StringLike: { 's3:prefix': pattern } } });
  const question = (value: string | string[], extra: Record<string, unknown> = {}) => ({
    principalArn,
    action: 's3:GetObject',
    resourceArn: 'arn:aws:s3:::bucket/key',
    resourcePolicy: resourcePolicy(`*${'a'.repeat(2000)}b*`),
    contextEntries: [{ contextKeyName: 's3:prefix', contextKeyValues: Array.isArray(value) ? value : [value], contextKeyType: Array.isArray(value) ? 'STRING_LIST' : 'STRING' }],
    ...extra,
  });

  beforeAll(async () => {
    server = await startAuthzServer();
    await write(server, 'createUser', { userName: 'eve' });
  });
  afterAll(async () => {
    await server.dispose();
  });

  it('decides the hostile pair at the value cap, correctly and with bounded work', async () => {
    const before = globWork.steps;
    const miss = await server.gql<{ authorize: { decision: string } }>(AUTHORIZE, { input: question('a'.repeat(N)) }, rootAuth);
    const hit = await server.gql<{ authorize: { decision: string } }>(AUTHORIZE, { input: question(`${'a'.repeat(N - 1)}b`) }, rootAuth);
    expect(dataOf(miss).authorize.decision).toBe('IMPLICIT_DENY');
    expect(dataOf(hit).authorize.decision).toBe('ALLOWED');
    expect(globWork.steps - before).toBeLessThanOrEqual(4 * (N + 2100));
  });

  it('refuses the reported 300,000-character value, naming the field and the cap', async () => {
    const res = await server.gql<{ authorize: { __typename: string; field?: string; message?: string } }>(AUTHORIZE, { input: question('a'.repeat(300_000)) }, rootAuth);
    expect(dataOf(res).authorize).toMatchObject({ __typename: 'ValidationError', field: 'input.contextEntries[0].contextKeyValues[0]' });
    expect(dataOf(res).authorize.message).toContain(String(MAX_CONTEXT_VALUE_LENGTH));
  });

  it('refuses too many entries, too many values and an oversized resource policy, per batch item', async () => {
    const entries = Array.from({ length: MAX_CONTEXT_ENTRIES + 1 }, (_, i) => ({ contextKeyName: `app:key${i}`, contextKeyValues: ['v'], contextKeyType: 'STRING' }));
    const requests = [
      question('a', { contextEntries: entries }),
      question(Array.from({ length: MAX_CONTEXT_VALUES + 1 }, () => 'v')),
      question('a', { resourcePolicy: `${resourcePolicy('*a*')}${' '.repeat(MAX_DOCUMENT_LENGTH)}` }),
      question('a'),
    ];
    const res = await server.gql<{ authorizeBatch: Array<{ __typename: string; field?: string; rule?: string; message?: string; decision?: string }> }>(BATCH, { r: requests }, rootAuth);
    const items = dataOf(res).authorizeBatch;
    expect(items.map((i) => [i.__typename, i.field ?? i.decision, i.rule])).toEqual([
      ['ValidationError', 'requests[0].contextEntries', 'max-items'],
      ['ValidationError', 'requests[1].contextEntries[0].contextKeyValues', 'max-items'],
      ['ValidationError', 'requests[2].resourcePolicy', 'max-length'],
      ['Decision', 'IMPLICIT_DENY', undefined],
    ]);
    expect(items[0]?.message).toContain(String(MAX_CONTEXT_ENTRIES));
    expect(items[2]?.message).toContain(String(MAX_DOCUMENT_LENGTH));
    // Refused documents were never compiled, so they take no cache space.
    expect(server.running.app.authz.compiled.callerDocuments.size).toBe(1);
  });

  it('applies the same caps to simulateCustomPolicy', async () => {
    const SIMULATE = `query ($input: SimulateCustomPolicyInput!) { simulateCustomPolicy(input: $input) { evalDecision } }`;
    const input = {
      policyInputList: [`${policy({ Effect: 'Allow', Action: '*', Resource: '*' })}${' '.repeat(MAX_DOCUMENT_LENGTH)}`],
      actionNames: ['s3:GetObject'],
    };
    const res = await server.gql(SIMULATE, { input }, rootAuth);
    expect(res.body.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_ERROR', field: 'input.policyInputList[0]' });
    const ctx = await server.gql(SIMULATE, { input: { policyInputList: [], actionNames: ['s3:GetObject'], contextEntries: question('a'.repeat(N + 1)).contextEntries } }, rootAuth);
    expect(ctx.body.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_ERROR', field: 'input.contextEntries[0].contextKeyValues[0]' });
  });
});
