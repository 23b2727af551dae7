/**
 * Virtual MFA devices on the wire. createVirtualMFADevice shows the seed (base32 and otpauth URI)
 * once, in its payload only; enableMFADevice takes two consecutive codes; deactivate and delete;
 * `mfaDevices(userName)` lists a user's enabled devices.
 */
import type { WriteResult } from '../changes/outbox.ts';
import { DeleteConflictError, EntityAlreadyExistsError, LimitExceededError, NoSuchEntityError, ValidationError } from '../errors.ts';
import {
  createVirtualMfaDevice,
  deactivateMfaDevice,
  deleteVirtualMfaDevice,
  enableMfaDevice,
  listMfaDevices,
  listVirtualMfaDevices,
  mfaSerialNumber,
  type CreatedVirtualMfaDevice,
  type MfaDeviceInfo,
} from '../iam/mfa/devices.ts';
import { MfaDeviceLockedError } from '../iam/mfa/lockout.ts';
import { seedCipherFor } from '../iam/mfa/secrets-key.ts';
import { builder } from './builder.ts';
import { errorObjectType, WriteSuccessInterface } from './errors.ts';
import { ownerToRead, requireOnMfaDevice, requireOnOwner, selfOf, settled } from './credential-guard.ts';
import { entitySuccess, resultErrors } from './mutation-result.ts';
import { TagInputRef } from './tag.ts';

/** MFADeviceLocked: answered by every field that checks an MFA code (signIn, getSessionToken, assumeRole, enableMFADevice). */
const MfaDeviceLockedRef = errorObjectType(MfaDeviceLockedError, {
  name: 'MFADeviceLocked',
  description: 'The MFA device refuses every code, right or wrong, after too many wrong ones in a row; try again after `lockedUntil`.',
});
builder.objectFields(MfaDeviceLockedRef, (t) => ({
  serialNumber: t.exposeString('serialNumber', { description: 'The locked device.' }),
  lockedUntil: t.string({ description: 'ISO 8601: when the device accepts codes again.', resolve: (e) => e.lockedUntil.toISOString() }),
  retryAfterSeconds: t.exposeInt('retryAfterSeconds', { description: 'Seconds until then.' }),
}));

const MfaDeviceRef = builder.objectRef<MfaDeviceInfo>('MFADevice').implement({
  description: 'A virtual MFA device; its serial number is its ARN.',
  fields: (t) => ({
    serialNumber: t.exposeString('serialNumber'),
    userName: t.exposeString('userName', { nullable: true, description: 'The user it is enabled for; null when unassigned.' }),
    enableDate: t.string({ nullable: true, description: 'ISO 8601.', resolve: (d) => d.enableDate?.toISOString() ?? null }),
  }),
});

const CreateVirtualMFADeviceSuccess = builder.objectRef<WriteResult<CreatedVirtualMfaDevice>>('CreateVirtualMFADeviceSuccess').implement({
  interfaces: [WriteSuccessInterface],
  description: 'The new device. The seed is shown here once and never again: add it to an authenticator app now.',
  fields: (t) => ({
    serialNumber: t.string({ resolve: (s) => s.result.serialNumber }),
    base32StringSeed: t.string({ description: 'The TOTP seed, base32.', resolve: (s) => s.result.base32StringSeed }),
    otpauthUri: t.string({ description: '`otpauth://totp/…`, for a QR code.', resolve: (s) => s.result.otpauthUri }),
  }),
});
const EnableMFADeviceSuccess = entitySuccess('EnableMFADevice', 'mfaDevice', MfaDeviceRef, 'The device, now enabled for the user.');
const DeactivateMFADeviceSuccess = entitySuccess('DeactivateMFADevice', 'mfaDevice', MfaDeviceRef, 'The device, now unassigned.');
const DeleteVirtualMFADeviceSuccess = entitySuccess('DeleteVirtualMFADevice', 'mfaDevice', MfaDeviceRef, 'The device as it was.');

const CreateVirtualMFADeviceInput = builder.inputType('CreateVirtualMFADeviceInput', {
  fields: (t) => ({
    virtualMFADeviceName: t.string({ required: true }),
    path: t.string({ description: 'Default `/`.' }),
    tags: t.field({ type: [TagInputRef] }),
  }),
});
const EnableMFADeviceInput = builder.inputType('EnableMFADeviceInput', {
  fields: (t) => ({
    userName: t.string({ description: 'Omit for the calling user.' }),
    serialNumber: t.string({ required: true }),
    authenticationCode1: t.string({ required: true, description: 'A code from the device.' }),
    authenticationCode2: t.string({ required: true, description: 'The next code after authenticationCode1.' }),
  }),
});
const DeactivateMFADeviceInput = builder.inputType('DeactivateMFADeviceInput', {
  fields: (t) => ({ userName: t.string({ description: 'Omit for the calling user.' }), serialNumber: t.string({ required: true }) }),
});
const DeleteVirtualMFADeviceInput = builder.inputType('DeleteVirtualMFADeviceInput', {
  fields: (t) => ({ serialNumber: t.string({ required: true }) }),
});

