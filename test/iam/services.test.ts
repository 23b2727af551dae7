/**
 * Custom services at the service level: putService stores versions and change rows, refuses AWS
 * prefixes and bad definitions with typed errors (nothing stored), deleteService removes a service
 * with its versions; reads merge AWS's services and the account's own. Policy writes warn from the
 * account's catalog (`s3:GetObjekt`). PGlite, or PostgreSQL with TEST_DATABASE_URL.
 */
import { and, desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changeLog, services, serviceVersions } from '../../src/db/schema/index.ts';
import { LimitExceededError, NoSuchEntityError, ValidationError } from '../../src/errors.ts';
import { createPolicy } from '../../src/iam/policies.ts';
import { putInlinePolicy } from '../../src/iam/inline-policies.ts';
import { createUser } from '../../src/iam/users.ts';
import { SERVICE_VERSIONS_KEPT, deleteService, putService } from '../../src/iam/services/service-commands.ts';
import type { PutServiceInput } from '../../src/iam/services/service-definition.ts';
import { getService, listServices, loadServiceDefinitions } from '../../src/iam/services/service-reads.ts';
import { listServiceActions } from '../../src/iam/services/service-actions.ts';
import { quotaLimit } from '../../src/iam/quotas.ts';
import { ACCOUNT, OTHER_ACCOUNT, openPrincipalsFixture, type PrincipalsFixture } from './support/principals.ts';

/** A small service like an application's own; `serviceName` names its prefix throughout. */
function todoService(overrides: Partial<PutServiceInput> = {}): PutServiceInput {
  const name = overrides.serviceName ?? 'todo';
  return {
    serviceName: name,
    displayName: 'Todo lists',
    actions: [
      { name: 'GetList', accessLevel: 'Read', resourceTypes: [{ name: 'list', required: true }], conditionKeys: [`${name}:Color`] },
      { name: 'DeleteList', accessLevel: 'Write', resourceTypes: [{ name: 'list' }] },
      { name: 'ListLists', accessLevel: 'List' },
    ],
    resourceTypes: [{ name: 'list', arnPattern: `arn:\${Partition}:${name}:\${Region}:\${Account}:list/\${ListId}`, conditionKeys: ['aws:ResourceTag/${TagKey}'] }],
    conditionKeys: [{ name: `${name}:Color`, type: 'String' }],
    ...overrides,
  };
}

let fx: PrincipalsFixture;
beforeAll(async () => {
  fx = await openPrincipalsFixture();
});
afterAll(async () => {
  await fx.close();
});

async function storedCount(serviceName: string, accountId = ACCOUNT): Promise<number> {
  return (await fx.database.db.select().from(services).where(and(eq(services.accountId, accountId), eq(services.serviceName, serviceName)))).length;
}

