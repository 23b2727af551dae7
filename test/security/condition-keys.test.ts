/**
 * Issue 13, High 1: the API's own checks see the condition keys AWS fills for IAM and STS actions.
 * The (action, key) pairs come from the Service Authorization Reference dataset, filtered to the
 * operations Portcullis serves; for each, over real HTTP with a low-privilege user's key, a Deny on
 * the key refuses the operation and an Allow conditioned on it admits it. The anonymous exchanges
 * (AssumeRoleWithWebIdentity with a signed token, AssumeRoleWithSAML with a samlify IdP's signed
 * response) are driven through their trust policies the same way.
 */
import { readFileSync } from 'node:fs';
import { buildSchema } from 'graphql';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FILLED_KEYS, referenceKeys } from '../../src/authz/action-keys.ts';
import type { TestServer } from '../support/server.ts';
import { ACCOUNT, ROOT, accessKeyFor, createRole, createUser, ok, send, startIdentityServer } from '../identity/support/server.ts';
import { createTestIdp } from '../identity/support/saml-idp.ts';
import { KEY_VALUES, SCENARIOS, type Scenario } from './support/condition-keys-scenarios.ts';

/** Pairs the Reference lists that no request can carry, or that this suite does not drive yet. */
const NOT_APPLICABLE: Readonly<Record<string, string>> = {
  // The resource does not exist before a Create*: AWS leaves its tags out of the context.
  'iam:CreateUser aws:ResourceTag/${TagKey}': 'no resource yet',
  'iam:CreateUser iam:ResourceTag/${TagKey}': 'no resource yet',
  'iam:CreateRole aws:ResourceTag/${TagKey}': 'no resource yet',
  'iam:CreateRole iam:ResourceTag/${TagKey}': 'no resource yet',
  'iam:CreatePolicy aws:ResourceTag/${TagKey}': 'no resource yet',
  'iam:CreateOpenIDConnectProvider aws:ResourceTag/${TagKey}': 'no resource yet',
  'iam:CreateSAMLProvider aws:ResourceTag/${TagKey}': 'no resource yet',
  'iam:CreateVirtualMFADevice aws:ResourceTag/${TagKey}': 'no resource yet',
  // Web identity sessions carry no request tags, source identity or transitive keys in Portcullis.
  'sts:AssumeRoleWithWebIdentity aws:RequestTag/${TagKey}': 'no session tags from web identity',
  'sts:AssumeRoleWithWebIdentity aws:TagKeys': 'no session tags from web identity',
  'sts:AssumeRoleWithWebIdentity sts:SourceIdentity': 'no source identity from web identity',
  'sts:AssumeRoleWithWebIdentity sts:TransitiveTagKeys': 'no session tags from web identity',
  // GetFederationToken takes no session tags in Portcullis (yet).
  'sts:GetFederationToken aws:RequestTag/${TagKey}': 'no session tags from GetFederationToken',
  'sts:GetFederationToken aws:TagKeys': 'no session tags from GetFederationToken',
};

/** ChangePassword acts on the caller itself: its pairs are driven apart, by tagged callers changing their own password. */
const CHANGE_PASSWORD = 'iam:ChangePassword';

/** Query fields named after their entity rather than their action (DESIGN.md: each read maps to a Get or List action). */
const READS: Readonly<Record<string, string>> = {
  user: 'iam:GetUser',
  role: 'iam:GetRole',
  group: 'iam:GetGroup',
  policy: 'iam:GetPolicy',
  policyVersion: 'iam:GetPolicyVersion',
  loginProfile: 'iam:GetLoginProfile',
  accessKeys: 'iam:ListAccessKeys',
  mfaDevices: 'iam:ListMFADevices',
  userPolicy: 'iam:GetUserPolicy',
  rolePolicy: 'iam:GetRolePolicy',
  groupPolicy: 'iam:GetGroupPolicy',
  accessKeyLastUsed: 'iam:GetAccessKeyLastUsed',
  openIDConnectProvider: 'iam:GetOpenIDConnectProvider',
  openIDConnectProviderTags: 'iam:ListOpenIDConnectProviderTags',
  samlProvider: 'iam:GetSAMLProvider',
  samlProviders: 'iam:ListSAMLProviders',
  samlProviderTags: 'iam:ListSAMLProviderTags',
  accountPasswordPolicy: 'iam:GetAccountPasswordPolicy',
};

