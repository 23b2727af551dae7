/**
 * The resource registry at the service level: registering resources of catalog services (the ARN
 * must fit a resource type's format, the account segment must be the caller's or empty), tags by
 * AWS's rules, resource policies validated as resource policies within 20,480 characters, the
 * policy, tag and deregister commands with their change rows, imports of up to 10,000 resources
 * all or nothing, and the list with its filters. Every refusal leaves nothing stored.
 * PGlite, or PostgreSQL with TEST_DATABASE_URL.
 */
import { and, asc, eq, gt } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changeLog, resources } from '../../src/db/schema/index.ts';
import { EntityAlreadyExistsError, LimitExceededError, MalformedPolicyDocumentError, NoSuchEntityError, ValidationError } from '../../src/errors.ts';
import { importResources } from '../../src/iam/resource-import.ts';
import { getResource, listResources } from '../../src/iam/resource-reads.ts';
import { deleteResourcePolicy, deregisterResource, putResourcePolicy, registerResource, tagResource, untagResource } from '../../src/iam/resources.ts';
import { ACCOUNT, OTHER_ACCOUNT, openPrincipalsFixture, type PrincipalsFixture } from './support/principals.ts';

/** A valid resource policy letting `principal` do `action` on `resource`. */
function resourcePolicy(principal: string, action: string, resource: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: principal }, Action: action, Resource: resource, ...extra }] });
}

let fx: PrincipalsFixture;
beforeAll(async () => {
  fx = await openPrincipalsFixture();
}, 60_000);
afterAll(async () => {
  await fx?.close();
});

/** Whether the registry holds `arn` (in any account). */
async function stored(arn: string): Promise<boolean> {
  return (await fx.database.db.select().from(resources).where(eq(resources.arn, arn))).length > 0;
}

/** The error a promise rejects with. */
async function failure(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: unknown) => error as Error,
  );
}

