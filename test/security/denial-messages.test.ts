/**
 * Issue 13 (low): a denial must say nothing the caller could not already learn. Operations that
 * name a principal are decided on its stored ARN (path included, so path-scoped policies work),
 * but a caller who may not read the principal gets the same answer whether it exists or not, and
 * never its path. Each case asks once before the entity exists and once after, and compares.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../support/server.ts';
import { ACCOUNT, ROOT, accessKeyFor, createRole, createUser, ok, send, startIdentityServer } from '../identity/support/server.ts';

const SIMULATE_SELF = { Effect: 'Allow', Action: 'iam:SimulatePrincipalPolicy', Resource: `arn:aws:iam::${ACCOUNT}:user/\${aws:username}` };
// Path-scoped: only the contractors' users may be tagged, and never deleted.
const TAG_CONTRACTORS = { Effect: 'Allow', Action: 'iam:TagUser', Resource: `arn:aws:iam::${ACCOUNT}:user/contractors/*` };
const NO_DELETING_CONTRACTORS = { Sid: 'KeepContractors', Effect: 'Deny', Action: 'iam:DeleteUser', Resource: `arn:aws:iam::${ACCOUNT}:user/contractors/*` };
const READ_PAT = { Effect: 'Allow', Action: 'iam:GetUser', Resource: `arn:aws:iam::${ACCOUNT}:user/contractors/pat` };

/** Everything a refused mutation's AccessDenied member can show. */
const DENIAL = `__typename ... on AccessDenied { code message action resource explanation {
  decision missingContextValues
  matchedStatements { sourcePolicyId policyName statementIndex sid effect layer }
  nearMisses { failedPart conditionOperator conditionKey statement { sourcePolicyId policyName statementIndex sid effect layer } }
} }`;

/** Operations that name a principal the caller may not touch, with what each must not reveal. */
const PROBES: Array<{ name: string; query: string }> = [
  { name: 'user (GetUser)', query: '{ user(userName: "mallory") { arn } }' },
  { name: 'deleteUser (a Deny on the path)', query: `mutation { deleteUser(input: { userName: "mallory" }) { ${DENIAL} } }` },
  { name: 'accessKeys (ListAccessKeys)', query: '{ accessKeys(userName: "mallory") { accessKeyId } }' },
  { name: 'addUserToGroup (on the group)', query: `mutation { addUserToGroup(input: { groupName: "auditors", userName: "x" }) { ${DENIAL} } }` },
  { name: 'attachRolePolicy (on the role)', query: `mutation { attachRolePolicy(input: { roleName: "deployer", policyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess" }) { ${DENIAL} } }` },
];

/** What a client sees of a denial: the data (a mutation's AccessDenied member), and every error's message and extensions. */
async function answer(server: TestServer, authorization: string, query: string): Promise<unknown> {
  const response = await send(server, authorization, query);
  return { status: response.status, data: response.body.data, errors: response.body.errors?.map((e) => ({ message: e.message, path: e.path, extensions: e.extensions })) };
}

describe('denial messages reveal neither existence nor path', () => {
  let server: TestServer;
  let eve: string;
  let viewer: string;
  const before = new Map<string, unknown>();

  beforeAll(async () => {
    server = await startIdentityServer();
    await createUser(server, 'eve', { Version: '2012-10-17', Statement: [SIMULATE_SELF, TAG_CONTRACTORS, NO_DELETING_CONTRACTORS] });
    await createUser(server, 'viewer', { Version: '2012-10-17', Statement: [READ_PAT] });
    eve = (await accessKeyFor(server, 'eve')).header;
    viewer = (await accessKeyFor(server, 'viewer')).header;
    // Ask everything while nothing of that name exists …
    for (const probe of PROBES) before.set(probe.name, await answer(server, eve, probe.query));
    // … then create the entities, under paths the caller cannot see.
    await ok(server, ROOT, 'mutation { createUser(input: { userName: "mallory", path: "/contractors/" }) { __typename } }');
    await ok(server, ROOT, 'mutation { createUser(input: { userName: "pat", path: "/contractors/" }) { __typename } }');
    await ok(server, ROOT, 'mutation { createGroup(input: { groupName: "auditors", path: "/secret/" }) { __typename } }');
    await createRole(server, 'deployer', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] }, { path: '/svc/' });
  }, 60_000);
  afterAll(async () => {
    await server.dispose();
  });

  for (const probe of PROBES) {
    it(`${probe.name}: the same answer whether the entity exists or not, without its path`, async () => {
      const after = await answer(server, eve, probe.query);
      const text = JSON.stringify(after);
      expect(text).toContain('ACCESS_DENIED');
      expect(text).not.toMatch(/contractors|secret|svc/);
      expect(after).toEqual(before.get(probe.name));
    });
  }

  it('the decision is still taken on the stored ARN: path-scoped policies keep working', async () => {
    const tagged = await ok(server, eve, 'mutation { tagUser(input: { userName: "mallory", tags: [{ key: "team", value: "x" }] }) { __typename } }');
    expect(tagged['tagUser'].__typename).toBe('TagUserSuccess');
    // The Deny on user/contractors/* decides, yet the denial names user/mallory.
    const deleted = await send(server, eve, `mutation { deleteUser(input: { userName: "mallory" }) { ${DENIAL} } }`);
    const denial = deleted.body.data?.['deleteUser'] as Record<string, unknown>;
    expect(denial).toMatchObject({ __typename: 'AccessDenied', code: 'ACCESS_DENIED', resource: `arn:aws:iam::${ACCOUNT}:user/mallory` });
    // Explained as for a missing user (eve may simulate her own policies), so the Deny's match stays hidden.
    expect(denial['explanation']).toMatchObject({ decision: 'IMPLICIT_DENY', matchedStatements: [] });
    const user = await ok(server, ROOT, '{ user(userName: "mallory") { arn } }');
    expect(user['user'].arn).toBe(`arn:aws:iam::${ACCOUNT}:user/contractors/mallory`);
  });

  it('a caller who may read the entity is told its real ARN', async () => {
    const denied = await send(server, viewer, `mutation { deleteUser(input: { userName: "pat" }) { ${DENIAL} } }`);
    expect(denied.body.data?.['deleteUser']).toMatchObject({ __typename: 'AccessDenied', resource: `arn:aws:iam::${ACCOUNT}:user/contractors/pat` });
  });
});
