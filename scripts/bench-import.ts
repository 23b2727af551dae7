/**
 * Import and export of a large account (`npm run bench:import`): a GetAccountAuthorizationDetails
 * document with 5,000 users, 1,000 roles and 1,500 customer managed policies (two versions each),
 * 200 groups, memberships, attachments, inline policies, boundaries and tags, POSTed to a started
 * server's /import/account-authorization-details (target < 60 s), then exported page by page
 * through GraphQL's accountAuthorizationDetails at 1,000 entities a page (target < 5 s), and the
 * export's counts checked against the document. Besides wall time it prints the process's CPU
 * time (server, embedded PGlite and this client share the process), which does not grow with what
 * else the machine runs.
 *
 * Storage: a PGlite data directory under the system's temporary folder (default), or with
 * BENCH_BACKEND=postgres a throw-away database on BENCH_DATABASE_URL's server (default
 * postgres://postgres@127.0.0.1:5432/postgres), dropped at the end.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir, cpus, loadavg } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/logger.ts';
import { startServer } from '../src/server/http.ts';
import { IMPORT_PATH } from '../src/server/import-route.ts';

const ACCOUNT = '111122223333';
const SOURCE = '444455556666';
const ROOT = { accessKeyId: 'AKIABENCHIMPORT23456', secret: 'bench-import-secret-0123456789abcdef' };
const USERS = 5_000;
const ROLES = 1_000;
const POLICIES = 1_500;
const GROUPS = 200;
const PAGE = 1_000;

const arn = (rest: string) => `arn:aws:iam::${SOURCE}:${rest}`;
const date = '2024-01-02T03:04:05+00:00';

function statement(i: number, action: string) {
  return { Version: '2012-10-17', Statement: [{ Sid: `S${i}`, Effect: 'Allow', Action: [action, 's3:GetObject'], Resource: [`arn:aws:s3:::bench-${i % 97}/*`, `arn:aws:s3:::bench-${i % 89}`] }] };
}

/** The document an `aws iam get-account-authorization-details` of such an account prints. */
function document(): string {
  const policyArn = (i: number) => arn(`policy/bench/P${i}`);
  const Policies = Array.from({ length: POLICIES }, (_, i) => ({
    PolicyName: `P${i}`, PolicyId: `ANPA${String(i).padStart(17, 'A')}`, Arn: policyArn(i), Path: '/bench/', DefaultVersionId: 'v2',
    AttachmentCount: 0, PermissionsBoundaryUsageCount: 0, IsAttachable: true, CreateDate: date, UpdateDate: date,
    PolicyVersionList: [
      { Document: statement(i, 's3:PutObject'), VersionId: 'v2', IsDefaultVersion: true, CreateDate: date },
      { Document: statement(i, 's3:ListBucket'), VersionId: 'v1', IsDefaultVersion: false, CreateDate: date },
    ],
  }));
  const GroupDetailList = Array.from({ length: GROUPS }, (_, i) => ({
    Path: '/', GroupName: `G${i}`, GroupId: `AGPA${i}`, Arn: arn(`group/G${i}`), CreateDate: date,
    GroupPolicyList: [{ PolicyName: 'inline', PolicyDocument: statement(i, 'sqs:SendMessage') }],
    AttachedManagedPolicies: [{ PolicyName: `P${i}`, PolicyArn: policyArn(i) }],
  }));
  const UserDetailList = Array.from({ length: USERS }, (_, i) => ({
    Path: '/people/', UserName: `user-${i}`, UserId: `AIDA${i}`, Arn: arn(`user/people/user-${i}`), CreateDate: date,
    UserPolicyList: i % 2 === 0 ? [{ PolicyName: 'own', PolicyDocument: statement(i, 'sns:Publish') }] : [],
    GroupList: [`G${i % GROUPS}`, `G${(i * 7 + 1) % GROUPS}`].filter((g, k, all) => all.indexOf(g) === k),
    AttachedManagedPolicies: [{ PolicyName: `P${i % POLICIES}`, PolicyArn: policyArn(i % POLICIES) }, { PolicyName: `P${(i + 500) % POLICIES}`, PolicyArn: policyArn((i + 500) % POLICIES) }],
    ...(i % 10 === 0 ? { PermissionsBoundary: { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: policyArn(0) } } : {}),
    Tags: [{ Key: 'team', Value: `t${i % 25}` }, { Key: 'cost', Value: String(i % 7) }],
  }));
  const RoleDetailList = Array.from({ length: ROLES }, (_, i) => ({
    Path: '/app/', RoleName: `role-${i}`, RoleId: `AROA${i}`, Arn: arn(`role/app/role-${i}`), CreateDate: date,
    AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: arn('root') }, Action: 'sts:AssumeRole' }] },
    InstanceProfileList: [], RolePolicyList: [{ PolicyName: 'inline', PolicyDocument: statement(i, 'dynamodb:GetItem') }],
    AttachedManagedPolicies: [{ PolicyName: `P${(i * 3) % POLICIES}`, PolicyArn: policyArn((i * 3) % POLICIES) }],
    Tags: [{ Key: 'service', Value: `s${i % 40}` }], RoleLastUsed: {},
  }));
  return JSON.stringify({ UserDetailList, GroupDetailList, RoleDetailList, Policies });
}

