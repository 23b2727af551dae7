/**
 * OIDC provider updates are guarded like every IAM write: the provider's tags are
 * aws:ResourceTag/* and the tags being set are aws:RequestTag/* and aws:TagKeys, so a Deny on them
 * holds, and a refused call changes nothing. A federated-user session (GetFederationToken) cannot
 * touch providers even when its user's and its session's policies both allow iam:*.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../support/server.ts';
import { accessKeyFor, ACCOUNT, bearer, createUser, ok, ROOT, startIdentityServer } from '../identity/support/server.ts';

const ARN = `arn:aws:iam::${ACCOUNT}:oidc-provider/guarded.example.com`;
const ADD = `mutation($i: AddClientIDToOpenIDConnectProviderInput!) { r: addClientIDToOpenIDConnectProvider(input: $i) { __typename } }`;
const TAG = `mutation($i: TagOpenIDConnectProviderInput!) { r: tagOpenIDConnectProvider(input: $i) { __typename } }`;
const READ = `query { openIDConnectProvider(openIDConnectProviderArn: "${ARN}") { clientIdList tags { key } } }`;

describe('OIDC provider updates under the guard', () => {
  let server: TestServer;
  let admin: string;

  beforeAll(async () => {
    server = await startIdentityServer();
    await ok(server, ROOT, 'mutation { createOpenIDConnectProvider(input: { url: "https://guarded.example.com", clientIdList: ["app"], tags: [{ key: "protected", value: "yes" }] }) { __typename } }');
    await createUser(server, 'provider-admin', {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: ['iam:*', 'sts:GetFederationToken'], Resource: '*' },
        { Effect: 'Deny', Action: 'iam:AddClientIDToOpenIDConnectProvider', Resource: '*', Condition: { StringEquals: { 'aws:ResourceTag/protected': 'yes' } } },
        { Effect: 'Deny', Action: 'iam:TagOpenIDConnectProvider', Resource: '*', Condition: { 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['owner'] } } },
      ],
    });
    admin = (await accessKeyFor(server, 'provider-admin')).header;
  }, 60_000);
  afterAll(() => server.dispose());

  it('a Deny on aws:ResourceTag/protected keeps client ids of a tagged provider', async () => {
    expect((await ok(server, admin, ADD, { i: { openIDConnectProviderArn: ARN, clientID: 'intruder' } }))['r'].__typename).toBe('AccessDenied');
    expect((await ok(server, ROOT, READ))['openIDConnectProvider'].clientIdList).toEqual(['app']);
  });

  it('a Deny on aws:TagKeys stops tagging with that key, and allows others', async () => {
    expect((await ok(server, admin, TAG, { i: { openIDConnectProviderArn: ARN, tags: [{ key: 'owner', value: 'me' }] } }))['r'].__typename).toBe('AccessDenied');
    expect((await ok(server, admin, TAG, { i: { openIDConnectProviderArn: ARN, tags: [{ key: 'team', value: 'x' }] } }))['r'].__typename).toBe('TagOpenIDConnectProviderSuccess');
    expect((await ok(server, ROOT, READ))['openIDConnectProvider'].tags.map((t: { key: string }) => t.key)).toEqual(['protected', 'team']);
  });

  it('a federated-user session cannot update a provider, though both its policies allow iam:*', async () => {
    const issued = await ok(server, admin, 'mutation($i: GetFederationTokenInput!) { getFederationToken(input: $i) { ... on GetFederationTokenSuccess { credentials { sessionToken } } } }', {
      i: { name: 'fed-admin', policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:*', Resource: '*' }] }) },
    });
    const session = bearer(issued['getFederationToken'].credentials.sessionToken);
    expect((await ok(server, session, TAG, { i: { openIDConnectProviderArn: ARN, tags: [{ key: 'sneaky', value: 'x' }] } }))['r'].__typename).toBe('AccessDenied');
    expect((await ok(server, ROOT, READ))['openIDConnectProvider'].tags.map((t: { key: string }) => t.key)).toEqual(['protected', 'team']);
  });
});