describe('registerResource', () => {
  it('places an S3 bucket and an object in the catalog and records ResourceRegistered', async () => {
    const { result, revision } = await registerResource(fx.database, fx.actor, {
      resourceArn: 'arn:aws:s3:::reg-reports',
      tags: [{ key: 'team', value: 'blue' }],
      resourcePolicy: resourcePolicy(`arn:aws:iam::${ACCOUNT}:root`, 's3:ListBucket', 'arn:aws:s3:::reg-reports'),
    });
    expect(result.resource).toMatchObject({ accountId: ACCOUNT, arn: 'arn:aws:s3:::reg-reports', service: 's3', resourceType: 'bucket', tags: [{ key: 'team', value: 'blue' }] });
    expect(result.resource.policyDocument).toContain('s3:ListBucket');
    const [row] = await fx.database.db.select().from(changeLog).where(eq(changeLog.revision, BigInt(revision)));
    expect(row).toMatchObject({ kind: 'ResourceRegistered', entityType: 'resource', entityArn: 'arn:aws:s3:::reg-reports', affectedPrincipalIds: [] });

    const object = await registerResource(fx.database, fx.actor, { resourceArn: 'arn:aws:s3:::reg-reports/2026/q1.csv' });
    expect(object.result.resource.resourceType).toBe('object');
    const queue = await registerResource(fx.database, fx.actor, { resourceArn: `arn:aws:sqs:eu-west-1:${ACCOUNT}:reg-jobs`, resourceType: 'queue' });
    expect(queue.result.resource).toMatchObject({ service: 'sqs', resourceType: 'queue', policyDocument: null });
  });

  it('refuses ARNs the catalog cannot place, naming the field and rule, and stores nothing', async () => {
    const cases: Array<[Parameters<typeof registerResource>[2], string, string]> = [
      [{ resourceArn: 'not-an-arn' }, 'input.resourceArn', 'arn'],
      [{ resourceArn: 'arn:aws:nosuchservice:::thing' }, 'input.resourceArn', 'unknown-service'],
      [{ resourceArn: 'arn:aws:sqs:eu-west-1::missing-account' }, 'input.resourceArn', 'resource-type-format'],
      [{ resourceArn: 'arn:aws:s3:::reg-typed/key', resourceType: 'bucket' }, 'input.resourceArn', 'resource-type-format'],
      [{ resourceArn: 'arn:aws:s3:::reg-typed', resourceType: 'table' }, 'input.resourceType', 'unknown-resource-type'],
      [{ resourceArn: `arn:aws:sqs:eu-west-1:${OTHER_ACCOUNT}:theirs` }, 'input.resourceArn', 'account'],
      [{ resourceArn: 'arn:aws:s3:::reg-*' }, 'input.resourceArn', 'arn'],
    ];
    for (const [input, field, rule] of cases) {
      const error = await failure(registerResource(fx.database, fx.actor, input));
      expect(error, input.resourceArn).toBeInstanceOf(ValidationError);
      expect(error).toMatchObject({ field, rule });
      expect(await stored(input.resourceArn)).toBe(false);
    }
  });

  it("refuses tags beyond AWS's limits and policies that are invalid or over 20,480 characters", async () => {
    const arn = 'arn:aws:s3:::reg-limits';
    const tooMany = Array.from({ length: 51 }, (_, i) => ({ key: `k${i}`, value: 'v' }));
    const tagCases: Array<[Array<{ key: string; value: string }>, string, string]> = [
      [tooMany, 'input.tags', 'count'],
      [[{ key: 'aws:owner', value: 'x' }], 'input.tags[0].key', 'reserved'],
      [[{ key: 'k'.repeat(129), value: 'x' }], 'input.tags[0].key', 'length'],
      [[{ key: 'ok', value: 'v'.repeat(257) }], 'input.tags[0].value', 'length'],
      [[{ key: 'a', value: '1' }, { key: 'A', value: '2' }], 'input.tags[1].key', 'duplicate'],
    ];
    for (const [tags, field, rule] of tagCases) {
      const error = await failure(registerResource(fx.database, fx.actor, { resourceArn: arn, tags }));
      expect(error).toBeInstanceOf(ValidationError);
      expect(error).toMatchObject({ field, rule });
    }
    // An identity policy is no resource policy: it names no principal.
    const identity = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] });
    const malformed = await failure(registerResource(fx.database, fx.actor, { resourceArn: arn, resourcePolicy: identity }));
    expect(malformed).toBeInstanceOf(MalformedPolicyDocumentError);
    expect(malformed).toMatchObject({ field: 'input.resourcePolicy' });
    const statements = Array.from({ length: 120 }, (_, i) => ({ Sid: `S${i}`, Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 's3:GetObject', Resource: `arn:aws:s3:::reg-limits/some/rather/long/prefix/number/${i}/*` }));
    const big = JSON.stringify({ Version: '2012-10-17', Statement: statements });
    expect(big.length).toBeGreaterThan(20_480);
    const oversized = await failure(registerResource(fx.database, fx.actor, { resourceArn: arn, resourcePolicy: big }));
    expect(oversized).toBeInstanceOf(LimitExceededError);
    expect(oversized).toMatchObject({ quota: 'ResourcePolicySize', limit: 20_480 });
    expect(await stored(arn)).toBe(false);
  });

  it('registers an ARN once in the whole deployment', async () => {
    await registerResource(fx.database, fx.actor, { resourceArn: 'arn:aws:s3:::reg-once' });
    expect(await failure(registerResource(fx.database, fx.actor, { resourceArn: 'arn:aws:s3:::reg-once' }))).toBeInstanceOf(EntityAlreadyExistsError);
    // Bucket ARNs name no account: another account cannot take it over.
    expect(await failure(registerResource(fx.database, fx.otherActor, { resourceArn: 'arn:aws:s3:::reg-once' }))).toBeInstanceOf(EntityAlreadyExistsError);
  });
});

