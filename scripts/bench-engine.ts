/**
 * Policy engine benchmark (`npm run bench:engine`). Builds a realistic principal: 10 attached
 * identity policies of 10–20 statements each (exact actions, service wildcards, NotAction,
 * resource wildcards and variables, conditions of most operator families), a permissions
 * boundary and a bucket policy; then measures compile time per policy and decision latency.
 * Latency is timed in batches with process.hrtime.bigint (a timer read per decision would cost
 * more than the decision); median and p99 are over the per-decision means of the batches.
 * Throughput is given per wall-clock second and per CPU second (the latter is what one core
 * sustains when the machine is shared).
 */
import { compilePolicy, evaluate } from '../src/policy/index.ts';
import type { CompiledPolicy, ContextValue, EvaluationRequest, PolicySet, RequestContext, RequestPrincipal } from '../src/policy/index.ts';

const ACCOUNT = '111122223333';
let seed = 42;
/** Deterministic pseudo-random numbers (LCG) so runs compare. */
function rand(n: number): number {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed % n;
}
const pick = <T>(xs: readonly T[]): T => xs[rand(xs.length)]!;

const SERVICES: Record<string, readonly string[]> = {
  s3: ['GetObject', 'PutObject', 'DeleteObject', 'ListBucket', 'GetBucketPolicy', 'GetObjectTagging'],
  ec2: ['DescribeInstances', 'StartInstances', 'StopInstances', 'TerminateInstances', 'RunInstances'],
  dynamodb: ['GetItem', 'PutItem', 'Query', 'Scan', 'DeleteItem', 'DescribeTable'],
  sqs: ['SendMessage', 'ReceiveMessage', 'DeleteMessage', 'GetQueueAttributes'],
  sns: ['Publish', 'Subscribe', 'ListTopics'],
  lambda: ['InvokeFunction', 'GetFunction', 'UpdateFunctionCode', 'ListFunctions'],
  kms: ['Decrypt', 'Encrypt', 'GenerateDataKey', 'DescribeKey'],
  logs: ['PutLogEvents', 'CreateLogStream', 'GetLogEvents', 'DescribeLogGroups'],
  iam: ['GetUser', 'ListUsers', 'CreateAccessKey', 'DeleteAccessKey', 'PassRole'],
  cloudwatch: ['PutMetricData', 'GetMetricData', 'DescribeAlarms'],
};
const serviceNames = Object.keys(SERVICES);

function resourceFor(service: string, i: number): string {
  switch (service) {
    case 's3': return `arn:aws:s3:::bucket-${i % 7}/data/${i % 13}/file-${i}.csv`;
    case 'ec2': return `arn:aws:ec2:us-east-1:${ACCOUNT}:instance/i-0${(i * 7919).toString(16)}`;
    case 'dynamodb': return `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/table-${i % 9}`;
    case 'sqs': return `arn:aws:sqs:us-east-1:${ACCOUNT}:queue-${i % 5}`;
    case 'sns': return `arn:aws:sns:us-east-1:${ACCOUNT}:topic-${i % 4}`;
    case 'lambda': return `arn:aws:lambda:us-east-1:${ACCOUNT}:function:fn-${i % 6}`;
    case 'kms': return `arn:aws:kms:us-east-1:${ACCOUNT}:key/k-${i % 3}`;
    case 'logs': return `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/app/${i % 8}:*`;
    case 'iam': return `arn:aws:iam::${ACCOUNT}:user/team/u-${i % 11}`;
    default: return '*';
  }
}

