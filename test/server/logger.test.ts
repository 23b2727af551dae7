import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.ts';
import { requestIdFrom } from '../../src/server/request-id.ts';

/** A logger writing into an array of parsed JSON lines. */
function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: createLogger('info', stream), lines };
}

/**
 * Every field of the GraphQL API (arguments, inputs and results) that carries a secret, listed
 * here by hand from schema/schema.graphql rather than taken from the logger under test, so a
 * secret field the logger forgets fails this test. Plus the HTTP header that carries credentials.
 */
const API_SECRET_FIELDS = [
  'authorization',
  'password',
  'newPassword',
  'oldPassword',
  'secretAccessKey',
  'sessionToken',
  'authenticationCode1',
  'authenticationCode2',
  'tokenCode',
  'mfaCode',
  'webIdentityToken',
  'base32StringSeed',
  'otpauthUri',
];

describe('logger redaction', () => {
  it('never writes a secret value, at the top level or nested', () => {
    const { logger, lines } = capture();
    const secret = 'TOP-SECRET-VALUE';
    for (const key of API_SECRET_FIELDS) {
      logger.info({ [key]: secret, nested: { [key]: secret, deeper: { [key]: secret } } }, `field ${key}`);
    }
    logger.info({ req: { headers: { authorization: `Bearer ${secret}`, 'user-agent': 'curl' } } }, 'headers');
    logger.info({ input: { userName: 'alice', password: secret, totpCode: '123456' } }, 'mutation input');
    expect(lines).toHaveLength(API_SECRET_FIELDS.length + 2);
    for (const [i, key] of API_SECRET_FIELDS.entries()) {
      expect(lines[i], key).toMatchObject({ [key]: '[redacted]', nested: { [key]: '[redacted]', deeper: { [key]: '[redacted]' } } });
    }
    for (const line of lines) expect(JSON.stringify(line)).not.toContain(secret);
    expect(JSON.stringify(lines)).not.toContain('123456');
    // Everything else still reaches the log.
    expect(lines.at(-2)).toMatchObject({ req: { headers: { authorization: '[redacted]', 'user-agent': 'curl' } } });
    expect(lines.at(-1)).toMatchObject({ input: { userName: 'alice', password: '[redacted]' } });
  });
});

describe('requestIdFrom', () => {
  it('keeps a sane incoming id', () => {
    expect(requestIdFrom('req-42.a:b_C')).toBe('req-42.a:b_C');
    expect(requestIdFrom(['first-id', 'second-id'])).toBe('first-id');
  });

  it('replaces a missing or unsafe id with a fresh UUID', () => {
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
    for (const bad of [undefined, '', 'has space', 'line\nbreak', '"quoted"', 'x'.repeat(129)]) {
      expect(requestIdFrom(bad)).toMatch(uuid);
    }
    expect(requestIdFrom(undefined)).not.toBe(requestIdFrom(undefined));
  });
});