describe('policy, tag and deregister commands', () => {
  const arn = 'arn:aws:s3:::reg-lifecycle';

  it('change the resource, record one row each, and stay inside the account', async () => {
    await registerResource(fx.database, fx.actor, { resourceArn: arn, tags: [{ key: 'env', value: 'prod' }] });
    const policy = resourcePolicy(`arn:aws:iam::${ACCOUNT}:root`, 's3:GetObject', `${arn}/*`);
    const put = await putResourcePolicy(fx.database, fx.actor, { resourceArn: arn, policyDocument: policy });
    expect(put.result.resource.policyDocument).toBe(policy);
    const tagged = await tagResource(fx.database, fx.actor, { resourceArn: arn, tags: [{ key: 'ENV', value: 'dev' }, { key: 'owner', value: 'ann' }] });
    expect(tagged.result.tags).toEqual([{ key: 'ENV', value: 'dev' }, { key: 'owner', value: 'ann' }]);
    const untagged = await untagResource(fx.database, fx.actor, { resourceArn: arn, tagKeys: ['owner', 'absent'] });
    expect(untagged.result.tags).toEqual([{ key: 'ENV', value: 'dev' }]);
    const deleted = await deleteResourcePolicy(fx.database, fx.actor, { resourceArn: arn });
    expect(deleted.result.policyDocument).toBeNull();
    // Nothing to delete: nothing changes, nothing is recorded.
    const again = await deleteResourcePolicy(fx.database, fx.actor, { resourceArn: arn });
    expect(again.revision).toBe(deleted.revision);

    // The other account sees no such resource.
    for (const write of [
      () => putResourcePolicy(fx.database, fx.otherActor, { resourceArn: arn, policyDocument: policy }),
      () => tagResource(fx.database, fx.otherActor, { resourceArn: arn, tags: [{ key: 'x', value: 'y' }] }),
      () => deregisterResource(fx.database, fx.otherActor, { resourceArn: arn }),
    ]) {
      expect(await failure(write())).toBeInstanceOf(NoSuchEntityError);
    }
    const gone = await deregisterResource(fx.database, fx.actor, { resourceArn: arn });
    expect(gone.result.arn).toBe(arn);
    expect(await failure(getResource(fx.database.db, ACCOUNT, arn))).toBeInstanceOf(NoSuchEntityError);

    const kinds = await fx.database.db
      .select({ kind: changeLog.kind })
      .from(changeLog)
      .where(and(eq(changeLog.entityArn, arn), gt(changeLog.revision, 0n)))
      .orderBy(asc(changeLog.revision));
    expect(kinds.map((k) => k.kind)).toEqual(['ResourceRegistered', 'ResourcePolicyPut', 'ResourceTagged', 'ResourceUntagged', 'ResourcePolicyDeleted', 'ResourceDeregistered']);
  });

  it('refuses a 51st tag with LimitExceeded', async () => {
    const many = 'arn:aws:s3:::reg-many-tags';
    await registerResource(fx.database, fx.actor, { resourceArn: many, tags: Array.from({ length: 50 }, (_, i) => ({ key: `k${i}`, value: 'v' })) });
    expect(await failure(tagResource(fx.database, fx.actor, { resourceArn: many, tags: [{ key: 'one-more', value: 'v' }] }))).toBeInstanceOf(LimitExceededError);
  });
});

