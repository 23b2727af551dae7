/**
 * Virtual MFA devices: CreateVirtualMFADevice, EnableMFADevice, DeactivateMFADevice,
 * DeleteVirtualMFADevice, ListMFADevices. The TOTP seed is shown once, as base32 and as an
 * `otpauth://` URI, when the device is created; it is stored only encrypted (seed-cipher.ts).
 * A device's serial number is its ARN, `arn:aws:iam::<account>:mfa/<path><name>`.
 */
import { randomBytes } from 'node:crypto';
import { and, asc, eq, gt, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { accounts, mfaDevices, users, type Tag } from '../../db/schema/index.ts';
import type { ChangeKind } from '../../changes/change-kinds.ts';
import { runWrite, type ChangeInput, type WriteActor, type WriteResult } from '../../changes/outbox.ts';
import type { Queryable } from '../affected-principals.ts';
import { ownerName, resolveCredentialOwner, type SelfUser } from '../credential-owner.ts';
import { DeleteConflictError, EntityAlreadyExistsError, NoSuchEntityError, ValidationError } from '../../errors.ts';
import { decodeCursor, pageSize, toPage, type Page, type PageRequest } from '../pagination.ts';
import { enforceQuota } from '../quotas.ts';
import { rethrowUniqueViolation } from '../unique-violation.ts';
import type { User } from '../users.ts';
import { validateName, validatePath, validateTags } from '../validation.ts';
import { base32Encode } from './base32.ts';
import type { SeedCipher } from './seed-cipher.ts';
import { TOTP_DEFAULTS } from './totp.ts';
import { assertNotLocked, countWrongCode, MfaDeviceLockedError } from './lockout.ts';
import { findConsecutiveCodes, type MfaDevice } from './verify.ts';

/** Seed length: 20 bytes (160 bits), the HMAC-SHA1 block AWS virtual MFA uses. */
const SEED_BYTES = 20;

/** The MFA device ARN for an account, path and name. */
export function mfaSerialNumber(accountId: string, path: string, name: string): string {
  return `arn:aws:iam::${accountId}:mfa${path}${name}`;
}

/** CreateVirtualMFADevice's answer: the only time the seed is shown. */
export interface CreatedVirtualMfaDevice {
  readonly serialNumber: string;
  /** The seed, base32 (what authenticator apps accept for manual entry). */
  readonly base32StringSeed: string;
  /** `otpauth://totp/…` for a QR code. */
  readonly otpauthUri: string;
  readonly device: MfaDevice;
}

/** What ListMFADevices shows. */
export interface MfaDeviceInfo {
  readonly serialNumber: string;
  /** The unique id (AIDA…) of the user it is enabled for, the root user's included; null when unassigned. */
  readonly userId: string | null;
  readonly userName: string | null;
  readonly enableDate: Date | null;
}

function info(device: MfaDevice, owner: User | undefined): MfaDeviceInfo {
  return { serialNumber: device.serialNumber, userId: owner?.id ?? null, userName: owner === undefined ? null : ownerName(owner), enableDate: device.enabledAt };
}

function mfaChange(kind: ChangeKind, serialNumber: string, owner: User | undefined, extra: Record<string, unknown> = {}): ChangeInput {
  return {
    kind,
    entityType: 'mfa-device',
    entityArn: serialNumber,
    // MFA presence is a request fact; enabling a device changes no policy.
    affectedPrincipalIds: [],
    payload: { serialNumber, ...(owner === undefined ? {} : { userName: ownerName(owner) }), ...extra },
  };
}

/** The otpauth URI an authenticator app scans; the label names the account (alias if any) and device. */
export function otpauthUri(issuer: string, label: string, seedBase32: string): string {
  const params = new URLSearchParams({
    secret: seedBase32,
    issuer,
    algorithm: TOTP_DEFAULTS.algorithm.toUpperCase(),
    digits: String(TOTP_DEFAULTS.digits),
    period: String(TOTP_DEFAULTS.periodSeconds),
  });
  return `otpauth://totp/${encodeURIComponent(issuer)}:${encodeURIComponent(label)}?${params.toString()}`;
}

/** CreateVirtualMFADevice parameters. */
export interface CreateVirtualMfaDeviceInput {
  readonly virtualMFADeviceName: string;
  readonly path?: string | null;
  readonly tags?: readonly Tag[] | null;
}

/** CreateVirtualMFADevice: a new, unassigned device with a fresh random seed. */
export async function createVirtualMfaDevice(
  database: Database,
  actor: WriteActor,
  cipher: SeedCipher,
  input: CreateVirtualMfaDeviceInput,
): Promise<WriteResult<CreatedVirtualMfaDevice>> {
  const name = validateName('mfaDeviceName', input.virtualMFADeviceName, 'input.virtualMFADeviceName');
  const path = validatePath(input.path);
  const tags = validateTags(input.tags);
  const serialNumber = mfaSerialNumber(actor.accountId, path, name);
  const seed = randomBytes(SEED_BYTES);
  const base32StringSeed = base32Encode(seed);
  return runWrite(database, actor, async (tx, record) => {
    const [account] = await tx.select({ alias: accounts.alias }).from(accounts).where(eq(accounts.id, actor.accountId));
    const [existing] = await tx
      .select({ serialNumber: mfaDevices.serialNumber })
      .from(mfaDevices)
      .where(and(eq(mfaDevices.accountId, actor.accountId), eq(sql`lower(${mfaDevices.name})`, name.toLowerCase())));
    if (existing !== undefined) throw new EntityAlreadyExistsError('MFADevice', name);
    const [device] = await tx
      .insert(mfaDevices)
      .values({ serialNumber, accountId: actor.accountId, path, name, tags, encryptedSeed: cipher.encrypt(seed, serialNumber) })
      .returning()
      .catch(rethrowUniqueViolation(() => new EntityAlreadyExistsError('MFADevice', name)));
    record(mfaChange('VirtualMFADeviceCreated', serialNumber, undefined));
    const issuer = `Portcullis ${account?.alias ?? actor.accountId}`;
    return { serialNumber, base32StringSeed, otpauthUri: otpauthUri(issuer, name, base32StringSeed), device: device! };
  });
}

/** Validates an MFA serial number: a virtual device ARN of `accountId`. */
function validateSerialNumber(serialNumber: string, field = 'input.serialNumber'): string {
  if (!/^arn:aws:iam::\d{12}:mfa\/[\w+=,.@/-]{1,512}$/.test(serialNumber)) {
    throw new ValidationError(field, 'pattern', `${field} ${JSON.stringify(serialNumber.slice(0, 80))} is not a virtual MFA device ARN (arn:aws:iam::<account>:mfa/<name>)`);
  }
  return serialNumber;
}

/** The device `serialNumber` of the account, locked for update; NoSuchEntity when absent. */
async function lockedDevice(tx: Queryable, accountId: string, serialNumber: string, field = 'input.serialNumber'): Promise<MfaDevice> {
  validateSerialNumber(serialNumber, field);
  const [device] = await tx
    .select()
    .from(mfaDevices)
    .where(and(eq(mfaDevices.serialNumber, serialNumber), eq(mfaDevices.accountId, accountId)))
    .for('update');
  if (device === undefined) throw new NoSuchEntityError('MFADevice', serialNumber);
  return device;
}

/** EnableMFADevice parameters. */
export interface EnableMfaDeviceInput {
  readonly userName?: string | null;
  readonly serialNumber: string;
  readonly authenticationCode1: string;
  readonly authenticationCode2: string;
}

/**
 * EnableMFADevice: binds an unassigned device to a user after two consecutive codes prove
 * possession. `foundId`: the user a guard already found by `input.userName` (see CredentialOwnerOptions).
 */
export async function enableMfaDevice(
  database: Database,
  actor: WriteActor,
  self: SelfUser | undefined,
  cipher: SeedCipher,
  input: EnableMfaDeviceInput,
  foundId?: string,
  now: Date = new Date(),
): Promise<WriteResult<MfaDeviceInfo>> {
  for (const field of ['authenticationCode1', 'authenticationCode2'] as const) {
    if (!/^\d{6}$/.test(input[field])) throw new ValidationError(`input.${field}`, 'pattern', `input.${field} must be 6 digits`);
  }
  const written = await runWrite(database, actor, async (tx, record) => {
    const owner = await resolveCredentialOwner(tx, actor.accountId, input.userName, self, { foundId });
    const device = await lockedDevice(tx, actor.accountId, input.serialNumber);
    if (device.userId !== null) throw new EntityAlreadyExistsError('MFADevice', device.serialNumber);
    assertNotLocked(device, now);
    await tx.select({ id: users.id }).from(users).where(eq(users.id, owner.id)).for('update');
    const [count] = await tx.select({ n: sql<number>`count(*)::int` }).from(mfaDevices).where(eq(mfaDevices.userId, owner.id));
    enforceQuota('MFADevicesPerUser', count?.n ?? 0);
    const step = findConsecutiveCodes(cipher.decrypt(device.encryptedSeed, device.serialNumber), input.authenticationCode1, input.authenticationCode2, now);
    if (step === undefined) {
      // Returned, not thrown: the wrong-code count must commit with this transaction.
      const lockedUntil = await countWrongCode(tx, record, device, now, 'iam:EnableMFADevice');
      return { wrong: lockedUntil === undefined ? true : new MfaDeviceLockedError(device.serialNumber, lockedUntil, now) } as const;
    }
    const [updated] = await tx
      .update(mfaDevices)
      .set({ userId: owner.id, enabledAt: now, lastUsedCounter: step, failedCodeCount: 0, lockedUntil: null })
      .where(eq(mfaDevices.serialNumber, device.serialNumber))
      .returning();
    record(mfaChange('MFADeviceEnabled', device.serialNumber, owner));
    return { enabled: info(updated!, owner) } as const;
  });
  const { result } = written;
  if ('wrong' in result) {
    if (result.wrong instanceof MfaDeviceLockedError) throw result.wrong;
    throw new ValidationError('input.authenticationCode2', 'InvalidAuthenticationCode', 'input.authenticationCode1 and input.authenticationCode2 are not two consecutive codes of this device');
  }
  return { result: result.enabled, revision: written.revision };
}

/** DeactivateMFADevice: unbinds a device from its user (it can then be deleted or enabled again). `foundId` as for enableMfaDevice. */
export async function deactivateMfaDevice(
  database: Database,
  actor: WriteActor,
  self: SelfUser | undefined,
  input: { readonly userName?: string | null; readonly serialNumber: string },
  foundId?: string,
): Promise<WriteResult<MfaDeviceInfo>> {
  return runWrite(database, actor, async (tx, record) => {
    const owner = await resolveCredentialOwner(tx, actor.accountId, input.userName, self, { foundId });
    const device = await lockedDevice(tx, actor.accountId, input.serialNumber);
    if (device.userId !== owner.id) throw new NoSuchEntityError('MFADevice', device.serialNumber);
    const [updated] = await tx
      .update(mfaDevices)
      .set({ userId: null, enabledAt: null, lastUsedCounter: null })
      .where(eq(mfaDevices.serialNumber, device.serialNumber))
      .returning();
    record(mfaChange('MFADeviceDeactivated', device.serialNumber, owner));
    return info(updated!, undefined);
  });
}

/** DeleteVirtualMFADevice: deletes an unassigned device; DeleteConflict while it is still enabled. */
export async function deleteVirtualMfaDevice(database: Database, actor: WriteActor, serialNumber: string): Promise<WriteResult<MfaDeviceInfo>> {
  return runWrite(database, actor, async (tx, record) => {
    const device = await lockedDevice(tx, actor.accountId, serialNumber);
    if (device.userId !== null) throw new DeleteConflictError('MFADevice', device.serialNumber, 'a user it is enabled for; deactivate it first');
    await tx.delete(mfaDevices).where(eq(mfaDevices.serialNumber, device.serialNumber));
    record(mfaChange('VirtualMFADeviceDeleted', device.serialNumber, undefined));
    return info(device, undefined);
  });
}

/** ListVirtualMFADevices' filter. */
export type AssignmentStatus = 'Assigned' | 'Unassigned' | 'Any';

/** ListMFADevices, for many owners in one statement (the GraphQL loaders batch it): each owner's devices, oldest first. */
export async function mfaDevicesOfOwners(tx: Queryable, owners: readonly User[]): Promise<Map<string, MfaDeviceInfo[]>> {
  const result = new Map<string, MfaDeviceInfo[]>(owners.map((owner) => [owner.id, []]));
  if (owners.length === 0) return result;
  const byId = new Map(owners.map((owner) => [owner.id, owner]));
  const rows = await tx
    .select()
    .from(mfaDevices)
    .where(inArray(mfaDevices.userId, [...byId.keys()]))
    .orderBy(asc(mfaDevices.enabledAt), asc(mfaDevices.serialNumber));
  for (const row of rows) result.get(row.userId!)?.push(info(row, byId.get(row.userId!)));
  return result;
}

/** ListVirtualMFADevices: one page of the account's virtual devices by serial number, with their users when assigned. */
export async function listVirtualMfaDevices(
  tx: Queryable,
  accountId: string,
  status: AssignmentStatus = 'Any',
  request: PageRequest = {},
): Promise<Page<MfaDeviceInfo>> {
  const limit = pageSize(request.first);
  const after = decodeCursor(request.after, 1);
  const rows = await tx
    .select({ device: mfaDevices, owner: users })
    .from(mfaDevices)
    .leftJoin(users, eq(users.id, mfaDevices.userId))
    .where(
      and(
        eq(mfaDevices.accountId, accountId),
        status === 'Assigned' ? isNotNull(mfaDevices.userId) : status === 'Unassigned' ? isNull(mfaDevices.userId) : undefined,
        after === undefined ? undefined : gt(mfaDevices.serialNumber, after[0]!),
      ),
    )
    .orderBy(asc(mfaDevices.serialNumber))
    .limit(limit + 1);
  return toPage(
    rows.map((row) => info(row.device, row.owner ?? undefined)),
    limit,
    (device) => [device.serialNumber],
  );
}

/** The account's devices among `serialNumbers` with their users when assigned (any order; unknown ones left out): one statement. */
export async function virtualMfaDevicesBySerials(tx: Queryable, accountId: string, serialNumbers: readonly string[]): Promise<Array<{ device: MfaDeviceInfo; owner: User | undefined }>> {
  if (serialNumbers.length === 0) return [];
  const rows = await tx
    .select({ device: mfaDevices, owner: users })
    .from(mfaDevices)
    .leftJoin(users, eq(users.id, mfaDevices.userId))
    .where(and(eq(mfaDevices.accountId, accountId), inArray(mfaDevices.serialNumber, [...serialNumbers])));
  return rows.map((row) => ({ device: info(row.device, row.owner ?? undefined), owner: row.owner ?? undefined }));
}

/** The enabled devices of a user (sign-in and STS check codes against them). */
export async function enabledDevicesOf(tx: Queryable, userId: string): Promise<MfaDevice[]> {
  return tx.select().from(mfaDevices).where(and(eq(mfaDevices.userId, userId), isNotNull(mfaDevices.enabledAt)));
}

/** The tags of the account's virtual device with this serial number; undefined when there is none. */
export async function virtualMfaDeviceTags(tx: Queryable, accountId: string, serialNumber: string): Promise<Tag[] | undefined> {
  const [row] = await tx
    .select({ tags: mfaDevices.tags })
    .from(mfaDevices)
    .where(and(eq(mfaDevices.accountId, accountId), eq(mfaDevices.serialNumber, serialNumber)));
  return row?.tags;
}
