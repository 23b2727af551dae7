/**
 * Cross-account access over the wire (issue 15, item 3), on a real HTTP server holding two
 * accounts: A (the bootstrap account) and B (a second account with its user `bob`). As AWS does it:
 * - a role of A whose trust policy names B (the user, or the account) may be assumed by bob only
 *   when bob's own identity policy in B also allows `sts:AssumeRole` on that role's ARN; the
 *   session then acts in A with what the role allows, and nothing more;
 * - a resource A registered with a resource policy granting bob: bob's `authorize` on it is
 *   ALLOWED only when both A's resource policy and bob's identity policy allow, and bob cannot
 *   read A's resource registry itself.
 * Runs on PGlite, and on PostgreSQL with TEST_DATABASE_URL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrapAccount } from '../../src/iam/bootstrap.ts';
import type { GqlResponse, TestServer } from '../support/server.ts';
import { collect, connect } from '../live/support/servers.ts';
import { ACCOUNT, allow, basic, bearer, createRole, createUser, ok, putRolePolicy, ROOT, send, startIdentityServer } from './support/server.ts';

const B = '777788889999';
const B_ROOT = basic('AKIACROSSWIREBROOT01', 'cross-wire-b-root-secret-0123456789');
const BOB = `arn:aws:iam::${B}:user/bob`;
const role = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;
const BUCKET = 'arn:aws:s3:::cross-wire-shared';

const ASSUME = `mutation($i: AssumeRoleInput!) { assumeRole(input: $i) { __typename
  ... on AssumeRoleSuccess { credentials { sessionToken } assumedRoleUser { arn } }
  ... on AccessDenied { action message } ... on ResultError { message } } }`;
const AUTHORIZE = `mutation($i: AuthorizeInput!) { authorize(input: $i) { __typename
  ... on Decision { decision matchedStatements { sourcePolicyType } nearMisses { statement { sourcePolicyType } } } ... on ResultError { message } } }`;

function trust(principal: string): object {
  return { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: principal }, Action: 'sts:AssumeRole' }] };
}

describe('cross-account access over the wire', () => {
  let server: TestServer;
  let bob: string;

  /** Waits until the server has applied the write that committed `revision` (its caches reflect it). */
  async function applied(revision: string): Promise<void> {
    expect(await server.running.app.changes.bus.waitForRevision(BigInt(revision), 10_000)).toBe(true);
  }

  /** Puts bob's only inline policy (as B's root), or deletes it when `policy` is undefined. */
  async function bobMayDo(policy: object | undefined): Promise<void> {
    const query =
      policy === undefined
        ? 'mutation { deleteUserPolicy(input: { userName: "bob", policyName: "Grant" }) { __typename ... on WriteSuccess { revision } } }'
        : 'mutation($d: String!) { putUserPolicy(input: { userName: "bob", policyName: "Grant", policyDocument: $d }) { __typename ... on WriteSuccess { revision } } }';
    const data = await ok(server, B_ROOT, query, policy === undefined ? {} : { d: JSON.stringify(policy) });
    const result = Object.values(data)[0] as { __typename: string; revision: string };
    expect(result.__typename).toMatch(/Success$/);
    await applied(result.revision);
  }

  const assume = (roleArn: string) => send(server, bob, ASSUME, { i: { roleArn, roleSessionName: 'bob' } }) as Promise<GqlResponse<Record<string, any>>>;

  beforeAll(async () => {
    server = await startIdentityServer({ LOG_LEVEL: 'warn' });
    await bootstrapAccount(server.running.app.database, { accountId: B, rootAccessKey: { accessKeyId: 'AKIACROSSWIREBROOT01', secret: 'cross-wire-b-root-secret-0123456789' } });
    const created = await ok(server, B_ROOT, 'mutation { createUser(input: { userName: "bob" }) { __typename } }');
    expect(created['createUser'].__typename).toBe('CreateUserSuccess');
    const key = await ok(server, B_ROOT, 'mutation { createAccessKey(input: { userName: "bob" }) { ... on CreateAccessKeySuccess { secretAccessKey accessKey { accessKeyId } } } }');
    bob = basic(key['createAccessKey'].accessKey.accessKeyId, key['createAccessKey'].secretAccessKey);

    // Account A: users to list, roles that trust bob, B as a whole, or nobody in B.
    await createUser(server, 'alice');
    await createRole(server, 'TrustsBob', trust(BOB));
    await createRole(server, 'TrustsAccountB', trust(`arn:aws:iam::${B}:root`));
    await createRole(server, 'TrustsOnlyA', trust(`arn:aws:iam::${ACCOUNT}:root`));
    for (const name of ['TrustsBob', 'TrustsAccountB', 'TrustsOnlyA']) await putRolePolicy(server, name, 'ListUsers', allow(['iam:ListUsers', 'iam:GetUser']));
  }, 120_000);
  afterAll(async () => {
    await server?.dispose();
  });

  describe('assumeRole into account A', () => {
    it("is refused while bob's own policies in B do not allow sts:AssumeRole on the role, even when the trust policy names bob", async () => {
      await bobMayDo(allow('iam:ListUsers'));
      for (const name of ['TrustsBob', 'TrustsAccountB']) {
        const refused = await assume(role(name));
        expect((refused.body.data as Record<string, unknown> | undefined)?.['assumeRole'], JSON.stringify(refused.body)).toMatchObject({ __typename: 'AccessDenied', action: 'sts:AssumeRole' });
      }
      // Allowed on another role only: still refused.
      await bobMayDo(allow('sts:AssumeRole', role('Elsewhere')));
      expect((await assume(role('TrustsBob'))).body.data?.['assumeRole'].__typename).toBe('AccessDenied');
    });

    it("is refused when the role's trust policy does not name B, whatever bob's policies allow", async () => {
      await bobMayDo(allow('sts:AssumeRole'));
      const refused = await assume(role('TrustsOnlyA'));
      expect((refused.body.data as Record<string, unknown> | undefined)?.['assumeRole'], JSON.stringify(refused.body)).toMatchObject({ __typename: 'AccessDenied', action: 'sts:AssumeRole' });
    });

    it('succeeds when both allow; the session acts in A with what the role allows, and nothing more', async () => {
      await bobMayDo(allow('sts:AssumeRole', [role('TrustsBob'), role('TrustsAccountB')]));
      for (const name of ['TrustsBob', 'TrustsAccountB']) {
        const assumed = await assume(role(name));
        const result = assumed.body.data?.['assumeRole'];
        expect(result?.__typename, JSON.stringify(assumed.body)).toBe('AssumeRoleSuccess');
        expect(result.assumedRoleUser.arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/${name}/bob`);
        const session = bearer(result.credentials.sessionToken);

        const who = await ok(server, session, '{ callerIdentity { account arn } }');
        expect(who['callerIdentity']).toEqual({ account: ACCOUNT, arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${name}/bob` });
        // A's users, by the role's iam:ListUsers: the session is scoped to A, not to B.
        const users = await ok(server, session, '{ users(first: 100) { edges { node { arn } } } }');
        const arns = users['users'].edges.map((e: { node: { arn: string } }) => e.node.arn);
        expect(arns).toContain(`arn:aws:iam::${ACCOUNT}:user/alice`);
        expect(arns.some((arn: string) => arn.includes(B))).toBe(false);
        const alice = await ok(server, session, '{ user(userName: "alice") { arn } }');
        expect(alice['user'].arn).toBe(`arn:aws:iam::${ACCOUNT}:user/alice`);
        // Not allowed to the role: refused, and nothing created.
        const create = await send(server, session, 'mutation { createUser(input: { userName: "from-b" }) { __typename ... on AccessDenied { action } } }');
        expect(create.body.data?.['createUser']).toEqual({ __typename: 'AccessDenied', action: 'iam:CreateUser' });
        // B's own users are out of the session's reach: it is A's role now.
        const bobSeen = await send(server, session, '{ user(userName: "bob") { arn } }');
        expect(bobSeen.body.data?.['user'] ?? null).toBeNull();
      }
    });

    it('is refused again as soon as bob loses sts:AssumeRole in B', async () => {
      await bobMayDo(undefined);
      expect((await assume(role('TrustsBob'))).body.data?.['assumeRole'].__typename).toBe('AccessDenied');
    });
  });

  describe("a resource of A whose resource policy grants bob", () => {
    /** Bob's identity policy: `iam:Authorize` on himself (to ask about himself at all) and `also`. */
    const bobAsks = (also: { Action: string; Resource: string }) => ({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: 'iam:Authorize', Resource: BOB },
        { Effect: 'Allow', ...also },
      ],
    });
    const decide = async (minRevision?: string) => {
      const response = await send(server, bob, AUTHORIZE, { i: { action: 's3:ListBucket', resourceArn: BUCKET, ...(minRevision === undefined ? {} : { minRevision }) } });
      return response.body.data?.['authorize'] as { __typename: string; decision?: string; message?: string; matchedStatements?: unknown[] };
    };
    const grant = (principal: string) =>
      JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: principal }, Action: 's3:ListBucket', Resource: BUCKET }] });

    /** Puts (or deletes) A's resource policy on BUCKET as A's root; returns the revision. */
    async function resourcePolicy(document: string | undefined): Promise<string> {
      const data =
        document === undefined
          ? await ok(server, ROOT, `mutation { deleteResourcePolicy(input: { resourceArn: "${BUCKET}" }) { __typename ... on WriteSuccess { revision } } }`)
          : await ok(server, ROOT, 'mutation($i: PutResourcePolicyInput!) { putResourcePolicy(input: $i) { __typename ... on WriteSuccess { revision } } }', {
              i: { resourceArn: BUCKET, policyDocument: document },
            });
      const result = Object.values(data)[0] as { __typename: string; revision: string };
      expect(result.__typename).toMatch(/Success$/);
      await applied(result.revision);
      return result.revision;
    }

    beforeAll(async () => {
      const registered = await ok(server, ROOT, 'mutation($i: RegisterResourceInput!) { registerResource(input: $i) { __typename } }', {
        i: { resourceArn: BUCKET, resourcePolicy: grant(BOB) },
      });
      expect(registered['registerResource'].__typename).toBe('RegisterResourceSuccess');
    });

    it("is ALLOWED only when both A's resource policy and bob's identity policy allow", async () => {
      // Resource policy alone (bob's identity allows nothing of s3): denied.
      await bobMayDo(bobAsks({ Action: 'iam:ListUsers', Resource: '*' }));
      expect(await decide()).toMatchObject({ __typename: 'Decision', decision: 'IMPLICIT_DENY' });
      // Both: allowed.
      await bobMayDo(bobAsks({ Action: 's3:ListBucket', Resource: BUCKET }));
      const allowed = await decide();
      expect(allowed).toMatchObject({ __typename: 'Decision', decision: 'ALLOWED' });
      // Explained by bob's own statement; A's resource policy statements are A's, not shown to B.
      expect(allowed).toMatchObject({ matchedStatements: [{ sourcePolicyType: 'USER' }], nearMisses: [] });
      // The account B as principal grants bob too (with his identity policy).
      await resourcePolicy(grant(`arn:aws:iam::${B}:root`));
      expect(await decide()).toMatchObject({ __typename: 'Decision', decision: 'ALLOWED' });
      // Identity alone (A's resource policy gone, or naming someone else): denied.
      const revision = await resourcePolicy(undefined);
      expect(await decide(revision)).toMatchObject({ __typename: 'Decision', decision: 'IMPLICIT_DENY' });
      await resourcePolicy(grant(`arn:aws:iam::${ACCOUNT}:root`));
      expect(await decide()).toMatchObject({ __typename: 'Decision', decision: 'IMPLICIT_DENY' });
      // An explicit Deny in A's resource policy wins over bob's Allow.
      await resourcePolicy(
        JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Principal: { AWS: BOB }, Action: 's3:ListBucket', Resource: BUCKET },
            { Effect: 'Deny', Principal: { AWS: BOB }, Action: 's3:ListBucket', Resource: BUCKET },
          ],
        }),
      );
      expect(await decide()).toMatchObject({ __typename: 'Decision', decision: 'EXPLICIT_DENY' });
      await resourcePolicy(grant(BOB));
      expect(await decide()).toMatchObject({ __typename: 'Decision', decision: 'ALLOWED' });
    });

    it("bob's decisionChanged watch on A's resource flips with A's resource policy, and shows nothing of A's change row", async () => {
      await bobMayDo(bobAsks({ Action: 's3:ListBucket', Resource: BUCKET }));
      await bobMayDo({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: ['iam:Authorize', 'iam:DecisionChanged'], Resource: BOB },
          { Effect: 'Allow', Action: 's3:ListBucket', Resource: BUCKET },
        ],
      });
      const ws = connect(server, bob);
      try {
        const watch = collect(
          ws,
          `subscription { decisionChanged(checks: [{ action: "s3:ListBucket", resourceArn: "${BUCKET}" }]) {
             revision result { __typename ... on Decision { decision } } change { revision kind entityArn entityType actorArn payload affectedPrincipalIds details { __typename } } } }`,
        );
        await watch.waitFor(1, 10_000);
        expect(watch.values[0].decisionChanged.result.decision).toBe('ALLOWED');
        const revoked = await resourcePolicy(grant(`arn:aws:iam::${ACCOUNT}:root`));
        await watch.waitFor(2, 10_000);
        const flip = watch.values[1].decisionChanged;
        expect(flip.result.decision).toBe('IMPLICIT_DENY');
        expect(flip.revision).toBe(revoked);
        // A's change-log row (its actor, payload, details) is A's own: B gets the result and the revision only.
        expect(flip.change).toBeNull();
        await resourcePolicy(grant(BOB));
        await watch.waitFor(3, 10_000);
        expect(watch.values[2].decisionChanged.result.decision).toBe('ALLOWED');
        watch.unsubscribe();
      } finally {
        await ws.dispose();
      }
    });

    it("bob cannot read A's resource registry: not the resource, not in the list, not its policy", async () => {
      await bobMayDo({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });
      const one = await send(server, bob, `{ resource(resourceArn: "${BUCKET}") { resourceArn resourcePolicy } }`);
      expect(one.body.data?.['resource'] ?? null, JSON.stringify(one.body)).toBeNull();
      expect(JSON.stringify(one.body)).not.toContain('ListBucket');
      const list = await ok(server, bob, '{ resources(serviceName: "s3") { edges { node { resourceArn } } } }');
      expect(list['resources'].edges).toEqual([]);
      // Who can, and what can bob do, on A's resource: bob, by his own statements; A's resource policy stays A's.
      const who = await ok(server, bob, `{ whoCan(input: { action: "s3:ListBucket", resourceArn: "${BUCKET}" }) {
        edges { principalArn statements { statement { sourcePolicyType } } decision { matchedStatements { sourcePolicyType } } } } }`);
      expect(who['whoCan'].edges.map((e: { principalArn: string }) => e.principalArn)).toEqual([BOB]);
      expect(JSON.stringify(who)).not.toContain('RESOURCE');
      const what = await ok(server, bob, `{ whatCanActions(input: { principalArn: "${BOB}", resourceArn: "${BUCKET}" }) { edges { node decision { matchedStatements { sourcePolicyType } } } } }`);
      expect(what["whatCanActions"].edges.map((e: { node: string }) => e.node)).toContain('s3:ListBucket');
      expect(JSON.stringify(what)).not.toContain('RESOURCE');
      // Nor change it.
      const put = await send(server, bob, 'mutation($i: PutResourcePolicyInput!) { putResourcePolicy(input: $i) { __typename } }', {
        i: { resourceArn: BUCKET, policyDocument: grant('*') },
      });
      expect(['AccessDenied', 'NoSuchEntity']).toContain((put.body.data as Record<string, any> | undefined)?.['putResourcePolicy']?.__typename);
      const stored = await ok(server, ROOT, `{ resource(resourceArn: "${BUCKET}") { resourcePolicy } }`);
      expect(stored['resource'].resourcePolicy).toBe(grant(BOB));
    });
  });
});
