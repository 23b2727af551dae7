/**
 * The reverse questions agree with `authorize`, question by question (issue 17.3): on random small
 * directories (users, groups, roles, managed and inline policies with Allow and Deny, conditions
 * on resource tags and the source address) and random registered resources (tags, resource
 * policies naming principals), every answer of whoCan, whatCanResources and whatCanActions is
 * exactly the set of principals, resources or actions that single decisions allow. Each run is
 * a fresh account in one database, through the iam commands and the authz layer.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/server/app.ts';
import { loadConfig } from '../../src/config.ts';
import { bootstrapAccount } from '../../src/iam/bootstrap.ts';
import { createUser } from '../../src/iam/users.ts';
import { createGroup } from '../../src/iam/groups.ts';
import { createRole } from '../../src/iam/roles.ts';
import { addUserToGroup } from '../../src/iam/group-membership.ts';
import { createPolicy } from '../../src/iam/policies.ts';
import { attachPolicy } from '../../src/iam/attachments.ts';
import { putInlinePolicy } from '../../src/iam/inline-policies.ts';
import { registerResource } from '../../src/iam/resources.ts';
import { loadCatalogView } from '../../src/iam/services/catalog-view.ts';
import { resourceTypeOfArn } from '../../src/policy/validate/catalog.ts';
import { toRequestContext, type ContextEntry } from '../../src/authz/context-entries.ts';
import type { RequestAuthz } from '../../src/authz/runtime.ts';
import { createLogger } from '../../src/logger.ts';
import { openTestDatabase, type TestDatabase } from '../support/database.ts';

const RUNS = Number(process.env.REVERSE_PROPERTY_RUNS ?? 12);
const ACTIONS = ['s3:GetObject', 's3:PutObject', 's3:ListBucket', 's3:GetBucketTagging'] as const;
const CONTEXTS: ReadonlyArray<readonly ContextEntry[]> = [[], [{ contextKeyName: 'aws:SourceIp', contextKeyValues: ['10.1.2.3'], contextKeyType: 'IP' }]];

/** A statement with `{R}` standing for the run's resource-name prefix, `{U<i>}` for user i's ARN. */
type Statement = Record<string, unknown>;

const effectArb = fc.constantFrom('Allow', 'Allow', 'Deny');
const conditionArb = fc.option(
  fc.oneof(
    fc.constantFrom('blue', 'red').map((team) => ({ StringEquals: { 'aws:ResourceTag/team': team } })),
    fc.constant({ IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }),
  ),
  { nil: undefined },
);
const identityStatementArb: fc.Arbitrary<Statement> = fc.record({
  Effect: effectArb,
  Action: fc.subarray(['s3:GetObject', 's3:PutObject', 's3:ListBucket', 's3:Get*', 's3:*'], { minLength: 1 }),
  Resource: fc.constantFrom('*', 'arn:aws:s3:::{R}b1', 'arn:aws:s3:::{R}b1/*', 'arn:aws:s3:::{R}*'),
  Condition: conditionArb,
});
const policyArb = fc.array(identityStatementArb, { minLength: 1, maxLength: 3 });

interface Directory {
  readonly users: ReadonlyArray<{ readonly groups: readonly number[]; readonly inline: Statement[] | null; readonly managed: number | null }>;
  readonly groups: ReadonlyArray<{ readonly inline: Statement[] | null; readonly managed: number | null }>;
  readonly roles: ReadonlyArray<{ readonly inline: Statement[] | null; readonly managed: number | null }>;
  readonly managed: readonly Statement[][];
  readonly resources: ReadonlyArray<{ readonly name: string; readonly team: string | null; readonly policy: Statement[] | null }>;
}

const holderArb = (managedCount: number) => fc.record({ inline: fc.option(policyArb, { nil: null }), managed: fc.option(fc.nat(managedCount - 1), { nil: null }) });

