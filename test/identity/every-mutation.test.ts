/**
 * Self-authorization covers every mutation (DESIGN.md "Self-authorization", issue 5): a user
 * with no policies is refused each one with ACCESS_DENIED naming an IAM action, and anonymous
 * callers get UNAUTHENTICATED. The list comes from the schema itself, so a new mutation without a
 * guard fails this test. Arguments are synthesised from the input types (well-formed values that
 * name things in the caller's account), since the guard must decide before anything is looked up.
 */
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  type GraphQLInputType,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '../../src/graphql/schema.ts';
import type { TestServer } from '../support/server.ts';
import { ACCOUNT, accessKeyFor, createUser, send, startIdentityServer } from './harness.ts';

/**
 * Mutations that need no credential, as in AWS: signing in, and AssumeRoleWithWebIdentity (the
 * web identity token is the credential; the role's trust policy decides).
 */
const ANONYMOUS = new Set(['signIn', 'assumeRoleWithWebIdentity']);
/**
 * Mutations any authenticated caller may make: signing out ends the caller's own session, and
 * AWS's GetSessionToken "requires no permissions" (STS API reference).
 */
const ANY_CALLER = new Set(['signOut', 'getSessionToken']);

/** A well-formed value for a field, chosen by its name where the name says what it holds. */
function sampleString(field: string): string {
  const name = field.toLowerCase();
  if (name.endsWith('arn') || name === 'policysourcearn') {
    if (name.includes('policy')) return `arn:aws:iam::${ACCOUNT}:policy/Sample`;
    if (name.includes('role')) return `arn:aws:iam::${ACCOUNT}:role/Sample`;
    if (name.includes('provider')) return `arn:aws:iam::${ACCOUNT}:oidc-provider/issuer.example`;
    return `arn:aws:iam::${ACCOUNT}:user/sample`;
  }
  if (name.includes('document') || name === 'policy') return '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}';
  if (name === 'account' || name === 'accountid' || name === 'resourceowner') return ACCOUNT;
  if (name.includes('versionid')) return 'v1';
  if (name === 'path' || name === 'newpath') return '/';
  if (name.includes('url')) return 'https://issuer.example';
  if (name.includes('code')) return '123456';
  if (name.includes('serialnumber')) return `arn:aws:iam::${ACCOUNT}:mfa/sample`;
  if (name.includes('accesskeyid')) return 'AKIAAAAAAAAAAAAAAAAA';
  if (name.includes('revision')) return '0';
  if (name === 'action') return 's3:GetObject';
  if (name.includes('password')) return 'Sample-Password-123!';
  return 'sample';
}

function sample(type: GraphQLInputType, field: string): unknown {
  if (isNonNullType(type)) return sample(type.ofType, field);
  if (isListType(type)) return [sample(type.ofType, field)];
  const named = getNamedType(type);
  if (isEnumType(named)) return named.getValues()[0]!.value;
  if (isInputObjectType(named)) {
    const value: Record<string, unknown> = {};
    for (const inner of Object.values(named.getFields())) {
      if (isNonNullType(inner.type)) value[inner.name] = sample(inner.type, inner.name);
    }
    return value;
  }
  if (isScalarType(named)) {
    if (named.name === 'Int' || named.name === 'Float') return 3600;
    if (named.name === 'Boolean') return false;
  }
  return sampleString(field);
}

const allMutations = Object.values(schema.getMutationType()!.getFields()).map((f) => f.name);
const guarded = allMutations.filter((name) => !ANONYMOUS.has(name) && !ANY_CALLER.has(name));

/** One mutation with variables for its required arguments; selects only __typename. */
function operation(name: string): { query: string; variables: Record<string, unknown> } {
  const field = schema.getMutationType()!.getFields()[name]!;
  const required = field.args.filter((a) => isNonNullType(a.type));
  const defs = required.map((a) => `$${a.name}: ${a.type.toString()}`).join(', ');
  const args = required.map((a) => `${a.name}: $${a.name}`).join(', ');
  const variables = Object.fromEntries(required.map((a) => [a.name, sample(a.type, a.name)]));
  const selection = isScalarType(getNamedType(field.type)) ? '' : ' { __typename }';
  return { query: `mutation${defs ? `(${defs})` : ''} { ${name}${args ? `(${args})` : ''}${selection} }`, variables };
}

describe('every mutation is self-authorized', () => {
  let server: TestServer;
  let nobody: string;
  beforeAll(async () => {
    server = await startIdentityServer();
    await createUser(server, 'nobody');
    nobody = (await accessKeyFor(server, 'nobody')).header;
  }, 60_000);
  afterAll(async () => {
    await server.dispose();
  });

  it('the schema has mutations to check', () => {
    expect(guarded.length).toBeGreaterThan(40);
  });

  it.each(guarded)('%s: refused to a user without policies, and to anonymous callers', async (name) => {
    const { query, variables } = operation(name);
    const denied = await send(server, nobody, query, variables);
    const text = JSON.stringify(denied.body).slice(0, 400);
    const items = (denied.body.data as Record<string, unknown> | null | undefined)?.[name];
    if (Array.isArray(items)) {
      // authorizeBatch answers per item: each refused question is an AccessDenied member.
      expect(items.map((i: { __typename: string }) => i.__typename), text).toEqual(items.map(() => 'AccessDenied'));
    } else {
      expect(denied.body.errors?.[0]?.extensions?.['code'], `${name}: ${text}`).toBe('ACCESS_DENIED');
      expect(String(denied.body.errors?.[0]?.extensions?.['action']), text).toMatch(/^[a-z0-9-]+:[A-Za-z]+$/);
    }
    const anonymous = await send(server, undefined, query, variables);
    expect(anonymous.status, `${name} anonymous: ${JSON.stringify(anonymous.body).slice(0, 300)}`).toBe(401);
    expect(anonymous.body.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
  });

  it.each([...ANY_CALLER])('%s: open to any authenticated caller, but not to anonymous ones', async (name) => {
    const { query, variables } = operation(name);
    const anonymous = await send(server, undefined, query, variables);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
  });
});
