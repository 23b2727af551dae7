/**
 * DataLoaders for credentials and federation: credential owners (the root user included, who
 * owns keys, devices and a password too), access keys and MFA devices by id and by owner, and
 * OIDC providers by ARN. Each batch is one statement, so `users { accessKeys mfaDevices }` costs
 * the same for 5 users or 100, and so does `nodes(ids:)` over many keys.
 */
import DataLoader from 'dataloader';
import type { Database } from '../db/client.ts';
import { accessKeysByIds, accessKeysOfOwners, type AccessKeyMetadata } from '../iam/access-keys.ts';
import { credentialOwnersByIds } from '../iam/credential-owner.ts';
import { mfaDevicesOfOwners, virtualMfaDevicesBySerials, type MfaDeviceInfo } from '../iam/mfa/devices.ts';
import { oidcProvidersByArns, type OidcProvider } from '../iam/oidc-providers.ts';
import type { User } from '../iam/users.ts';
import { byIdLoader, type EntityKey } from './principal-loaders.ts';

/** An access key with the user who owns it. */
export interface OwnedAccessKey {
  readonly key: AccessKeyMetadata;
  readonly owner: User;
}

/** A virtual MFA device with the user it is enabled for, if any. */
export interface AssignedMfaDevice {
  readonly device: MfaDeviceInfo;
  readonly owner: User | undefined;
}

/** The credential loaders; one set per request. */
export interface CredentialLoaders {
  /** Users by unique id, the root user included (the principal loaders leave root out: it is no `User`). */
  readonly ownerById: DataLoader<EntityKey, User | null, string>;
  /** Access keys by key id (AKIA…), with their owners. */
  readonly accessKeyById: DataLoader<EntityKey, OwnedAccessKey | null, string>;
  /** Each owner's access keys, oldest first. */
  readonly accessKeysOf: DataLoader<User, AccessKeyMetadata[], string>;
  /** Virtual MFA devices by serial number, with their users. */
  readonly mfaDeviceBySerial: DataLoader<EntityKey, AssignedMfaDevice | null, string>;
  /** The MFA devices enabled for each owner, oldest first. */
  readonly mfaDevicesOf: DataLoader<User, MfaDeviceInfo[], string>;
  /** OIDC providers by ARN. */
  readonly oidcProviderByArn: DataLoader<EntityKey, OidcProvider | null, string>;
}

/** A loader of each owner's list: one statement for the whole batch. */
function ofOwnerLoader<T>(load: (owners: readonly User[]) => Promise<Map<string, T[]>>) {
  return new DataLoader<User, T[], string>(
    async (owners) => {
      const byOwner = await load(owners);
      return owners.map((owner) => byOwner.get(owner.id) ?? []);
    },
    { cacheKeyFn: (owner) => owner.id },
  );
}

/** Creates the credential loaders for one request. */
export function createCredentialLoaders(database: Database): CredentialLoaders {
  const { db } = database;
  return {
    ownerById: byIdLoader((accountId, ids) => credentialOwnersByIds(db, accountId, ids)),
    accessKeyById: byIdLoader((accountId, ids) => accessKeysByIds(db, accountId, ids), (found) => found.key.accessKeyId),
    accessKeysOf: ofOwnerLoader((owners) => accessKeysOfOwners(db, owners)),
    mfaDeviceBySerial: byIdLoader((accountId, serials) => virtualMfaDevicesBySerials(db, accountId, serials), (found) => found.device.serialNumber),
    mfaDevicesOf: ofOwnerLoader((owners) => mfaDevicesOfOwners(db, owners)),
    oidcProviderByArn: byIdLoader((accountId, arns) => oidcProvidersByArns(db, accountId, arns), (provider) => provider.arn),
  };
}
