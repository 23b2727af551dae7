/**
 * The prepared evaluation (src/policy/evaluate/prepared.ts) is `evaluate` partially applied: for
 * random policy sets (identity, boundary, session, SCP levels), a random request and random
 * resources (ARN, owner account, its organization, tags, resource policy, RCP levels), every prepared decision equals the one
 * `evaluate` gives for the full request, field by field (decision, deciding statements in order,
 * layer outcomes, missing context keys in order). The generators add to the shared vocabulary
 * what the preparation treats specially: resource keys (`aws:ResourceTag/*`,
 * `aws:ResourceAccount`, `aws:ResourceOrgID`, `aws:ResourceOrgPaths`) and policy variables in conditions and Resource entries, reading either
 * the principal or the resource.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { compilePolicy, evaluate } from '../../src/policy/index.ts';
import { PreparedResourceQuestion, prepareEvaluation } from '../../src/policy/evaluate/prepared.ts';
import type { CompiledPolicy, ContextValue, OrganizationMembership, PolicyKind, PolicySet, RequestContext, RequestPrincipal } from '../../src/policy/types.ts';
import { requestArb, statementArb, type PolicyJson, type StatementJson } from './support/arbitraries.ts';

const RUNS = { numRuns: 400 };
const ACCOUNT = '111122223333';
const OTHER_ACCOUNT = '444455556666';

/** Conditions whose key or values read the resource or the principal through variables. */
const PREPARED_CONDITIONS: readonly Record<string, Record<string, unknown>>[] = [
  { StringEquals: { 'aws:ResourceTag/team': '${aws:PrincipalTag/team}' } },
  { StringEqualsIfExists: { 'aws:ResourceTag/env': 'prod' } },
  { StringEquals: { 'aws:ResourceAccount': '${aws:PrincipalAccount}' } },
  { StringLike: { 's3:prefix': ['${aws:username}/*', 'home/${aws:username}'] } },
  { Null: { 'aws:ResourceTag/team': 'true' } },
  { StringNotEquals: { 'aws:PrincipalTag/team': '${aws:ResourceTag/team}' } },
  { StringEquals: { 'aws:PrincipalTag/team': '${aws:PrincipalTag/missing}' } },
  { 'ForAnyValue:StringLike': { 'aws:TagKeys': '${aws:PrincipalTag/team}*' } },
  { StringEquals: { 'aws:ResourceOrgID': '${aws:PrincipalOrgID}' } },
  { 'ForAnyValue:StringLike': { 'aws:ResourceOrgPaths': 'o-aa11bb22/r-ab12/ou-ab12-prod0001/*' } },
  { 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': 'o-aa11bb22/r-ab12/ou-ab12-prod0001/*' } },
];

/** Two places in one organization, and one in another. */
const MEMBERSHIPS: readonly OrganizationMembership[] = [
  { organizationId: 'o-aa11bb22', path: 'o-aa11bb22/r-ab12/ou-ab12-prod0001/' },
  { organizationId: 'o-aa11bb22', path: 'o-aa11bb22/r-ab12/ou-ab12-dev00001/' },
  { organizationId: 'o-cc33dd44', path: 'o-cc33dd44/r-cd34/' },
];
const membershipArb = fc.option(fc.constantFrom(...MEMBERSHIPS), { nil: undefined });

/** Resource entries with variables of both kinds (with and without a default). */
const PREPARED_RESOURCES = [
  'arn:aws:s3:::b1/${aws:PrincipalTag/team}/*',
  'arn:aws:s3:::${aws:ResourceTag/team}/*',
  "arn:aws:s3:::b1/home/${aws:username, 'nobody'}/*",
  'arn:aws:s3:::b1/${aws:PrincipalTag/missing}/*',
];

const ARNS = ['arn:aws:s3:::b1/home/alice/k', 'arn:aws:s3:::b1/blue/k', 'arn:aws:s3:::blue/k', 'arn:aws:s3:::b2/k', 'arn:aws:ec2:us-east-1:111122223333:instance/i-1', '*'];

const PRINCIPALS = [
  '*',
  { AWS: `arn:aws:iam::${ACCOUNT}:root` },
  { AWS: `arn:aws:iam::${ACCOUNT}:user/alice` },
  { AWS: `arn:aws:iam::${ACCOUNT}:role/AppRole` },
  { AWS: `arn:aws:sts::${ACCOUNT}:assumed-role/AppRole/s1` },
];

/** Adds `extra` conditions to `s` (operators merged key by key) and maybe a variable Resource entry. */
function enrich(s: StatementJson, extra: readonly Record<string, Record<string, unknown>>[], resource: string | undefined): StatementJson {
  const out: StatementJson = { ...s };
  if (extra.length > 0) {
    const condition: Record<string, Record<string, unknown>> = {};
    for (const block of [(s['Condition'] ?? {}) as Record<string, Record<string, unknown>>, ...extra]) {
      for (const [operator, entries] of Object.entries(block)) condition[operator] = { ...condition[operator], ...entries };
    }
    out['Condition'] = condition;
  }
  if (resource !== undefined && Array.isArray(out['Resource'])) out['Resource'] = [...(out['Resource'] as string[]), resource];
  return out;
}

function preparedStatementArb(sid: string): fc.Arbitrary<StatementJson> {
  return fc
    .tuple(statementArb(sid), fc.subarray([...PREPARED_CONDITIONS], { maxLength: 2 }), fc.option(fc.constantFrom(...PREPARED_RESOURCES), { nil: undefined }))
    .map(([s, extra, resource]) => enrich(s, extra, resource));
}

function policyOf(prefix: string, principal = false): fc.Arbitrary<PolicyJson> {
  return fc
    .integer({ min: 1, max: 3 })
    .chain((n) =>
      fc.tuple(...Array.from({ length: n }, (_, i) => fc.tuple(preparedStatementArb(`${prefix}S${i}`), fc.constantFrom(...PRINCIPALS)))),
    )
    .map((pairs) => ({ Version: '2012-10-17' as const, Statement: pairs.map(([s, p]) => (principal ? { ...s, Principal: p } : s)) }));
}

function policiesOf(prefix: string, min: number, max: number): fc.Arbitrary<PolicyJson[]> {
  return fc.integer({ min, max }).chain((n) => (n === 0 ? fc.constant([]) : fc.tuple(...Array.from({ length: n }, (_, i) => policyOf(`${prefix}${i}`)))));
}

/** Policies that name a Principal (RCPs, as resource policies do). */
function principalPoliciesOf(prefix: string, min: number, max: number): fc.Arbitrary<PolicyJson[]> {
  return fc.integer({ min, max }).chain((n) => (n === 0 ? fc.constant([]) : fc.tuple(...Array.from({ length: n }, (_, i) => policyOf(`${prefix}${i}`, true)))));
}

/** Guardrail levels (root, OUs, account): up to three levels of up to two policies each. */
function levelsOf(prefix: string, withPrincipal: boolean): fc.Arbitrary<PolicyJson[][] | undefined> {
  const level = (i: number) => (withPrincipal ? principalPoliciesOf(`${prefix}L${i}P`, 0, 2) : policiesOf(`${prefix}L${i}P`, 0, 2));
  return fc.option(fc.integer({ min: 0, max: 3 }).chain((n) => (n === 0 ? fc.constant([]) : fc.tuple(...Array.from({ length: n }, (_, i) => level(i))))), { nil: undefined });
}

function compileLevels(levels: PolicyJson[][] | undefined, kind: PolicyKind, layer: string): CompiledPolicy[][] | undefined {
  return levels?.map((level, l) => level.map((p, i) => compile(p, kind, `${layer}[${l}][${i}]`)));
}

function compile(policy: PolicyJson, kind: PolicyKind, id: string): CompiledPolicy {
  const result = compilePolicy(JSON.stringify(policy), kind, { id });
  if (!result.ok) throw new Error(`generated policy ${id} did not compile: ${JSON.stringify(result.findings)}`);
  return result.policy;
}

const tagValue = (v: string): ContextValue => ({ type: 'string', multi: false, values: [v] });

const resourceArb = fc.record({
  resource: fc.constantFrom(...ARNS),
  resourceAccount: fc.constantFrom(ACCOUNT, OTHER_ACCOUNT, undefined),
  team: fc.option(fc.constantFrom('blue', 'red'), { nil: undefined }),
  env: fc.option(fc.constantFrom('prod', 'dev'), { nil: undefined }),
  policy: fc.option(policyOf('R', true), { nil: undefined }),
  rcps: levelsOf('RC', true),
  organization: membershipArb,
});

const setArb = fc.record({
  identity: policiesOf('I', 0, 3),
  boundary: fc.option(policiesOf('B', 0, 1), { nil: undefined }),
  session: fc.option(policiesOf('S', 0, 1), { nil: undefined }),
  guardrails: levelsOf('G', false),
  organization: membershipArb,
});

describe('prepared evaluation', () => {
  test('decides every resource exactly as evaluate does', () => {
    fc.assert(
      fc.property(setArb, requestArb, fc.array(resourceArb, { minLength: 1, maxLength: 6 }), (json, request, resources) => {
        const set: Omit<PolicySet, 'resource'> = {
          identity: json.identity.map((p, i) => compile(p, 'identity', `identity[${i}]`)),
          ...(json.boundary === undefined ? {} : { boundary: json.boundary.map((p, i) => compile(p, 'boundary', `boundary[${i}]`)) }),
          ...(json.session === undefined ? {} : { session: json.session.map((p, i) => compile(p, 'session', `session[${i}]`)) }),
          ...(json.guardrails === undefined ? {} : { guardrails: compileLevels(json.guardrails, 'guardrail', 'guardrail') }),
        };
        const base = { principal: request.principal, action: request.action, context: request.context ?? {}, now: request.now!, ...(json.organization === undefined ? {} : { principalOrganization: json.organization }) };
        const prepared = prepareEvaluation(base, set);
        for (const r of resources) {
          // The resource's tags come in as aws:ResourceTag/* unless the request sets them (as authorize merges them).
          const context: RequestContext = {
            ...(r.team === undefined ? {} : { 'aws:ResourceTag/team': tagValue(r.team) }),
            ...(r.env === undefined ? {} : { 'aws:ResourceTag/env': tagValue(r.env) }),
            ...base.context,
          };
          const policy = r.policy === undefined ? undefined : compile(r.policy, 'resource', 'resource');
          const resourceGuardrails = compileLevels(r.rcps, 'resourceGuardrail', 'resourceGuardrail');
          const owner = {
            ...(r.resourceAccount === undefined ? {} : { resourceAccount: r.resourceAccount }),
            ...(r.organization === undefined ? {} : { resourceOrganization: r.organization }),
          };
          const expected = evaluate(
            { ...base, resource: r.resource, context, ...owner },
            { ...set, ...(policy === undefined ? {} : { resource: policy }), ...(resourceGuardrails === undefined ? {} : { resourceGuardrails }) },
            { nearMisses: false },
          );
          const actual = prepared.decide({ resource: r.resource, context, ...owner, ...(policy === undefined ? {} : { policy }), ...(resourceGuardrails === undefined ? {} : { resourceGuardrails }) });
          expect(actual).toEqual(expected);
        }
      }),
      RUNS,
    );
  });

  test('decides every principal on one resource exactly as evaluate does (who can?)', () => {
    // Principals draw their policies from one pool, so they share compiled statements, as principals
    // holding the same managed policy do: what is remembered for one must be right for the next.
    const principals: readonly RequestPrincipal[] = [
      { type: 'User', arn: `arn:aws:iam::${ACCOUNT}:user/alice`, accountId: ACCOUNT, userName: 'alice', userId: 'AIDAALICE', tags: { team: 'blue' } },
      { type: 'User', arn: `arn:aws:iam::${ACCOUNT}:user/bob`, accountId: ACCOUNT, userName: 'bob', userId: 'AIDABOB' },
      { type: 'AssumedRole', arn: `arn:aws:sts::${ACCOUNT}:assumed-role/AppRole/s1`, accountId: ACCOUNT, userId: 'AROAAPP:s1', roleArn: `arn:aws:iam::${ACCOUNT}:role/AppRole`, tags: { team: 'red' } },
      { type: 'Account', arn: `arn:aws:iam::${ACCOUNT}:root`, accountId: ACCOUNT, userId: ACCOUNT },
      { type: 'User', arn: `arn:aws:iam::${OTHER_ACCOUNT}:user/carol`, accountId: OTHER_ACCOUNT, userName: 'carol', userId: 'AIDACAROL', tags: { team: 'blue' } },
      { type: 'User', arn: `arn:aws:iam::${OTHER_ACCOUNT}:user/dave`, accountId: OTHER_ACCOUNT, userName: 'dave', userId: 'AIDADAVE' },
    ];
    // carol's and dave's account stand in organizations; the others' do not.
    const organizationOf: readonly (OrganizationMembership | undefined)[] = [undefined, undefined, undefined, undefined, MEMBERSHIPS[0], MEMBERSHIPS[2]];
    const holderArb = fc.record({
      principal: fc.nat({ max: principals.length - 1 }),
      identity: fc.subarray([0, 1, 2, 3]),
      boundary: fc.option(fc.subarray([0, 1, 2, 3], { maxLength: 1 }), { nil: undefined }),
    });
    fc.assert(
      fc.property(policiesOf('I', 4, 4), requestArb, resourceArb, fc.array(holderArb, { minLength: 1, maxLength: 8 }), (pool, request, r, holders) => {
        const compiled = pool.map((p, i) => compile(p, 'identity', `pool[${i}]`));
        const context: RequestContext = { ...(r.team === undefined ? {} : { 'aws:ResourceTag/team': tagValue(r.team) }), ...request.context };
        const policy = r.policy === undefined ? undefined : compile(r.policy, 'resource', 'resource');
        const resourceGuardrails = compileLevels(r.rcps, 'resourceGuardrail', 'resourceGuardrail');
        const resourceAccount = {
          ...(r.resourceAccount === undefined ? {} : { resourceAccount: r.resourceAccount }),
          ...(r.organization === undefined ? {} : { resourceOrganization: r.organization }),
        };
        const extra = { ...(policy === undefined ? {} : { policy }), ...(resourceGuardrails === undefined ? {} : { resourceGuardrails }) };
        const question = new PreparedResourceQuestion({ action: request.action, resource: r.resource, context, now: request.now!, ...resourceAccount, ...extra });
        for (const holder of holders) {
          const principal = principals[holder.principal]!;
          const set = { identity: holder.identity.map((i) => compiled[i]!), ...(holder.boundary === undefined ? {} : { boundary: holder.boundary.map((i) => compiled[i]!) }) };
          const principalOrganization = organizationOf[holder.principal];
          const expected = evaluate(
            { principal, action: request.action, resource: r.resource, context, now: request.now!, ...resourceAccount, ...(principalOrganization === undefined ? {} : { principalOrganization }) },
            { ...set, ...(policy === undefined ? {} : { resource: policy }), ...(resourceGuardrails === undefined ? {} : { resourceGuardrails }) },
            { nearMisses: false },
          );
          expect(question.decide(principal, set, principalOrganization)).toEqual(expected);
        }
      }),
      RUNS,
    );
  });

  test('the generators reach allowed, explicitly denied and missing-key decisions', () => {
    // Guards the property above against passing vacuously: each kind of outcome shows up.
    const seen = new Set<string>();
    fc.assert(
      fc.property(setArb, requestArb, resourceArb, (json, request, r) => {
        const identity = json.identity.map((p, i) => compile(p, 'identity', `identity[${i}]`));
        const d = prepareEvaluation({ principal: request.principal, action: request.action, context: request.context ?? {}, now: request.now! }, { identity }).decide({
          resource: r.resource,
          context: r.team === undefined ? (request.context ?? {}) : { ...request.context, 'aws:ResourceTag/team': tagValue(r.team) },
        });
        seen.add(d.decision);
        if (d.missingContextValues.some((k) => k.toLowerCase().startsWith('aws:resourcetag/'))) seen.add('missing resource key');
        if (d.allowed && d.matchedStatements.length > 0) seen.add('granted');
      }),
      RUNS,
    );
    expect([...seen].sort()).toEqual(['ALLOWED', 'EXPLICIT_DENY', 'IMPLICIT_DENY', 'granted', 'missing resource key']);
  });
});
