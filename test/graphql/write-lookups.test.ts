/**
 * A write looks its principal up by name once: the guard finds it (for its ARN, tags and boundary)
 * and hands its unique id to the command, which reads the row by id inside the transaction.
 * Proved by counting SQL (STYLE.md 9): before, tagUser, attachUserPolicy and the credential writes
 * (createAccessKey, updateLoginProfile, …) each looked the user's name up twice. A principal deleted (or replaced under the same name) between the guard and the
 * transaction is NoSuchEntity, never a write to a principal the guard did not authorize.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { NoSuchEntityError } from '../../src/errors.ts';
import { createAccessKey } from '../../src/iam/access-keys.ts';
import { attachPolicy } from '../../src/iam/attachments.ts';
import { rootArn } from '../../src/iam/bootstrap.ts';
import { createLoginProfile, updateLoginProfile } from '../../src/iam/login-profiles.ts';
import { putInlinePolicy } from '../../src/iam/inline-policies.ts';
import { createPolicy, deletePolicy, getPolicy, tagPolicy } from '../../src/iam/policies.ts';
import { tagUser } from '../../src/iam/tags.ts';
import { createUser, deleteUser, getUser } from '../../src/iam/users.ts';
import { ACCOUNT, startInProcess, type InProcess } from '../support/in-process.ts';

const actor = { accountId: ACCOUNT, arn: rootArn(ACCOUNT) };
const ALLOW_ALL = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] });

let inProcess: InProcess;
let database: Database;
const statements: string[] = [];

/** Sends one operation as root. */
function gql(query: string, variables: Record<string, unknown>) {
  return inProcess.gql(inProcess.root, query, variables);
}

/** Statements that find a user by name (any case), as getUser and findPrincipal do. */
function userLookupsByName(): string[] {
  return statements.filter((sql) => /from "users"/i.test(sql) && /lower\("users"\."name"\)/i.test(sql));
}

/** Runs `operation` with `statements` holding only what it issued. */
async function counted(operation: () => Promise<unknown>): Promise<void> {
  statements.length = 0;
  await operation();
}

beforeAll(async () => {
  inProcess = await startInProcess({}, { onQuery: (sql) => statements.push(sql) });
  database = inProcess.database;
  await createUser(database, actor, { userName: 'alice' });
}, 120_000);

afterAll(async () => {
  await inProcess?.close();
});

