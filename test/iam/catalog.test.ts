/**
 * The service catalog core: AWS services read from the dataset, ARN formats matched as AWS writes
 * them (real formats: S3 objects, DynamoDB tables and indexes, IAM users with paths, log streams …),
 * and `loadCatalogView` combining AWS's services with an account's custom ones in one statement.
 * PGlite, or PostgreSQL with TEST_DATABASE_URL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { services } from '../../src/db/schema/index.ts';
import { awsService, awsServicePrefixes } from '../../src/iam/services/aws-services.ts';
import { loadCatalogView } from '../../src/iam/services/catalog-view.ts';
import {
  catalogService,
  conditionKeyOf,
  patternMayFitFormat,
  resourceTypeOfArn,
  resourceTypesMatching,
  type CatalogService,
  type ServiceDefinition,
} from '../../src/policy/validate/catalog.ts';
import { ACCOUNT, OTHER_ACCOUNT, openPrincipalsFixture, type PrincipalsFixture } from './support/principals.ts';

async function aws(prefix: string): Promise<CatalogService> {
  const service = await awsService(prefix);
  if (service === undefined) throw new Error(`no AWS service ${prefix}`);
  return service;
}

describe('AWS services from the dataset', () => {
  it('reads actions, resource types, condition keys and access levels', async () => {
    const s3 = await aws('s3');
    expect(s3.origin).toBe('aws');
    expect(s3.name).toBe('Amazon S3');
    const getObject = s3.actions.get('getobject');
    expect(getObject?.name).toBe('GetObject');
    expect(getObject?.accessLevel).toBe('Read');
    expect(getObject?.resourceTypes.map((r) => r.name)).toContain('object');
    expect(s3.actions.get('putbucketpolicy')?.accessLevel).toBe('Permissions management');
    expect(s3.actions.get('putobjecttagging')?.accessLevel).toBe('Tagging');
    expect(s3.actions.get('listallmybuckets')?.resourceTypes).toEqual([]);
    expect(s3.conditionKeys.get('s3:prefix')?.type).toBe('String');
    expect(await awsService('S3')).toBe(s3); // memoised, any case
    expect(await awsService('nosuchservice')).toBeUndefined();
    const prefixes = await awsServicePrefixes();
    expect(prefixes.length).toBeGreaterThan(300);
    expect(prefixes).toContain('dynamodb');
  });
});

describe('resourceTypeOfArn over real AWS formats', () => {
  const cases: readonly (readonly [string, string, string | undefined])[] = [
    ['s3', 'arn:aws:s3:::my-bucket', 'bucket'],
    ['s3', 'arn:aws:s3:::my-bucket/photos/2026/cat.jpg', 'object'],
    ['s3', 'arn:aws:s3:::my-bucket/key', 'object'],
    ['s3', 'arn:aws:s3:us-east-1:111122223333:accesspoint/ap1', 'accesspoint'],
    ['s3', 'arn:aws:s3:us-east-1:111122223333:accesspoint/ap1/object/a/b.txt', 'accesspointobject'],
    ['dynamodb', 'arn:aws:dynamodb:us-east-1:111122223333:table/Orders', 'table'],
    ['dynamodb', 'arn:aws:dynamodb:us-east-1:111122223333:table/Orders/index/ByCustomer', 'index'],
    ['dynamodb', 'arn:aws:dynamodb:us-east-1:111122223333:table/Orders/stream/2026-01-01T00:00:00.000', 'stream'],
    ['dynamodb', 'arn:aws:dynamodb:us-east-1:111122223333:table/Orders/backup/01234567890123-abcdefgh', 'backup'],
    ['iam', 'arn:aws:iam::111122223333:user/alice', 'user'],
    ['iam', 'arn:aws:iam::111122223333:user/division/team/alice', 'user'],
    ['iam', 'arn:aws:iam::111122223333:role/service-role/Runner', 'role'],
    ['iam', 'arn:aws:iam::111122223333:policy/Readers', 'policy'],
    ['logs', 'arn:aws:logs:eu-west-1:111122223333:log-group:/aws/lambda/fn', 'log-group'],
    ['logs', 'arn:aws:logs:eu-west-1:111122223333:log-group:/aws/lambda/fn:log-stream:2026/01/01/abc', 'log-stream'],
    ['sqs', 'arn:aws:sqs:us-east-1:111122223333:jobs', 'queue'],
    // Does not fit: wrong service, missing fields, a region where the format has none.
    ['s3', 'arn:aws:dynamodb:us-east-1:111122223333:table/Orders', undefined],
    ['s3', 'arn:aws:s3:us-east-1::my-bucket', undefined],
    ['iam', 'arn:aws:iam::111122223333:nosuchtype/x', undefined],
    ['dynamodb', 'arn:aws:dynamodb:us-east-1:111122223333:table/', undefined],
  ];
  for (const [prefix, arn, expected] of cases) {
    it(`${arn} → ${expected ?? 'no type'}`, async () => {
      expect(resourceTypeOfArn(await aws(prefix), arn)?.name).toBe(expected);
    });
  }
});

describe('patternMayFitFormat: policy resources with wildcards', () => {
  const object = 'arn:${Partition}:s3:::${BucketName}/${ObjectName}';
  const bucket = 'arn:${Partition}:s3:::${BucketName}';
  const table = 'arn:${Partition}:dynamodb:${Region}:${Account}:table/${TableName}';
  it('matches what some ARN of the format could match', () => {
    expect(patternMayFitFormat('arn:aws:s3:::my-bucket/*', object)).toBe(true);
    expect(patternMayFitFormat('arn:aws:s3:::my-bucket/*', bucket)).toBe(true); // a bucket named "my-bucket/…" is not possible, but the pattern is broad
    expect(patternMayFitFormat('arn:aws:s3:::*', bucket)).toBe(true);
    expect(patternMayFitFormat('arn:aws:s3:::my-bucket', object)).toBe(false);
    expect(patternMayFitFormat('arn:aws:s3:::my-bucket', bucket)).toBe(true);
    expect(patternMayFitFormat('arn:aws:dynamodb:*:*:table/Orders', table)).toBe(true);
    expect(patternMayFitFormat('arn:aws:dynamodb:us-east-?:*:table/*', table)).toBe(true);
    expect(patternMayFitFormat('arn:aws:s3:::bucket/*', table)).toBe(false);
    expect(patternMayFitFormat('*', table)).toBe(true);
    expect(patternMayFitFormat('arn:*', object)).toBe(true);
    expect(patternMayFitFormat('arn:aws:dynamodb:us-east-1:111122223333:table/*/index/*', table)).toBe(true);
  });
  it('lists the resource types a pattern may reach', async () => {
    const dynamodb = await aws('dynamodb');
    const names = resourceTypesMatching(dynamodb, 'arn:aws:dynamodb:us-east-1:111122223333:table/Orders').map((t) => t.name);
    expect(names).toEqual(['table']);
    const s3 = await aws('s3');
    expect(resourceTypesMatching(s3, 'arn:aws:dynamodb:us-east-1:111122223333:table/Orders')).toEqual([]);
  });
});

describe('conditionKeyOf', () => {
  it('finds keys in any case, and keys with a tag placeholder', async () => {
    const s3 = await aws('s3');
    expect(conditionKeyOf(s3, 'S3:Prefix')?.name).toBe('s3:prefix');
    expect(conditionKeyOf(s3, 's3:ExistingObjectTag/team')?.name).toBe('s3:ExistingObjectTag/<key>');
    expect(conditionKeyOf(s3, 's3:NoSuchKey')).toBeUndefined();
  });
});

const TODO: ServiceDefinition = {
  actions: [
    { name: 'GetList', accessLevel: 'Read', resourceTypes: [{ name: 'list', required: true }], conditionKeys: [] },
    { name: 'CreateList', accessLevel: 'Write', resourceTypes: [], conditionKeys: ['todo:Color'] },
  ],
  resourceTypes: [{ name: 'list', arnPatterns: ['arn:${Partition}:todo:${Region}:${Account}:list/${ListId}'], conditionKeys: [] }],
  conditionKeys: [{ name: 'todo:Color', type: 'String' }],
};

describe('loadCatalogView', () => {
  let fx: PrincipalsFixture;
  beforeAll(async () => {
    fx = await openPrincipalsFixture();
    await fx.database.db.insert(services).values([
      { accountId: ACCOUNT, serviceName: 'todo', displayName: 'Todo lists', version: 2, definition: TODO },
      { accountId: ACCOUNT, serviceName: 'billing', displayName: 'Billing', version: 1, definition: TODO },
      { accountId: OTHER_ACCOUNT, serviceName: 'notes', displayName: 'Notes', version: 1, definition: TODO },
    ]);
  });
  afterAll(async () => {
    await fx.close();
  });

  it('loads AWS and the account’s custom services asked for, in one statement', async () => {
    await awsService('s3'); // warm the process memo, as a running server would be
    fx.statements.length = 0;
    const view = await loadCatalogView(fx.database, ACCOUNT, ['s3', 'TODO', 'nosuch']);
    expect(fx.statements).toHaveLength(1);
    expect(view.service('s3')?.origin).toBe('aws');
    const todo = view.service('todo');
    expect(todo).toMatchObject({ prefix: 'todo', name: 'Todo lists', origin: 'custom', version: 2 });
    expect(todo?.actions.get('getlist')?.name).toBe('GetList');
    expect(resourceTypeOfArn(todo!, 'arn:aws:todo:us-east-1:111122223333:list/groceries')?.name).toBe('list');
    expect(view.service('nosuch')).toBeUndefined();
    // Known but not asked for: listed (for suggestions), not loaded.
    expect(view.prefixes).toContain('billing');
    expect(view.prefixes).toContain('ec2');
    expect(view.service('billing')).toBeUndefined();
    // Another account's services are not seen.
    expect(view.prefixes).not.toContain('notes');
  });

  it('sees only its own account’s custom services', async () => {
    const view = await loadCatalogView(fx.database, OTHER_ACCOUNT, ['todo', 'notes']);
    expect(view.service('todo')).toBeUndefined();
    expect(view.service('notes')?.name).toBe('Notes');
  });

  it('builds a service keyed by lower-case names', () => {
    const service = catalogService({ prefix: 'todo', name: 'Todo', origin: 'custom', version: 1 }, TODO);
    expect(service.conditionKeys.get('todo:color')?.type).toBe('String');
  });
});
