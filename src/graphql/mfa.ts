/**
 * Virtual MFA devices on the wire. createVirtualMFADevice shows the seed (base32 and otpauth URI)
 * once, in its payload only; enableMFADevice takes two consecutive codes; deactivate and delete;
 * `mfaDevices(userName)` and `User.mfaDevices` list a user's enabled devices, `virtualMFADevices` the account's.
 */
import type { WriteResult } from '../changes/outbox.ts';
import { DeleteConflictError, EntityAlreadyExistsError, LimitExceededError, NoSuchEntityError, ValidationError } from '../errors.ts';
import {
  createVirtualMfaDevice,
  deactivateMfaDevice,
  deleteVirtualMfaDevice,
  enableMfaDevice,
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
import { pageArgs, pageConnection } from './connection.ts';
import { factsOf } from './directory-guard.ts';
import { entitySuccess, resultErrors } from './mutation-result.ts';
import { loadGuardedNodes } from './node-guard.ts';
import { loadUser } from './policy-principals.ts';
import { UserRef } from './principal-refs.ts';
import { TagInputRef } from './tag.ts';

/** MFADeviceLocked: answered by every field that checks an MFA code (signIn, getSessionToken, assumeRole, enableMFADevice). */
const MfaDeviceLockedRef = errorObjectType(MfaDeviceLockedError, {
  name: 'MFADeviceLocked',
  description: 'The MFA device refuses every code, right or wrong, after too many wrong ones in a row; try again after `unlockDate`.',
});
builder.objectFields(MfaDeviceLockedRef, (t) => ({
  serialNumber: t.exposeString('serialNumber', { description: 'The locked device.' }),
  unlockDate: t.field({ type: 'DateTime', description: 'When the device accepts codes again.', resolve: (e) => e.lockedUntil }),
  retryAfterSeconds: t.exposeInt('retryAfterSeconds', { description: 'Seconds until then.' }),
}));

const MfaDeviceRef = builder.objectRef<MfaDeviceInfo>('MFADevice');

builder.node(MfaDeviceRef, {
  description: 'A virtual MFA device; its serial number is its ARN.',
  // The serial number never changes (devices cannot be renamed or moved).
  id: { resolve: (d) => d.serialNumber },
  loadMany: (ids, context) =>
    loadGuardedNodes(
      context,
      'iam:ListVirtualMFADevices',
      ids,
      (caller) => context.loaders.credentials.mfaDeviceBySerial.loadMany(ids.map((id) => ({ accountId: caller.accountId, id }))),
      async (found) => {
        // Shown by mfaDevices(userName) (ListMFADevices on its user) and by virtualMFADevices
        // (ListVirtualMFADevices): either allows it. An unknown one needs the latter, which says nothing of it.
        const owner = found?.owner;
        if (owner === undefined || !(await context.guard.allows('iam:ListMFADevices', owner.arn, factsOf(owner)))) {
          await context.guard.require('iam:ListVirtualMFADevices', '*');
        }
        return found?.device ?? null;
      },
    ),
  fields: (t) => ({
    serialNumber: t.exposeString('serialNumber'),
    userName: t.exposeString('userName', { nullable: true, description: 'The user it is enabled for (`root` for the root user); null when unassigned.' }),
    user: t.field({
      type: UserRef,
      nullable: true,
      description: 'The user it is enabled for; null when unassigned or enabled for the root user (who is no `User`; `userName` is then `root`).',
      resolve: (d, _args, context) =>
        d.userId === null ? null : loadUser(context, d.userId),
    }),
    enableDate: t.field({ type: 'DateTime', nullable: true, description: 'When it was enabled for its user; null when unassigned.', resolve: (d) => d.enableDate }),
  }),
});

/** A page of virtual MFA devices. */
const MfaDeviceConnectionRef = builder.connectionObject({ type: MfaDeviceRef, name: 'MFADeviceConnection' });

// Checked as mfaDevices(userName) is; a refusal nulls this field only.
builder.objectFields(UserRef, (t) => ({
  mfaDevices: t.field({
    type: [MfaDeviceRef],
    nullable: true,
    description: 'The MFA devices enabled for the user, oldest first (ListMFADevices; at most eight).',
    resolve: async (user, _args, context) => {
      await context.guard.require('iam:ListMFADevices', user.arn, factsOf(user));
      return context.loaders.credentials.mfaDevicesOf.load(user);
    },
  }),
}));

const CreateVirtualMFADeviceSuccess = builder.objectRef<WriteResult<CreatedVirtualMfaDevice>>('CreateVirtualMFADeviceSuccess').implement({
  interfaces: [WriteSuccessInterface],
  description: 'The new device. The seed is shown here once and never again: add it to an authenticator app now.',
  fields: (t) => ({
    serialNumber: t.string({ resolve: (s) => s.result.serialNumber }),
    mfaDevice: t.field({
      type: MfaDeviceRef,
      description: 'The device, unassigned until enableMFADevice binds it to a user (its `id` refetches it).',
      resolve: (s) => ({ serialNumber: s.result.serialNumber, userId: null, userName: null, enableDate: null }),
    }),
    base32StringSeed: t.string({ description: 'The TOTP seed, base32.', resolve: (s) => s.result.base32StringSeed }),
    otpauthUri: t.string({ description: '`otpauth://totp/…`, for a QR code.', resolve: (s) => s.result.otpauthUri }),
  }),
});
const EnableMFADeviceSuccess = entitySuccess('EnableMFADevice', 'mfaDevice', MfaDeviceRef, 'The device, now enabled for the user.');
const DeactivateMFADeviceSuccess = entitySuccess('DeactivateMFADevice', 'mfaDevice', MfaDeviceRef, 'The device, now unassigned.');
const DeleteVirtualMFADeviceSuccess = entitySuccess('DeleteVirtualMFADevice', 'mfaDevice', MfaDeviceRef, 'The device as it was.');

const CreateVirtualMFADeviceInput = builder.inputType('CreateVirtualMFADeviceInput', {
  description:
    "What createVirtualMFADevice (IAM CreateVirtualMFADevice) needs: a device name unique in the account (ignoring case), its path and tags. Authorized by iam:CreateVirtualMFADevice on the serial number it will have (arn:aws:iam::<account>:mfa<path><name>), with the tags as request tags.",
  fields: (t) => ({
    virtualMFADeviceName: t.string({ required: true }),
    path: t.string({ defaultValue: '/', description: '`/` or `/a/b/`.' }),
    tags: t.field({ type: [TagInputRef] }),
  }),
});
const EnableMFADeviceInput = builder.inputType('EnableMFADeviceInput', {
  description:
    "What enableMFADevice (IAM EnableMFADevice) needs: an unassigned device's serial number, the user to bind it to (or the caller), and two consecutive six-digit codes from it. Authorized by iam:EnableMFADevice on the user's ARN. Wrong codes count toward the device's lockout (MFADeviceLocked).",
  fields: (t) => ({
    userName: t.string({ description: 'Omit for the calling user.' }),
    serialNumber: t.string({ required: true }),
    authenticationCode1: t.string({ required: true, description: 'A code from the device.' }),
    authenticationCode2: t.string({ required: true, description: 'The next code after authenticationCode1.' }),
  }),
});
const DeactivateMFADeviceInput = builder.inputType('DeactivateMFADeviceInput', {
  description:
    "What deactivateMFADevice (IAM DeactivateMFADevice) needs: the serial number of a device enabled for the named user (or the caller). Authorized by iam:DeactivateMFADevice on the user's ARN; the device becomes unassigned and can be deleted or enabled again.",
  fields: (t) => ({ userName: t.string({ description: 'Omit for the calling user.' }), serialNumber: t.string({ required: true }) }),
});
const DeleteVirtualMFADeviceInput = builder.inputType('DeleteVirtualMFADeviceInput', {
  description:
    'What deleteVirtualMFADevice (IAM DeleteVirtualMFADevice) needs: the serial number of an unassigned device. Authorized by iam:DeleteVirtualMFADevice on that serial number; DeleteConflict while the device is enabled for a user.',
  fields: (t) => ({ serialNumber: t.string({ required: true }) }),
});

const AssignmentStatusEnum = builder.enumType('AssignmentStatus', {
  description: 'Which virtual MFA devices to list: enabled for a user, unassigned, or both.',
  // AWS spells the values `Assigned`, `Unassigned`, `Any`; the domain keeps AWS's spelling.
  values: {
    ASSIGNED: { value: 'Assigned', description: 'Enabled for a user.' },
    UNASSIGNED: { value: 'Unassigned', description: 'Enabled for no user.' },
    ANY: { value: 'Any', description: 'Both.' },
  } as const,
});

builder.queryFields((t) => ({
  virtualMFADevices: t.field({
    type: MfaDeviceConnectionRef,
    description: "The account's virtual MFA devices (ListVirtualMFADevices), by serial number, one page at a time.",
    args: { ...pageArgs, assignmentStatus: t.arg({ type: AssignmentStatusEnum, defaultValue: 'Any' }) },
    resolve: async (_root, args, context) => {
      const caller = await context.guard.require('iam:ListVirtualMFADevices', '*');
      const page = await listVirtualMfaDevices(context.database.db, caller.accountId, args.assignmentStatus ?? 'Any', {
        first: args.first,
        after: args.after,
      });
      return pageConnection(page);
    },
  }),
  mfaDevices: t.field({
    type: [MfaDeviceRef],
    description: "A user's enabled MFA devices (ListMFADevices); omit userName for your own.",
    args: { userName: t.arg.string() },
    resolve: async (_root, { userName }, context) => {
      const authorized = await requireOnOwner(context, 'iam:ListMFADevices', userName);
      return context.loaders.credentials.mfaDevicesOf.load(await ownerToRead(context, authorized, userName));
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