interface Storage {
  readonly label: string;
  readonly env: Record<string, string>;
  drop(): Promise<void>;
}

async function storage(): Promise<Storage> {
  if (process.env['BENCH_BACKEND'] !== 'postgres') {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'portcullis-bench-import-'));
    return { label: 'PGlite', env: { DATA_DIR: dataDir }, drop: () => rm(dataDir, { recursive: true, force: true }) };
  }
  const adminUrl = process.env['BENCH_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `portcullis_bench_import_${process.pid}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    label: 'PostgreSQL',
    env: { DATABASE_URL: url.toString() },
    async drop() {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

async function main(): Promise<void> {
  const store = await storage();
  let stop: (() => Promise<void>) | undefined;
  try {
    const config = loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      METRICS_PORT: '0',
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      ...store.env,
      PORTCULLIS_ACCOUNT_ID: ACCOUNT,
      PORTCULLIS_ROOT_ACCESS_KEY: `${ROOT.accessKeyId}:${ROOT.secret}`,
      PORTCULLIS_SECRETS_KEY: randomBytes(32).toString('base64'),
    });
    const server = await startServer(config, { logger: createLogger('warn'), announce: () => {} });
    stop = () => server.close();
    const authorization = `Basic ${Buffer.from(`${ROOT.accessKeyId}:${ROOT.secret}`).toString('base64')}`;
    const text = document();
    console.log(`machine: ${cpus().length} cores, load ${loadavg().map((l) => l.toFixed(1)).join(' ')}; storage: ${store.label}`);
    console.log(`document: ${USERS} users, ${GROUPS} groups, ${ROLES} roles, ${POLICIES} policies (2 versions each), ${(Buffer.byteLength(text) / 1_048_576).toFixed(1)} MB`);

    const importStarted = performance.now();
    const cpuBefore = process.cpuUsage();
    const response = await fetch(`${server.url}${IMPORT_PATH}`, { method: 'POST', headers: { authorization, 'content-type': 'application/json' }, body: text });
    const outcome = (await response.json()) as Record<string, unknown>;
    const importMs = performance.now() - importStarted;
    const importCpu = process.cpuUsage(cpuBefore);
    if (response.status !== 200) throw new Error(`import failed: ${response.status} ${JSON.stringify(outcome).slice(0, 500)}`);
    console.log(
      `import: ${(importMs / 1000).toFixed(1)} s (target < 60 s), process CPU ${((importCpu.user + importCpu.system) / 1e6).toFixed(1)} s; ` +
        `${outcome['users']} users, ${outcome['groups']} groups, ${outcome['roles']} roles, ${outcome['policies']} policies, ${outcome['policyVersions']} versions, ` +
        `${outcome['inlinePolicies']} inline, ${outcome['attachments']} attachments, ${outcome['memberships']} memberships, revision ${outcome['revision']}`,
    );

    const exportStarted = performance.now();
    const exportCpuBefore = process.cpuUsage();
    const counts = { users: 0, groups: 0, roles: 0, policies: 0 };
    let marker: string | null = null;
    let pages = 0;
    let bytes = 0;
    do {
      const res = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { authorization, 'content-type': 'application/json' },
        body: JSON.stringify({ query: 'query($m: String) { accountAuthorizationDetails(maxItems: 1000, marker: $m) { document marker } }', variables: { m: marker } }),
      });
      const body = (await res.json()) as { data?: { accountAuthorizationDetails: { document: string; marker: string | null } }; errors?: unknown };
      if (body.data?.accountAuthorizationDetails == null) throw new Error(`export failed: ${JSON.stringify(body.errors).slice(0, 500)}`);
      const page = JSON.parse(body.data.accountAuthorizationDetails.document) as Record<string, unknown[]>;
      bytes += body.data.accountAuthorizationDetails.document.length;
      counts.users += page['UserDetailList']!.length;
      counts.groups += page['GroupDetailList']!.length;
      counts.roles += page['RoleDetailList']!.length;
      counts.policies += page['Policies']!.length;
      marker = body.data.accountAuthorizationDetails.marker;
      pages++;
    } while (marker !== null);
    const exportMs = performance.now() - exportStarted;
    const exportCpu = process.cpuUsage(exportCpuBefore);
    console.log(
      `export: ${(exportMs / 1000).toFixed(1)} s (target < 5 s), process CPU ${((exportCpu.user + exportCpu.system) / 1e6).toFixed(1)} s, ${pages} pages of ${PAGE}, ${(bytes / 1_048_576).toFixed(1)} MB; ` +
        `${counts.users} users, ${counts.groups} groups, ${counts.roles} roles, ${counts.policies} policies`,
    );
    if (counts.users !== USERS || counts.groups !== GROUPS || counts.roles !== ROLES || counts.policies !== POLICIES) throw new Error('the export does not hold what was imported');
  } finally {
    await stop?.();
    await store.drop();
  }
}

await main();
