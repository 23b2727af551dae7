/**
 * The cross-account story of issue 15, end to end over the API on one server (PGlite, and
 * PostgreSQL with TEST_DATABASE_URL), every step through GraphQL as AWS users would take it:
 * - the management account's administrator creates member account B and reaches B's IAM only
 *   through B's OrganizationAccountAccessRole, where it creates bob and his access key;
 * - bob assumes a role of the management account that trusts B, and acts there;
 * - an SCP denying sts:AssumeRole, attached to the OU that B is moved into, stops that at once:
 *   bob's decisionChanged watch flips and his next assumeRole is refused;
 * - detaching the SCP restores both.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../support/server.ts';
import { collect, connect, type Collected, type WsClient } from '../live/support/servers.ts';
import { ACCOUNT, accessKeyFor, allow, basic, bearer, createRole, createUser, ok, putRolePolicy, ROOT, send, startIdentityServer, write } from './support/server.ts';

const SHARED_ROLE = `arn:aws:iam::${ACCOUNT}:role/SharedWithB`;
const DENY_ASSUME_ROLE = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'NoAssumeRole', Effect: 'Deny', Action: 'sts:AssumeRole', Resource: '*' }] });

const ASSUME = `mutation($i: AssumeRoleInput!) { assumeRole(input: $i) { __typename
  ... on AssumeRoleSuccess { credentials { sessionToken } assumedRoleUser { arn } }
  ... on AccessDenied { action message } ... on ResultError { message } } }`;

describe('a member account reaches the management account through a role, and an SCP on its OU governs that', () => {
  let server: TestServer;
  let admin: string;
  let memberAccount: string;
  let rootId: string;
  let bob: string;
  let ws: WsClient;
  let watch: Collected;

  const assumeAs = async (authorization: string, roleArn: string, roleSessionName: string): Promise<Record<string, any> | undefined> =>
    ((await send(server, authorization, ASSUME, { i: { roleArn, roleSessionName } })).body.data as Record<string, any> | undefined)?.['assumeRole'];
  const assume = () => assumeAs(bob, SHARED_ROLE, 'bob-in-a');
  /** The watch's latest result for its one check. */
  const watched = () => watch.values.at(-1)?.decisionChanged.result;

  beforeAll(async () => {
    server = await startIdentityServer({ LOG_LEVEL: 'warn' });
    // The management account's administrator (the root user cannot assume roles).
    await createUser(server, 'admin', allow('*'));
    admin = (await accessKeyFor(server, 'admin')).header;

    const created = await write(server, admin, 'mutation($i: CreateAccountInput!) { createAccount(input: $i) { __typename ... on CreateAccountSuccess { revision roleArn account { id } } ... on ResultError { message } } }', {
      i: { accountName: 'Team B', email: 'team-b@example.com' },
    });
    memberAccount = created['account'].id;
    expect(created['roleArn']).toBe(`arn:aws:iam::${memberAccount}:role/OrganizationAccountAccessRole`);
    rootId = (await ok(server, admin, '{ organizationRoots { id } }'))['organizationRoots'][0].id;

    // Into B through the role createAccount made there, to create bob.
    const intoB = await assumeAs(admin, created['roleArn'], 'setup');
    expect(intoB?.__typename, JSON.stringify(intoB)).toBe('AssumeRoleSuccess');
    const asAdminOfB = bearer(intoB!['credentials'].sessionToken);
    await write(server, asAdminOfB, 'mutation { createUser(input: { userName: "bob" }) { __typename ... on WriteSuccess { revision } ... on ResultError { message } } }', {});
    await write(server, asAdminOfB, 'mutation($d: String!) { putUserPolicy(input: { userName: "bob", policyName: "AssumeShared", policyDocument: $d }) { __typename ... on WriteSuccess { revision } ... on ResultError { message } } }', {
      d: JSON.stringify(allow(['sts:AssumeRole', 'iam:DecisionChanged', 'iam:Authorize'], '*')),
    });
    const key = await ok(server, asAdminOfB, 'mutation { createAccessKey(input: { userName: "bob" }) { ... on CreateAccessKeySuccess { secretAccessKey accessKey { accessKeyId } } } }');
    bob = basic(key['createAccessKey'].accessKey.accessKeyId, key['createAccessKey'].secretAccessKey);

    // The management account's role that trusts account B, allowed to list its users.
    const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${memberAccount}:root` }, Action: 'sts:AssumeRole' }] };
    await createRole(server, 'SharedWithB', trust);
    await putRolePolicy(server, 'SharedWithB', 'ListUsers', allow('iam:ListUsers'));

    // bob watches his own question: may he assume the role, given a policy on it that grants B as the trust policy does?
    ws = connect(server, bob);
    watch = collect(ws, 'subscription($c: [AuthorizeInput!]!) { decisionChanged(checks: $c) { index result { __typename ... on Decision { allowed decision } ... on ResultError { message } } } }', {
      c: [{ action: 'sts:AssumeRole', resourceArn: SHARED_ROLE, resourcePolicy: JSON.stringify({ ...trust, Statement: [{ ...trust.Statement[0], Resource: SHARED_ROLE }] }) }],
    });
    await watch.waitFor(1, 10_000);
  }, 180_000);

  afterAll(async () => {
    await ws?.dispose();
    await server?.dispose();
  });

  it("bob of account B assumes the management account's role that trusts B, and acts there", async () => {
    expect(watched()).toEqual({ __typename: 'Decision', allowed: true, decision: 'ALLOWED' });
    const assumed = await assume();
    expect(assumed?.__typename, JSON.stringify(assumed)).toBe('AssumeRoleSuccess');
    expect(assumed!['assumedRoleUser'].arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/SharedWithB/bob-in-a`);
    const users = await ok(server, bearer(assumed!['credentials'].sessionToken), '{ users(first: 50) { edges { node { userName } } } }');
    expect(users['users'].edges.map((e: { node: { userName: string } }) => e.node.userName)).toContain('admin');
  });

  it("an SCP denying sts:AssumeRole on B's OU flips bob's watch and refuses his next assumeRole; detaching restores both", async () => {
    const ou = await write(server, admin, 'mutation($i: CreateOrganizationalUnitInput!) { createOrganizationalUnit(input: $i) { __typename ... on CreateOrganizationalUnitSuccess { revision organizationalUnit { id } } ... on ResultError { message } } }', {
      i: { parentId: rootId, name: 'Restricted' },
    });
    const ouId: string = ou['organizationalUnit'].id;
    await write(server, admin, 'mutation($i: MoveAccountInput!) { moveAccount(input: $i) { __typename ... on MoveAccountSuccess { revision } ... on ResultError { message } } }', {
      i: { accountId: memberAccount, sourceParentId: rootId, destinationParentId: ouId },
    });
    // Moving under an OU that allows everything (FullAWSAccess) changes nothing.
    expect((await assume())?.__typename).toBe('AssumeRoleSuccess');
    const seen = watch.values.length;

    const scp = await write(server, admin, 'mutation($i: CreateOrganizationPolicyInput!) { createOrganizationPolicy(input: $i) { __typename ... on CreateOrganizationPolicySuccess { revision policy { id } } ... on ResultError { message } } }', {
      i: { name: 'NoAssumeRole', type: 'SERVICE_CONTROL_POLICY', content: DENY_ASSUME_ROLE },
    });
    const policyId: string = scp['policy'].id;
    await write(server, admin, 'mutation($i: AttachOrganizationPolicyInput!) { attachOrganizationPolicy(input: $i) { __typename ... on AttachOrganizationPolicySuccess { revision } ... on ResultError { message } } }', {
      i: { policyId, targetId: ouId },
    });
    await watch.waitFor(seen + 1, 10_000);
    expect(watched()).toEqual({ __typename: 'Decision', allowed: false, decision: 'EXPLICIT_DENY' });
    const refused = await assume();
    expect(refused, JSON.stringify(refused)).toMatchObject({ __typename: 'AccessDenied', action: 'sts:AssumeRole' });
    // The management account is never bound by SCPs: its admin still assumes roles of its own account.
    const ownRole = await createRole(server, 'AdminOwn', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' }] });
    expect((await assumeAs(admin, ownRole, 'own'))?.__typename).toBe('AssumeRoleSuccess');

    const flipped = watch.values.length;
    await write(server, admin, 'mutation($i: DetachOrganizationPolicyInput!) { detachOrganizationPolicy(input: $i) { __typename ... on DetachOrganizationPolicySuccess { revision } ... on ResultError { message } } }', {
      i: { policyId, targetId: ouId },
    });
    await watch.waitFor(flipped + 1, 10_000);
    expect(watched()).toEqual({ __typename: 'Decision', allowed: true, decision: 'ALLOWED' });
    expect((await assume())?.__typename).toBe('AssumeRoleSuccess');
  });
});
