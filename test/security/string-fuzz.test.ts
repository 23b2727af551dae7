/**
 * Hostile strings in every String (and ID) slot of the API: each argument and each input-object
 * field, found by walking the schema, for every Query and Mutation field. A root caller sends each
 * over real HTTP; every answer must be data or a typed error with a known code — never a masked
 * "Unexpected error.", an INTERNAL_SERVER_ERROR or an HTTP 5xx — and /healthz must answer after.
 */
import fc from 'fast-check';
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isScalarType,
  type GraphQLField,
  type GraphQLInputType,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '../../src/graphql/schema.ts';
import { ERROR_CODES } from '../../src/graphql/wire-errors.ts';
import type { TestServer } from '../support/server.ts';
import { ACCOUNT, ROOT, send, startIdentityServer } from '../identity/support/server.ts';

/** One String-typed place to put a hostile value: an argument, or a field path inside it. */
interface Slot {
  readonly operation: 'query' | 'mutation';
  readonly field: GraphQLField<unknown, unknown>;
  /** Argument name, then input-object field names. */
  readonly path: readonly string[];
}

/** Codes an answer may carry: the API's ErrorCode values, and graphql-yoga's own for documents and variables. */
const KNOWN_CODES = new Set([...Object.keys(ERROR_CODES), 'BAD_USER_INPUT', 'GRAPHQL_VALIDATION_FAILED', 'GRAPHQL_PARSE_FAILED', 'BAD_REQUEST']);

/** Hand-picked hostile strings: NUL, lone surrogates, a megabyte, patterns, variables, SQL, control characters. */
const HOSTILE = fc.oneof(
  fc.constantFrom(
    '\u0000',
    'user\u0000name',
    '\uD800',
    'a\uDFFFb\uD83D',
    'x'.repeat(1_048_576),
    '*'.repeat(1000),
    `${'*a'.repeat(500)}?`,
    '${aws:username}',
    '${*}${?}${$}',
    "' OR '1'='1' --",
    '"; DROP TABLE users; --',
    '\\\'\\"%_',
    '\u00e9\u0301\u{1F600}'.repeat(20_000),
    '\u0001\u0007\u001b[31m\r\n\t\u007f\u0085\u2028\u2029',
    '',
    ' ',
    `arn:aws:iam::${ACCOUNT}:user/\u0000`,
    'arn:aws:iam::*:*',
    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringLike":{"aws:username":"' + '*a'.repeat(400) + '"}}}]}',
  ),
  fc.string({ unit: 'binary', maxLength: 64 }),
  fc.string({ unit: fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c)), maxLength: 16 }),
  fc.string({ unit: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)), minLength: 1, maxLength: 4 }),
);

/** A well-formed value for the other required slots, chosen by field name where it says what it holds. */
function sampleString(name: string): string {
  const n = name.toLowerCase();
  if (n.includes('document') || n === 'policy' || n.endsWith('policyinputlist')) return '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}';
  if (n.endsWith('arn') || n.endsWith('arns') || n === 'serialnumber') {
    if (n.includes('policy')) return `arn:aws:iam::${ACCOUNT}:policy/Sample`;
    if (n.includes('role')) return `arn:aws:iam::${ACCOUNT}:role/Sample`;
    if (n.includes('provider')) return `arn:aws:iam::${ACCOUNT}:oidc-provider/issuer.example`;
    if (n.includes('serial')) return `arn:aws:iam::${ACCOUNT}:mfa/sample`;
    return `arn:aws:iam::${ACCOUNT}:user/sample`;
  }
  if (n === 'account') return ACCOUNT;
  if (n.includes('versionid')) return 'v1';
  if (n === 'url') return 'https://issuer.example';
  if (n.includes('code')) return '123456';
  if (n.includes('accesskeyid')) return 'AKIAAAAAAAAAAAAAAAAA';
  if (n === 'action' || n === 'actionnames') return 's3:GetObject';
  if (n === 'resourcearn') return '*';
  if (n.includes('password')) return 'Sample-Password-123!';
  if (n === 'id' || n === 'ids') return Buffer.from('User:AIDAAAAAAAAAAAAAAAAAA').toString('base64');
  return 'sample';
}

const isStringLike = (type: GraphQLInputType): boolean => {
  const named = getNamedType(type);
  return isScalarType(named) && (named.name === 'String' || named.name === 'ID');
};

