/** /metrics on its own listener, and the guard's network condition keys (aws:SourceIp, aws:SecureTransport). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../support/server.ts';
import { accessKeyFor, arn, policy, userIdOf, write } from './support/directory.ts';
import { dataOf, rootAuth, startAuthzServer } from './support/server.ts';

const AUTHORIZE = `mutation ($input: AuthorizeInput!) { authorize(input: $input) { __typename ... on Decision { decision } ... on AccessDenied { message } } }`;

/** The value of one sample in a Prometheus text body, or undefined. */
function sample(text: string, name: string, labels = ''): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('metrics and network keys', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startAuthzServer();
  });
  afterAll(async () => {
    await server.dispose();
  });

  it('decides the guard with the client address and transport of the HTTP request', async () => {
    await write(server, 'createUser', { userName: 'dave' });
    const dave = await accessKeyFor(server, await userIdOf(server, 'dave'));
    // A Deny on plain HTTP alone: it matches only if the guard sees aws:SecureTransport false.
    const denyPlain = await write(server, 'putUserPolicy', {
      userName: 'dave',
      policyName: 'FromLoopbackOnly',
      policyDocument: policy(
        { Effect: 'Allow', Action: 'iam:Authorize', Resource: arn.user('dave'), Condition: { IpAddress: { 'aws:SourceIp': '127.0.0.0/8' } } },
        { Sid: 'NoPlainHttpForSecrets', Effect: 'Deny', Action: 'iam:Authorize', Resource: arn.user('dave'), Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
      ),
    });
    const overPlainHttp = await server.gql(AUTHORIZE, { input: { action: 's3:GetObject', resourceArn: '*', minRevision: denyPlain } }, dave);
    expect(dataOf(overPlainHttp).authorize).toMatchObject({ __typename: 'AccessDenied' });

    const revision = await write(server, 'putUserPolicy', {
      userName: 'dave',
      policyName: 'FromLoopbackOnly',
      policyDocument: policy(
        { Effect: 'Allow', Action: 'iam:Authorize', Resource: arn.user('dave'), Condition: { IpAddress: { 'aws:SourceIp': '127.0.0.0/8' } } },
      ),
    });
    await server.running.app.authz.reachRevision(BigInt(revision), 'test');
    const allowed = await server.gql(AUTHORIZE, { input: { action: 's3:GetObject', resourceArn: '*', minRevision: revision } }, dave);
    expect(dataOf(allowed)).toEqual({ authorize: { __typename: 'Decision', decision: 'IMPLICIT_DENY' } });

    const moved = await write(server, 'putUserPolicy', {
      userName: 'dave',
      policyName: 'FromLoopbackOnly',
      policyDocument: policy(
        { Effect: 'Allow', Action: 'iam:Authorize', Resource: arn.user('dave'), Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } },
      ),
    });
    // The guard answers from state at least as new as the write once the listener caught up.
    await server.running.app.authz.reachRevision(BigInt(moved), 'test');
    const denied = await server.gql(AUTHORIZE, { input: { action: 's3:GetObject', resourceArn: '*' } }, dave);
    expect(dataOf(denied).authorize).toMatchObject({ __typename: 'AccessDenied' });

    const plain = await write(server, 'putUserPolicy', {
      userName: 'dave',
      policyName: 'FromLoopbackOnly',
      policyDocument: policy({ Effect: 'Allow', Action: 'iam:Authorize', Resource: arn.user('dave'), Condition: { Bool: { 'aws:SecureTransport': 'true' } } }),
    });
    await server.running.app.authz.reachRevision(BigInt(plain), 'test');
    const insecure = await server.gql(AUTHORIZE, { input: { action: 's3:GetObject', resourceArn: '*' } }, dave);
    expect(dataOf(insecure).authorize).toMatchObject({ __typename: 'AccessDenied' });
  });

  it('exposes decisions, caches and the applied revision in Prometheus text', async () => {
    const before = await (await fetch(`${server.metricsUrl}/metrics`)).text();
    const allowedBefore = sample(before, 'portcullis_decisions_total', '{outcome="ALLOWED"}') ?? 0;
    for (let i = 0; i < 3; i++) dataOf(await server.gql(AUTHORIZE, { input: { action: 's3:GetObject', resourceArn: '*' } }, rootAuth));
    await server.running.app.authz.flushUsage();
    const response = await fetch(`${server.metricsUrl}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain; version=0.0.4');
    const text = await response.text();
    expect(sample(text, 'portcullis_decisions_total', '{outcome="ALLOWED"}')).toBe(allowedBefore + 3);
    expect(text).toContain('# TYPE portcullis_cache_hits_total counter');
    expect(sample(text, 'portcullis_cache_hits_total', '{cache="access_keys"}')).toBeGreaterThan(0);
    expect(sample(text, 'portcullis_cache_entries', '{cache="effective_policies"}')).toBeGreaterThan(0);
    const applied = sample(text, 'portcullis_change_log_revision_applied');
    expect(applied).toBe(Number(server.running.app.authz.bus.currentRevision));
    expect(applied).toBeGreaterThan(0);
    expect(sample(text, 'portcullis_change_log_lag_revisions')).toBe(0);
    // The decisions' action usage, written by the flush above; none dropped.
    expect(sample(text, 'portcullis_action_usage_rows_flushed_total')).toBeGreaterThan(0);
    expect(sample(text, 'portcullis_action_usage_dropped_total')).toBe(0);
    expect(sample(text, 'portcullis_action_usage_pending_entries')).toBe(0);
    expect(sample(text, 'portcullis_last_accessed_dropped_total')).toBe(0);
  });
});
