/**
 * OIDC provider updates over HTTP: client ids, thumbprints and tags with IAM's rules, each
 * refusal a typed error naming the field that changes nothing, and each change one change-log row.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changeLog } from '../../src/db/schema/change-log.ts';
import type { TestServer } from '../support/server.ts';
import { ACCOUNT, ok, ROOT, startIdentityServer } from './support/server.ts';

const ARN = `arn:aws:iam::${ACCOUNT}:oidc-provider/updates.example.com`;
const RESULT = `__typename ... on ResultError { code message } ... on ValidationError { field }
  ... on WriteSuccess { revision } `;
const PROVIDER = 'openIDConnectProvider { clientIdList thumbprintList tags { key value } }';
const ADD = `mutation($i: AddClientIDToOpenIDConnectProviderInput!) { r: addClientIDToOpenIDConnectProvider(input: $i) { ${RESULT} ... on AddClientIDToOpenIDConnectProviderSuccess { ${PROVIDER} } } }`;
const REMOVE = `mutation($i: RemoveClientIDFromOpenIDConnectProviderInput!) { r: removeClientIDFromOpenIDConnectProvider(input: $i) { ${RESULT} ... on RemoveClientIDFromOpenIDConnectProviderSuccess { ${PROVIDER} } } }`;
const THUMBPRINT = `mutation($i: UpdateOpenIDConnectProviderThumbprintInput!) { r: updateOpenIDConnectProviderThumbprint(input: $i) { ${RESULT} ... on UpdateOpenIDConnectProviderThumbprintSuccess { ${PROVIDER} } } }`;
const TAG = `mutation($i: TagOpenIDConnectProviderInput!) { r: tagOpenIDConnectProvider(input: $i) { ${RESULT} ... on TagOpenIDConnectProviderSuccess { ${PROVIDER} } } }`;
const UNTAG = `mutation($i: UntagOpenIDConnectProviderInput!) { r: untagOpenIDConnectProvider(input: $i) { ${RESULT} ... on UntagOpenIDConnectProviderSuccess { ${PROVIDER} } } }`;
const TAGS = `query($arn: String!) { openIDConnectProviderTags(openIDConnectProviderArn: $arn) { key value } }`;
const READ = `query($arn: String!) { openIDConnectProvider(openIDConnectProviderArn: $arn) { clientIdList thumbprintList } }`;

describe('OpenID Connect provider updates', () => {
  let server: TestServer;
  const run = async (query: string, input: Record<string, unknown>) => (await ok(server, ROOT, query, { i: { openIDConnectProviderArn: ARN, ...input } }))['r'];
  const kinds = async () =>
    (await server.running.app.database.db.select({ kind: changeLog.kind }).from(changeLog).where(eq(changeLog.entityArn, ARN)).orderBy(changeLog.revision)).map((r) => r.kind);
  const read = async () => (await ok(server, ROOT, READ, { arn: ARN }))['openIDConnectProvider'];

  beforeAll(async () => {
    server = await startIdentityServer();
    await ok(server, ROOT, 'mutation($i: CreateOpenIDConnectProviderInput!) { createOpenIDConnectProvider(input: $i) { __typename } }', {
      i: { url: 'https://updates.example.com', clientIdList: ['first'] },
    });
  }, 60_000);
  afterAll(() => server.dispose());

  it('adds and removes client ids idempotently, logging only real changes', async () => {
    expect(await run(ADD, { clientID: 'second' })).toMatchObject({ __typename: 'AddClientIDToOpenIDConnectProviderSuccess', openIDConnectProvider: { clientIdList: ['first', 'second'] } });
    expect(await run(ADD, { clientID: 'second' })).toMatchObject({ openIDConnectProvider: { clientIdList: ['first', 'second'] } });
    expect(await run(REMOVE, { clientID: 'first' })).toMatchObject({ openIDConnectProvider: { clientIdList: ['second'] } });
    expect(await run(REMOVE, { clientID: 'never-there' })).toMatchObject({ openIDConnectProvider: { clientIdList: ['second'] } });
    expect(await kinds()).toEqual(['OpenIDConnectProviderCreated', 'OpenIDConnectProviderClientIDAdded', 'OpenIDConnectProviderClientIDRemoved']);
  });

  it('refuses a client id outside 1-255 characters and a 101st client id, changing nothing', async () => {
    expect(await run(ADD, { clientID: 'x'.repeat(256) })).toMatchObject({ __typename: 'ValidationError', field: 'input.clientID' });
    expect(await run(ADD, { clientID: '' })).toMatchObject({ __typename: 'ValidationError', field: 'input.clientID' });
    for (let i = 0; i < 99; i++) await run(ADD, { clientID: `app-${i}` });
    expect((await read()).clientIdList).toHaveLength(100);
    expect(await run(ADD, { clientID: 'one-too-many' })).toMatchObject({ __typename: 'LimitExceeded', code: 'LIMIT_EXCEEDED' });
    expect((await read()).clientIdList).toHaveLength(100);
    for (let i = 0; i < 99; i++) await run(REMOVE, { clientID: `app-${i}` });
  });

  it('replaces the thumbprint list, and refuses malformed or too many thumbprints', async () => {
    const good = ['0123456789abcdef0123456789abcdef01234567', 'A'.repeat(40)];
    expect(await run(THUMBPRINT, { thumbprintList: good })).toMatchObject({ openIDConnectProvider: { thumbprintList: good } });
    expect(await run(THUMBPRINT, { thumbprintList: ['g'.repeat(40)] })).toMatchObject({ __typename: 'ValidationError', field: 'input.thumbprintList[0]' });
    expect(await run(THUMBPRINT, { thumbprintList: ['a'.repeat(39)] })).toMatchObject({ __typename: 'ValidationError', field: 'input.thumbprintList[0]' });
    expect(await run(THUMBPRINT, { thumbprintList: Array.from({ length: 6 }, (_, i) => String(i).repeat(40)) })).toMatchObject({
      __typename: 'ValidationError',
      field: 'input.thumbprintList',
    });
    expect((await read()).thumbprintList).toEqual(good);
    expect((await kinds()).filter((k) => k === 'OpenIDConnectProviderThumbprintUpdated')).toHaveLength(1);
  });

  it('tags, lists and untags with AWS tag rules', async () => {
    expect(await run(TAG, { tags: [{ key: 'Team', value: 'a' }, { key: 'env', value: 'prod' }] })).toMatchObject({
      openIDConnectProvider: { tags: [{ key: 'Team', value: 'a' }, { key: 'env', value: 'prod' }] },
    });
    await run(TAG, { tags: [{ key: 'team', value: 'b' }] });
    expect((await ok(server, ROOT, TAGS, { arn: ARN }))['openIDConnectProviderTags']).toEqual([{ key: 'team', value: 'b' }, { key: 'env', value: 'prod' }]);
    expect(await run(TAG, { tags: [{ key: 'aws:reserved', value: 'x' }] })).toMatchObject({ __typename: 'ValidationError', field: 'input.tags[0].key' });
    expect(await run(TAG, { tags: Array.from({ length: 49 }, (_, i) => ({ key: `k${i}`, value: '' })) })).toMatchObject({ __typename: 'LimitExceeded' });
    expect(await run(UNTAG, { tagKeys: ['TEAM', 'absent'] })).toMatchObject({ openIDConnectProvider: { tags: [{ key: 'env', value: 'prod' }] } });
    expect((await kinds()).slice(-3)).toEqual(['OpenIDConnectProviderTagged', 'OpenIDConnectProviderTagged', 'OpenIDConnectProviderUntagged']);
  });

  it('answers NoSuchEntity for an unknown provider and ValidationError for a malformed ARN', async () => {
    const other = `arn:aws:iam::${ACCOUNT}:oidc-provider/none.example.com`;
    const none = await ok(server, ROOT, ADD, { i: { openIDConnectProviderArn: other, clientID: 'x' } });
    expect(none['r']).toMatchObject({ __typename: 'NoSuchEntity' });
    const bad = await ok(server, ROOT, TAG, { i: { openIDConnectProviderArn: 'not-an-arn', tags: [] } });
    expect(bad['r']).toMatchObject({ __typename: 'ValidationError', field: 'input.openIDConnectProviderArn' });
    expect((await ok(server, ROOT, TAGS, { arn: other }))['openIDConnectProviderTags']).toBeNull();
  });
});
