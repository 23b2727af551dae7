/**
 * Access keys: CreateAccessKey, UpdateAccessKey, DeleteAccessKey, ListAccessKeys,
 * GetAccessKeyLastUsed. A key id is AKIA + 16 base32 characters; its 40-character secret is
 * returned once by CreateAccessKey and stored only as a scrypt hash (src/iam/secrets.ts), which
 * is what authentication verifies `Authorization: Basic` credentials against.
 */
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { accessKeys, users } from '../db/schema/index.ts';
import type { ChangeKind } from '../changes/change-kinds.ts';
import { runWrite, type ChangeInput, type WriteActor, type WriteResult } from '../changes/outbox.ts';
import type { Queryable } from './affected-principals.ts';
import { ownerName, resolveCredentialOwner, type SelfUser } from './credential-owner.ts';
import { NoSuchEntityError, ValidationError } from '../errors.ts';
import { isUniqueId, newUniqueId } from './ids.ts';
import { enforceQuota } from './quotas.ts';
import { generateSecretAccessKey, hashAccessKeySecret } from './secrets.ts';
import type { User } from './users.ts';

/** Access key status, as AWS spells it. */
export type AccessKeyStatus = 'Active' | 'Inactive';

/** What ListAccessKeys shows: never the secret. */
export interface AccessKeyMetadata {
  readonly accessKeyId: string;
  /** The owner's unique id (AIDA…), the root user's included. */
  readonly userId: string;
  readonly userName: string;
  readonly status: AccessKeyStatus;
  readonly createDate: Date;
}

/** CreateAccessKey's answer: the only time the secret is ever shown. */
export interface CreatedAccessKey {
  readonly accessKey: AccessKeyMetadata;
  readonly secretAccessKey: string;
}

/** GetAccessKeyLastUsed's answer. */
export interface AccessKeyLastUsed {
  readonly accessKeyId: string;
  readonly userName: string;
  /** Absent when the key has never been used. */
  readonly lastUsedDate: Date | null;
  readonly serviceName: string | null;
  readonly actionName: string | null;
}

type AccessKeyRow = typeof accessKeys.$inferSelect;

function metadata(row: AccessKeyRow, owner: User): AccessKeyMetadata {
  return { accessKeyId: row.id, userId: owner.id, userName: ownerName(owner), status: row.status, createDate: row.createdAt };
}

/** Validates an access key id's shape (AKIA…); `field` names the input. */
export function validateAccessKeyId(accessKeyId: string, field = 'input.accessKeyId'): string {
  if (!isUniqueId('accessKey', accessKeyId)) {
    throw new ValidationError(field, 'pattern', `${field} ${JSON.stringify(accessKeyId.slice(0, 40))} is not an access key id (AKIA followed by 16 characters A-Z, 2-7)`);
  }
  return accessKeyId;
}

/** The change-log entry of a key event: no secret, the key id in the payload (it drops cached verifications). */
function keyChange(kind: ChangeKind, owner: User, accessKeyId: string, extra: Record<string, unknown> = {}): ChangeInput {
  return {
    kind,
    entityType: 'access-key',
    entityArn: owner.arn,
    // A key's status changes who can authenticate, not what anyone may do.
    affectedPrincipalIds: [],
    payload: { accessKeyId, userName: ownerName(owner), ...extra },
  };
}

/**
 * CreateAccessKey: a new Active key for the user (at most two per user). `foundId`: the user a
 * guard already found by `input.userName` (see CredentialOwnerOptions).
 */
export async function createAccessKey(
  database: Database,
  actor: WriteActor,
  self: SelfUser | undefined,
  input: { readonly userName?: string | null },
  foundId?: string,
): Promise<WriteResult<CreatedAccessKey>> {
  const secretAccessKey = generateSecretAccessKey();
  const secretHash = await hashAccessKeySecret(secretAccessKey);
  return runWrite(database, actor, async (tx, record) => {
    // Locked, so concurrent creates for one user run one at a time and cannot race past the quota.
    const owner = await resolveCredentialOwner(tx, actor.accountId, input.userName, self, { foundId, lock: true });
    const [count] = await tx.select({ n: sql<number>`count(*)::int` }).from(accessKeys).where(eq(accessKeys.userId, owner.id));
    enforceQuota('AccessKeysPerUser', count?.n ?? 0);
    const [row] = await tx.insert(accessKeys).values({ id: newUniqueId('accessKey'), userId: owner.id, secretHash }).returning();
    record(keyChange('AccessKeyCreated', owner, row!.id));
    return { accessKey: metadata(row!, owner), secretAccessKey };
  });
}

/** The key `accessKeyId` of `owner`; NoSuchEntity when the user has no such key. */
async function ownedKey(tx: Queryable, owner: User, accessKeyId: string): Promise<AccessKeyRow> {
  validateAccessKeyId(accessKeyId);
  const [row] = await tx.select().from(accessKeys).where(and(eq(accessKeys.id, accessKeyId), eq(accessKeys.userId, owner.id)));
  if (row === undefined) throw new NoSuchEntityError('AccessKey', accessKeyId);
  return row;
}