const AssignmentStatusEnum = builder.enumType('AssignmentStatus', {
  description: 'Which virtual MFA devices to list: enabled for a user, unassigned, or both.',
  values: ['Assigned', 'Unassigned', 'Any'] as const,
});

builder.queryFields((t) => ({
  virtualMFADevices: t.field({
    type: [MfaDeviceRef],
    description: "The account's virtual MFA devices (ListVirtualMFADevices), by serial number.",
    args: { assignmentStatus: t.arg({ type: AssignmentStatusEnum }) },
    resolve: async (_root, { assignmentStatus }, context) => {
      const caller = await context.guard.require('iam:ListVirtualMFADevices', '*');
      return listVirtualMfaDevices(context.database.db, caller.accountId, assignmentStatus ?? 'Any');
    },
  }),
  mfaDevices: t.field({
    type: [MfaDeviceRef],
    description: "A user's enabled MFA devices (ListMFADevices); omit userName for your own.",
    args: { userName: t.arg.string() },
    resolve: async (_root, { userName }, context) => {
      const authorized = await requireOnOwner(context, 'iam:ListMFADevices', userName);
      return listMfaDevices(context.database.db, await ownerToRead(context, authorized, userName));
    },
  }),
}));

builder.mutationFields((t) => ({
  createVirtualMFADevice: t.field({
    type: CreateVirtualMFADeviceSuccess,
    description: 'CreateVirtualMFADevice: a new unassigned device with a fresh seed.',
    args: { input: t.arg({ type: CreateVirtualMFADeviceInput, required: true }) },
    errors: resultErrors('CreateVirtualMFADevice', [ValidationError, EntityAlreadyExistsError]),
    resolve: async (_root, { input }, context) => {
      const accountId = (context.guard.caller ?? (await context.guard.require('iam:CreateVirtualMFADevice', '*'))).accountId;
      const caller = await context.guard.require('iam:CreateVirtualMFADevice', mfaSerialNumber(accountId, input.path ?? '/', input.virtualMFADeviceName), {
        requestTags: input.tags,
      });
      return createVirtualMfaDevice(context.database, caller, await seedCipherFor(context.config), input);
    },
  }),
  enableMFADevice: t.field({
    type: EnableMFADeviceSuccess,
    description: 'EnableMFADevice: binds a device to a user (at most 8 per user) after two consecutive codes.',
    args: { input: t.arg({ type: EnableMFADeviceInput, required: true }) },
    errors: resultErrors('EnableMFADevice', [ValidationError, NoSuchEntityError, EntityAlreadyExistsError, LimitExceededError, MfaDeviceLockedError]),
    resolve: async (_root, { input }, context) => {
      const { caller, owner } = await requireOnOwner(context, 'iam:EnableMFADevice', input.userName);
      return enableMfaDevice(context.database, caller, selfOf(caller), await seedCipherFor(context.config), input, owner?.id);
    },
  }),
  deactivateMFADevice: t.field({
    type: DeactivateMFADeviceSuccess,
    description: 'DeactivateMFADevice: unbinds a device from its user.',
    args: { input: t.arg({ type: DeactivateMFADeviceInput, required: true }) },
    errors: resultErrors('DeactivateMFADevice', [ValidationError, NoSuchEntityError]),
    resolve: async (_root, { input }, context) => {
      const { caller, owner } = await requireOnOwner(context, 'iam:DeactivateMFADevice', input.userName);
      return settled(context, await deactivateMfaDevice(context.database, caller, selfOf(caller), input, owner?.id));
    },
  }),
  deleteVirtualMFADevice: t.field({
    type: DeleteVirtualMFADeviceSuccess,
    description: 'DeleteVirtualMFADevice: deletes an unassigned device.',
    args: { input: t.arg({ type: DeleteVirtualMFADeviceInput, required: true }) },
    errors: resultErrors('DeleteVirtualMFADevice', [ValidationError, NoSuchEntityError, DeleteConflictError]),
    resolve: async (_root, { input }, context) => {
      const caller = await requireOnMfaDevice(context, 'iam:DeleteVirtualMFADevice', input.serialNumber);
      return deleteVirtualMfaDevice(context.database, caller, input.serialNumber);
    },
  }),
}));
