/**
 * importResources: registers up to 10,000 resources in one call, all or nothing. Every resource is
 * validated first (the first bad one refuses the whole call, naming its position); then one
 * statement upserts them all (a resource the account already has takes the imported tags, type
 * and policy, so a re-run of the same file changes nothing but `updateDate`) and the change log
 * gets one `ResourcesImported` row per resource, in the same transaction: one batch for every
 * cache and watch that reacts to it.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { selectRows } from '../db/rows.ts';
import { EntityAlreadyExistsError, ValidationError } from '../errors.ts';
import { runWrite, type WriteActor, type WriteResult } from '../changes/outbox.ts';
import { quotaLimit } from './quotas.ts';
import { catalogForArns, prepareResource, type PreparedResource, type ResourceInput } from './resource-input.ts';
import { resourceChange } from './resources.ts';

/** importResources parameters. */
export interface ImportResourcesInput {
  readonly resources: readonly ResourceInput[];
}

/** What an import did. */
export interface ImportOutcome {
  /** Resources that were not registered before. */
  readonly registered: number;
  /** Resources the account already had, now replaced by the imported tags, type and policy. */
  readonly updated: number;
  /** Every resource ARN imported, in input order. */
  readonly resourceArns: readonly string[];
}

/** Validates every resource of an import; throws the first failure, naming `input.resources[i]`. */
async function prepareAll(database: Database, accountId: string, input: ImportResourcesInput): Promise<PreparedResource[]> {
  const max = quotaLimit('ResourcesPerImport');
  const items = input.resources;
  if (items.length < 1 || items.length > max) {
    throw new ValidationError('input.resources', 'count', `input.resources must hold 1 to ${max} resources; got ${items.length}`);
  }
  const catalog = await catalogForArns(
    database,
    accountId,
    items.map((r) => r.resourceArn),
  );
  const seen = new Map<string, number>();
  return items.map((item, i) => {
    const prepared = prepareResource(catalog, accountId, item, `input.resources[${i}]`);
    const earlier = seen.get(prepared.arn);
    if (earlier !== undefined) {
      throw new ValidationError(`input.resources[${i}].resourceArn`, 'duplicate', `input.resources[${i}].resourceArn repeats input.resources[${earlier}].resourceArn ${JSON.stringify(prepared.arn)}`);
    }
    seen.set(prepared.arn, i);
    return prepared;
  });
}

/** importResources: registers or replaces up to 10,000 resources of the caller's account at once. */
export async function importResources(database: Database, actor: WriteActor, input: ImportResourcesInput): Promise<WriteResult<ImportOutcome>> {
  const prepared = await prepareAll(database, actor.accountId, input);
  const rows = prepared.map((p) => ({ arn: p.arn, service: p.service, resource_type: p.resourceType, tags: p.tags, policy_document: p.policyDocument }));
  return runWrite(database, actor, async (tx, record) => {
    // One statement whatever the count: the rows travel as one JSON parameter (sent as text, or
    // postgres.js would encode the string as a JSON string). An ARN another
    // account holds conflicts on the ARN but is not updated (the WHERE), so it is not returned.
    const stored = await selectRows<{ arn: string; inserted: boolean }>(
      tx,
      sql`insert into resources as r (account_id, arn, service, resource_type, tags, policy_document)
          select ${actor.accountId}, u.arn, u.service, u.resource_type, u.tags, u.policy_document
          from jsonb_to_recordset(${JSON.stringify(rows)}::text::jsonb)
            as u(arn text, service text, resource_type text, tags jsonb, policy_document text)
          on conflict (arn) do update
            set service = excluded.service, resource_type = excluded.resource_type, tags = excluded.tags,
                policy_document = excluded.policy_document, updated_at = now()
            where r.account_id = excluded.account_id
          returning r.arn, (r.xmax = 0) as inserted`,
    );
    if (stored.length !== prepared.length) {
      const got = new Set(stored.map((s) => s.arn));
      const taken = prepared.find((p) => !got.has(p.arn))!;
      throw new EntityAlreadyExistsError('Resource', taken.arn);
    }
    const inserted = new Map(stored.map((s) => [s.arn, s.inserted === true || String(s.inserted) === 'true']));
    let registered = 0;
    for (const p of prepared) {
      const isNew = inserted.get(p.arn) === true;
      if (isNew) registered++;
      record(resourceChange('ResourcesImported', { arn: p.arn, service: p.service, resourceType: p.resourceType }, { registered: isNew, hasPolicy: p.policyDocument !== null }));
    }
    return { registered, updated: prepared.length - registered, resourceArns: prepared.map((p) => p.arn) };
  });
}
