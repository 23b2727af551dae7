/**
 * Issue 21 ("strings where types belong", "names"): every instant on the wire is a DateTime, an
 * RFC 3339 string that round-trips, under one naming style; enum values are UPPER_CASE and a
 * misspelt one is refused by GraphQL validation before anything runs; argument defaults are
 * declared in the SDL, not only in descriptions.
 */
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputField,
} from 'graphql';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '../../src/graphql/schema.ts';
import { base32Decode } from '../../src/iam/mfa/base32.ts';
import { MFA_LOCKOUT } from '../../src/iam/mfa/lockout.ts';
import { hotp, timeStep } from '../../src/iam/mfa/totp.ts';
import type { TestServer } from '../support/server.ts';
import { createTestIdp } from '../identity/support/saml-idp.ts';
import { startIssuer } from '../identity/support/issuer.ts';
import { accessKeyFor, ACCOUNT, createRole, createUser, ok, ROOT, ROOT_PASSWORD, send, startIdentityServer } from '../identity/support/server.ts';

/** Every field, argument and input field of the schema's own types, with its coordinate. */
function coordinates(): Array<{ coordinate: string; name: string; typeName: string; value: GraphQLField<unknown, unknown> | GraphQLArgument | GraphQLInputField }> {
  const all: ReturnType<typeof coordinates> = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        all.push({ coordinate: `${type.name}.${field.name}`, name: field.name, typeName: getNamedType(field.type).name, value: field });
        for (const arg of field.args) all.push({ coordinate: `${type.name}.${field.name}(${arg.name}:)`, name: arg.name, typeName: getNamedType(arg.type).name, value: arg });
      }
    }
    if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        all.push({ coordinate: `${type.name}.${field.name}`, name: field.name, typeName: getNamedType(field.type).name, value: field });
      }
    }
  }
  return all;
}

/** Object fields typed DateTime (interfaces repeat their implementations' fields). */
function dateTimeFields(): string[] {
  return coordinates()
    .filter((c) => c.typeName === 'DateTime' && !c.coordinate.includes('(') && !isInterfaceType(schema.getType(c.coordinate.split('.')[0]!)))
    .map((c) => c.coordinate)
    .sort();
}

const RFC_3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

