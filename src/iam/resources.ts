/**
 * The resource registry's commands: registerResource, putResourcePolicy, deleteResourcePolicy,
 * tagResource, untagResource, deregisterResource. Each write records one change-log row (entity
 * type `resource`, the ARN as entity) that no principal's effective set depends on, but that
 * decisions about the resource and the watches on it react to (authz/registered-resources.ts,
 * live/decision-watch.ts). Bulk registration is in resource-import.ts; reads in resource-reads.ts.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { Database, Tx } from '../db/client.ts';
import { resources, type Tag } from '../db/schema/index.ts';
import { EntityAlreadyExistsError, NoSuchEntityError } from '../errors.ts';
import type { Finding } from '../policy/index.ts';
import { runWrite, type ChangeInput, type WriteActor, type WriteResult } from '../changes/outbox.ts';
import type { ChangeKind } from '../changes/change-kinds.ts';
import { catalogForArns, checkExistingArn, checkResourcePolicy, prepareResource, type ResourceInput } from './resource-input.ts';
import { mergeTags, removeTags } from './tag-set.ts';
import { validateTagKeys, validateTags } from './validation.ts';

/** A stored resource row. */
export type RegisteredResourceRow = typeof resources.$inferSelect;

/** A registry write's result: the resource as stored, and its policy's non-error findings. */
export interface ResourceWrite {
  readonly resource: RegisteredResourceRow;
  readonly findings: readonly Finding[];
}

/** The change-log row of a registry write on `row`. */
export function resourceChange(kind: ChangeKind, row: Pick<RegisteredResourceRow, 'arn' | 'service' | 'resourceType'>, extra: Record<string, unknown> = {}): ChangeInput {
  return {
    kind,
    entityType: 'resource',
    entityArn: row.arn,
    // A resource's policy and tags are no part of any principal's effective set: nobody's cached
    // set depends on them; decisions and watches about the resource react to the ARN.
    affectedPrincipalIds: [],
    payload: { serviceName: row.service, resourceType: row.resourceType, ...extra },
  };
}

/** The resource `arn` of `accountId`, locked for update; NoSuchEntityError (on the ARN) when the account has none. */
async function lockResource(tx: Tx, accountId: string, arn: string): Promise<RegisteredResourceRow> {
  const [row] = await tx
    .select()
    .from(resources)
    .where(and(eq(resources.accountId, accountId), eq(resources.arn, arn)))
    .for('update');
  if (row === undefined) throw new NoSuchEntityError('Resource', arn);
  return row;
}

/** registerResource: adds a resource of the caller's account with its tags and optional resource policy. */
export async function registerResource(database: Database, actor: WriteActor, input: ResourceInput): Promise<WriteResult<ResourceWrite>> {
  const catalog = await catalogForArns(database, actor.accountId, [input.resourceArn]);
  const prepared = prepareResource(catalog, actor.accountId, input, 'input');
  return runWrite(database, actor, async (tx, record) => {
    // A conflict on either key (the account's own ARN, or another account's) means the ARN is taken.
    const [row] = await tx
      .insert(resources)
      .values({
        accountId: actor.accountId,
        arn: prepared.arn,
        service: prepared.service,
        resourceType: prepared.resourceType,
        tags: prepared.tags,
        policyDocument: prepared.policyDocument,
      })
      .onConflictDoNothing()
      .returning();
    if (row === undefined) throw new EntityAlreadyExistsError('Resource', prepared.arn);
    record(resourceChange('ResourceRegistered', row, { tagKeys: row.tags.map((t) => t.key), hasPolicy: row.policyDocument !== null }));
    return { resource: row, findings: prepared.findings };
  });
}

/** putResourcePolicy parameters. */
export interface PutResourcePolicyInput {
  readonly resourceArn: string;
  readonly policyDocument: string;
}