type Statement = Record<string, unknown>;
function statement(p: number, s: number): Statement {
  const service = pick(serviceNames);
  const actions = SERVICES[service]!;
  const kind = rand(10);
  const base: Statement = { Sid: `P${p}S${s}`, Effect: 'Allow' };
  switch (kind) {
    case 0: return { ...base, Action: [`${service}:${pick(actions)}`, `${service}:${pick(actions)}`], Resource: resourceFor(service, rand(50)) };
    case 1: return { ...base, Action: `${service}:Get*`, Resource: '*' };
    case 2: return { ...base, Action: `${service}:*`, Resource: `arn:aws:${service}:*:${ACCOUNT}:*team-${rand(4)}*` };
    case 3: return { ...base, Action: 's3:*', Resource: 'arn:aws:s3:::home/${aws:username}/*' };
    case 4: return { ...base, Action: `${service}:${pick(actions)}`, Resource: '*', Condition: { StringEquals: { 'aws:PrincipalTag/team': pick(['blue', 'red', 'green']) } } };
    case 5: return { ...base, Effect: 'Deny', Action: `${service}:Delete*`, Resource: '*', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'false' } } };
    case 6: return { ...base, Action: [`${service}:List*`, `${service}:Describe*`], Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '192.168.0.0/16', '2001:db8::/32'] } } };
    case 7: return { ...base, Action: 's3:ListBucket', Resource: `arn:aws:s3:::bucket-${rand(7)}`, Condition: { StringLike: { 's3:prefix': ['data/*', 'home/${aws:username}/*'] }, NumericLessThanEquals: { 's3:max-keys': '1000' } } };
    case 8: return { ...base, Action: `${service}:${pick(actions)}`, Resource: resourceFor(service, rand(50)), Condition: { DateLessThan: { 'aws:CurrentTime': '2030-01-01T00:00:00Z' }, 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['env', 'team'] } } };
    default: return { ...base, Effect: 'Deny', NotAction: ['iam:Get*', 'iam:List*', `${service}:*`], Resource: `arn:aws:iam::${ACCOUNT}:role/admin-*`, Condition: { StringNotEqualsIfExists: { 'aws:PrincipalTag/role': 'admin' } } };
  }
}

function policyText(p: number): string {
  const n = 10 + rand(11);
  return JSON.stringify({ Version: '2012-10-17', Statement: Array.from({ length: n }, (_, s) => statement(p, s)) }, null, 2);
}

function compileOrThrow(text: string, kind: Parameters<typeof compilePolicy>[1], id: string): CompiledPolicy {
  const r = compilePolicy(text, kind, { id });
  if (!r.ok) throw new Error(`${id} did not compile: ${r.findings.map((f) => f.issueCode + ' ' + f.message).join('; ')}`);
  return r.policy;
}

const identityTexts = Array.from({ length: 10 }, (_, i) => policyText(i));
const boundaryText = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Sid: 'Workloads', Effect: 'Allow', Action: ['s3:*', 'ec2:*', 'dynamodb:*', 'sqs:*', 'sns:*', 'lambda:*', 'logs:*', 'cloudwatch:*', 'kms:Decrypt', 'kms:Encrypt'], Resource: '*' },
    { Sid: 'SelfIam', Effect: 'Allow', Action: ['iam:Get*', 'iam:List*', 'iam:*AccessKey*'], Resource: 'arn:aws:iam::*:user/${aws:username}' },
    { Sid: 'NoRegionOutside', Effect: 'Deny', Action: '*', Resource: '*', Condition: { StringNotEqualsIfExists: { 'aws:RequestedRegion': ['us-east-1', 'eu-west-1'] } } },
  ],
});
const bucketText = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Sid: 'TeamRead', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: ['s3:GetObject', 's3:ListBucket'], Resource: ['arn:aws:s3:::bucket-1', 'arn:aws:s3:::bucket-1/*'] },
    { Sid: 'TlsOnly', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: 'arn:aws:s3:::bucket-1/*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
  ],
});

// --- compile time ---------------------------------------------------------------------------
const COMPILE_ROUNDS = 200;
const compileTimes: number[] = [];
for (let r = 0; r < COMPILE_ROUNDS; r++) {
  for (const [i, text] of identityTexts.entries()) {
    const t0 = process.hrtime.bigint();
    compileOrThrow(text, 'identity', `identity-${i}`);
    compileTimes.push(Number(process.hrtime.bigint() - t0) / 1000);
  }
}
const identity = identityTexts.map((t, i) => compileOrThrow(t, 'identity', `identity-${i}`));
const set: PolicySet = {
  identity,
  boundary: [compileOrThrow(boundaryText, 'boundary', 'boundary')],
};
const setWithBucket: PolicySet = { ...set, resource: compileOrThrow(bucketText, 'resource', 'bucket-1') };