describe('putService', () => {
  it('stores version 1, then a new version at each put, each with a change row', async () => {
    const first = await putService(fx.database, fx.actor, todoService());
    expect(first.result).toMatchObject({ serviceName: 'todo', displayName: 'Todo lists', origin: 'custom', version: 1, arn: `arn:aws:iam::${ACCOUNT}:service/todo` });
    expect(first.result.service?.actions.get('getlist')?.resourceTypes).toEqual([{ name: 'list', required: true }]);
    expect(first.result.service?.actions.get('deletelist')?.resourceTypes).toEqual([{ name: 'list', required: true }]);
    const second = await putService(fx.database, fx.actor, todoService({ displayName: 'Todo' }));
    expect(second.result.version).toBe(2);
    expect(BigInt(second.revision)).toBeGreaterThan(BigInt(first.revision));
    const [change] = await fx.database.db.select().from(changeLog).where(eq(changeLog.entityArn, `arn:aws:iam::${ACCOUNT}:service/todo`)).orderBy(desc(changeLog.revision)).limit(1);
    expect(change).toMatchObject({ kind: 'ServicePut', entityType: 'service', accountId: ACCOUNT, payload: { serviceName: 'todo', version: 2, actionCount: 3 } });
    const versions = await fx.database.db.select({ v: serviceVersions.version }).from(serviceVersions).where(eq(serviceVersions.serviceName, 'todo'));
    expect(versions.map((v) => v.v).sort()).toEqual([1, 2]);
  });

  it(`keeps the newest ${SERVICE_VERSIONS_KEPT} versions`, async () => {
    for (let i = 0; i < SERVICE_VERSIONS_KEPT + 1; i++) await putService(fx.database, fx.actor, todoService({ serviceName: 'churn' }));
    const versions = await fx.database.db.select({ v: serviceVersions.version }).from(serviceVersions).where(eq(serviceVersions.serviceName, 'churn'));
    expect(versions.map((v) => v.v).sort((a, b) => a - b)).toEqual(Array.from({ length: SERVICE_VERSIONS_KEPT }, (_, i) => i + 2));
  });

  it('refuses an AWS prefix with a typed error and stores nothing', async () => {
    const error = await putService(fx.database, fx.actor, todoService({ serviceName: 's3' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ field: 'input.serviceName', rule: 'reserved' });
    expect(await storedCount('s3')).toBe(0);
  });

  const bad: readonly [string, Partial<PutServiceInput>, string, string][] = [
    ['an upper-case prefix', { serviceName: 'Todo' }, 'input.serviceName', 'pattern'],
    ['a prefix with a colon', { serviceName: 'to:do' }, 'input.serviceName', 'pattern'],
    ['an empty display name', { displayName: '' }, 'input.displayName', 'length'],
    ['an action name with a wildcard', { actions: [{ name: 'Get*', accessLevel: 'Read' }] }, 'input.actions[0].name', 'pattern'],
    ['an action named twice', { actions: [{ name: 'Get', accessLevel: 'Read' }, { name: 'GET', accessLevel: 'Read' }] }, 'input.actions[1].name', 'duplicate'],
    ['an undefined resource type', { actions: [{ name: 'Get', accessLevel: 'Read', resourceTypes: [{ name: 'nope' }] }] }, 'input.actions[0].resourceTypes[0].name', 'reference'],
    ['an undefined condition key', { actions: [{ name: 'Get', accessLevel: 'Read', conditionKeys: ['badsvc:Nope'] }] }, 'input.actions[0].conditionKeys[0]', 'reference'],
    ['an unknown access level', { actions: [{ name: 'Get', accessLevel: 'Admin' as never }] }, 'input.actions[0].accessLevel', 'pattern'],
    ['an ARN format of another service', { resourceTypes: [{ name: 'list', arnPattern: 'arn:${Partition}:s3:::${Bucket}' }] }, 'input.resourceTypes[0].arnPattern', 'pattern'],
    ['an ARN format with a wildcard', { resourceTypes: [{ name: 'list', arnPattern: 'arn:aws:todo:*:*:list/*' }] }, 'input.resourceTypes[0].arnPattern', 'pattern'],
    ['an ARN format with too few fields', { resourceTypes: [{ name: 'list', arnPattern: 'arn:aws:todo:list' }] }, 'input.resourceTypes[0].arnPattern', 'pattern'],
    ['an ARN format with a broken placeholder', { resourceTypes: [{ name: 'list', arnPattern: 'arn:aws:todo:::list/${Id' }] }, 'input.resourceTypes[0].arnPattern', 'pattern'],
    ['a condition key of another prefix', { conditionKeys: [{ name: 's3:Color', type: 'String' }], actions: [] }, 'input.conditionKeys[0].name', 'pattern'],
    ['a condition key type AWS does not have', { conditionKeys: [{ name: 'badsvc:Color', type: 'Colour' }] }, 'input.conditionKeys[0].type', 'pattern'],
    ['2,001 actions', { actions: Array.from({ length: 2001 }, (_, i) => ({ name: `A${i}`, accessLevel: 'Read' as const })) }, 'input.actions', 'count'],
  ];
  for (const [what, overrides, field, rule] of bad) {
    it(`refuses ${what} (${field}: ${rule}), storing nothing`, async () => {
      const input = todoService({ serviceName: 'badsvc', ...overrides });
      const error = await putService(fx.database, fx.actor, input).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect(error).toMatchObject({ field, rule });
      expect(await storedCount(input.serviceName)).toBe(0);
    });
  }

  it('accepts 2,000 actions', async () => {
    const actions = Array.from({ length: 2000 }, (_, i) => ({ name: `Action${i}`, accessLevel: 'Read' as const }));
    const { result } = await putService(fx.database, fx.actor, todoService({ serviceName: 'big', actions }));
    expect(result.service?.actions.size).toBe(2000);
    const page = listServiceActions(result.service!, { prefix: 'action19', first: 5 });
    expect(page.items.map((a) => a.name)).toEqual(['Action19', 'Action190', 'Action1900', 'Action1901', 'Action1902']);
    const next = listServiceActions(result.service!, { prefix: 'action19', first: 100, after: page.cursors[4] });
    expect(next.items[0]?.name).toBe('Action1903');
    expect(next.items).toHaveLength(100);
    expect(next.hasNextPage).toBe(true);
    await deleteService(fx.database, fx.actor, 'big');
  });

  it(`enforces ${quotaLimit('CustomServices')} custom services per account, counting new ones only`, async () => {
    const existing = (await fx.database.db.select().from(services).where(eq(services.accountId, OTHER_ACCOUNT))).length;
    for (let i = existing; i < quotaLimit('CustomServices'); i++) await putService(fx.database, fx.otherActor, todoService({ serviceName: `svc${i}` }));
    await expect(putService(fx.database, fx.otherActor, todoService({ serviceName: 'onemore' }))).rejects.toBeInstanceOf(LimitExceededError);
    // A new version of an existing one is no new service.
    expect((await putService(fx.database, fx.otherActor, todoService({ serviceName: 'svc0' }))).result.version).toBe(2);
  });
});

describe('reads', () => {
  it('gets AWS services and the account’s own, not another account’s', async () => {
    expect((await getService(fx.database, ACCOUNT, 's3')).origin).toBe('aws');
    expect((await getService(fx.database, ACCOUNT, 'todo')).service?.name).toBe('Todo');
    await expect(getService(fx.database, OTHER_ACCOUNT, 'todo')).rejects.toBeInstanceOf(NoSuchEntityError);
  });

  it('lists by prefix across AWS and custom services, in pages', async () => {
    const page = await listServices(fx.database, ACCOUNT, { prefix: 't', first: 1000 });
    const names = page.items.map((e) => e.serviceName);
    expect(names).toContain('todo');
    expect(names).toContain('tag'); // AWS Resource Groups Tagging
    expect(names).toEqual([...names].sort());
    expect(names.every((n) => n.startsWith('t'))).toBe(true);
    const custom = await listServices(fx.database, ACCOUNT, { origin: 'custom' });
    expect(custom.items.map((e) => e.serviceName)).toEqual(['churn', 'todo']);
    const first = await listServices(fx.database, ACCOUNT, { first: 2 });
    const second = await listServices(fx.database, ACCOUNT, { first: 2, after: first.cursors[1] });
    expect(second.items[0]!.serviceName > first.items[1]!.serviceName).toBe(true);
  });

  it('loads the definitions of a page of services in one statement', async () => {
    fx.statements.length = 0;
    const loaded = await loadServiceDefinitions(fx.database, ACCOUNT, ['todo', 's3', 'churn', 'nosuch']);
    expect(fx.statements).toHaveLength(1);
    expect(loaded.map((s) => s?.prefix)).toEqual(['todo', 's3', 'churn', undefined]);
  });
});

describe('deleteService', () => {
  it('deletes a custom service with its versions and records it', async () => {
    await putService(fx.database, fx.actor, todoService({ serviceName: 'gone' }));
    const { result } = await deleteService(fx.database, fx.actor, 'gone');
    expect(result.serviceName).toBe('gone');
    expect(await storedCount('gone')).toBe(0);
    expect(await fx.database.db.select().from(serviceVersions).where(eq(serviceVersions.serviceName, 'gone'))).toEqual([]);
    const [change] = await fx.database.db.select().from(changeLog).where(eq(changeLog.kind, 'ServiceDeleted')).orderBy(desc(changeLog.revision)).limit(1);
    expect(change).toMatchObject({ entityArn: `arn:aws:iam::${ACCOUNT}:service/gone`, entityType: 'service', payload: { serviceName: 'gone', version: 1 } });
    await expect(deleteService(fx.database, fx.actor, 'gone')).rejects.toBeInstanceOf(NoSuchEntityError);
    await expect(deleteService(fx.database, fx.actor, 's3')).rejects.toMatchObject({ field: 'input.serviceName', rule: 'reserved' });
  });
});

describe('policy writes warn from the catalog', () => {
  it('createPolicy saves s3:GetObjekt with a warning suggesting s3:GetObject', async () => {
    const policyDocument = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObjekt', Resource: '*' }] });
    const { result } = await createPolicy(fx.database, fx.actor, { policyName: 'Typo', policyDocument });
    expect(result.version.document).toBe(policyDocument);
    expect(result.findings).toEqual([expect.objectContaining({ findingType: 'WARNING', issueCode: 'UNKNOWN_ACTION', message: expect.stringContaining('did you mean "s3:GetObject"?') })]);
  });

  it('an inline policy sees the account’s custom services, and only them', async () => {
    await createUser(fx.database, fx.actor, { userName: 'writer' });
    const policyDocument = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['todo:GetList', 'todo:GetLsit'], Resource: '*' }] });
    const { result } = await putInlinePolicy(fx.database, fx.actor, 'user', { principalName: 'writer', policyName: 'Todo', policyDocument });
    expect(result.findings.map((f) => [f.issueCode, f.message.includes('did you mean "todo:GetList"?')])).toEqual([['UNKNOWN_ACTION', true]]);
    await createUser(fx.database, fx.otherActor, { userName: 'writer' });
    const other = await putInlinePolicy(fx.database, fx.otherActor, 'user', { principalName: 'writer', policyName: 'Todo', policyDocument });
    expect(other.result.findings.map((f) => f.issueCode)).toEqual(['INVALID_SERVICE_IN_ACTION', 'INVALID_SERVICE_IN_ACTION']);
  });
});