const directoryArb: fc.Arbitrary<Directory> = fc.integer({ min: 1, max: 3 }).chain((managedCount) =>
  fc.integer({ min: 0, max: 3 }).chain((groupCount) =>
    fc.record({
      managed: fc.array(policyArb, { minLength: managedCount, maxLength: managedCount }),
      groups: fc.array(holderArb(managedCount), { minLength: groupCount, maxLength: groupCount }),
      users: fc.array(
        fc.record({
          groups: groupCount === 0 ? fc.constant([]) : fc.uniqueArray(fc.nat(groupCount - 1), { maxLength: groupCount }),
          inline: fc.option(policyArb, { nil: null }),
          managed: fc.option(fc.nat(managedCount - 1), { nil: null }),
        }),
        { minLength: 1, maxLength: 4 },
      ),
      roles: fc.array(holderArb(managedCount), { maxLength: 2 }),
      resources: fc.uniqueArray(
        fc.record({
          name: fc.constantFrom('b1', 'b2', 'b1/k1', 'b2/k2', 'b1/deep/k3'),
          team: fc.option(fc.constantFrom('blue', 'red'), { nil: null }),
          policy: fc.option(
            fc.array(
              fc.record({
                Effect: effectArb,
                Principal: fc.constantFrom({ AWS: '{U0}' }, { AWS: '{ROOT}' }, { AWS: '{U1}' }),
                Action: fc.subarray(['s3:GetObject', 's3:PutObject', 's3:ListBucket', 's3:*'], { minLength: 1 }),
                Condition: conditionArb,
              }),
              { minLength: 1, maxLength: 2 },
            ),
            { nil: null },
          ),
        }),
        { minLength: 1, maxLength: 4, selector: (r) => r.name },
      ),
    }),
  ),
);