describe('DateTime', () => {
  it('types every instant, named …Date (or AWS `expiration`), and no String field or argument looks like a date', () => {
    const misnamed: string[] = [];
    const untyped: string[] = [];
    for (const c of coordinates()) {
      const looksLikeDate = /(Date|At|Time|Timestamp|Until|Before|Since)$/.test(c.name) || ['since', 'expiration', 'date'].includes(c.name);
      if (c.typeName === 'DateTime' && !/Date$|^expiration$/.test(c.name)) misnamed.push(c.coordinate);
      if (looksLikeDate && c.typeName !== 'DateTime') untyped.push(`${c.coordinate}: ${c.typeName}`);
    }
    expect(misnamed).toEqual([]);
    expect(untyped).toEqual([]);
    expect(dateTimeFields().length).toBeGreaterThanOrEqual(19);
  });

  describe('on the wire', () => {
    let server: TestServer;
    let started: number;
    /** Each DateTime field read below, by coordinate, with the value the wire carried. */
    const seen = new Map<string, unknown>();
    const note = (coordinate: string, value: unknown) => {
      expect(value, coordinate).toBeDefined();
      seen.set(coordinate, value);
    };

    beforeAll(async () => {
      started = Date.now();
      server = await startIdentityServer();
    }, 60_000);
    afterAll(async () => {
      await server?.dispose();
    });

    /** The first event of a `changes` subscription over Server-Sent Events. */
    async function firstChange(): Promise<Record<string, any>> {
      const controller = new AbortController();
      const response = await fetch(server.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: ROOT },
        body: JSON.stringify({ query: 'subscription { changes(afterRevision: "0") { revision createDate } }' }),
        signal: controller.signal,
      });
      const reader = response.body!.getReader();
      const decoder = new TextDecoder();
      let buffer = '';
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) throw new Error(`the stream ended before an event: ${buffer}`);
          buffer += decoder.decode(value, { stream: true });
          const data = /^event: next\ndata: (.*)$/m.exec(buffer)?.[1];
          if (data !== undefined) return JSON.parse(data).data.changes;
        }
      } finally {
        controller.abort();
      }
    }

    it('every date field a client reads is an RFC 3339 string in UTC that round-trips', async () => {
      const created = await ok(
        server,
        ROOT,
        `mutation($trust: String!, $doc: String!) {
          createUser(input: { userName: "dana" }) { ... on CreateUserSuccess { user { createDate } } }
          createGroup(input: { groupName: "dates" }) { ... on CreateGroupSuccess { group { createDate } } }
          createRole(input: { roleName: "Dated", assumeRolePolicyDocument: $trust }) { ... on CreateRoleSuccess { role { createDate } } }
          createPolicy(input: { policyName: "Dated", policyDocument: $doc }) {
            ... on CreatePolicySuccess { policy { createDate updateDate defaultVersion { createDate } } } }
          createOpenIDConnectProvider(input: { url: "https://issuer.example", clientIdList: ["app"] }) {
            ... on CreateOpenIDConnectProviderSuccess { openIDConnectProvider { createDate } } }
        }`,
        {
          trust: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/dana` }, Action: 'sts:AssumeRole' }] }),
          doc: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] }),
        },
      );
      note('User.createDate', created['createUser'].user.createDate);
      note('Group.createDate', created['createGroup'].group.createDate);
      note('Role.createDate', created['createRole'].role.createDate);
      note('ManagedPolicy.createDate', created['createPolicy'].policy.createDate);
      note('ManagedPolicy.updateDate', created['createPolicy'].policy.updateDate);
      note('PolicyVersion.createDate', created['createPolicy'].policy.defaultVersion.createDate);
      note('OpenIDConnectProvider.createDate', created['createOpenIDConnectProvider'].openIDConnectProvider.createDate);

      // A provider whose keys were fetched from its issuer through discovery, for keysFetchDate.
      const pair = await generateKeyPair('RS256', { extractable: true });
      const issuer = await startIssuer({ keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'dates', alg: 'RS256' }] });
      try {
        const provider = await ok(server, ROOT, `mutation { createOpenIDConnectProvider(input: { url: "${issuer.url}", clientIdList: ["app"] }) {
          ... on CreateOpenIDConnectProviderSuccess { openIDConnectProvider { arn } } } }`);
        const providerArn = provider['createOpenIDConnectProvider'].openIDConnectProvider.arn;
        await createRole(server, 'DatedWeb', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Federated: providerArn }, Action: 'sts:AssumeRoleWithWebIdentity' }] });
        const webIdentityToken = await new SignJWT({}).setProtectedHeader({ alg: 'RS256', kid: 'dates' }).setIssuer(issuer.url).setAudience('app').setSubject('s').setExpirationTime('5m').sign(pair.privateKey);
        await ok(server, undefined, 'mutation($i: AssumeRoleWithWebIdentityInput!) { assumeRoleWithWebIdentity(input: $i) { __typename } }', {
          i: { roleArn: `arn:aws:iam::${ACCOUNT}:role/DatedWeb`, roleSessionName: 'dates', webIdentityToken },
        });
        const fetched = await ok(server, ROOT, `{ openIDConnectProvider(openIDConnectProviderArn: "${providerArn}") { keysFetchDate } }`);
        note('OpenIDConnectProvider.keysFetchDate', fetched['openIDConnectProvider'].keysFetchDate);
      } finally {
        issuer.server.close();
      }

      const dana = await accessKeyFor(server, 'dana');
      const written = await ok(
        server,
        ROOT,
        `mutation($doc: String!) {
          putUserPolicy(input: { userName: "dana", policyName: "Inline", policyDocument: $doc }) { ... on PutUserPolicySuccess { inlinePolicy { updateDate } } }
          createLoginProfile(input: { userName: "dana", password: "Dana-pass-2026!" }) { ... on CreateLoginProfileSuccess { loginProfile { createDate } } }
          createVirtualMFADevice(input: { virtualMFADeviceName: "dana" }) { ... on CreateVirtualMFADeviceSuccess { serialNumber base32StringSeed } }
        }`,
        { doc: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['sts:AssumeRole', 'iam:ListAccessKeys'], Resource: '*' }] }) },
      );
      note('InlinePolicy.updateDate', written['putUserPolicy'].inlinePolicy.updateDate);
      note('LoginProfile.createDate', written['createLoginProfile'].loginProfile.createDate);

      const sessions = await ok(
        server,
        dana.header,
        `mutation($role: String!) {
          getSessionToken(input: { durationSeconds: 900 }) { ... on GetSessionTokenSuccess { credentials { expiration } } }
          assumeRole(input: { roleArn: $role, roleSessionName: "dates" }) { ... on AssumeRoleSuccess { credentials { expiration } } }
        }`,
        { role: `arn:aws:iam::${ACCOUNT}:role/Dated` },
      );
      note('Credentials.expiration', sessions['getSessionToken'].credentials.expiration);
      expect(sessions['assumeRole'].credentials.expiration).toMatch(RFC_3339);
      const signedIn = await ok(server, undefined, 'mutation($i: SignInInput!) { signIn(input: $i) { ... on SignInSuccess { expiration } } }', {
        i: { account: ACCOUNT, userName: 'root', password: ROOT_PASSWORD },
      });
      note('SignInSuccess.expiration', signedIn['signIn'].expiration);

      // The organization: an account closed (joined and closed dates) and an SCP with two versions.
      const org = await ok(
        server,
        ROOT,
        `mutation($doc: String!) {
          createAccount(input: { accountName: "Dated", email: "dated@example.com" }) { ... on CreateAccountSuccess { account { id } } }
          createOrganizationPolicy(input: { name: "Dated", type: SERVICE_CONTROL_POLICY, content: $doc }) {
            ... on CreateOrganizationPolicySuccess { policy { createDate updateDate versions { createDate } } } }
        }`,
        { doc: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'ec2:*', Resource: '*' }] }) },
      );
      note('OrganizationPolicy.createDate', org['createOrganizationPolicy'].policy.createDate);
      note('OrganizationPolicy.updateDate', org['createOrganizationPolicy'].policy.updateDate);
      note('OrganizationPolicyVersion.createDate', org['createOrganizationPolicy'].policy.versions[0].createDate);
      const closed = await ok(server, ROOT, `mutation { closeAccount(input: { accountId: "${org['createAccount'].account.id}" }) {
        ... on CloseAccountSuccess { account { joinedDate closedDate } } } }`);
      note('OrganizationAccount.joinedDate', closed['closeAccount'].account.joinedDate);
      note('OrganizationAccount.closedDate', closed['closeAccount'].account.closedDate);

      // A guarded request, so that the key's last use is recorded.
      await ok(server, dana.header, '{ accessKeys { accessKeyId } }');
      await server.running.app.authz.flushUsage();
      const read = await ok(
        server,
        ROOT,
        `query($key: String!) {
          accessKeys(userName: "dana") { createDate }
          accessKeyLastUsed(accessKeyId: $key) { lastUsedDate }
          role(roleName: "Dated") { lastUsedDate }
          serviceStatus { updateDate }
        }`,
        { key: dana.accessKeyId },
      );
      note('AccessKey.createDate', read['accessKeys'][0].createDate);
      note('AccessKeyLastUsed.lastUsedDate', read['accessKeyLastUsed'].lastUsedDate);
      note('Role.lastUsedDate', read['role'].lastUsedDate);
      note('ServiceStatus.updateDate', read['serviceStatus'].updateDate);
      note('ChangeEvent.createDate', (await firstChange()).createDate);
      const resource = await ok(server, ROOT, 'mutation { registerResource(input: { resourceArn: "arn:aws:s3:::dated" }) { ... on RegisterResourceSuccess { resource { createDate updateDate } } } }');
      note('RegisteredResource.createDate', resource['registerResource'].resource.createDate);
      note('RegisteredResource.updateDate', resource['registerResource'].resource.updateDate);

      const service = await ok(
        server,
        ROOT,
        'mutation($i: PutServiceInput!) { putService(input: $i) { ... on PutServiceSuccess { service { createDate updateDate } } } }',
        { i: { serviceName: 'dated', displayName: 'Dated', actions: [{ name: 'Go', accessLevel: 'READ' }] } },
      );
      note('Service.createDate', service['putService'].service.createDate);
      note('Service.updateDate', service['putService'].service.updateDate);

      const idp = createTestIdp({ entityId: 'https://idp.dated.example', audience: 'urn:portcullis:webservices', recipient: 'http://localhost/saml' });
      const metadata = idp.metadata.replace(/<((\w+:)?EntityDescriptor)\b/, `<$1 validUntil="${new Date(Date.now() + 6 * 3_600_000).toISOString()}"`);
      const saml = await ok(server, ROOT, 'mutation($i: CreateSAMLProviderInput!) { createSAMLProvider(input: $i) { ... on CreateSAMLProviderSuccess { samlProvider { createDate validUntilDate } } } }', {
        i: { name: 'Dated', samlMetadataDocument: metadata },
      });
      note('SAMLProvider.createDate', saml['createSAMLProvider'].samlProvider.createDate);
      note('SAMLProvider.validUntilDate', saml['createSAMLProvider'].samlProvider.validUntilDate);

      await ok(server, ROOT, 'mutation { generateCredentialReport { __typename } }');
      const report = await ok(server, ROOT, '{ credentialReport { generatedDate } }');
      note('CredentialReport.generatedDate', report['credentialReport'].generatedDate);

      const revoked = await ok(server, ROOT, 'mutation { revokeRoleSessions(input: { roleName: "Dated" }) { ... on RevokeRoleSessionsSuccess { revokeDate } } }');
      note('RevokeRoleSessionsSuccess.revokeDate', revoked['revokeRoleSessions'].revokeDate);

      // Last, as it locks the device: enable it, then guess wrong until it locks.
      const seed = base32Decode(written['createVirtualMFADevice'].base32StringSeed);
      const serialNumber = written['createVirtualMFADevice'].serialNumber as string;
      const step = timeStep(new Date());
      const enabled = await ok(server, ROOT, 'mutation($i: EnableMFADeviceInput!) { enableMFADevice(input: $i) { ... on EnableMFADeviceSuccess { mfaDevice { enableDate } } } }', {
        i: { userName: 'dana', serialNumber, authenticationCode1: hotp(seed, step - 2), authenticationCode2: hotp(seed, step - 1) },
      });
      note('MFADevice.enableDate', enabled['enableMFADevice'].mfaDevice.enableDate);
      const near = new Set([-2, -1, 0, 1, 2].map((d) => hotp(seed, step + d)));
      const wrong = ['000000', '111111', '222222', '333333', '444444', '555555', '666666'].filter((code) => !near.has(code));
      let locked: Record<string, any> | undefined;
      for (const tokenCode of wrong.slice(0, MFA_LOCKOUT.maxFailures)) {
        const answer = await send(server, dana.header, 'mutation($i: GetSessionTokenInput!) { getSessionToken(input: $i) { ... on MFADeviceLocked { unlockDate } } }', {
          i: { serialNumber, tokenCode },
        });
        locked = answer.body.data?.['getSessionToken'] ?? undefined;
      }
      note('MFADeviceLocked.unlockDate', locked?.['unlockDate']);

      // One test over every DateTime field of the schema: a new one must be read here too.
      // Usage reports' dates need recorded use and aged entities: test/usage/usage-analysis.test.ts checks them the same way.
      const usageReports = /^(ServiceLastAccessed|TrackedActionLastAccessed|AccessAdvisorEntityDetails|GetServiceLastAccessedDetails(WithEntities)?Response|GeneratedPolicy|GeneratedPolicyInput|UnusedAccessFinding|UnusedAction|UnusedAccessFindingsUpdate)\./;
      expect([...seen.keys()].sort()).toEqual(dateTimeFields().filter((f) => !usageReports.test(f)));
      for (const [coordinate, value] of seen) {
        expect(typeof value, `${coordinate}: ${JSON.stringify(value)}`).toBe('string');
        expect(value, coordinate).toMatch(RFC_3339);
        expect(new Date(value as string).toISOString(), coordinate).toBe(value);
        const at = Date.parse(value as string);
        expect(at, coordinate).toBeGreaterThanOrEqual(started - 1_000);
        expect(at, coordinate).toBeLessThan(Date.now() + 13 * 3600_000);
      }
    }, 60_000);
  });
});

describe('enums', () => {
  it('spell every value UPPER_CASE', () => {
    const offending: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isEnumType(type) || type.name.startsWith('__')) continue;
      for (const value of type.getValues()) if (!/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/.test(value.name)) offending.push(`${type.name}.${value.name}`);
    }
    expect(offending).toEqual([]);
  });

  describe('a misspelt value in an input', () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startIdentityServer();
      await createUser(server, 'erin');
    }, 60_000);
    afterAll(async () => {
      await server?.dispose();
    });

    it('is a GraphQL validation error, AWS spelling included, and changes nothing', async () => {
      const key = await accessKeyFor(server, 'erin');
      const update = (status: string) =>
        send(server, ROOT, `mutation { updateAccessKey(input: { userName: "erin", accessKeyId: "${key.accessKeyId}", status: ${status} }) { __typename } }`);
      for (const typo of ['Inactive', 'INACTIV', 'inactive']) {
        const answer = await update(typo);
        expect(answer.body.data, typo).toBeUndefined();
        expect(answer.body.errors?.[0]?.extensions?.['code'], typo).toBe('GRAPHQL_VALIDATION_FAILED');
      }
      // In a variable: refused while coercing the variables, before any resolver runs.
      const asVariable = await send(server, ROOT, 'mutation($i: UpdateAccessKeyInput!) { updateAccessKey(input: $i) { __typename } }', {
        i: { userName: 'erin', accessKeyId: key.accessKeyId, status: 'Inactive' },
      });
      expect(asVariable.body.data).toBeUndefined();
      expect(asVariable.body.errors?.[0]?.message).toContain('Expected type AccessKeyStatus');
      expect(asVariable.body.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
      // The same over a subscription (SSE), whose execution context graphql-js builds, and for a
      // misspelt change kind (the filter's lists are enums: a typo is refused, not an empty stream).
      const sse = await fetch(server.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: ROOT },
        body: JSON.stringify({ query: 'subscription($f: ChangeFilter) { changes(filter: $f) { revision } }', variables: { f: { kinds: ['UserCreated'] } } }),
      });
      const events = await sse.text();
      expect(events).toContain('does not exist in \\"ChangeKind\\" enum');
      expect(events).toContain('"code":"BAD_USER_INPUT"');

      const after = await ok(server, ROOT, '{ accessKeys(userName: "erin") { accessKeyId status } }');
      expect(after['accessKeys']).toEqual([{ accessKeyId: key.accessKeyId, status: 'ACTIVE' }]);
      expect((await send(server, key.header, '{ callerIdentity { arn } }')).status).toBe(200);
      // The right spelling does take effect.
      expect((await update('INACTIVE')).body.data).toEqual({ updateAccessKey: { __typename: 'UpdateAccessKeySuccess' } });
      expect((await ok(server, ROOT, '{ accessKeys(userName: "erin") { status } }'))['accessKeys']).toEqual([{ status: 'INACTIVE' }]);
    }, 60_000);
  });
});

describe('argument defaults', () => {
  const defaultOf = (coordinate: string): unknown => {
    const c = coordinates().find((x) => x.coordinate === coordinate);
    if (c === undefined) throw new Error(`no ${coordinate} in the schema`);
    return (c.value as GraphQLArgument | GraphQLInputField).defaultValue;
  };

  it('are declared in the SDL', () => {
    for (const [coordinate, value] of [
      ['Query.users(first:)', 100],
      ['Query.users(pathPrefix:)', '/'],
      ['Query.groups(first:)', 100],
      ['Query.roles(pathPrefix:)', '/'],
      ['User.groups(first:)', 100],
      ['Group.users(first:)', 100],
      ['Query.policies(scope:)', 'ALL'],
      ['Query.policies(onlyAttached:)', false],
      ['ManagedPolicy.entities(policyUsageFilter:)', 'PermissionsPolicy'],
      ['Query.validatePolicy(policyType:)', 'IDENTITY_POLICY'],
      ['Query.virtualMFADevices(assignmentStatus:)', 'Any'],
      ['CreateUserInput.path', '/'],
      ['CreateRoleInput.maxSessionDuration', 3600],
      ['CreatePolicyVersionInput.setAsDefault', false],
      ['AssumeRoleInput.durationSeconds', 3600],
      ['SimulateCustomPolicyInput.resourceArns', ['*']],
      ['UpdateAccountPasswordPolicyInput.minimumPasswordLength', 6],
    ] as const) {
      expect(defaultOf(coordinate), coordinate).toEqual(value);
    }
  });

  it('are not left to descriptions: only defaults that depend on the request are described instead', () => {
    // Each of these defaults to something the request decides (the caller, its account, the field asked).
    const conditional = new Set(['principalArn', 'resourceOwner', 'maxItems', 'durationSeconds', 'includeAudit']);
    const describedOnly = coordinates()
      .filter((c) => c.coordinate.includes('(') || isInputObjectType(schema.getType(c.coordinate.split('.')[0]!)))
      .filter((c) => /\bdefault\b/i.test(c.value.description ?? '') && (c.value as GraphQLArgument).defaultValue === undefined && !conditional.has(c.name))
      .map((c) => c.coordinate);
    expect(describedOnly).toEqual([]);
  });
});
