import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { base32Decode } from '../../src/iam/mfa/base32.ts';
import { hotp, timeStep } from '../../src/iam/mfa/totp.ts';
import { TestClock } from '../support/clock.ts';
import type { TestServer } from '../support/server.ts';
import {
  ACCOUNT,
  accessKeyFor,
  allow,
  bearer,
  createRole,
  createUser,
  errorCode,
  expectNotLogged,
  ok,
  putRolePolicy,
  putUserPolicy,
  ROOT,
  ROOT_SECRET,
  send,
  startIdentityServer,
} from './support/server.ts';

const ASSUME = `mutation($i: AssumeRoleInput!) { assumeRole(input: $i) {
  __typename
  ... on AssumeRoleSuccess { credentials { accessKeyId secretAccessKey sessionToken expiration } assumedRoleUser { arn assumedRoleId } sourceIdentity }
  ... on ValidationError { field rule message }
  ... on ResultError { code message } } }`;
const WHO = '{ callerIdentity { arn userId } }';
const USERS = '{ users(first: 5) { edges { node { userName } } } }';

const trust = (principal: object, condition?: object, actions: string[] = ['sts:AssumeRole']) => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: principal, Action: actions, ...(condition === undefined ? {} : { Condition: condition }) }],
});

describe('AssumeRole over HTTP', () => {
  // Real time (MFA codes and expirations are checked against it), moved on where a test needs it.
  const clock = TestClock.running();
  let server: TestServer;
  let erin: string;
  let frank: string;
  const secrets: string[] = [ROOT_SECRET];
  const userArn = (name: string) => `arn:aws:iam::${ACCOUNT}:user/${name}`;
  const roleArn = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;

  beforeAll(async () => {
    server = await startIdentityServer({}, clock);
    await createUser(server, 'erin');
    await createUser(server, 'frank');
    erin = (await accessKeyFor(server, 'erin')).header;
    frank = (await accessKeyFor(server, 'frank')).header;
    await createRole(server, 'NamesErin', trust({ AWS: userArn('erin') }), { maxSessionDuration: 7200 });
    await putRolePolicy(server, 'NamesErin', 'ReadUsers', allow(['iam:ListUsers', 'iam:GetUser', 'iam:PutRolePolicy', 'sts:AssumeRole']));
    await createRole(server, 'TrustsAccount', trust({ AWS: `arn:aws:iam::${ACCOUNT}:root` }));
    await createRole(server, 'NeedsExternalId', trust({ AWS: userArn('erin') }, { StringEquals: { 'sts:ExternalId': 'partner-42' } }));
    await createRole(server, 'NeedsMfa', trust({ AWS: userArn('erin') }, { Bool: { 'aws:MultiFactorAuthPresent': 'true' } }));
    await createRole(server, 'Chained', trust({ AWS: roleArn('NamesErin') }));
  }, 90_000);
  afterAll(async () => {
    expectNotLogged(server, secrets);
    await server.dispose();
  });

  const assume = async (auth: string, input: Record<string, unknown>) => {
    const response = await send(server, auth, ASSUME, { i: input });
    const result = response.body.data?.['assumeRole'] as Record<string, any> | undefined;
    if (result?.['credentials']) secrets.push(result['credentials'].secretAccessKey, result['credentials'].sessionToken);
    return { response, result };
  };

  it('a trust policy naming the caller suffices in the same account; the session authenticates as the assumed role', async () => {
    const { result } = await assume(erin, { roleArn: roleArn('NamesErin'), roleSessionName: 'erin-session' });
    expect(result).toMatchObject({
      __typename: 'AssumeRoleSuccess',
      assumedRoleUser: { arn: `arn:aws:sts::${ACCOUNT}:assumed-role/NamesErin/erin-session`, assumedRoleId: expect.stringMatching(/^AROA[A-Z2-7]+:erin-session$/) },
    });
    expect(result!['credentials'].accessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(new Date(result!['credentials'].expiration).getTime() - Date.now()).toBeGreaterThan(3500_000);
    const session = bearer(result!['credentials'].sessionToken);
    expect((await ok(server, session, WHO))['callerIdentity'].arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/NamesErin/erin-session`);
    expect((await ok(server, session, USERS))['users'].edges.length).toBeGreaterThan(0);
  });

  it('another user is refused with ACCESS_DENIED naming sts:AssumeRole', async () => {
    const { response } = await assume(frank, { roleArn: roleArn('NamesErin'), roleSessionName: 'frank' });
    expect(errorCode(response)).toBe('ACCESS_DENIED');
    expect(response.body.data?.['assumeRole']).toMatchObject({ __typename: 'AccessDenied', code: 'ACCESS_DENIED', message: expect.stringContaining('sts:AssumeRole') });
    const missing = await assume(frank, { roleArn: roleArn('NoSuchRole'), roleSessionName: 'frank' });
    expect(errorCode(missing.response)).toBe('ACCESS_DENIED');
  });

  it('a trust policy naming the account also needs the caller\'s identity policy', async () => {
    expect(errorCode((await assume(frank, { roleArn: roleArn('TrustsAccount'), roleSessionName: 'f1' })).response)).toBe('ACCESS_DENIED');
    await putUserPolicy(server, 'frank', 'MayAssume', allow('sts:AssumeRole', roleArn('TrustsAccount')));
    expect((await assume(frank, { roleArn: roleArn('TrustsAccount'), roleSessionName: 'f2' })).result?.['__typename']).toBe('AssumeRoleSuccess');
    // The identity permission alone does not open a role whose trust policy does not name the caller.
    await putUserPolicy(server, 'frank', 'MayAssumeAll', allow('sts:AssumeRole', '*'));
    expect(errorCode((await assume(frank, { roleArn: roleArn('NamesErin'), roleSessionName: 'f3' })).response)).toBe('ACCESS_DENIED');
  });

  it('the external id must match the trust policy condition', async () => {
    const input = { roleArn: roleArn('NeedsExternalId'), roleSessionName: 'partner' };
    expect(errorCode((await assume(erin, input)).response)).toBe('ACCESS_DENIED');
    expect(errorCode((await assume(erin, { ...input, externalId: 'partner-43' })).response)).toBe('ACCESS_DENIED');
    expect((await assume(erin, { ...input, externalId: 'partner-42' })).result?.['__typename']).toBe('AssumeRoleSuccess');
  });

  it('durations: 900 up to the role maximum, default 3600, at most one hour when chaining', async () => {
    const base = { roleArn: roleArn('NamesErin'), roleSessionName: 'dur' };
    expect((await assume(erin, { ...base, durationSeconds: 899 })).result).toMatchObject({ __typename: 'ValidationError', field: 'input.durationSeconds', rule: 'range' });
    expect((await assume(erin, { ...base, durationSeconds: 7201 })).result).toMatchObject({ __typename: 'ValidationError', rule: 'range' });
    const long = await assume(erin, { ...base, durationSeconds: 7200 });
    expect(new Date(long.result!['credentials'].expiration).getTime() - Date.now()).toBeGreaterThan(7100_000);
    const session = bearer(long.result!['credentials'].sessionToken);
    const chained = await assume(session, { roleArn: roleArn('Chained'), roleSessionName: 'chain', durationSeconds: 3601 });
    expect(chained.result).toMatchObject({ __typename: 'ValidationError', field: 'input.durationSeconds' });
    expect(chained.result!['message']).toContain('role chaining');
    const chainedOk = await assume(session, { roleArn: roleArn('Chained'), roleSessionName: 'chain' });
    expect(chainedOk.result?.['__typename']).toBe('AssumeRoleSuccess');
  });

  it('MFA: a trust policy requiring aws:MultiFactorAuthPresent accepts only a valid, unused code', async () => {
    const device = (await ok(server, ROOT, 'mutation { createVirtualMFADevice(input: { virtualMFADeviceName: "erin-mfa" }) { ... on CreateVirtualMFADeviceSuccess { serialNumber base32StringSeed } } }'))['createVirtualMFADevice'];
    secrets.push(device.base32StringSeed);
    const seed = base32Decode(device.base32StringSeed);
    const step = timeStep(new Date());
    const enabled = await ok(server, ROOT, 'mutation($i: EnableMFADeviceInput!) { enableMFADevice(input: $i) { __typename } }', {
      i: { userName: 'erin', serialNumber: device.serialNumber, authenticationCode1: hotp(seed, step - 1), authenticationCode2: hotp(seed, step) },
    });
    expect(enabled['enableMFADevice'].__typename).toBe('EnableMFADeviceSuccess');
    const base = { roleArn: roleArn('NeedsMfa'), roleSessionName: 'mfa' };
    expect(errorCode((await assume(erin, base)).response)).toBe('ACCESS_DENIED');
    expect(errorCode((await assume(erin, { ...base, serialNumber: device.serialNumber, tokenCode: '000000' === hotp(seed, step + 1) ? '111111' : '000000' })).response)).toBe('ACCESS_DENIED');
    const code = hotp(seed, step + 1);
    expect((await assume(erin, { ...base, serialNumber: device.serialNumber, tokenCode: code })).result?.['__typename']).toBe('AssumeRoleSuccess');
    expect(errorCode((await assume(erin, { ...base, serialNumber: device.serialNumber, tokenCode: code })).response)).toBe('ACCESS_DENIED');
  });

  it('a session policy narrows the session to the intersection', async () => {
    const { result } = await assume(erin, { roleArn: roleArn('NamesErin'), roleSessionName: 'narrow', policy: JSON.stringify(allow('iam:GetUser')) });
    const session = bearer(result!['credentials'].sessionToken);
    expect(errorCode(await send(server, session, USERS))).toBe('ACCESS_DENIED');
    expect((await ok(server, session, '{ user(userName: "erin") { userName } }'))['user']).toEqual({ userName: 'erin' });
    const malformed = await assume(erin, { roleArn: roleArn('NamesErin'), roleSessionName: 'bad', policy: '{"Version":"2012-10-17"}' });
    expect(malformed.result?.['__typename']).toBe('MalformedPolicyDocument');
  });

  it('session tags need sts:TagSession in the trust policy and become aws:PrincipalTag', async () => {
    const tags = [{ key: 'team', value: 'blue' }];
    expect(errorCode((await assume(erin, { roleArn: roleArn('NamesErin'), roleSessionName: 'tagged', tags })).response)).toBe('ACCESS_DENIED');
    await createRole(server, 'Tagged', trust({ AWS: userArn('erin') }, undefined, ['sts:AssumeRole', 'sts:TagSession']));
    await putRolePolicy(server, 'Tagged', 'ByTag', {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'iam:ListUsers', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalTag/team': 'blue' } } }],
    });
    const blue = await assume(erin, { roleArn: roleArn('Tagged'), roleSessionName: 'blue', tags });
    expect((await ok(server, bearer(blue.result!['credentials'].sessionToken), USERS))['users']).toBeDefined();
    const red = await assume(erin, { roleArn: roleArn('Tagged'), roleSessionName: 'red', tags: [{ key: 'team', value: 'red' }] });
    expect(errorCode(await send(server, bearer(red.result!['credentials'].sessionToken), USERS))).toBe('ACCESS_DENIED');
    expect((await assume(erin, { roleArn: roleArn('Tagged'), roleSessionName: 'xx', tags, transitiveTagKeys: ['nope'] })).result).toMatchObject({ field: 'input.transitiveTagKeys[0]' });
  });

  it('role chaining carries transitive tags and the source identity, which cannot be overridden', async () => {
    await createRole(server, 'Source', trust({ AWS: userArn('erin') }, undefined, ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity']));
    await createRole(server, 'Downstream', trust({ AWS: roleArn('Source') }, undefined, ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity']));
    await putRolePolicy(server, 'Downstream', 'BlueErinOnly', {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: 'iam:ListUsers', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalTag/team': 'blue', 'aws:SourceIdentity': 'erin-id' } } },
      ],
    });
    const first = await assume(erin, {
      roleArn: roleArn('Source'),
      roleSessionName: 'src',
      sourceIdentity: 'erin-id',
      tags: [{ key: 'team', value: 'blue' }, { key: 'project', value: 'x' }],
      transitiveTagKeys: ['team'],
    });
    expect(first.result).toMatchObject({ __typename: 'AssumeRoleSuccess', sourceIdentity: 'erin-id' });
    const source = bearer(first.result!['credentials'].sessionToken);
    const second = await assume(source, { roleArn: roleArn('Downstream'), roleSessionName: 'down' });
    expect(second.result).toMatchObject({ __typename: 'AssumeRoleSuccess', sourceIdentity: 'erin-id' });
    expect((await ok(server, bearer(second.result!['credentials'].sessionToken), USERS))['users']).toBeDefined();
    const override = await assume(source, { roleArn: roleArn('Downstream'), roleSessionName: 'red', tags: [{ key: 'team', value: 'red' }] });
    expect(override.result).toMatchObject({ __typename: 'ValidationError', field: 'input.tags[0].key', rule: 'transitive-override' });
    const otherSource = await assume(source, { roleArn: roleArn('Downstream'), roleSessionName: 'other', sourceIdentity: 'mallory' });
    expect(otherSource.result).toMatchObject({ __typename: 'ValidationError', field: 'input.sourceIdentity', rule: 'immutable' });
  });

  it('revoking a role\'s sessions denies older sessions and not newer ones', async () => {
    const before = await assume(erin, { roleArn: roleArn('NamesErin'), roleSessionName: 'old' });
    const old = bearer(before.result!['credentials'].sessionToken);
    expect((await ok(server, old, USERS))['users']).toBeDefined();
    // Revocation denies sessions issued strictly before its instant; issued in the same millisecond,
    // the old session would rightly survive. Move the server's clock past the issue instant (the
    // default hour before expiration).
    const issuedAt = Date.parse(before.result!['credentials'].expiration) - 3_600_000;
    clock.advance(1);
    const revoked = await ok(server, ROOT, 'mutation { revokeRoleSessions(input: { roleName: "NamesErin" }) { __typename ... on RevokeRoleSessionsSuccess { revokeDate } } }');
    expect(revoked['revokeRoleSessions'].__typename).toBe('RevokeRoleSessionsSuccess');
    expect(Date.parse(revoked['revokeRoleSessions'].revokeDate)).toBeGreaterThan(issuedAt);
    expect(errorCode(await send(server, old, USERS))).toBe('ACCESS_DENIED');
    // A session issued at or after the revocation instant is not "older": no wait needed.
    const after = await assume(erin, { roleArn: roleArn('NamesErin'), roleSessionName: 'new' });
    expect((await ok(server, bearer(after.result!['credentials'].sessionToken), USERS))['users']).toBeDefined();
  });

  it('GetSessionToken gives a user session credentials; GetCallerIdentity reports the caller', async () => {
    const data = await ok(server, frank, 'mutation { getSessionToken(input: { durationSeconds: 900 }) { __typename ... on GetSessionTokenSuccess { credentials { sessionToken expiration } mfaAuthenticated } } }');
    const token = data['getSessionToken'].credentials.sessionToken as string;
    secrets.push(token);
    expect(data['getSessionToken'].mfaAuthenticated).toBe(false);
    expect((await ok(server, bearer(token), WHO))['callerIdentity'].arn).toBe(userArn('frank'));
    // A session cannot call GetSessionToken again.
    expect(errorCode(await send(server, bearer(token), 'mutation { getSessionToken(input: {}) { __typename } }'))).toBe('ACCESS_DENIED');
    expect((await send(server, undefined, WHO)).status).toBe(401);
  });
});
