/**
 * Issue 13, item 6: a trust policy trusts the principal it named when it was saved, by unique id,
 * as AWS stores it: a user (or role) deleted and created again under the same name is not trusted,
 * and the policy then reads back with the old unique id where the ARN was.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../support/server.ts';
import { ACCOUNT, accessKeyFor, allow, bearer, createRole, createUser, errorCode, ok, putRolePolicy, ROOT, send, startIdentityServer } from '../identity/support/server.ts';

const ASSUME = `mutation($i: AssumeRoleInput!) { assumeRole(input: $i) {
  __typename ... on AssumeRoleSuccess { credentials { sessionToken } } ... on ResultError { code message } } }`;
const ROLE = 'query($n: String!) { role(roleName: $n) { assumeRolePolicyDocument } }';
const USER_ID = 'query($n: String!) { user(userName: $n) { userId } }';

const userArn = (name: string) => `arn:aws:iam::${ACCOUNT}:user/${name}`;
const roleArn = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;
const trust = (aws: string) => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: aws }, Action: 'sts:AssumeRole' }] });

describe('trust policies name principals by unique id', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startIdentityServer();
  }, 60_000);
  afterAll(async () => {
    await server.dispose();
  });

  const assume = async (auth: string, role: string) => {
    const response = await send(server, auth, ASSUME, { i: { roleArn: roleArn(role), roleSessionName: 'trust-test' } });
    const code = errorCode(response);
    return (code === undefined ? response.body.data?.['assumeRole'] : { __typename: code }) as Record<string, any>;
  };
  const document = async (role: string) => (await ok(server, ROOT, ROLE, { n: role }))['role'].assumeRolePolicyDocument as string;
  const root = async (query: string, i: object) => {
    const data = await ok(server, ROOT, query, { i });
    return Object.values(data)[0] as Record<string, any>;
  };
  const deleteUserWithKey = async (userName: string, accessKeyId: string) => {
    expect((await root('mutation($i: DeleteAccessKeyInput!) { deleteAccessKey(input: $i) { __typename } }', { userName, accessKeyId })).__typename).toBe('DeleteAccessKeySuccess');
    expect((await root('mutation($i: DeleteUserInput!) { deleteUser(input: $i) { __typename } }', { userName })).__typename).toBe('DeleteUserSuccess');
  };

  it('a user created again under a trusted name is not trusted; the policy then shows the old unique id', async () => {
    await createUser(server, 'xavier');
    const oldId = (await ok(server, ROOT, USER_ID, { n: 'xavier' }))['user'].userId as string;
    const first = await accessKeyFor(server, 'xavier');
    const submitted = JSON.stringify(trust(userArn('xavier')), null, 2);
    const created = await root('mutation($i: CreateRoleInput!) { createRole(input: $i) { __typename } }', { roleName: 'TrustsXavier', assumeRolePolicyDocument: submitted });
    expect(created.__typename).toBe('CreateRoleSuccess');
    expect(await document('TrustsXavier')).toBe(submitted);
    expect((await assume(first.header, 'TrustsXavier')).__typename).toBe('AssumeRoleSuccess');

    await deleteUserWithKey('xavier', first.accessKeyId);
    await createUser(server, 'xavier');
    const second = await accessKeyFor(server, 'xavier');
    const refused = await assume(second.header, 'TrustsXavier');
    expect(refused).toMatchObject({ __typename: 'ACCESS_DENIED' });

    // Read back: the deleted user's unique id stands where its ARN was, and nothing else changed.
    const shown = await document('TrustsXavier');
    expect(shown).toBe(submitted.replace(JSON.stringify(userArn('xavier')), JSON.stringify(oldId)));
    expect(shown).not.toContain(userArn('xavier'));

    // Naming the new user again (a new save) trusts the new user.
    const updated = await root('mutation($i: UpdateAssumeRolePolicyInput!) { updateAssumeRolePolicy(input: $i) { __typename } }', {
      roleName: 'TrustsXavier',
      policyDocument: JSON.stringify(trust(userArn('xavier'))),
    });
    expect(updated.__typename).toBe('UpdateAssumeRolePolicySuccess');
    expect((await assume(second.header, 'TrustsXavier')).__typename).toBe('AssumeRoleSuccess');
  });

  it('a role created again under a trusted name is not trusted', async () => {
    await createUser(server, 'yara', allow('sts:AssumeRole'));
    const yara = await accessKeyFor(server, 'yara');
    const makeHop = async () => {
      await createRole(server, 'Hop', trust(userArn('yara')));
      await putRolePolicy(server, 'Hop', 'MayAssume', allow('sts:AssumeRole'));
    };
    await makeHop();
    await createRole(server, 'TrustsHop', trust(roleArn('Hop')));
    const hop = bearer((await assume(yara.header, 'Hop'))['credentials'].sessionToken);
    expect((await assume(hop, 'TrustsHop')).__typename).toBe('AssumeRoleSuccess');

    expect((await root('mutation($i: DeleteRolePolicyInput!) { deleteRolePolicy(input: $i) { __typename } }', { roleName: 'Hop', policyName: 'MayAssume' })).__typename).toBe('DeleteRolePolicySuccess');
    expect((await root('mutation($i: DeleteRoleInput!) { deleteRole(input: $i) { __typename } }', { roleName: 'Hop' })).__typename).toBe('DeleteRoleSuccess');
    await makeHop();
    const newHop = bearer((await assume(yara.header, 'Hop'))['credentials'].sessionToken);
    expect((await assume(newHop, 'TrustsHop')).__typename).toBe('ACCESS_DENIED');
    expect(await document('TrustsHop')).toMatch(/"AROA[A-Z2-7]+"/);
  });

  it('a trust policy naming a user that does not exist in the account is refused', async () => {
    const response = await send(server, ROOT, 'mutation($i: CreateRoleInput!) { createRole(input: $i) { __typename ... on ResultError { message } } }', {
      i: { roleName: 'TrustsNobody', assumeRolePolicyDocument: JSON.stringify(trust(userArn('not-yet-created'))) },
    });
    expect(response.body.data?.['createRole']).toMatchObject({ __typename: 'MalformedPolicyDocument', message: expect.stringContaining('invalid principal') });
    // A role may name itself in its own trust policy.
    await createRole(server, 'Selfie', trust(roleArn('Selfie')));
    expect(await document('Selfie')).toContain(roleArn('Selfie'));
  });
});