/** The IAM and STS actions of the operations the schema serves (`createUser` → iam:CreateUser). */
function servedActions(): string[] {
  const schema = buildSchema(readFileSync(new URL('../../schema/schema.graphql', import.meta.url), 'utf8'));
  const fields = [...Object.keys(schema.getMutationType()!.getFields()), ...Object.keys(schema.getQueryType()!.getFields())];
  return fields.flatMap((f) => READS[f] ?? ['iam', 'sts'].map((service) => `${service}:${f[0]!.toUpperCase()}${f.slice(1)}`));
}

/** Every (action, key) pair the Reference lists for a served action and Portcullis fills. */
async function referencePairs(): Promise<Array<{ action: string; key: string }>> {
  const pairs: Array<{ action: string; key: string }> = [];
  for (const action of servedActions()) {
    for (const key of await referenceKeys(action)) if (FILLED_KEYS.includes(key.toLowerCase())) pairs.push({ action, key });
  }
  return pairs;
}

const WEB_IDENTITY = 'sts:AssumeRoleWithWebIdentity';
const SAML = 'sts:AssumeRoleWithSAML';
const PAIRS = await referencePairs();
const UNCOVERED = (p: { action: string; key: string }) => NOT_APPLICABLE[`${p.action} ${p.key}`] !== undefined;
/**
 * Pairs a low-privilege user's key drives on a fresh target; web identity and SAML (anonymous
 * callers with a token or an assertion) and ChangePassword (the caller's own) are driven apart.
 */
const DRIVEN = PAIRS.filter((p) => !UNCOVERED(p) && p.action !== WEB_IDENTITY && p.action !== SAML && p.action !== CHANGE_PASSWORD);
const WEB_PAIRS = PAIRS.filter((p) => !UNCOVERED(p) && p.action === WEB_IDENTITY);
const SAML_PAIRS = PAIRS.filter((p) => !UNCOVERED(p) && p.action === SAML);
const CHANGE_PASSWORD_PAIRS = PAIRS.filter((p) => !UNCOVERED(p) && p.action === CHANGE_PASSWORD);

/** The actions whose pairs name `key`: one policy per key covers them all. */
function actionsFor(key: string): string[] {
  return [...new Set(DRIVEN.filter((p) => p.key === key).map((p) => p.action))];
}

/** A customer managed policy created as root and attached to `userName`. */
async function attachManaged(server: TestServer, userName: string, policyName: string, document: object): Promise<void> {
  const created = await ok(server, ROOT, 'mutation($i: CreatePolicyInput!) { createPolicy(input: $i) { __typename ... on CreatePolicySuccess { policy { arn } } ... on ResultError { message } } }', {
    i: { policyName, policyDocument: JSON.stringify(document) },
  });
  expect(created['createPolicy'].__typename, JSON.stringify(created)).toBe('CreatePolicySuccess');
  const attached = await ok(server, ROOT, 'mutation($i: AttachUserPolicyInput!) { attachUserPolicy(input: $i) { __typename ... on ResultError { message } } }', {
    i: { userName, policyArn: created['createPolicy'].policy.arn },
  });
  expect(attached['attachUserPolicy'].__typename, JSON.stringify(attached)).toBe('AttachUserPolicySuccess');
}

