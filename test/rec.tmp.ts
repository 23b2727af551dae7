import { ActionUsageBuffer } from '../src/authz/action-usage.ts';
const SERVICES = ['s3', 'dynamodb', 'sqs', 'kms'];
const ACTIONS = ['Get', 'Put', 'Delete', 'List', 'Describe', 'Update', 'Create', 'Tag', 'Untag', 'Scan', 'Query', 'Batch', 'Copy'];
const rand = (n: number) => Math.floor(Math.random() * n);
const N = 200_000;
const qs = Array.from({ length: N }, () => {
  const s = SERVICES[rand(4)]!;
  return { p: `AIDA${String(rand(5000)).padStart(17, '0')}`, a: `${s}:${ACTIONS[rand(13)]}Item`, r: `arn:aws:${s}:us-east-1:111122223333:thing/team-${rand(10)}/${rand(1000)}` };
});
// fresh strings per use, like JSON.parse gives
const fresh = qs.map((q) => JSON.parse(JSON.stringify(q)));
const ids = new Map<string, string>();
for (const q of qs) if (!ids.has(q.p)) ids.set(q.p, q.p);
const buffer = new ActionUsageBuffer();
const at = new Date();
for (let round = 0; round < 6; round++) {
  const batch = JSON.parse(JSON.stringify(qs));
  const t = process.hrtime.bigint();
  for (const q of batch) buffer.record(ids.get(q.p)!, '111122223333', q.a, q.r, true, at);
  const ns = Number(process.hrtime.bigint() - t) / N;
  console.log(`round ${round}: ${ns.toFixed(0)} ns/record, held ${buffer.heldEntries}, dropped ${buffer.dropped}`);
}