// --- requests -------------------------------------------------------------------------------
const principal: RequestPrincipal = {
  type: 'User',
  arn: `arn:aws:iam::${ACCOUNT}:user/team/alice`,
  accountId: ACCOUNT,
  userName: 'alice',
  userId: 'AIDAEXAMPLEALICE',
  tags: { team: 'blue', env: 'prod' },
};
const one = (type: ContextValue['type'], v: string): ContextValue => ({ type, multi: false, values: [v] });
function context(i: number): RequestContext {
  const c: Record<string, ContextValue> = {
    'aws:SourceIp': one('ip', i % 3 === 0 ? '10.1.2.3' : i % 3 === 1 ? '203.0.113.9' : '2001:db8::17'),
    'aws:SecureTransport': one('boolean', i % 5 === 0 ? 'false' : 'true'),
    'aws:RequestedRegion': one('string', i % 17 === 0 ? 'ap-south-1' : 'us-east-1'),
  };
  if (i % 2 === 0) c['s3:prefix'] = one('string', i % 4 === 0 ? 'data/2026' : 'home/alice/x');
  if (i % 3 === 0) c['aws:TagKeys'] = { type: 'string', multi: true, values: ['env', 'cost'] };
  if (i % 4 === 1) c['s3:max-keys'] = one('numeric', String(100 * (i % 20)));
  return c;
}
function request(i: number, ctxObj: RequestContext): EvaluationRequest {
  const service = serviceNames[i % serviceNames.length]!;
  const action = `${service}:${SERVICES[service]![(i >> 3) % SERVICES[service]!.length]}`;
  const resource = i % 9 === 0 ? `arn:aws:s3:::home/alice/doc-${i}` : resourceFor(service, i);
  return { principal, action, resource, context: ctxObj, now: new Date('2026-06-01T00:00:00Z') };
}
const POOL = 4096;
const warm = Array.from({ length: POOL }, (_, i) => request(i, context(i)));

// --- decision latency -----------------------------------------------------------------------
const BATCH = 1000;
function measure(label: string, requests: readonly EvaluationRequest[], policySet: PolicySet, batches: number): void {
  let allowed = 0;
  let denied = 0;
  for (let i = 0; i < 20_000; i++) evaluate(requests[i % requests.length]!, policySet); // warm-up (JIT)
  const perDecision: number[] = [];
  const cpu0 = process.cpuUsage();
  const start = process.hrtime.bigint();
  let k = 0;
  for (let b = 0; b < batches; b++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < BATCH; i++) {
      const d = evaluate(requests[k++ % requests.length]!, policySet);
      if (d.allowed) allowed++;
      else denied++;
    }
    perDecision.push(Number(process.hrtime.bigint() - t0) / BATCH);
  }
  const totalNs = Number(process.hrtime.bigint() - start);
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  perDecision.sort((a, b) => a - b);
  const q = (p: number) => perDecision[Math.min(perDecision.length - 1, Math.floor(p * perDecision.length))]!;
  const n = batches * BATCH;
  console.log(
    `${label.padEnd(34)} median ${(q(0.5) / 1000).toFixed(3)} µs/decision  p99 ${(q(0.99) / 1000).toFixed(3)} µs  ` +
      `${Math.round(n / (totalNs / 1e9)).toLocaleString('en')} decisions/s wall, ${Math.round(n / cpuSeconds).toLocaleString('en')} per CPU-second  (allowed ${((100 * allowed) / n).toFixed(0)}%, ${n.toLocaleString('en')} decisions)`,
  );
}

