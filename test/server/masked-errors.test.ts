import { Writable } from 'node:stream';
import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.ts';
import { createErrorMasker } from '../../src/server/masked-errors.ts';
import { runInRequestScope } from '../../src/server/request-scope.ts';

function setup() {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  const logger = createLogger('info', stream);
  return { lines, logger, mask: createErrorMasker(logger) };
}

describe('error masking', () => {
  it('passes errors raised for the client through unchanged', () => {
    const { mask, lines } = setup();
    const error = new GraphQLError('not allowed', { extensions: { code: 'ACCESS_DENIED' } });
    expect(mask(error, 'Unexpected error.')).toBe(error);
    expect(lines).toEqual([]);
  });

  it('masks an unexpected error, logs it with the request id and tells the client the id', () => {
    const { mask, lines, logger } = setup();
    const cause = new Error('connection reset: password=hunter2 at db:5432');
    const wrapped = new GraphQLError(cause.message, { originalError: cause, path: ['serverInfo'] });
    const masked = runInRequestScope({ requestId: 'req-7', logger: logger.child({ requestId: 'req-7' }) }, () =>
      mask(wrapped, 'Unexpected error.'),
    ) as GraphQLError;

    expect(masked.message).toBe('Unexpected error.');
    expect(masked.extensions).toMatchObject({ code: 'INTERNAL_SERVER_ERROR', requestId: 'req-7' });
    expect(JSON.stringify(masked.toJSON())).not.toContain('hunter2');
    expect(masked.path).toEqual(['serverInfo']);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 50, requestId: 'req-7', path: ['serverInfo'] });
    expect((lines[0]?.['err'] as { message: string }).message).toBe(cause.message);
  });

  it('never attaches the original error, even in development', () => {
    const { mask } = setup();
    const previous = process.env['NODE_ENV'];
    process.env['NODE_ENV'] = 'development';
    try {
      const masked = mask(new Error('internal detail'), 'Unexpected error.') as GraphQLError;
      expect(JSON.stringify(masked.toJSON())).not.toContain('internal detail');
    } finally {
      process.env['NODE_ENV'] = previous;
    }
  });
});
