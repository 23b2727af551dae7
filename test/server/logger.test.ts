import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, SECRET_KEYS } from '../../src/server/logger.ts';
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

describe('logger redaction', () => {
  it('never writes a secret value, at the top level or nested', () => {
    const { logger, lines } = capture();
    const secret = 'TOP-SECRET-VALUE';
    for (const key of SECRET_KEYS) {
      logger.info({ [key]: secret, nested: { [key]: secret, deeper: { [key]: secret } } }, `field ${key}`);
    }
    logger.info({ req: { headers: { authorization: `Bearer ${secret}`, 'user-agent': 'curl' } } }, 'headers');
    logger.info({ input: { userName: 'alice', password: secret, totpCode: '123456' } }, 'mutation input');
    expect(lines).toHaveLength(SECRET_KEYS.length + 2);
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