const statements = identity.reduce((n, p) => n + ((p._compiled as { statements: unknown[] }).statements.length), 0);
console.log(`policy set: ${identity.length} identity policies, ${statements} statements, 1 boundary (3 statements), optional bucket policy`);
compileTimes.sort((a, b) => a - b);
console.log(
  `compile (parse + validate + compile) per policy: median ${compileTimes[compileTimes.length >> 1]!.toFixed(1)} µs, ` +
    `p99 ${compileTimes[Math.floor(compileTimes.length * 0.99)]!.toFixed(1)} µs  (${compileTimes.length} compiles)`,
);
measure('identity + boundary, reused ctx', warm, set, 2000);
measure('identity + boundary + bucket policy', warm, setWithBucket, 2000);
// Fresh context objects per request, as a server builds them (no per-object caches help).
const fresh = Array.from({ length: 200_000 }, (_, i) => request(i, context(i)));
measure('identity + boundary, fresh ctx', fresh, set, 200);

// --- hostile pattern/value pairs at the caps (issue 13) -------------------------------------
// A caller-supplied resource policy (at most 20,480 characters without white space) against
// context values and resource ARNs at their caps (src/authz/input-caps.ts). Each must decide in
// well under a millisecond: matching never backtracks.
const VALUE_CAP = 4_096;
const ARN_CAP = 2_048;
function hostile(label: string, condition: Record<string, unknown> | undefined, resourcePattern: string, value: string, resource: string): void {
  const text = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: resourcePattern, ...(condition === undefined ? {} : { Condition: condition }) }],
  });
  const policySet: PolicySet = { identity: [], resource: compileOrThrow(text, 'resource', 'hostile') };
  const req: EvaluationRequest = { principal, action: 's3:GetObject', resource, context: { 's3:prefix': one('string', value) }, now: new Date('2026-06-01T00:00:00Z') };
  for (let r = 0; r < 20; r++) evaluate(req, policySet); // warm-up (JIT)
  const times: number[] = [];
  for (let r = 0; r < 200; r++) {
    const t0 = process.hrtime.bigint();
    evaluate(req, policySet);
    times.push(Number(process.hrtime.bigint() - t0) / 1000);
  }
  times.sort((a, b) => a - b);
  console.log(`hostile: ${label.padEnd(52)} median ${times[times.length >> 1]!.toFixed(1)} µs  p99 ${times[Math.floor(times.length * 0.99)]!.toFixed(1)} µs  (${text.length} chars of policy)`);
}
const as = `${'a'.repeat(VALUE_CAP - 1)}b`; // matches only at the very end: every piece scans the whole value
hostile('StringLike *a{2000}b* vs a{4095}b', { StringLike: { 's3:prefix': `*${'a'.repeat(2000)}b*` } }, '*', as, 'arn:aws:s3:::b/k');
hostile('StringLike *(a?){1000}b* vs a{4095}b', { StringLike: { 's3:prefix': `*${'a?'.repeat(1000)}b*` } }, '*', as, 'arn:aws:s3:::b/k');
hostile('StringLike *(a?){2000}b* vs a{4095}b', { StringLike: { 's3:prefix': `*${'a?'.repeat(2000)}b*` } }, '*', as, 'arn:aws:s3:::b/k');
hostile('StringLike (*a){3000}*b vs a{4095}b', { StringLike: { 's3:prefix': `${'*a'.repeat(3000)}*b` } }, '*', as, 'arn:aws:s3:::b/k');
hostile('StringLike 8 x *(a?){300}b* vs a{4095}b', { StringLike: { 's3:prefix': Array.from({ length: 8 }, () => `*${'a?'.repeat(300)}b*`) } }, '*', as, 'arn:aws:s3:::b/k');
hostile('Resource arn:…:(x*:){8}?q:y vs arn:…:(x:){1010}zzq:y', undefined, `arn:aws:s3:::${'x*:'.repeat(8)}?q:y`, as, `arn:aws:s3:::${'x:'.repeat(1010)}zzq:y`);
hostile(`StringLike *(a?){1000}b* vs (ab){2047}bb`, { StringLike: { 's3:prefix': `*${'a?'.repeat(1000)}b*` } }, '*', `${'ab'.repeat(VALUE_CAP / 2 - 1)}bb`, 'arn:aws:s3:::b/k');
hostile('Resource *(a?){500}b* vs a{2048}', undefined, `arn:aws:s3:::*${'a?'.repeat(500)}b*`, as, `arn:aws:s3:::${'a'.repeat(ARN_CAP - 13)}`);
