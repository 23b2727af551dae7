/**
 * Issue 13 (medium 9): one request cannot ask for unbounded work. A simulation evaluates at most
 * 1,000 action × resource pairs per call (paged beyond with maxItems/marker, as AWS's simulator),
 * in slices that yield to the event loop; the cost limit counts the lists that drive work; and
 * ListEntitiesForPolicy is a connection, batched across policies.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../../src/authz/caller.ts';
import type { AuthzRuntime } from '../../src/authz/runtime.ts';
import { simulateCustomPolicy } from '../../src/authz/simulate.ts';
import { attachPolicy } from '../../src/iam/attachments.ts';
import { rootArn } from '../../src/iam/bootstrap.ts';
import { createGroup } from '../../src/iam/groups.ts';
import { createUser } from '../../src/iam/users.ts';
import { ACCOUNT, startInProcess, type InProcess } from '../support/in-process.ts';

const ALLOW_ALL = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::*' }] });
const RESULT = 'evalActionName evalResourceName evalDecision';
const PAGE = `query ($input: SimulateCustomPolicyInput!) { simulateCustomPolicyPage(input: $input) { evaluationResults { ${RESULT} } isTruncated marker } }`;
const LIST = `query ($input: SimulateCustomPolicyInput!) { simulateCustomPolicy(input: $input) { ${RESULT} } }`;

const actions = (n: number) => Array.from({ length: n }, (_, i) => `s3:Action${i}`);
const resources = (n: number) => Array.from({ length: n }, (_, i) => `arn:aws:s3:::bucket-${i}/key`);

describe('simulations and batches are bounded', () => {
  let app: InProcess;
  beforeAll(async () => {
    // A cost limit low enough that what the old estimate missed shows.
    app = await startInProcess({ MAX_QUERY_COST: '20000' });
  }, 60_000);
  afterAll(async () => {
    await app?.close();
  });

  it('a 1000 × 1000 simulateCustomPolicy is refused before anything is evaluated', async () => {
    const answer = await app.gql(app.root, LIST, { input: { policyInputList: [ALLOW_ALL], actionNames: actions(1000), resourceArns: resources(1000) } });
    expect(answer.data ?? null).toBeNull();
    expect(answer.errors?.[0]?.extensions?.['code']).toBe('QUERY_TOO_COSTLY');
  }, 60_000);

  it('past the cost limit, the list field still refuses more than 1000 pairs, naming the cap and the way to page', async () => {
    const answer = await app.gql(app.root, `query ($input: SimulateCustomPolicyInput!) { simulateCustomPolicy(input: $input) { evalDecision } }`, {
      input: { policyInputList: [ALLOW_ALL], actionNames: actions(20), resourceArns: resources(60) },
    });
    expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_ERROR', field: 'input' });
    expect(answer.errors?.[0]?.message).toMatch(/1200 evaluations.*at most 1000.*maxItems/);
  }, 60_000);

  it('pages of at most 1000 pairs walk the whole matrix in order with maxItems and marker', async () => {
    const input = { policyInputList: [ALLOW_ALL], actionNames: actions(40), resourceArns: resources(50) };
    const first = await app.gql(app.root, PAGE, { input: { ...input, maxItems: 1000 } });
    expect(first.errors).toBeUndefined();
    const page1 = first.data.simulateCustomPolicyPage;
    expect(page1.evaluationResults).toHaveLength(1000);
    expect(page1.isTruncated).toBe(true);
    const second = await app.gql(app.root, PAGE, { input: { ...input, maxItems: 1000, marker: page1.marker } });
    const page2 = second.data.simulateCustomPolicyPage;
    expect(page2).toMatchObject({ isTruncated: false, marker: null });
    const all = [...page1.evaluationResults, ...page2.evaluationResults];
    expect(all).toHaveLength(2000);
    all.forEach((r: any, i: number) => {
      expect(r.evalActionName).toBe(`s3:Action${Math.floor(i / 50)}`);
      expect(r.evalResourceName).toBe(`arn:aws:s3:::bucket-${i % 50}/key`);
      expect(r.evalDecision).toBe('ALLOWED');
    });
    // The contract's list field pages the same way when asked to.
    const listed = await app.gql(app.root, LIST, { input: { ...input, maxItems: 1000, marker: page1.marker } });
    expect(listed.data.simulateCustomPolicy).toEqual(page2.evaluationResults);
    // A marker from another simulation is a typed error naming the field.
    const foreign = await app.gql(app.root, PAGE, { input: { ...input, actionNames: actions(41), marker: page1.marker } });
    expect(foreign.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_ERROR', field: 'input.marker' });
    const tooMany = await app.gql(app.root, PAGE, { input: { ...input, maxItems: 1001 } });
    expect(tooMany.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_ERROR', field: 'input.maxItems' });
  }, 60_000);

  it('evaluates in slices that let the event loop turn', async () => {
    const caller = { kind: 'user', accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:user/sim`, userId: 'AIDASIM', userName: 'sim', tags: {} } as unknown as Caller;
    let done = false;
    let turns = 0;
    const tick = () => {
      turns++;
      if (!done) setImmediate(tick);
    };
    setImmediate(tick);
    const input = { policyInputList: [ALLOW_ALL], actionNames: actions(25), resourceArns: resources(40), maxItems: 1000 };
    const page = await simulateCustomPolicy({} as AuthzRuntime, caller, input, { paged: true });
    done = true;
    expect(page.results).toHaveLength(1000);
    // 1000 evaluations in slices of at most 256: the loop turned between them.
    expect(turns).toBeGreaterThanOrEqual(3);
  });

  it('the cost limit counts authorizeBatch requests and simulation pairs, not a guessed 10', async () => {
    const batch = (n: number) => Array.from({ length: n }, () => ({ action: 's3:GetObject', resourceArn: 'arn:aws:s3:::b/k' }));
    const query = `mutation ($r: [AuthorizeInput!]!) { authorizeBatch(requests: $r) { ... on Decision { allowed matchedStatements { sid policyName statementIndex effect } } } }`;
    const small = await app.gql(app.root, query, { r: batch(100) });
    expect(small.errors).toBeUndefined();
    expect(small.data.authorizeBatch).toHaveLength(100);
    const large = await app.gql(app.root, query, { r: batch(1000) });
    expect(large.errors?.[0]?.extensions?.['code']).toBe('QUERY_TOO_COSTLY');
    // 1000 pairs with their statements cost more than 20000 fields; 100 pairs do not.
    const statements = `query ($input: SimulateCustomPolicyInput!) { simulateCustomPolicy(input: $input) { evalDecision matchedStatements { sid statementIndex } } }`;
    const cheap = await app.gql(app.root, statements, { input: { policyInputList: [ALLOW_ALL], actionNames: actions(10), resourceArns: resources(10) } });
    expect(cheap.errors).toBeUndefined();
    const costly = await app.gql(app.root, statements, { input: { policyInputList: [ALLOW_ALL], actionNames: actions(25), resourceArns: resources(40) } });
    expect(costly.errors?.[0]?.extensions?.['code']).toBe('QUERY_TOO_COSTLY');
  }, 60_000);
});

describe('ManagedPolicy.entities is paginated and batched', () => {
  const USERS = 120;
  let app: InProcess;
  let policyArns: string[];
  beforeAll(async () => {
    app = await startInProcess();
    const actor = { accountId: ACCOUNT, arn: rootArn(ACCOUNT) };
    policyArns = [];
    for (let i = 0; i < 6; i++) {
      const created = await app.asRoot('mutation($i: CreatePolicyInput!) { createPolicy(input: $i) { ... on CreatePolicySuccess { policy { arn } } } }', {
        i: { policyName: `Shared${i}`, policyDocument: ALLOW_ALL },
      });
      policyArns.push(created.createPolicy.policy.arn);
    }
    for (let g = 0; g < 3; g++) {
      await createGroup(app.database, actor, { groupName: `team${g}` });
      await attachPolicy(app.database, actor, 'group', { principalName: `team${g}`, policyArn: policyArns[0]! });
    }
    for (let u = 0; u < USERS; u++) {
      const userName = `user${String(u).padStart(3, '0')}`;
      await createUser(app.database, actor, { userName, path: u % 2 === 0 ? '/eng/' : '/ops/' });
      for (const arn of policyArns) await attachPolicy(app.database, actor, 'user', { principalName: userName, policyArn: arn });
    }
  }, 180_000);
  afterAll(async () => {
    await app?.close();
  });

  const ENTITIES = `query ($arn: String!, $first: Int, $after: String, $filter: PolicyEntityFilter, $prefix: String) {
    policy(policyArn: $arn) { entities(first: $first, after: $after, entityFilter: $filter, pathPrefix: $prefix) {
      edges { cursor node { __typename ... on User { name: userName } ... on Group { name: groupName } ... on Role { name: roleName } } } pageInfo { hasNextPage endCursor } } } }`;

  it('answers a page at a time, groups then users by name, and pages through everything once', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const answer = await app.gql(app.root, ENTITIES, { arn: policyArns[0], first: 50, after });
      expect(answer.errors).toBeUndefined();
      const connection = answer.data.policy.entities;
      expect(connection.edges.length).toBeLessThanOrEqual(50);
      seen.push(...connection.edges.map((e: any) => `${e.node.__typename}:${e.node.name}`));
      after = connection.pageInfo.hasNextPage ? connection.pageInfo.endCursor : null;
      pages++;
    } while (after !== null);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(USERS + 3);
    expect(seen.slice(0, 4)).toEqual(['Group:team0', 'Group:team1', 'Group:team2', 'User:user000']);
    expect(new Set(seen).size).toBe(seen.length);
    const first = await app.gql(app.root, ENTITIES, { arn: policyArns[0] });
    expect(first.data.policy.entities.edges).toHaveLength(100);
  });

  it('filters by entity type and path prefix, as ListEntitiesForPolicy', async () => {
    const answer = await app.gql(app.root, ENTITIES, { arn: policyArns[0], first: 1000, filter: 'USER', prefix: '/eng/' });
    const names = answer.data.policy.entities.edges.map((e: any) => e.node.name);
    expect(names).toHaveLength(USERS / 2);
    expect(names.every((n: string) => Number(n.slice(4)) % 2 === 0)).toBe(true);
    const bad = await app.gql(app.root, ENTITIES, { arn: policyArns[0], first: 5000 });
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_ERROR', field: 'first', rule: 'range' });
  });

  it('reads the entities of many policies in a fixed number of statements', async () => {
    const query = `query ($first: Int!) { policies(scope: LOCAL, first: $first) { edges { node { policyName entities(first: 5) { edges { node { arn } } pageInfo { hasNextPage } } } } } }`;
    await app.gql(app.root, query, { first: 1 }); // warm the caller's cached credential and policies
    const one = await app.counted(app.root, query, { first: 1 });
    const six = await app.counted(app.root, query, { first: 6 });
    expect(six.answer.errors).toBeUndefined();
    expect(six.answer.data.policies.edges).toHaveLength(6);
    for (const edge of six.answer.data.policies.edges) {
      expect(edge.node.entities.edges).toHaveLength(5);
      expect(edge.node.entities.pageInfo.hasNextPage).toBe(true);
    }
    expect(six.statements).toBe(one.statements);
  });
});
