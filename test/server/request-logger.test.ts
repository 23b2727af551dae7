import { afterEach, describe, expect, it, vi } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.ts';

const KEY = { id: 'AKIAREQUESTLOGGER234', secret: 'request-logger-secret-0123456789abcdef' };
const AUTHORIZATION = { authorization: `Basic ${Buffer.from(`${KEY.id}:${KEY.secret}`).toString('base64')}` };
const AUTHORIZE = `mutation ($input: AuthorizeInput!) { authorize(input: $input) { ... on Decision { allowed } } }`;

/**
 * A request binds a child logger to its id only when something logs: pino's child() runs the
 * redaction serializers over the bindings (about 17 µs, and 50 kB of garbage per request).
 * Envelop assembles the GraphQL context with Object.assign, which reads getters, so a lazy getter
 * on the context bound one for every request; the context carries a function instead.
 */
describe('request logger', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.dispose();
    server = undefined;
  });

  async function askTwice(level: 'warn' | 'info') {
    server = await startTestServer({ env: { LOG_LEVEL: level, PORTCULLIS_ROOT_ACCESS_KEY: `${KEY.id}:${KEY.secret}` } });
    const child = vi.spyOn(server.running.app.logger, 'child');
    const bare = await server.gql('{ __typename }', undefined, { ...AUTHORIZATION, 'x-request-id': 'req-bare' });
    const input = { principalArn: 'arn:aws:iam::111122223333:root', action: 's3:GetObject', resourceArn: 'arn:aws:s3:::b/k' };
    const decided = await server.gql(AUTHORIZE, { input }, { ...AUTHORIZATION, 'x-request-id': 'req-authorize' });
    expect(bare.body.errors).toBeUndefined();
    expect(decided.body.data).toEqual({ authorize: { allowed: true } });
    return child;
  }

  it('binds none for requests that log nothing', async () => {
    const child = await askTwice('warn');
    expect(child).not.toHaveBeenCalled();
  });

  it('binds one per request that logs, and its lines carry the request id', async () => {
    const child = await askTwice('info');
    expect(child.mock.calls.map(([bindings]) => bindings)).toEqual([{ requestId: 'req-bare' }, { requestId: 'req-authorize' }]);
    const operations = server!.logs.filter((line) => line['msg'] === 'graphql operation');
    expect(operations.map((line) => line['requestId'])).toEqual(['req-bare', 'req-authorize']);
  });
});
