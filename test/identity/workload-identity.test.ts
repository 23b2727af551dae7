/**
 * Workloads without long-term keys (docs/federation.md, "Workloads"): a CI job and a Kubernetes
 * service account present their platform's OIDC token to assumeRoleWithWebIdentity, and the trust
 * policies pin the token's `sub` and `aud`. The tokens have the shape those platforms issue (GitHub
 * Actions' ID token claims; a projected service-account token with its `kubernetes.io` claim),
 * signed by a local issuer whose keys Portcullis fetches through discovery.
 */
import { readFileSync } from 'node:fs';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import { parse, validate } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '../../src/graphql/schema.ts';
import type { TestServer } from '../support/server.ts';
import { startIssuer, type LocalIssuer } from './support/issuer.ts';
import { ACCOUNT, createRole, ok, ROOT, send, startIdentityServer } from './support/server.ts';

const AUDIENCE = 'sts.amazonaws.com';
const EXCHANGE = `mutation($i: AssumeRoleWithWebIdentityInput!) { assumeRoleWithWebIdentity(input: $i) {
  __typename ... on AssumeRoleWithWebIdentitySuccess { subjectFromWebIdentityToken assumedRoleUser { arn } } ... on ResultError { code message } } }`;
const CREATE = `mutation($i: CreateOpenIDConnectProviderInput!) { createOpenIDConnectProvider(input: $i) {
  __typename ... on CreateOpenIDConnectProviderSuccess { openIDConnectProvider { arn } } ... on ResultError { message } } }`;

/** The JSON trust policies of docs/federation.md's section 3 (GitHub Actions, then Kubernetes), unindented from their numbered lists. */
function documentedTrustPolicies(): string[] {
  const page = readFileSync(new URL('../../docs/federation.md', import.meta.url), 'utf8');
  const section = page.slice(page.indexOf('## 3. Workloads'), page.indexOf('## 4. getFederationToken'));
  return [...section.matchAll(/\n( *)```json\n([\s\S]+?)\n\1```/g)].map((m) => m[2]!.split('\n').map((line) => line.slice(m[1]!.length)).join('\n'));
}

/** The claims of a GitHub Actions ID token for a workflow run (docs.github.com, "About security hardening with OpenID Connect"). */
function githubActionsClaims(repository: string, ref: string, event = 'push'): JWTPayload {
  const sub = event === 'pull_request' ? `repo:${repository}:pull_request` : `repo:${repository}:ref:${ref}`;
  return {
    sub,
    aud: AUDIENCE,
    ref,
    sha: 'example-sha-0123456789abcdef',
    repository,
    repository_owner: repository.split('/')[0],
    repository_visibility: 'private',
    run_id: '5150',
    run_number: '42',
    run_attempt: '1',
    actor: 'octocat',
    workflow: 'deploy',
    event_name: event,
    ref_type: 'branch',
    job_workflow_ref: `${repository}/.github/workflows/deploy.yml@${ref}`,
    runner_environment: 'github-hosted',
  };
}

/** The claims of a Kubernetes projected service-account token (audience set in the pod's volume projection). */
function serviceAccountClaims(namespace: string, name: string): JWTPayload {
  return {
    sub: `system:serviceaccount:${namespace}:${name}`,
    aud: [AUDIENCE],
    'kubernetes.io': {
      namespace,
      serviceaccount: { name, uid: '0c5b3c1e-4f2b-4a34-9d25-8f1e8f6a5c11' },
      pod: { name: `${name}-7d9f8c6b5-x2x8q`, uid: '6a1f0f7e-1f2b-4f0e-8a3d-3c2b1a0f9e8d' },
    },
  };
}