describe('a write looks its principal up by name once', () => {
  it('tagUser: the guard finds the user by name, the command reads it by id', async () => {
    let body: Awaited<ReturnType<typeof gql>> | undefined;
    await counted(async () => {
      body = await gql(
        `mutation ($input: TagUserInput!) { tagUser(input: $input) { __typename ... on TagUserSuccess { user { userName } } } }`,
        { input: { userName: 'alice', tags: [{ key: 'team', value: 'blue' }] } },
      );
    });
    expect(body?.errors).toBeUndefined();
    expect(body?.data.tagUser).toEqual({ __typename: 'TagUserSuccess', user: { userName: 'alice' } });
    // One lookup by name (the guard's); the transaction locks the row by its unique id.
    expect(userLookupsByName()).toHaveLength(1);
    expect(statements.filter((sql) => /from "users"/i.test(sql) && /"users"\."id" = \$\d+/i.test(sql) && /for update/i.test(sql))).toHaveLength(1);
  });

  it('attachUserPolicy: likewise', async () => {
    let body: Awaited<ReturnType<typeof gql>> | undefined;
    await counted(async () => {
      body = await gql(
        `mutation ($input: AttachUserPolicyInput!) { attachUserPolicy(input: $input) { __typename } }`,
        { input: { userName: 'alice', policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' } },
      );
    });
    expect(body?.data.attachUserPolicy).toEqual({ __typename: 'AttachUserPolicySuccess' });
    expect(userLookupsByName()).toHaveLength(1);
  });

  it('createAccessKey for a named user: the guard finds the user by name, the command locks it by id', async () => {
    let body: Awaited<ReturnType<typeof gql>> | undefined;
    await counted(async () => {
      body = await gql(
        `mutation ($input: CreateAccessKeyInput!) { createAccessKey(input: $input) { __typename ... on CreateAccessKeySuccess { accessKey { userName } } } }`,
        { input: { userName: 'alice' } },
      );
    });
    expect(body?.errors).toBeUndefined();
    expect(body?.data.createAccessKey).toEqual({ __typename: 'CreateAccessKeySuccess', accessKey: { userName: 'alice' } });
    expect(userLookupsByName()).toHaveLength(1);
    expect(statements.filter((sql) => /from "users"/i.test(sql) && /"users"\."id" = \$\d+/i.test(sql) && /for update/i.test(sql))).toHaveLength(1);
  });

  it('updateLoginProfile and the accessKeys read: likewise, and the read issues no second user lookup at all', async () => {
    await createLoginProfile(database, actor, { userName: 'alice', password: 'Alice-password-1' });
    let body: Awaited<ReturnType<typeof gql>> | undefined;
    await counted(async () => {
      body = await gql(
        `mutation ($input: UpdateLoginProfileInput!) { updateLoginProfile(input: $input) { __typename } }`,
        { input: { userName: 'alice', passwordResetRequired: true } },
      );
    });
    expect(body?.data.updateLoginProfile).toEqual({ __typename: 'UpdateLoginProfileSuccess' });
    expect(userLookupsByName()).toHaveLength(1);
    await counted(async () => {
      body = await gql(`query { accessKeys(userName: "alice") { userName } }`, {});
    });
    expect(body?.data.accessKeys).toEqual([{ userName: 'alice' }]);
    expect(userLookupsByName()).toHaveLength(1);
    expect(statements.filter((sql) => /from "users"/i.test(sql) && /"users"\."id" = \$\d+/i.test(sql))).toHaveLength(0);
  });

  it('userPolicy (GetUserPolicy): the lookup by name in the guard is the only one', async () => {
    await putInlinePolicy(database, actor, 'user', { principalName: 'alice', policyName: 'Inline', policyDocument: ALLOW_ALL });
    let body: Awaited<ReturnType<typeof gql>> | undefined;
    await counted(async () => {
      body = await gql(`query { userPolicy(userName: "alice", policyName: "Inline") { policyName } }`, {});
    });
    expect(body?.errors).toBeUndefined();
    expect(body?.data.userPolicy).toEqual({ policyName: 'Inline' });
    expect(userLookupsByName()).toHaveLength(1);
  });

  it('tagPolicy: the loader of the guard finds the policy by ARN, the command reads it by id', async () => {
    await createPolicy(database, actor, { policyName: 'Tagged', policyDocument: ALLOW_ALL });
    let body: Awaited<ReturnType<typeof gql>> | undefined;
    await counted(async () => {
      body = await gql(
        `mutation ($input: TagPolicyInput!) { tagPolicy(input: $input) { __typename } }`,
        { input: { policyArn: `arn:aws:iam::${ACCOUNT}:policy/Tagged`, tags: [{ key: 'team', value: 'blue' }] } },
      );
    });
    expect(body?.errors).toBeUndefined();
    expect(body?.data.tagPolicy).toEqual({ __typename: 'TagPolicySuccess' });
    expect(statements.filter((sql) => /from "managed_policies"/i.test(sql) && /"managed_policies"\."arn" (=|in)/i.test(sql))).toHaveLength(1);
  });

  it('aliased reads of many users by name share one lookup, found and missing alike', async () => {
    await createUser(database, actor, { userName: 'bea' });
    const names = ['alice', 'BEA', ...Array.from({ length: 48 }, (_, i) => `nobody-${i}`)];
    let body: Awaited<ReturnType<typeof gql>> | undefined;
    await counted(async () => {
      body = await gql(`query { ${names.map((name, i) => `a${i}: user(userName: "${name}") { userName }`).join(' ')} }`, {});
    });
    expect(body?.errors).toBeUndefined();
    expect(body?.data['a0']).toEqual({ userName: 'alice' });
    expect(body?.data['a1']).toEqual({ userName: 'bea' });
    expect(names.slice(2).every((_, i) => body?.data[`a${i + 2}`] === null)).toBe(true);
    expect(userLookupsByName()).toHaveLength(1);
  });

  it('a user missing at the guard is still looked up by name in the transaction, and reported as before', async () => {
    const body = await gql(
      `mutation ($input: TagUserInput!) { tagUser(input: $input) { __typename ... on NoSuchEntity { message } } }`,
      { input: { userName: 'nobody', tags: [{ key: 'team', value: 'blue' }] } },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data.tagUser.__typename).toBe('NoSuchEntity');
    expect(body.data.tagUser.message).toContain('nobody');
  });
});

describe('a principal that changes between the guard and the transaction', () => {
  it('deleted since the guard found it: NoSuchEntity', async () => {
    await createUser(database, actor, { userName: 'bob' });
    const found = await getUser(database.db, ACCOUNT, 'bob');
    await deleteUser(database, actor, 'bob');
    await expect(tagUser(database, actor, { userName: 'bob', tags: [{ key: 'k', value: 'v' }] }, found.id)).rejects.toBeInstanceOf(NoSuchEntityError);
  });

  it('a credential owner deleted since the guard found it, or replaced under its name: NoSuchEntity', async () => {
    await createUser(database, actor, { userName: 'dave' });
    const found = await getUser(database.db, ACCOUNT, 'dave');
    await deleteUser(database, actor, 'dave');
    await expect(createAccessKey(database, actor, undefined, { userName: 'dave' }, found.id)).rejects.toBeInstanceOf(NoSuchEntityError);
    await createUser(database, actor, { userName: 'dave' });
    await createLoginProfile(database, actor, { userName: 'dave', password: 'Dave-password-2' });
    await expect(updateLoginProfile(database, actor, { userName: 'dave', passwordResetRequired: true }, undefined, found.id)).rejects.toBeInstanceOf(NoSuchEntityError);
    expect((await getUser(database.db, ACCOUNT, 'dave')).passwordResetRequired).toBe(false);
  });

  it('a policy deleted and re-created under its ARN since the guard found it: NoSuchEntity, and the new one is left alone', async () => {
    await createPolicy(database, actor, { policyName: 'Replaced', policyDocument: ALLOW_ALL });
    const arn = `arn:aws:iam::${ACCOUNT}:policy/Replaced`;
    const found = await getPolicy(database.db, ACCOUNT, arn);
    await deletePolicy(database, actor, arn);
    await createPolicy(database, actor, { policyName: 'Replaced', policyDocument: ALLOW_ALL });
    await expect(tagPolicy(database, actor, { policyArn: arn, tags: [{ key: 'k', value: 'v' }] }, found.id)).rejects.toBeInstanceOf(NoSuchEntityError);
    expect((await getPolicy(database.db, ACCOUNT, arn)).tags).toEqual([]);
  });

  it('replaced by a new principal of the same name: NoSuchEntity, and the new one is left alone', async () => {
    await createUser(database, actor, { userName: 'carol', tags: [{ key: 'origin', value: 'first' }] });
    const found = await getUser(database.db, ACCOUNT, 'carol');
    await deleteUser(database, actor, 'carol');
    await createUser(database, actor, { userName: 'carol' });
    await expect(
      attachPolicy(database, actor, 'user', { principalName: 'carol', policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }, found.id),
    ).rejects.toBeInstanceOf(NoSuchEntityError);
    await expect(tagUser(database, actor, { userName: 'carol', tags: [{ key: 'k', value: 'v' }] }, found.id)).rejects.toBeInstanceOf(NoSuchEntityError);
    expect((await getUser(database.db, ACCOUNT, 'carol')).tags).toEqual([]);
  });
});
