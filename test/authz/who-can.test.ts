/**
 * *Who can* through the authz layer (`authz.reverse.whoCan`): every user and role of the account
 * that authorize would allow, each with its deciding statements and, for users, the groups the
 * grant comes through; only principals the caller may ask about; and a constant number of SQL
 * statements whatever the size of the account.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/server/app.ts';
import { rootArn } from '../../src/iam/bootstrap.ts';
import { createUser } from '../../src/iam/users.ts';
import { createGroup } from '../../src/iam/groups.ts';
import { createRole } from '../../src/iam/roles.ts';
import { addUserToGroup } from '../../src/iam/group-membership.ts';
import { createPolicy } from '../../src/iam/policies.ts';
import { attachPolicy } from '../../src/iam/attachments.ts';
import { putInlinePolicy } from '../../src/iam/inline-policies.ts';
import { createAccessKey } from '../../src/iam/access-keys.ts';
import { AccessDeniedError, ValidationError } from '../../src/errors.ts';
import type { RequestAuthz } from '../../src/authz/runtime.ts';
import { openCountingDatabase, type CountingDatabase } from './support/counting-database.ts';
import { arn, policy } from './support/directory.ts';
import { ACCOUNT, ROOT_KEY } from './support/server.ts';

const READ = { action: 's3:GetObject', resourceArn: 'arn:aws:s3:::docs/report' };
const TRUST = policy({ Effect: 'Allow', Principal: { AWS: rootArn(ACCOUNT) }, Action: 'sts:AssumeRole' });

describe('whoCan through the authz layer', () => {
  let testDb: CountingDatabase;
  let app: App;
  const actor = { arn: rootArn(ACCOUNT), accountId: ACCOUNT };

  const authzFor = async (accessKeyId: string, secret: string): Promise<RequestAuthz> => {
    const caller = await app.authz.authenticate(`Basic ${Buffer.from(`${accessKeyId}:${secret}`).toString('base64')}`);
    return app.authz.forRequest(caller, { secureTransport: true });
  };
  const asRoot = () => authzFor(ROOT_KEY.id, ROOT_KEY.secret);
  const counted = async <T>(work: () => Promise<T>): Promise<{ result: T; statements: string[] }> => {
    // Buffered usage (key last used) is flushed by a timer; flush it now so it is not counted.
    await app.authz.flushUsage();
    return testDb.count(work);
  };

  beforeAll(async () => {
    testDb = await openCountingDatabase();
    const database = testDb.database;
    await createPolicy(database, actor, { policyName: 'ReadDocs', policyDocument: policy({ Sid: 'Read', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::docs/*' }) });
    await createGroup(database, actor, { groupName: 'readers' });
    await attachPolicy(database, actor, 'group', { principalName: 'readers', policyArn: arn.policy('ReadDocs') });
    await createGroup(database, actor, { groupName: 'writers' });
    await putInlinePolicy(database, actor, 'group', { principalName: 'writers', policyName: 'Write', policyDocument: policy({ Effect: 'Allow', Action: 's3:*Object', Resource: '*' }) });
    for (const userName of ['alice', 'bob', 'carol', 'dave', 'eve', 'frank']) await createUser(database, actor, { userName });
    await addUserToGroup(database, actor, { groupName: 'readers', userName: 'alice' });
    await addUserToGroup(database, actor, { groupName: 'readers', userName: 'bob' });
    await addUserToGroup(database, actor, { groupName: 'writers', userName: 'bob' });
    // carol holds the policy herself and through readers.
    await attachPolicy(database, actor, 'user', { principalName: 'carol', policyArn: arn.policy('ReadDocs') });
    await addUserToGroup(database, actor, { groupName: 'readers', userName: 'carol' });
    // eve is a reader denied explicitly; dave has nothing; frank's grant needs a context key.
    await addUserToGroup(database, actor, { groupName: 'readers', userName: 'eve' });
    await putInlinePolicy(database, actor, 'user', { principalName: 'eve', policyName: 'NoDocs', policyDocument: policy({ Effect: 'Deny', Action: 's3:*', Resource: '*' }) });
    await putInlinePolicy(database, actor, 'user', {
      principalName: 'frank',
      policyName: 'FromOffice',
      policyDocument: policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }),
    });
    await createRole(database, actor, { roleName: 'Indexer', assumeRolePolicyDocument: TRUST });
    await attachPolicy(database, actor, 'role', { principalName: 'Indexer', policyArn: arn.policy('ReadDocs') });
    await createRole(database, actor, { roleName: 'Idle', assumeRolePolicyDocument: TRUST });
    app = await testDb.startApp();
  }, 120_000);
  afterAll(async () => {
    await testDb?.close();
  });

  it('names every allowed user and role with its deciding statements and the groups the grant comes through', async () => {
    const authz = await asRoot();
    const answer = await authz.reverse.whoCan(authz.guard, READ);
    const summary = answer.items.map((e) => ({
      arn: e.principalArn,
      type: e.principalType,
      groups: e.groupArns,
      policies: e.statements.map((s) => `${s.statement.policyId}${s.direct ? ' (own)' : ''}`),
    }));
    const readDocs = `${arn.policy('ReadDocs')}:v1`;
    expect(summary).toEqual([
      { arn: arn.role('Indexer'), type: 'Role', groups: [], policies: [`${readDocs} (own)`] },
      { arn: rootArn(ACCOUNT), type: 'Root', groups: [], policies: [] },
      { arn: arn.user('alice'), type: 'User', groups: [arn.group('readers')], policies: [readDocs] },
      { arn: arn.user('bob'), type: 'User', groups: [arn.group('readers'), arn.group('writers')], policies: [readDocs, `${arn.group('writers')}/inline/Write`] },
      // carol holds ReadDocs herself and through readers: one statement, both ways.
      { arn: arn.user('carol'), type: 'User', groups: [arn.group('readers')], policies: [`${readDocs} (own)`] },
    ]);
    expect(answer.items.every((e) => e.decision.decision === 'ALLOWED' && e.decision.revision === answer.revision)).toBe(true);
    expect(answer.items[2]!.statements[0]!.statement).toMatchObject({ sid: 'Read', effect: 'Allow', layer: 'identity' });

    // Agrees with authorize, principal by principal (dave, eve, frank and Idle are refused there too).
    const everyone = ['alice', 'bob', 'carol', 'dave', 'eve', 'frank'].map(arn.user).concat(arn.role('Indexer'), arn.role('Idle'), rootArn(ACCOUNT));
    const decisions = await authz.decider.decideAll(everyone.map((principalArn) => ({ principalArn, ...READ })), { record: false, field: (i) => `q${i}` });
    const allowedByAuthorize = everyone.filter((_, i) => (decisions[i] as { allowed: boolean }).allowed).sort();
    expect(answer.items.map((e) => e.principalArn)).toEqual(allowedByAuthorize);
  });

  it('evaluates in the given context and for the given resource owner', async () => {
    const authz = await asRoot();
    const context = { 'aws:SourceIp': { type: 'ip' as const, multi: false, values: ['10.1.2.3'] } };
    const inOffice = await authz.reverse.whoCan(authz.guard, { ...READ, context });
    expect(inOffice.items.map((e) => e.principalArn)).toContain(arn.user('frank'));
    // Another account's resource needs its consent (a resource policy): identity policies alone grant nobody.
    const foreign = await authz.reverse.whoCan(authz.guard, { ...READ, resourceOwner: '999988887777' });
    expect(foreign.items).toEqual([]);
  });

  it('needs iam:WhoCan on the resource and lists only principals the caller may ask about', async () => {
    const database = testDb.database;
    await createUser(database, actor, { userName: 'auditor' });
    await putInlinePolicy(database, actor, 'user', {
      principalName: 'auditor',
      policyName: 'Audit',
      policyDocument: policy(
        { Effect: 'Allow', Action: 'iam:WhoCan', Resource: 'arn:aws:s3:::docs/*' },
        { Effect: 'Allow', Action: 'iam:Authorize', Resource: [arn.user('a*'), arn.user('b*')] },
      ),
    });
    const key = await createAccessKey(database, actor, undefined, { userName: 'auditor' });
    await app.authz.listener.catchUp();
    const authz = await authzFor(key.result.accessKey.accessKeyId, key.result.secretAccessKey);
    const answer = await authz.reverse.whoCan(authz.guard, READ);
    expect(answer.items.map((e) => e.principalArn)).toEqual([arn.user('alice'), arn.user('bob')]);
    await expect(authz.reverse.whoCan(authz.guard, { ...READ, resourceArn: 'arn:aws:s3:::private/x' })).rejects.toBeInstanceOf(AccessDeniedError);
  });

  it('refuses bad input naming the field, and waits for minRevision', async () => {
    const authz = await asRoot();
    await expect(authz.reverse.whoCan(authz.guard, { ...READ, action: 'GetObject' })).rejects.toMatchObject({ field: 'input.action' });
    await expect(authz.reverse.whoCan(authz.guard, { ...READ, minRevision: 'soon' })).rejects.toBeInstanceOf(ValidationError);
    await expect(authz.reverse.whoCan(authz.guard, { ...READ, minRevision: '999999999' })).rejects.toMatchObject({ field: 'input.minRevision', rule: 'revision-reached' });
    await authz.reverse.whoCan(authz.guard, READ);
    await createUser(testDb.database, actor, { userName: 'late' });
    const attached = await attachPolicy(testDb.database, actor, 'user', { principalName: 'late', policyArn: arn.policy('ReadDocs') });
    // No catch-up here: minRevision itself makes the answer reflect the write.
    const answer = await authz.reverse.whoCan(authz.guard, { ...READ, minRevision: attached.revision });
    expect(answer.items.map((e) => e.principalArn)).toContain(arn.user('late'));
    expect(BigInt(answer.revision)).toBeGreaterThanOrEqual(BigInt(attached.revision));
  });

  it('costs the same number of SQL statements for an account ten times larger', async () => {
    const database = testDb.database;
    /** Who can read, with nothing cached but the caller's own credential and policies. */
    const cold = async () => {
      await app.authz.listener.catchUp();
      app.authz.effective.cache.invalidateWhere(() => true);
      const authz = await asRoot();
      await authz.guard.ready();
      return { authz, ...(await counted(() => authz.reverse.whoCan(authz.guard, READ))) };
    };
    // A write naming a user drops the cached principal list, as the bulk writes below will.
    await createUser(database, actor, { userName: 'marker' });
    const small = await cold();
    for (let g = 0; g < 5; g++) {
      await createGroup(database, actor, { groupName: `bulk-${g}` });
      await attachPolicy(database, actor, 'group', { principalName: `bulk-${g}`, policyArn: arn.policy('ReadDocs') });
    }
    for (let u = 0; u < 60; u++) {
      await createUser(database, actor, { userName: `bulk-user-${u}` });
      await addUserToGroup(database, actor, { groupName: `bulk-${u % 5}`, userName: `bulk-user-${u}` });
    }
    for (let r = 0; r < 20; r++) await createRole(database, actor, { roleName: `bulk-role-${r}`, assumeRolePolicyDocument: TRUST });
    const large = await cold();
    expect(large.result.items.length).toBeGreaterThan(small.result.items.length + 59);
    // The principal list, users, roles, memberships, attachments, inline policies, the deciding policies' groups.
    expect(small.statements.length).toBeGreaterThan(2);
    expect(small.statements.length).toBeLessThanOrEqual(8);
    expect(large.statements, `small:\n${small.statements.join('\n')}\nlarge:\n${large.statements.join('\n')}`).toHaveLength(small.statements.length);
    // Warm: only the deciding policies' groups are read.
    const warm = await counted(() => large.authz.reverse.whoCan(large.authz.guard, READ));
    expect(warm.statements, warm.statements.join("\n")).toHaveLength(1);
    expect(warm.result.items.map((e) => e.principalArn)).toEqual(large.result.items.map((e) => e.principalArn));
  }, 120_000);
});
