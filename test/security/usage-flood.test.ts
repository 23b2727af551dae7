/**
 * Usage data must not grow without bound under hostile questions. A caller allowed `iam:Authorize`
 * may name any service prefix, action and resource in a question about a principal, and every
 * decision is recorded as that principal's use: before, each flush stored every new (principal,
 * service) pair and every new (principal, action, resource, day) up to the in-memory caps, 50,000
 * rows per flush per instance, kept as long as the principal (services) or 400 days (actions).
 * Now what is stored per principal is bounded (services; per day, actions and resources), and
 * what is refused is counted on /metrics.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FOLDED_RESOURCE, MAX_ACTIONS_PER_DAY, MAX_RESOURCES_PER_DAY } from '../../src/authz/action-usage.ts';
import { MAX_SERVICES_PER_PRINCIPAL } from '../../src/authz/last-accessed.ts';
import { actionUsage } from '../../src/db/schema/action-usage.ts';
import { serviceLastAccessed } from '../../src/db/schema/last-accessed.ts';
import type { Database } from '../../src/db/client.ts';
import { databaseOf, userWithKey } from '../live/support/servers.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

const AUTHORIZE_BATCH = 'mutation ($requests: [AuthorizeInput!]!) { authorizeBatch(requests: $requests) { ... on Decision { decision } ... on ResultError { code } } }';
/** Questions per batch (the API's limit). */
const BATCH = 1_000;

let server: TestServer;
let db: Database;

beforeAll(async () => {
  server = await startTestServer();
  db = databaseOf(server);
}, 60_000);

afterAll(async () => {
  await server?.dispose();
});

/** The value of a /metrics sample. */
async function metric(name: string): Promise<number> {
  const text = await (await fetch(`${server.metricsUrl}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return Number(line?.split(' ')[1]);
}

describe('usage storage under invented names', () => {
  it('stores a bounded number of services, actions and resources per principal, and counts the rest', async () => {
    const caller = await userWithKey(db, 'uf-caller', ['iam:Authorize']);
    const target = await userWithKey(db, 'uf-target');
    const ask = async (requests: Array<{ action: string; resource: string }>) => {
      const answer = await server.gql<{ authorizeBatch: Array<{ decision?: string; code?: string }> }>(
        AUTHORIZE_BATCH,
        { requests: requests.map((r) => ({ principalArn: target.arn, action: r.action, resourceArn: r.resource })) },
        { authorization: caller.authorization },
      );
      expect(answer.body.errors).toBeUndefined();
      expect(answer.body.data!.authorizeBatch.filter((d) => d.decision === undefined)).toEqual([]);
    };
    const services = MAX_SERVICES_PER_PRINCIPAL + 200;
    // Every question names a new service (so a new action) and a new resource.
    for (let from = 0; from < services; from += BATCH) {
      await ask(Array.from({ length: Math.min(BATCH, services - from) }, (_, i) => ({ action: `invented${from + i}:Do`, resource: `arn:aws:invented:::r/${from + i}` })));
      await server.running.app.authz.flushUsage();
    }
    // One action, many resources.
    await ask(Array.from({ length: BATCH }, (_, i) => ({ action: 'invented0:Do', resource: `arn:aws:invented:::many/${i}` })));
    await server.running.app.authz.flushUsage();

    const servicesStored = await db.db.select().from(serviceLastAccessed).where(eq(serviceLastAccessed.principalId, target.id));
    expect(servicesStored).toHaveLength(MAX_SERVICES_PER_PRINCIPAL);
    expect(await metric('portcullis_last_accessed_dropped_total')).toBe(services - MAX_SERVICES_PER_PRINCIPAL);

    const actionsStored = await db.db.select().from(actionUsage).where(eq(actionUsage.principalId, target.id));
    const actions = new Set(actionsStored.map((r) => r.actionKey));
    expect(actions.size).toBe(MAX_ACTIONS_PER_DAY);
    expect(actionsStored.filter((r) => r.resourceArn !== FOLDED_RESOURCE).length).toBeLessThanOrEqual(MAX_RESOURCES_PER_DAY);
    expect(actionsStored.length).toBeLessThanOrEqual(MAX_RESOURCES_PER_DAY + MAX_ACTIONS_PER_DAY);
    // The many-resource action found the day's resources taken: its uses count under the fold.
    const many = actionsStored.filter((r) => r.actionKey === 'invented0:do');
    expect(many.map((r) => [r.resourceArn, r.requests]).sort()).toEqual([[FOLDED_RESOURCE, BATCH], ['arn:aws:invented:::r/0', 1]]);
    // The 200 actions past the day's bound were refused, one use each.
    expect(await metric('portcullis_action_usage_dropped_total')).toBe(services - MAX_ACTIONS_PER_DAY);
  }, 120_000);
});