describe('the guard sees the condition keys of IAM and STS actions', () => {
  let server: TestServer;
  /** Per key: a caller denied the key's actions when the key matches, and one allowed them only then. */
  const denied = new Map<string, string>();
  const allowed = new Map<string, string>();
  let serial = 0;

  beforeAll(async () => {
    server = await startIdentityServer();
    for (const scenarioSetup of new Set(Object.values(SCENARIOS).map((s) => s.shared))) await scenarioSetup?.(server);
    for (const key of new Set(DRIVEN.map((p) => p.key))) {
      const actions = actionsFor(key);
      const condition = KEY_VALUES[key]!.condition;
      const tag = key.replace(/[^A-Za-z]/g, '').slice(0, 40);
      await createUser(server, `deny-${tag}`);
      await attachManaged(server, `deny-${tag}`, `DenyOn${tag}`, {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: '*', Resource: '*' },
          { Effect: 'Deny', Action: actions, Resource: '*', Condition: condition },
        ],
      });
      denied.set(key, (await accessKeyFor(server, `deny-${tag}`)).header);
      await createUser(server, `allow-${tag}`);
      await attachManaged(server, `allow-${tag}`, `AllowOn${tag}`, {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', NotAction: actions, Resource: '*' },
          { Effect: 'Allow', Action: actions, Resource: '*', Condition: condition },
        ],
      });
      allowed.set(key, (await accessKeyFor(server, `allow-${tag}`)).header);
    }
  }, 240_000);
  afterAll(() => server?.dispose());

  it('every pair the Reference lists for a served operation is driven or accounted for', () => {
    const listed = new Set(PAIRS.map((p) => `${p.action} ${p.key}`));
    for (const pair of Object.keys(NOT_APPLICABLE)) expect(listed.has(pair), pair).toBe(true);
    const missing = DRIVEN.filter((p) => SCENARIOS[p.action] === undefined).map((p) => `${p.action} ${p.key}`);
    missing.push(...[...WEB_PAIRS, ...SAML_PAIRS, ...CHANGE_PASSWORD_PAIRS].filter((p) => KEY_VALUES[p.key] === undefined).map((p) => `${p.action} ${p.key}`));
    // ChangePassword's pairs are its resource's tags, the caller's own.
    expect(CHANGE_PASSWORD_PAIRS.map((p) => p.key).sort()).toEqual(['aws:ResourceTag/${TagKey}', 'iam:ResourceTag/${TagKey}']);
    expect(missing).toEqual([]);
    // Every key the Reference lists for AssumeRoleWithSAML is driven through real exchanges.
    expect(SAML_PAIRS.map((p) => p.key).sort()).toEqual(
      ['aws:RequestTag/${TagKey}', 'aws:ResourceTag/${TagKey}', 'aws:TagKeys', 'iam:ResourceTag/${TagKey}', 'sts:RoleSessionName', 'sts:SourceIdentity', 'sts:TransitiveTagKeys'].sort(),
    );
    // The three keys of the review's reproductions are among them.
    expect(listed).toContain('iam:AttachUserPolicy iam:PolicyARN');
    expect(listed).toContain('iam:TagUser aws:TagKeys');
    expect(listed).toContain('iam:TagUser aws:ResourceTag/${TagKey}');
  });

  /** Sets up a fresh target as root and sends the operation with `authorization`. */
  async function attempt(scenario: Scenario, authorization: string) {
    const name = `t${++serial}`;
    const variables = (await scenario.setup?.(server, name)) ?? {};
    const op = scenario.op(name, variables);
    return send(server, authorization, op.query, op.variables);
  }

  /**
   * What refused the operation: a mutation's AccessDenied member (a refusal is data there), a
   * read's first top-level error.
   */
  function refusalOf(response: Awaited<ReturnType<typeof attempt>>, mutation: boolean): { code: unknown; message: unknown } {
    if (mutation) {
      expect(response.body.errors, JSON.stringify(response.body)).toBeUndefined();
      const member = Object.values(response.body.data ?? {})[0] as { __typename?: string; code?: string; message?: string } | null;
      expect(member?.__typename, JSON.stringify(response.body)).toBe('AccessDenied');
      return { code: member?.code, message: member?.message };
    }
    const error = response.body.errors?.[0];
    return { code: error?.extensions?.['code'], message: error?.message };
  }

  for (const { action, key } of DRIVEN) {
    it(`${action}: a Deny on ${key} refuses it`, async () => {
      const scenario = SCENARIOS[action]!;
      const response = await attempt(scenario, denied.get(key)!);
      const refusal = refusalOf(response, scenario.op('x', {}).query.startsWith('mutation'));
      expect(refusal.code, JSON.stringify(response.body)).toBe('ACCESS_DENIED');
      expect(refusal.message).toContain(action);
    });
    it(`${action}: an Allow conditioned on ${key} admits it`, async () => {
      const scenario = SCENARIOS[action]!;
      const response = await attempt(scenario, allowed.get(key)!);
      expect(response.body.errors, JSON.stringify(response.body)).toBeUndefined();
      const result = Object.values(response.body.data ?? {})[0] as { __typename?: string } | unknown[];
      if (scenario.success === 'list') expect(Array.isArray(result), JSON.stringify(response.body)).toBe(true);
      else expect((result as { __typename?: string }).__typename, JSON.stringify(response.body)).toBe(scenario.success);
    });
  }

  describe("ChangePassword: the check sees the caller's own tags", () => {
    const CHANGE = 'mutation($i: ChangePasswordInput!) { changePassword(input: $i) { __typename ... on AccessDenied { code message } } }';

    /** A user tagged team=blue with a password and `statements` as its policy changes its own password. */
    async function changeOwnPassword(statements: object[]) {
      const userName = `cp${++serial}`;
      await ok(server, ROOT, 'mutation($i: CreateUserInput!) { createUser(input: $i) { __typename } }', { i: { userName, tags: [{ key: 'team', value: 'blue' }] } });
      await attachManaged(server, userName, `ChangeOwn${serial}`, { Version: '2012-10-17', Statement: statements });
      const profile = await ok(server, ROOT, 'mutation($i: CreateLoginProfileInput!) { createLoginProfile(input: $i) { __typename } }', {
        i: { userName, password: 'First-password-123!' },
      });
      expect(profile['createLoginProfile'].__typename).toBe('CreateLoginProfileSuccess');
      const key = await accessKeyFor(server, userName);
      return send(server, key.header, CHANGE, { i: { oldPassword: 'First-password-123!', newPassword: 'Second-password-456!' } });
    }

    for (const { action, key } of CHANGE_PASSWORD_PAIRS) {
      it(`${action}: a Deny on ${key} refuses it`, async () => {
        const response = await changeOwnPassword([
          { Effect: 'Allow', Action: '*', Resource: '*' },
          { Effect: 'Deny', Action: action, Resource: '*', Condition: KEY_VALUES[key]!.condition },
        ]);
        expect(response.body.data?.['changePassword'], JSON.stringify(response.body)).toMatchObject({ __typename: 'AccessDenied', code: 'ACCESS_DENIED', message: expect.stringContaining(action) });
      });
      it(`${action}: an Allow conditioned on ${key} admits it`, async () => {
        const response = await changeOwnPassword([
          { Effect: 'Allow', NotAction: action, Resource: '*' },
          { Effect: 'Allow', Action: action, Resource: '*', Condition: KEY_VALUES[key]!.condition },
        ]);
        expect(response.body.data?.['changePassword'], JSON.stringify(response.body)).toEqual({ __typename: 'ChangePasswordSuccess' });
      });
    }
  });

  describe('AssumeRoleWithWebIdentity: the trust policy sees the same keys', () => {
    const issuer = 'https://ck-issuer.example.com';
    const providerArn = `arn:aws:iam::${ACCOUNT}:oidc-provider/ck-issuer.example.com`;
    let signingKey: CryptoKey;

    beforeAll(async () => {
      const pair = await generateKeyPair('RS256', { extractable: true });
      signingKey = pair.privateKey;
      const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'ck-1', alg: 'RS256', use: 'sig' };
      await ok(server, ROOT, 'mutation($i: CreateOpenIDConnectProviderInput!) { createOpenIDConnectProvider(input: $i) { __typename } }', {
        i: { url: issuer, clientIdList: ['ck-app'], thumbprintList: ['9e99a48a9960b14926bb7f3b02e22da2b0ab7280'], jwks: JSON.stringify({ keys: [jwk] }) },
      });
    });

    /** A role tagged team=blue trusting the provider through `statements`; the exchange's response. */
    async function exchange(statements: object[]) {
      const roleName = `w${++serial}`;
      await ok(server, ROOT, 'mutation($i: CreateRoleInput!) { createRole(input: $i) { __typename } }', {
        i: { roleName, tags: [{ key: 'team', value: 'blue' }], assumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: statements }) },
      });
      const token = await new SignJWT({})
        .setProtectedHeader({ alg: 'RS256', kid: 'ck-1' })
        .setIssuer(issuer)
        .setAudience('ck-app')
        .setSubject('user-1')
        .setIssuedAt()
        .setExpirationTime('10m')
        .sign(signingKey);
      return send(server, undefined, 'mutation($i: AssumeRoleWithWebIdentityInput!) { assumeRoleWithWebIdentity(input: $i) { __typename ... on AccessDenied { code } } }', {
        i: { roleArn: `arn:aws:iam::${ACCOUNT}:role/${roleName}`, roleSessionName: 'sess-1', webIdentityToken: token },
      });
    }

    for (const { action, key } of WEB_PAIRS) {
      const trust = { Effect: 'Allow', Principal: { Federated: providerArn }, Action: action };
      it(`${action}: a Deny on ${key} in the trust policy refuses it`, async () => {
        const response = await exchange([trust, { ...trust, Effect: 'Deny', Condition: KEY_VALUES[key]!.condition }]);
        expect(response.body.data?.['assumeRoleWithWebIdentity'], JSON.stringify(response.body)).toEqual({ __typename: 'AccessDenied', code: 'ACCESS_DENIED' });
      });
      it(`${action}: an Allow conditioned on ${key} admits it`, async () => {
        const response = await exchange([{ ...trust, Condition: KEY_VALUES[key]!.condition }]);
        expect(response.body.data?.['assumeRoleWithWebIdentity'], JSON.stringify(response.body)).toMatchObject({ __typename: 'AssumeRoleWithWebIdentitySuccess' });
      });
    }
  });

  describe('AssumeRoleWithSAML: the trust policy sees the same keys, from the assertion\'s attributes', () => {
    const providerArn = `arn:aws:iam::${ACCOUNT}:saml-provider/KeysIdP`;
    const aws = 'https://aws.amazon.com/SAML/Attributes/';
    let idp: ReturnType<typeof createTestIdp>;

    beforeAll(async () => {
      idp = createTestIdp({ entityId: 'https://idp.condition-keys.example', audience: server.config.samlAudience, recipient: server.config.samlRecipient });
      const created = await ok(server, ROOT, 'mutation($i: CreateSAMLProviderInput!) { createSAMLProvider(input: $i) { __typename } }', {
        i: { name: 'KeysIdP', samlMetadataDocument: idp.metadata },
      });
      expect(created['createSAMLProvider'].__typename).toBe('CreateSAMLProviderSuccess');
    });

    /** A role tagged team=blue trusting the provider through `statements`; the exchange of a response passing session sess-1, tag team=blue (transitive) and source identity src-1. */
    async function exchange(statements: object[]) {
      const roleName = `s${++serial}`;
      const roleArn = `arn:aws:iam::${ACCOUNT}:role/${roleName}`;
      await ok(server, ROOT, 'mutation($i: CreateRoleInput!) { createRole(input: $i) { __typename } }', {
        i: { roleName, tags: [{ key: 'team', value: 'blue' }], assumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: statements }) },
      });
      const samlAssertion = await idp.response({
        attributes: {
          [`${aws}Role`]: [`${roleArn},${providerArn}`],
          [`${aws}RoleSessionName`]: ['sess-1'],
          [`${aws}SourceIdentity`]: ['src-1'],
          [`${aws}PrincipalTag:team`]: ['blue'],
          [`${aws}TransitiveTagKeys`]: ['team'],
        },
      });
      return send(server, undefined, 'mutation($i: AssumeRoleWithSAMLInput!) { assumeRoleWithSAML(input: $i) { __typename ... on AccessDenied { code } } }', {
        i: { roleArn, principalArn: providerArn, samlAssertion },
      });
    }

    for (const { action, key } of SAML_PAIRS) {
      // The response passes tags and a source identity, so the trust policy must allow those actions too.
      const trust = { Effect: 'Allow', Principal: { Federated: providerArn }, Action: [action, 'sts:TagSession', 'sts:SetSourceIdentity'] };
      it(`${action}: a Deny on ${key} in the trust policy refuses it`, async () => {
        const response = await exchange([trust, { ...trust, Effect: 'Deny', Condition: KEY_VALUES[key]!.condition }]);
        expect(response.body.data?.['assumeRoleWithSAML'], JSON.stringify(response.body)).toEqual({ __typename: 'AccessDenied', code: 'ACCESS_DENIED' });
      });
      it(`${action}: an Allow conditioned on ${key} admits it`, async () => {
        const response = await exchange([{ ...trust, Condition: KEY_VALUES[key]!.condition }]);
        expect(response.body.data?.['assumeRoleWithSAML'], JSON.stringify(response.body)).toMatchObject({ __typename: 'AssumeRoleWithSAMLSuccess' });
      });
    }
  });

  it('iam:Authorize is not in the Reference: the authorize path gains no keys and no lookups', async () => {
    expect(await referenceKeys('iam:Authorize')).toEqual([]);
  });

  it('the global keys reach the guard from the engine (src/policy/context.ts), all at once', async () => {
    await ok(server, ROOT, 'mutation($i: CreateUserInput!) { createUser(input: $i) { __typename } }', {
      i: { userName: 'globals', tags: [{ key: 'team', value: 'blue' }] },
    });
    const conditions = (username: string) => ({
      StringEquals: {
        'aws:username': username,
        'aws:PrincipalTag/team': 'blue',
        'aws:PrincipalType': 'User',
        'aws:PrincipalAccount': ACCOUNT,
        'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:user/globals`,
      },
      Bool: { 'aws:SecureTransport': 'false' },
      Null: { 'aws:userid': 'false', 'aws:CurrentTime': 'false', 'aws:EpochTime': 'false', 'aws:SourceIp': 'false' },
    });
    await attachManaged(server, 'globals', 'GlobalsPolicy', {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: 'iam:GetUser', Resource: '*', Condition: conditions('globals') },
        { Effect: 'Allow', Action: 'iam:GetRole', Resource: '*', Condition: conditions('someone-else') },
      ],
    });
    const key = (await accessKeyFor(server, 'globals')).header;
    const user = await ok(server, key, '{ user(userName: "globals") { userName } }');
    expect(user['user'].userName).toBe('globals');
    // The same conditions with one value wrong refuse.
    await createRole(server, 'GlobalsRole', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: 'sts:AssumeRole' }] });
    const role = await send(server, key, '{ role(roleName: "GlobalsRole") { roleName } }');
    expect(role.body.errors?.[0]?.extensions?.['code']).toBe('ACCESS_DENIED');
  });

  describe("the review's reproductions", () => {
    it('a Deny on iam:PolicyARN stops a user attaching AdministratorAccess to themselves', async () => {
      const admin = 'arn:aws:iam::aws:policy/AdministratorAccess';
      await createUser(server, 'climber');
      await attachManaged(server, 'climber', 'ClimberPolicy', {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: 'iam:*', Resource: `arn:aws:iam::${ACCOUNT}:user/climber` },
          { Effect: 'Deny', Action: 'iam:AttachUserPolicy', Resource: '*', Condition: { ArnEquals: { 'iam:PolicyARN': admin } } },
        ],
      });
      const key = (await accessKeyFor(server, 'climber')).header;
      const attach = 'mutation($i: AttachUserPolicyInput!) { attachUserPolicy(input: $i) { __typename } }';
      const refused = await send(server, key, attach, { i: { userName: 'climber', policyArn: admin } });
      expect(refused.body.data?.['attachUserPolicy']).toEqual({ __typename: 'AccessDenied' });
      const attached = await ok(server, ROOT, '{ user(userName: "climber") { attachedPolicies { policyArn } } }');
      expect(attached['user'].attachedPolicies.map((p: { policyArn: string }) => p.policyArn)).not.toContain(admin);
    });

    it('a Deny on aws:TagKeys stops tagUser(self, access-level=admin)', async () => {
      await createUser(server, 'tagger');
      await attachManaged(server, 'tagger', 'TaggerPolicy', {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: 'iam:*', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalTag/access-level': 'admin' } } },
          { Effect: 'Allow', Action: 'iam:TagUser', Resource: `arn:aws:iam::${ACCOUNT}:user/tagger` },
          { Effect: 'Deny', Action: 'iam:TagUser', Resource: '*', Condition: { 'ForAnyValue:StringEquals': { 'aws:TagKeys': 'access-level' } } },
        ],
      });
      const key = (await accessKeyFor(server, 'tagger')).header;
      const tag = 'mutation($i: TagUserInput!) { tagUser(input: $i) { __typename } }';
      const refused = await send(server, key, tag, { i: { userName: 'tagger', tags: [{ key: 'access-level', value: 'admin' }] } });
      expect(refused.body.data?.['tagUser']).toEqual({ __typename: 'AccessDenied' });
      // Another tag is still allowed, and the PrincipalTag-gated iam:* stays out of reach.
      const other = await ok(server, key, tag, { i: { userName: 'tagger', tags: [{ key: 'team', value: 'blue' }] } });
      expect(other['tagUser'].__typename).toBe('TagUserSuccess');
      const users = await send(server, key, '{ users { edges { node { userName } } } }');
      expect(users.body.errors?.[0]?.extensions?.['code']).toBe('ACCESS_DENIED');
    });

    it('a Deny on aws:ResourceTag/protected protects a tagged user', async () => {
      await ok(server, ROOT, 'mutation($i: CreateUserInput!) { createUser(input: $i) { __typename } }', {
        i: { userName: 'precious', tags: [{ key: 'protected', value: 'true' }] },
      });
      await createUser(server, 'plain-target');
      await createUser(server, 'vandal');
      await attachManaged(server, 'vandal', 'VandalPolicy', {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: 'iam:*', Resource: '*' },
          { Effect: 'Deny', Action: 'iam:*', Resource: '*', Condition: { StringEquals: { 'aws:ResourceTag/protected': 'true' } } },
        ],
      });
      const key = (await accessKeyFor(server, 'vandal')).header;
      const remove = 'mutation($i: DeleteUserInput!) { deleteUser(input: $i) { __typename } }';
      const refused = await send(server, key, remove, { i: { userName: 'precious' } });
      expect(refused.body.data?.['deleteUser']).toEqual({ __typename: 'AccessDenied' });
      const refusedKey = await send(server, key, 'mutation($i: CreateAccessKeyInput!) { createAccessKey(input: $i) { __typename } }', { i: { userName: 'precious' } });
      expect(refusedKey.body.data?.['createAccessKey']).toEqual({ __typename: 'AccessDenied' });
      const kept = await ok(server, ROOT, '{ user(userName: "precious") { userName } }');
      expect(kept['user']?.userName).toBe('precious');
      // An untagged user is not protected.
      const deleted = await ok(server, key, remove, { i: { userName: 'plain-target' } });
      expect(deleted['deleteUser'].__typename).toBe('DeleteUserSuccess');
    });
  });
});
