/**
 * Observability: /metrics carries per-operation request counts and latency histograms, open
 * subscriptions, the database and rate-limit families; every GraphQL operation writes one JSON
 * log line with the request id, the caller's ARN and the operation name; and no secret handed to
 * or out of the server (root secret, new access key secret, password, session token) ever
 * appears in any log line.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.ts';
import { CREATE_USER, must, post } from './support/directory.ts';
import { ROOT_AUTH, ROOT_ENV, ROOT_SECRET } from './support/env.ts';
import { wsClient } from './support/ws.ts';

describe('metrics and structured logs', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { ...ROOT_ENV, LOG_LEVEL: 'info' } });
  });
  afterAll(async () => server?.dispose());

  it('counts and times operations by name and shows open subscriptions', async () => {
    await post(server.graphqlUrl, ROOT_AUTH, 'query ServerVersion { serverInfo { version } }');
    await post(server.graphqlUrl, ROOT_AUTH, 'query ServerVersion { serverInfo { version } }');
    await post(server.graphqlUrl, '', 'query Broken { users(first: 1) { edges { cursor } } }'); // anonymous: UNAUTHENTICATED
    const { client } = wsClient(server.graphqlUrl, ROOT_AUTH);
    const stop = client.subscribe({ query: 'subscription Feed { changes { revision } }' }, { next: () => {}, error: () => {}, complete: () => {} });
    try {
      await expect.poll(async () => (await (await fetch(`${server.metricsUrl}/metrics`)).text()).includes('portcullis_subscriptions_active 1')).toBe(true);
      const text = await (await fetch(`${server.metricsUrl}/metrics`)).text();
      expect(text).toContain('portcullis_graphql_operations_total{operation="ServerVersion",type="query",outcome="ok"} 2');
      expect(text).toMatch(/portcullis_graphql_operations_total\{operation="Broken",type="query",outcome="error"\} 1/);
      expect(text).toContain('# TYPE portcullis_graphql_operation_duration_seconds histogram');
      expect(text).toContain('portcullis_graphql_operation_duration_seconds_count{operation="ServerVersion",type="query"} 2');
      expect(text).toMatch(/portcullis_graphql_operation_duration_seconds_bucket\{operation="ServerVersion",type="query",le="\+Inf"\} 2/);
      expect(text).toContain('portcullis_graphql_operations_total{operation="Feed",type="subscription",outcome="ok"} 1');
      expect(text).toContain('portcullis_database_up 1');
      expect(text).toMatch(/portcullis_rate_limited_total\{transport="http"\} 0/);
      expect(text).toMatch(/portcullis_live_listeners [1-9]/);
      if (server.config.databaseUrl !== undefined) expect(text).toMatch(/portcullis_database_pool_in_use \d+/);
    } finally {
      stop();
      await client.dispose();
    }
    await expect.poll(async () => (await (await fetch(`${server.metricsUrl}/metrics`)).text()).includes('portcullis_subscriptions_active 0')).toBe(true);
  });

  it('logs each operation with request id, caller ARN and operation name', async () => {
    const response = await fetch(server.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: ROOT_AUTH, 'x-request-id': 'ops-log-test-1' },
      body: JSON.stringify({ query: 'query WhoAmI { serverInfo { accountId } }' }),
    });
    expect(response.status).toBe(200);
    const line = server.logs.find((entry) => entry['msg'] === 'graphql operation' && entry['requestId'] === 'ops-log-test-1');
    expect(line).toMatchObject({ operationName: 'WhoAmI', operationType: 'query', caller: 'arn:aws:iam::111122223333:root', level: 30 });
    expect(line?.['durationMs']).toEqual(expect.any(Number));
  });

  it('never writes a secret to the log', async () => {
    const secrets: string[] = [ROOT_SECRET];
    await must(server.graphqlUrl, ROOT_AUTH, CREATE_USER, { u: 'log-scan' });
    const key = await must(server.graphqlUrl, ROOT_AUTH, 'mutation { createAccessKey(input: { userName: "log-scan" }) { ... on CreateAccessKeySuccess { secretAccessKey accessKey { accessKeyId } } } }', {});
    const secret = key['createAccessKey'].secretAccessKey as string;
    secrets.push(secret);
    const password = 'Log-scan-Passw0rd!-x9';
    secrets.push(password);
    await must(server.graphqlUrl, ROOT_AUTH, 'mutation ($p: String!) { createLoginProfile(input: { userName: "log-scan", password: $p }) { __typename } }', { p: password });
    const signIn = await post(server.graphqlUrl, '', 'mutation ($p: String!) { signIn(input: { account: "111122223333", userName: "log-scan", password: $p }) { __typename ... on SignInSuccess { sessionToken } } }', { p: password });
    const token = signIn.body.data?.['signIn']?.sessionToken as string | undefined;
    if (token !== undefined) secrets.push(token);
    // Use every credential, including failing ones, so their paths log too.
    const userAuth = `Basic ${Buffer.from(`${key['createAccessKey'].accessKey.accessKeyId}:${secret}`).toString('base64')}`;
    await post(server.graphqlUrl, userAuth, '{ serverInfo { version } }');
    await post(server.graphqlUrl, `Basic ${Buffer.from(`${key['createAccessKey'].accessKey.accessKeyId}:${secret}x`).toString('base64')}`, '{ serverInfo { version } }');
    if (token !== undefined) await post(server.graphqlUrl, `Bearer ${token}`, '{ serverInfo { version } }');
    await post(server.graphqlUrl, ROOT_AUTH, `{ serverInfo { version } } # ${'z'.repeat(2_000_000)}`);

    const text = JSON.stringify(server.logs);
    expect(server.logs.length).toBeGreaterThan(10);
    for (const value of secrets) expect(text.includes(value), `a secret of ${value.length} characters reached the log`).toBe(false);
    expect(text.includes(Buffer.from(`AKIAOPSTESTROOT00001:${ROOT_SECRET}`).toString('base64'))).toBe(false);
  });
});