describe('importResources', () => {
  it('registers thousands in one statement and one transaction, then replaces them on a re-run', async () => {
    const items = Array.from({ length: 2_500 }, (_, i) => ({ resourceArn: `arn:aws:s3:::imp-bucket/${String(i).padStart(5, '0')}`, tags: [{ key: 'n', value: String(i) }] }));
    fx.statements.length = 0;
    const first = await importResources(fx.database, fx.actor, { resources: items });
    const inserts = fx.statements.filter((s) => /^insert into resources/i.test(s.trim()));
    expect(inserts).toHaveLength(1);
    expect(first.result).toMatchObject({ registered: 2_500, updated: 0 });
    const rows = await fx.database.db.select({ revision: changeLog.revision, kind: changeLog.kind }).from(changeLog).where(eq(changeLog.kind, 'ResourcesImported'));
    expect(rows).toHaveLength(2_500);
    expect(rows.every((r) => r.revision <= BigInt(first.revision))).toBe(true);

    const second = await importResources(fx.database, fx.actor, { resources: items.slice(0, 10).map((r) => ({ ...r, tags: [{ key: 'n', value: 'again' }] })) });
    expect(second.result).toMatchObject({ registered: 0, updated: 10 });
    expect((await getResource(fx.database.db, ACCOUNT, items[3]!.resourceArn)).tags).toEqual([{ key: 'n', value: 'again' }]);
  });

  it('is all or nothing: one bad resource, a repeated ARN or another account’s ARN stores none', async () => {
    const good = [{ resourceArn: 'arn:aws:s3:::imp-all-or-nothing/a' }, { resourceArn: 'arn:aws:s3:::imp-all-or-nothing/b' }];
    const bad = await failure(importResources(fx.database, fx.actor, { resources: [...good, { resourceArn: 'arn:aws:nosuch:::x' }] }));
    expect(bad).toMatchObject({ field: 'input.resources[2].resourceArn', rule: 'unknown-service' });
    const repeated = await failure(importResources(fx.database, fx.actor, { resources: [...good, good[0]!] }));
    expect(repeated).toMatchObject({ field: 'input.resources[2].resourceArn', rule: 'duplicate' });
    await registerResource(fx.database, fx.otherActor, { resourceArn: 'arn:aws:s3:::imp-theirs' });
    expect(await failure(importResources(fx.database, fx.actor, { resources: [...good, { resourceArn: 'arn:aws:s3:::imp-theirs' }] }))).toBeInstanceOf(EntityAlreadyExistsError);
    for (const item of good) expect(await stored(item.resourceArn)).toBe(false);
  });

  it('refuses more than 10,000 resources in one call, and none', async () => {
    const items = Array.from({ length: 10_001 }, (_, i) => ({ resourceArn: `arn:aws:s3:::imp-too-many/${i}` }));
    expect(await failure(importResources(fx.database, fx.actor, { resources: items }))).toMatchObject({ field: 'input.resources', rule: 'count' });
    expect(await failure(importResources(fx.database, fx.actor, { resources: [] }))).toMatchObject({ field: 'input.resources', rule: 'count' });
  });
});

describe('listResources', () => {
  it('pages in ARN order and filters by service, type and ARN prefix within the account', async () => {
    await registerResource(fx.database, fx.actor, { resourceArn: 'arn:aws:s3:::list-a' });
    await registerResource(fx.database, fx.actor, { resourceArn: 'arn:aws:s3:::list-a/x' });
    await registerResource(fx.database, fx.actor, { resourceArn: 'arn:aws:s3:::list-b' });
    await registerResource(fx.database, fx.otherActor, { resourceArn: 'arn:aws:s3:::list-c' });
    const buckets = await listResources(fx.database.db, ACCOUNT, { arnPrefix: 'arn:aws:s3:::list-', resourceType: 'BUCKET' }, { first: 1 });
    expect(buckets.items.map((r) => r.arn)).toEqual(['arn:aws:s3:::list-a']);
    expect(buckets.hasNextPage).toBe(true);
    const next = await listResources(fx.database.db, ACCOUNT, { arnPrefix: 'arn:aws:s3:::list-', resourceType: 'bucket' }, { first: 10, after: buckets.cursors[0] });
    expect(next.items.map((r) => r.arn)).toEqual(['arn:aws:s3:::list-b']);
    const all = await listResources(fx.database.db, ACCOUNT, { serviceName: 's3', arnPrefix: 'arn:aws:s3:::list-' }, {});
    expect(all.items.map((r) => r.arn)).toEqual(['arn:aws:s3:::list-a', 'arn:aws:s3:::list-a/x', 'arn:aws:s3:::list-b']);
    // LIKE metacharacters in a prefix match literally.
    expect((await listResources(fx.database.db, ACCOUNT, { arnPrefix: 'arn:aws:s3:::list_' }, {})).items).toEqual([]);
  });
});