/** Every String/ID slot under an input type, as field-name paths. */
function slotsIn(type: GraphQLInputType, path: string[], depth = 0): string[][] {
  if (isStringLike(type)) return [path];
  const named = getNamedType(type);
  if (!isInputObjectType(named) || depth > 4) return [];
  return Object.values(named.getFields()).flatMap((f) => slotsIn(f.type, [...path, f.name], depth + 1));
}

/** A value of `type`: `hostile` at `path` (an empty path means here), samples in required places elsewhere. */
function build(type: GraphQLInputType, name: string, path: readonly string[] | undefined, hostile: string): unknown {
  if (isNonNullType(type)) return build(type.ofType, name, path, hostile);
  if (isListType(type)) return [build(type.ofType, name, path, hostile)];
  const named = getNamedType(type);
  if (path !== undefined && path.length === 0) return hostile;
  if (isEnumType(named)) return named.getValues()[0]!.name;
  if (isInputObjectType(named)) {
    const value: Record<string, unknown> = {};
    for (const inner of Object.values(named.getFields())) {
      const here = path?.[0] === inner.name ? path.slice(1) : undefined;
      if (here !== undefined || isNonNullType(inner.type)) value[inner.name] = build(inner.type, inner.name, here, hostile);
    }
    return value;
  }
  if (isScalarType(named) && (named.name === 'Int' || named.name === 'Float')) return 3600;
  if (isScalarType(named) && named.name === 'Boolean') return false;
  return sampleString(name);
}

/** The operation carrying `hostile` in `slot`, with every other required argument sampled. */
function operation(slot: Slot, hostile: string): { query: string; variables: Record<string, unknown> } {
  const args = slot.field.args.filter((a) => isNonNullType(a.type) || a.name === slot.path[0]);
  const defs = args.map((a) => `$${a.name}: ${a.type.toString()}`).join(', ');
  const call = args.map((a) => `${a.name}: $${a.name}`).join(', ');
  const variables = Object.fromEntries(args.map((a) => [a.name, build(a.type, a.name, a.name === slot.path[0] ? slot.path.slice(1) : undefined, hostile)]));
  const selection = isLeafType(getNamedType(slot.field.type)) ? '' : ' { __typename }';
  return { query: `${slot.operation}(${defs}) { ${slot.field.name}(${call})${selection} }`, variables };
}

const SLOTS: Slot[] = (['query', 'mutation'] as const).flatMap((operation) => {
  const type = operation === 'query' ? schema.getQueryType()! : schema.getMutationType()!;
  return Object.values(type.getFields()).flatMap((field) =>
    field.args.flatMap((arg) => slotsIn(arg.type, [arg.name]).map((path) => ({ operation, field: field as GraphQLField<unknown, unknown>, path }))),
  );
});

describe('hostile strings in every String argument', () => {
  let server: TestServer;
  beforeAll(async () => {
    // Room for a megabyte string in the body, and no rate limit on the root key sending them all.
    server = await startIdentityServer({ MAX_BODY_BYTES: String(8 * 1_048_576), RATE_LIMIT_PER_SECOND: '0' });
  }, 60_000);
  afterAll(async () => {
    await server.dispose();
  });

  it('finds the String slots of the schema', () => {
    expect(SLOTS.length).toBeGreaterThan(100);
  });

  it.each(SLOTS.map((s) => [`${s.operation} ${s.field.name}(${s.path.join('.')})`, s] as const))('%s', async (_name, slot) => {
    await fc.assert(
      fc.asyncProperty(HOSTILE, async (hostile) => {
        const { query, variables } = operation(slot, hostile);
        const response = await send(server, ROOT, query, variables);
        const text = `${JSON.stringify(hostile.slice(0, 40))} (${hostile.length} chars): HTTP ${response.status} ${JSON.stringify(response.body).slice(0, 300)}`;
        expect(response.status, text).toBeLessThan(500);
        for (const error of response.body.errors ?? []) {
          expect(error.message, text).not.toBe('Unexpected error.');
          expect(KNOWN_CODES.has(String(error.extensions?.['code'])), text).toBe(true);
        }
        if (response.body.errors === undefined) expect(response.body.data?.[slot.field.name], text).not.toBeUndefined();
      }),
      // Every slot gets a NUL byte (bare and inside an ARN) and a lone surrogate; random draws cover the rest.
      { numRuns: 4, examples: [['user\u0000name'], [`arn:aws:iam::${ACCOUNT}:user/a\u0000b`], ['\uDC00x']] },
    );
  });

  it('leaves the server up', async () => {
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});