describe('workload identity: CI jobs and Kubernetes service accounts', () => {
  let server: TestServer;
  let github: LocalIssuer;
  let cluster: LocalIssuer;
  let githubKey: CryptoKey;
  let clusterKey: CryptoKey;

  const sign = (key: CryptoKey, issuer: LocalIssuer, kid: string, claims: JWTPayload, lifetime: string) =>
    new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' }).setIssuer(issuer.url).setIssuedAt().setNotBefore('0s').setExpirationTime(lifetime).sign(key);
  const exchange = async (roleName: string, webIdentityToken: string) =>
    (await ok(server, undefined, EXCHANGE, { i: { roleArn: `arn:aws:iam::${ACCOUNT}:role/${roleName}`, roleSessionName: 'workload', webIdentityToken } }))['assumeRoleWithWebIdentity'];
  /** Registers an issuer (keys fetched through discovery) and returns its condition-key prefix and ARN. */
  const register = async (issuer: LocalIssuer) => {
    const created = await ok(server, ROOT, CREATE, { i: { url: issuer.url, clientIdList: [AUDIENCE] } });
    const arn = created['createOpenIDConnectProvider'].openIDConnectProvider.arn as string;
    return { arn, key: arn.slice(arn.indexOf('/') + 1) };
  };

  beforeAll(async () => {
    server = await startIdentityServer();
    const keys = await Promise.all([generateKeyPair('RS256', { extractable: true }), generateKeyPair('RS256', { extractable: true })]);
    githubKey = keys[0].privateKey;
    clusterKey = keys[1].privateKey;
    github = await startIssuer({ keys: [{ ...(await exportJWK(keys[0].publicKey)), kid: 'gha-1', alg: 'RS256', use: 'sig' }] });
    cluster = await startIssuer({ keys: [{ ...(await exportJWK(keys[1].publicKey)), kid: 'k8s-1', alg: 'RS256', use: 'sig' }] });

    // The trust policies of docs/federation.md, as printed, with the local issuers' host and port in place of the platforms' issuers.
    const [githubTrust, clusterTrust] = documentedTrustPolicies();
    expect(JSON.parse(githubTrust!).Statement[0].Condition.StringEquals).toEqual({
      'token.actions.githubusercontent.com:aud': AUDIENCE,
      'token.actions.githubusercontent.com:sub': 'repo:octo-org/octo-repo:ref:refs/heads/main',
    });
    const gha = await register(github);
    await createRole(server, 'DeployFromMain', JSON.parse(githubTrust!.replaceAll('token.actions.githubusercontent.com', gha.key)));
    const eks = 'oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';
    expect(JSON.parse(clusterTrust!).Statement[0].Condition.StringEquals).toEqual({ [`${eks}:aud`]: AUDIENCE, [`${eks}:sub`]: 'system:serviceaccount:payments:billing-worker' });
    const k8s = await register(cluster);
    await createRole(server, 'BillingWorker', JSON.parse(clusterTrust!.replaceAll(eks, k8s.key)));
  }, 60_000);
  afterAll(async () => {
    github?.server.close();
    cluster?.server.close();
    await server?.dispose();
  });

  it("shows an assumeRoleWithWebIdentity operation valid against the schema", () => {
    const page = readFileSync(new URL('../../docs/federation.md', import.meta.url), 'utf8');
    const section = page.slice(page.indexOf('## 3. Workloads'), page.indexOf('## 4. getFederationToken'));
    const operations = [...section.matchAll(/```graphql\n([\s\S]+?)\n```/g)].map((m) => m[1]!);
    expect(operations).toHaveLength(1);
    expect(validate(schema, parse(operations[0]!)).map((e) => e.message)).toEqual([]);
  });

  it("lets the main branch's deploy job of the pinned repository assume the role, as a session of that role", async () => {
    const token = await sign(githubKey, github, 'gha-1', githubActionsClaims('octo-org/octo-repo', 'refs/heads/main'), '5m');
    expect(await exchange('DeployFromMain', token)).toMatchObject({
      __typename: 'AssumeRoleWithWebIdentitySuccess',
      subjectFromWebIdentityToken: 'repo:octo-org/octo-repo:ref:refs/heads/main',
      assumedRoleUser: { arn: `arn:aws:sts::${ACCOUNT}:assumed-role/DeployFromMain/workload` },
    });
  });

  it('refuses another branch, a pull request, another repository, another audience and another signer', async () => {
    const denied = { __typename: 'AccessDenied' };
    expect(await exchange('DeployFromMain', await sign(githubKey, github, 'gha-1', githubActionsClaims('octo-org/octo-repo', 'refs/heads/feature'), '5m'))).toMatchObject(denied);
    expect(await exchange('DeployFromMain', await sign(githubKey, github, 'gha-1', githubActionsClaims('octo-org/octo-repo', 'refs/heads/main', 'pull_request'), '5m'))).toMatchObject(denied);
    expect(await exchange('DeployFromMain', await sign(githubKey, github, 'gha-1', githubActionsClaims('evil-org/octo-repo', 'refs/heads/main'), '5m'))).toMatchObject(denied);
    const otherAudience = { ...githubActionsClaims('octo-org/octo-repo', 'refs/heads/main'), aud: 'https://github.com/octo-org' };
    expect(await exchange('DeployFromMain', await sign(githubKey, github, 'gha-1', otherAudience, '5m'))).toMatchObject({ __typename: 'InvalidIdentityToken' });
    // Signed by the cluster's key but claiming the CI issuer.
    expect(await exchange('DeployFromMain', await sign(clusterKey, github, 'gha-1', githubActionsClaims('octo-org/octo-repo', 'refs/heads/main'), '5m'))).toMatchObject({ __typename: 'InvalidIdentityToken' });
  });

  it("lets the pinned Kubernetes service account assume its role, and no other account of the namespace or cluster", async () => {
    const token = await sign(clusterKey, cluster, 'k8s-1', serviceAccountClaims('payments', 'billing-worker'), '1h');
    expect(await exchange('BillingWorker', token)).toMatchObject({
      __typename: 'AssumeRoleWithWebIdentitySuccess',
      subjectFromWebIdentityToken: 'system:serviceaccount:payments:billing-worker',
    });
    expect(await exchange('BillingWorker', await sign(clusterKey, cluster, 'k8s-1', serviceAccountClaims('payments', 'default'), '1h'))).toMatchObject({ __typename: 'AccessDenied' });
    expect(await exchange('BillingWorker', await sign(clusterKey, cluster, 'k8s-1', serviceAccountClaims('web', 'billing-worker'), '1h'))).toMatchObject({ __typename: 'AccessDenied' });
    // A CI token, however valid, is not the service account.
    expect(await exchange('BillingWorker', await sign(githubKey, github, 'gha-1', githubActionsClaims('octo-org/octo-repo', 'refs/heads/main'), '5m'))).toMatchObject({ __typename: 'AccessDenied' });
  });

  it('refuses an expired token', async () => {
    const expired = new SignJWT(serviceAccountClaims('payments', 'billing-worker'))
      .setProtectedHeader({ alg: 'RS256', kid: 'k8s-1' })
      .setIssuer(cluster.url)
      .setIssuedAt(Math.floor(Date.now() / 1000) - 7200)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 3600);
    const response = await send(server, undefined, EXCHANGE, { i: { roleArn: `arn:aws:iam::${ACCOUNT}:role/BillingWorker`, roleSessionName: 'workload', webIdentityToken: await expired.sign(clusterKey) } });
    expect(response.body.data?.['assumeRoleWithWebIdentity']).toMatchObject({ __typename: 'ExpiredToken' });
  });
});