/** UpdateAccessKey parameters. */
export interface UpdateAccessKeyInput {
  readonly userName?: string | null;
  readonly accessKeyId: string;
  readonly status: AccessKeyStatus;
}

/** UpdateAccessKey: makes a key Active or Inactive; an Inactive key no longer authenticates. `foundId` as for createAccessKey. */
export async function updateAccessKey(
  database: Database,
  actor: WriteActor,
  self: SelfUser | undefined,
  input: UpdateAccessKeyInput,
  foundId?: string,
): Promise<WriteResult<AccessKeyMetadata>> {
  if (input.status !== 'Active' && input.status !== 'Inactive') {
    throw new ValidationError('input.status', 'enum', `input.status must be Active or Inactive; got ${JSON.stringify(input.status)}`);
  }
  return runWrite(database, actor, async (tx, record) => {
    const owner = await resolveCredentialOwner(tx, actor.accountId, input.userName, self, { foundId });
    const key = await ownedKey(tx, owner, input.accessKeyId);
    const [row] = await tx.update(accessKeys).set({ status: input.status }).where(eq(accessKeys.id, key.id)).returning();
    if (key.status !== input.status) record(keyChange('AccessKeyStatusChanged', owner, key.id, { status: input.status }));
    return metadata(row!, owner);
  });
}

/** DeleteAccessKey: removes a key for good. `foundId` as for createAccessKey. */
export async function deleteAccessKey(
  database: Database,
  actor: WriteActor,
  self: SelfUser | undefined,
  input: { readonly userName?: string | null; readonly accessKeyId: string },
  foundId?: string,
): Promise<WriteResult<AccessKeyMetadata>> {
  return runWrite(database, actor, async (tx, record) => {
    const owner = await resolveCredentialOwner(tx, actor.accountId, input.userName, self, { foundId });
    const key = await ownedKey(tx, owner, input.accessKeyId);
    await tx.delete(accessKeys).where(eq(accessKeys.id, key.id));
    record(keyChange('AccessKeyDeleted', owner, key.id));
    return metadata(key, owner);
  });
}

/** ListAccessKeys, for many owners in one statement (the GraphQL loaders batch it): each owner's keys, oldest first. */
export async function accessKeysOfOwners(tx: Queryable, owners: readonly User[]): Promise<Map<string, AccessKeyMetadata[]>> {
  const result = new Map<string, AccessKeyMetadata[]>(owners.map((owner) => [owner.id, []]));
  if (owners.length === 0) return result;
  const byId = new Map(owners.map((owner) => [owner.id, owner]));
  const rows = await tx
    .select()
    .from(accessKeys)
    .where(inArray(accessKeys.userId, [...byId.keys()]))
    .orderBy(asc(accessKeys.createdAt), asc(accessKeys.id));
  for (const row of rows) result.get(row.userId)?.push(metadata(row, byId.get(row.userId)!));
  return result;
}

/** The keys of `accountId` among `accessKeyIds` with their owners, the root user's included (any order; unknown ids left out): one statement. */
export async function accessKeysByIds(tx: Queryable, accountId: string, accessKeyIds: readonly string[]): Promise<Array<{ key: AccessKeyMetadata; owner: User }>> {
  // No shape check: a bootstrap key (PORTCULLIS_ROOT_ACCESS_KEY) may have any id.
  if (accessKeyIds.length === 0) return [];
  const rows = await tx
    .select({ key: accessKeys, owner: users })
    .from(accessKeys)
    .innerJoin(users, eq(users.id, accessKeys.userId))
    .where(and(inArray(accessKeys.id, [...accessKeyIds]), eq(users.accountId, accountId)));
  return rows.map((row) => ({ key: metadata(row.key, row.owner), owner: row.owner }));
}

/** GetAccessKeyLastUsed: when and for what a key of the account was last used. */
export async function getAccessKeyLastUsed(tx: Queryable, accountId: string, accessKeyId: string): Promise<AccessKeyLastUsed & { readonly owner: User }> {
  validateAccessKeyId(accessKeyId);
  const [row] = await tx
    .select({ key: accessKeys, owner: users })
    .from(accessKeys)
    .innerJoin(users, eq(users.id, accessKeys.userId))
    .where(and(eq(accessKeys.id, accessKeyId), eq(users.accountId, accountId)));
  if (row === undefined) throw new NoSuchEntityError('AccessKey', accessKeyId);
  return {
    accessKeyId,
    userName: ownerName(row.owner),
    lastUsedDate: row.key.lastUsedAt,
    serviceName: row.key.lastUsedService,
    actionName: row.key.lastUsedAction,
    owner: row.owner,
  };
}