describe('reverse answers agree with single authorize decisions', () => {
  let testDb: TestDatabase;
  let app: App;
  let run = 0;

  beforeAll(async () => {
    testDb = await openTestDatabase();
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', PORTCULLIS_ACCOUNT_ID: '100000000000' });
    app = createApp(config, testDb.database, { logger: createLogger('silent') });
    await app.authz.start();
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await testDb?.cleanup();
  });

  /** Writes `dir` as a new account; returns the root's authz, the principals and the resource ARNs. */
  async function build(dir: Directory): Promise<{ authz: RequestAuthz; principals: string[]; resources: string[]; accountId: string }> {
    run++;
    const accountId = String(200000000000 + run);
    const prefix = `run${run}-`;
    const key = { accessKeyId: `AKIAREVERSEPROP${String(run).padStart(5, '0')}`, secret: `reverse-property-secret-${run}-0123456789` };
    await bootstrapAccount(testDb.database, { accountId, rootAccessKey: key });
    const actor = { arn: `arn:aws:iam::${accountId}:root`, accountId };
    const db = testDb.database;
    const userArn = (i: number) => `arn:aws:iam::${accountId}:user/u${i}`;
    const fill = (statements: Statement[]) =>
      JSON.stringify({
        Version: '2012-10-17',
        Statement: statements.map((s) => JSON.parse(JSON.stringify(s, (_, v) => (v === undefined ? undefined : v)).replaceAll('{R}', prefix).replaceAll('{ROOT}', actor.arn).replace(/\{U(\d)\}/g, (_, i) => userArn(Math.min(Number(i), dir.users.length - 1))))),
      });
    const policyArn = (i: number) => `arn:aws:iam::${accountId}:policy/m${i}`;
    for (const [i, statements] of dir.managed.entries()) await createPolicy(db, actor, { policyName: `m${i}`, policyDocument: fill(statements) });
    const holder = async (kind: 'user' | 'group' | 'role', name: string, h: { inline: Statement[] | null; managed: number | null }) => {
      if (h.inline !== null) await putInlinePolicy(db, actor, kind, { principalName: name, policyName: 'inline', policyDocument: fill(h.inline) });
      if (h.managed !== null) await attachPolicy(db, actor, kind, { principalName: name, policyArn: policyArn(h.managed) });
    };
    for (const [i, g] of dir.groups.entries()) {
      await createGroup(db, actor, { groupName: `g${i}` });
      await holder('group', `g${i}`, g);
    }
    for (const [i, u] of dir.users.entries()) {
      await createUser(db, actor, { userName: `u${i}` });
      await holder('user', `u${i}`, u);
      for (const g of u.groups) await addUserToGroup(db, actor, { groupName: `g${g}`, userName: `u${i}` });
    }
    const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: actor.arn }, Action: 'sts:AssumeRole' }] });
    for (const [i, r] of dir.roles.entries()) {
      await createRole(db, actor, { roleName: `r${i}`, assumeRolePolicyDocument: trust });
      await holder('role', `r${i}`, r);
    }
    const resources: string[] = [];
    for (const r of dir.resources) {
      const arn = `arn:aws:s3:::${prefix}${r.name}`;
      const policy = r.policy === null ? null : fill(r.policy.map((s) => ({ ...s, Resource: [arn, `${arn}/*`] })));
      await registerResource(db, actor, { resourceArn: arn, tags: r.team === null ? [] : [{ key: 'team', value: r.team }], resourcePolicy: policy });
      resources.push(arn);
    }
    await app.authz.listener.catchUp();
    const caller = await app.authz.authenticate(`Basic ${Buffer.from(`${key.accessKeyId}:${key.secret}`).toString('base64')}`);
    const principals = [actor.arn, ...dir.users.map((_, i) => userArn(i)), ...dir.roles.map((_, i) => `arn:aws:iam::${accountId}:role/r${i}`)];
    return { authz: app.authz.forRequest(caller, { secureTransport: true }), principals, resources, accountId };
  }

  /** Which of `questions` authorize allows. */
  async function allowed(authz: RequestAuthz, questions: ReadonlyArray<{ principalArn: string; action: string; resourceArn: string }>, contextEntries: readonly ContextEntry[]): Promise<boolean[]> {
    const answers = await authz.decider.decideAll(
      questions.map((q) => ({ ...q, contextEntries })),
      { record: false, field: (i) => `q${i}` },
    );
    return answers.map((a) => {
      if (a instanceof Error) throw a;
      return a.allowed;
    });
  }

  it('whoCan, whatCanResources and whatCanActions equal the single decisions', async () => {
    let nonEmpty = 0;
    await fc.assert(
      fc.asyncProperty(directoryArb, fc.constantFrom(...CONTEXTS), async (dir, contextEntries) => {
        const { authz, principals, resources, accountId } = await build(dir);
        const context = toRequestContext(contextEntries, 'context');
        const loose = `arn:aws:s3:::run${run}-unregistered/k`;
        for (const action of ACTIONS) {
          for (const resourceArn of [...resources, loose]) {
            const answer = await authz.reverse.whoCan(authz.guard, { action, resourceArn, context });
            const verdicts = await allowed(authz, principals.map((principalArn) => ({ principalArn, action, resourceArn })), contextEntries);
            const expected = principals.filter((_, i) => verdicts[i]).sort();
            expect(answer.items.map((e) => e.principalArn), `whoCan ${action} ${resourceArn}`).toEqual(expected);
            if (expected.length > 1) nonEmpty++;
          }
          for (const principalArn of principals) {
            const answer = await authz.reverse.whatCanResources(authz.guard, { principalArn, action, serviceName: 's3', context });
            const verdicts = await allowed(authz, resources.map((resourceArn) => ({ principalArn, action, resourceArn })), contextEntries);
            expect(answer.items.map((e) => e.resource.arn), `whatCanResources ${principalArn} ${action}`).toEqual(resources.filter((_, i) => verdicts[i]).sort());
          }
        }
        // whatCanActions: every action of the catalog that takes the resource's type, asked one by one.
        const s3 = (await loadCatalogView(testDb.database, accountId, ['s3'])).service('s3')!;
        for (const resourceArn of resources) {
          const type = resourceTypeOfArn(s3, resourceArn)!.name.toLowerCase();
          const candidates = [...s3.actions.values()].filter((a) => a.resourceTypes.some((t) => t.name.toLowerCase() === type)).map((a) => `s3:${a.name}`);
          for (const principalArn of principals.slice(1)) {
            const answer = await authz.reverse.whatCanActions(authz.guard, { principalArn, resourceArn, context });
            const verdicts = await allowed(authz, candidates.map((action) => ({ principalArn, action, resourceArn })), contextEntries);
            expect(answer.items.map((e) => e.action), `whatCanActions ${principalArn} ${resourceArn}`).toEqual(candidates.filter((_, i) => verdicts[i]).sort());
          }
        }
      }),
      { numRuns: RUNS },
    );
    // The generators must reach interesting answers, not only empty ones.
    expect(nonEmpty).toBeGreaterThan(RUNS);
  }, 600_000);
});