/** putResourcePolicy: sets (replaces) a registered resource's resource-based policy. */
export async function putResourcePolicy(database: Database, actor: WriteActor, input: PutResourcePolicyInput): Promise<WriteResult<ResourceWrite>> {
  const arn = checkExistingArn(input.resourceArn);
  const findings = checkResourcePolicy(input.policyDocument, 'input.policyDocument');
  return runWrite(database, actor, async (tx, record) => {
    await lockResource(tx, actor.accountId, arn);
    const [row] = await tx
      .update(resources)
      .set({ policyDocument: input.policyDocument, updatedAt: sql`now()` })
      .where(and(eq(resources.accountId, actor.accountId), eq(resources.arn, arn)))
      .returning();
    record(resourceChange('ResourcePolicyPut', row!));
    return { resource: row!, findings };
  });
}

/** deleteResourcePolicy: removes a registered resource's policy; a resource without one is left as it is, as S3's DeleteBucketPolicy does. */
export async function deleteResourcePolicy(database: Database, actor: WriteActor, input: { readonly resourceArn: string }): Promise<WriteResult<RegisteredResourceRow>> {
  const arn = checkExistingArn(input.resourceArn);
  return runWrite(database, actor, async (tx, record) => {
    const existing = await lockResource(tx, actor.accountId, arn);
    if (existing.policyDocument === null) return existing;
    const [row] = await tx
      .update(resources)
      .set({ policyDocument: null, updatedAt: sql`now()` })
      .where(and(eq(resources.accountId, actor.accountId), eq(resources.arn, arn)))
      .returning();
    record(resourceChange('ResourcePolicyDeleted', row!));
    return row!;
  });
}

/** tagResource parameters. */
export interface TagResourceInput {
  readonly resourceArn: string;
  readonly tags: readonly Tag[];
}

/** tagResource: adds or overwrites tags (keys compared case-insensitively, at most 50 on the resource). */
export async function tagResource(database: Database, actor: WriteActor, input: TagResourceInput): Promise<WriteResult<RegisteredResourceRow>> {
  const arn = checkExistingArn(input.resourceArn);
  const tags = validateTags(input.tags);
  return runWrite(database, actor, async (tx, record) => {
    const existing = await lockResource(tx, actor.accountId, arn);
    const [row] = await tx
      .update(resources)
      .set({ tags: mergeTags(existing.tags, tags), updatedAt: sql`now()` })
      .where(and(eq(resources.accountId, actor.accountId), eq(resources.arn, arn)))
      .returning();
    record(resourceChange('ResourceTagged', row!, { tagKeys: tags.map((t) => t.key) }));
    return row!;
  });
}

/** untagResource parameters. */
export interface UntagResourceInput {
  readonly resourceArn: string;
  readonly tagKeys: readonly string[];
}

/** untagResource: removes tags by key (any case); absent keys are ignored, as AWS does. */
export async function untagResource(database: Database, actor: WriteActor, input: UntagResourceInput): Promise<WriteResult<RegisteredResourceRow>> {
  const arn = checkExistingArn(input.resourceArn);
  const keys = validateTagKeys(input.tagKeys);
  return runWrite(database, actor, async (tx, record) => {
    const existing = await lockResource(tx, actor.accountId, arn);
    const [row] = await tx
      .update(resources)
      .set({ tags: removeTags(existing.tags, keys), updatedAt: sql`now()` })
      .where(and(eq(resources.accountId, actor.accountId), eq(resources.arn, arn)))
      .returning();
    record(resourceChange('ResourceUntagged', row!, { tagKeys: keys }));
    return row!;
  });
}

/** deregisterResource: removes a resource from the registry; decisions about its ARN stop using its policy and tags. */
export async function deregisterResource(database: Database, actor: WriteActor, input: { readonly resourceArn: string }): Promise<WriteResult<RegisteredResourceRow>> {
  const arn = checkExistingArn(input.resourceArn);
  return runWrite(database, actor, async (tx, record) => {
    const [row] = await tx
      .delete(resources)
      .where(and(eq(resources.accountId, actor.accountId), eq(resources.arn, arn)))
      .returning();
    if (row === undefined) throw new NoSuchEntityError('Resource', arn);
    record(resourceChange('ResourceDeregistered', row));
    return row;
  });
}
