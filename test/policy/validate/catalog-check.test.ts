/**
 * Catalog-aware validation (issue 17): with the account's catalog view, parsePolicy warns on an
 * unknown service, an unknown action of a known service, an unknown service condition key, and an
 * action paired only with resources it never takes, each with the nearest name. Without a view,
 * nothing changes. The AWS services are the real dataset's; `todo` is a custom service.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { awsService, awsServicePrefixes } from '../../../src/iam/services/aws-services.ts';
import type { Finding, PolicyKind } from '../../../src/policy/types.ts';
import { catalogService, catalogViewOf, servicePrefixesOf, type CatalogService, type CatalogView, parsePolicy } from '../../../src/policy/validate/index.ts';

const TODO = catalogService(
  { prefix: 'todo', name: 'Todo lists', origin: 'custom', version: 1 },
  {
    actions: [
      { name: 'GetList', accessLevel: 'Read', resourceTypes: [{ name: 'list', required: true }], conditionKeys: [] },
      { name: 'ListLists', accessLevel: 'List', resourceTypes: [], conditionKeys: [] },
    ],
    resourceTypes: [{ name: 'list', arnPatterns: ['arn:${Partition}:todo:${Region}:${Account}:list/${ListId}'], conditionKeys: [] }],
    conditionKeys: [{ name: 'todo:Color', type: 'String' }],
  },
);

let catalog: CatalogView;
beforeAll(async () => {
  const aws = (await Promise.all(['s3', 'dynamodb', 'iam', 'sts'].map((p) => awsService(p)))) as CatalogService[];
  catalog = catalogViewOf([...aws, TODO], [...(await awsServicePrefixes()), 'todo']);
});

function policy(statement: Record<string, unknown>): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Resource: '*', ...statement }] }, null, 2);
}

function findings(text: string, kind: PolicyKind = 'identity'): readonly Finding[] {
  return parsePolicy(text, kind, { catalog }).findings;
}

function codes(list: readonly Finding[]): string[] {
  return list.map((f) => f.issueCode);
}

describe('unknown actions and services', () => {
  it('warns on s3:GetObjekt and suggests s3:GetObject; the policy still validates', () => {
    const text = policy({ Action: ['s3:GetObjekt', 's3:PutObject'] });
    const result = parsePolicy(text, 'identity', { catalog });
    expect(result.document).toBeDefined();
    expect(result.findings).toHaveLength(1);
    const [finding] = result.findings;
    expect(finding).toMatchObject({ findingType: 'WARNING', issueCode: 'UNKNOWN_ACTION', path: '$.Statement[0].Action[0]' });
    expect(finding!.message).toContain('did you mean "s3:GetObject"?');
    expect(finding!.line).toBeGreaterThan(1);
  });

  it('is silent without a catalog', () => {
    expect(parsePolicy(policy({ Action: 's3:GetObjekt' }), 'identity').findings).toEqual([]);
  });

  it('warns on an unknown service with the nearest prefix', () => {
    const [finding, ...rest] = findings(policy({ Action: 'dynamdb:GetItem' }));
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ findingType: 'WARNING', issueCode: 'INVALID_SERVICE_IN_ACTION' });
    expect(finding!.message).toContain('did you mean "dynamodb"?');
  });

  it('knows custom services, and suggests their actions', () => {
    expect(findings(policy({ Action: 'todo:GetList' }))).toEqual([]);
    const [finding] = findings(policy({ Action: 'todo:GetLists' }));
    expect(finding?.issueCode).toBe('UNKNOWN_ACTION');
    expect(finding?.message).toContain('did you mean "todo:GetList"?');
  });

  it('checks wildcard actions against the service, and NotAction too', () => {
    expect(findings(policy({ Action: 's3:Get*' }))).toEqual([]);
    expect(codes(findings(policy({ Action: 's3:Gte*' })))).toEqual(['UNKNOWN_ACTION']);
    expect(findings(policy({ Action: '*' }))).toEqual([]);
    expect(findings(policy({ Action: 's3*:Get*' }))).toEqual([]);
    const deny = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', NotAction: 'iam:GetUsr', Resource: '*' }] });
    expect(codes(findings(deny))).toEqual(['UNKNOWN_ACTION']);
  });

  it('matches action names in any case, as IAM does', () => {
    expect(findings(policy({ Action: 'S3:getobject' }))).toEqual([]);
  });
});

describe('condition keys', () => {
  it('warns on an unknown key of a known service and suggests the nearest', () => {
    const text = policy({ Action: 's3:ListBucket', Resource: 'arn:aws:s3:::b', Condition: { StringLike: { 's3:prefx': 'home/*' } } });
    const [finding, ...rest] = findings(text);
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ findingType: 'WARNING', issueCode: 'INVALID_SERVICE_CONDITION_KEY', path: "$.Statement[0].Condition.StringLike['s3:prefx']" });
    expect(finding!.message).toContain('did you mean "s3:prefix"?');
  });

  it('accepts known keys, tag-placeholder keys, global keys and keys of unknown issuers', () => {
    const text = policy({
      Action: 's3:GetObject',
      Resource: 'arn:aws:s3:::b/*',
      Condition: {
        StringEquals: { 's3:ExistingObjectTag/team': 'red', 'aws:PrincipalTag/team': 'red', 'token.actions.githubusercontent.com:sub': 'x' },
        StringLike: { 'todo:Color': 'blue' },
      },
    });
    expect(findings(text)).toEqual([]);
  });
});

describe('actions paired with resources they never take', () => {
  it('warns when no resource can be of the action’s types', () => {
    const [finding, ...rest] = findings(policy({ Action: ['s3:GetObject'], Resource: 'arn:aws:dynamodb:us-east-1:111122223333:table/Orders' }));
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ findingType: 'WARNING', issueCode: 'ACTION_RESOURCE_MISMATCH', path: '$.Statement[0].Action[0]' });
    expect(finding!.message).toContain('object');
  });

  it('accepts resources that fit, wildcards and policy variables included', () => {
    expect(findings(policy({ Action: 's3:GetObject', Resource: 'arn:aws:s3:::bucket/*' }))).toEqual([]);
    expect(findings(policy({ Action: 's3:GetObject', Resource: 'arn:aws:s3:::bucket/home/${aws:username}/*' }))).toEqual([]);
    expect(findings(policy({ Action: 'dynamodb:Query', Resource: 'arn:aws:dynamodb:*:*:table/Orders/index/*' }))).toEqual([]);
    expect(findings(policy({ Action: 'iam:GetUser', Resource: 'arn:aws:iam::111122223333:user/team/alice' }))).toEqual([]);
    expect(findings(policy({ Action: 'todo:GetList', Resource: 'arn:aws:todo:us-east-1:111122223333:list/groceries' }))).toEqual([]);
  });

  it('warns on a bucket-only action given only objects', () => {
    expect(codes(findings(policy({ Action: 's3:ListBucket', Resource: 'arn:aws:s3:::bucket/key.txt' })))).toEqual(['ACTION_RESOURCE_MISMATCH']);
  });

  it('warns on an action that takes only "*" given a specific resource', () => {
    const [finding] = findings(policy({ Action: 's3:ListAllMyBuckets', Resource: 'arn:aws:s3:::bucket' }));
    expect(finding?.issueCode).toBe('ACTION_RESOURCE_MISMATCH');
    expect(finding?.message).toContain('"*"');
  });

  it('leaves NotResource, "*" and wildcard actions alone', () => {
    expect(findings(policy({ Action: 's3:Get*', Resource: 'arn:aws:dynamodb:us-east-1:111122223333:table/T' }))).toEqual([]);
    const notResource = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 's3:GetObject', NotResource: 'arn:aws:dynamodb:::x' }] });
    expect(findings(notResource)).toEqual([]);
  });
});

describe('servicePrefixesOf', () => {
  it('lists the prefixes of actions and service condition keys, lower case', () => {
    const text = policy({ Action: ['S3:GetObject', 'todo:*', '*', 's3*:x'], Condition: { StringEquals: { 'aws:username': 'a', 'dynamodb:LeadingKeys': 'k' } } });
    expect(servicePrefixesOf(text).sort()).toEqual(['dynamodb', 's3', 'todo']);
    expect(servicePrefixesOf('not json')).toEqual([]);
  });
});
