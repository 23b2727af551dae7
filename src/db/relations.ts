/**
 * Drizzle 1.0 relations (`defineRelations`) over the whole schema: what `db.query.*.findMany({ with })`
 * can follow. Many-to-many links go `through` their junction tables.
 */
import { defineRelations } from 'drizzle-orm';
import * as schema from './schema/index.ts';

/** The relations config passed to `drizzle()`; its type is part of `Db`. */
export const relations = defineRelations(schema, (r) => ({
  accounts: {
    users: r.many.users({ from: r.accounts.id, to: r.users.accountId }),
    groups: r.many.groups({ from: r.accounts.id, to: r.groups.accountId }),
    roles: r.many.roles({ from: r.accounts.id, to: r.roles.accountId }),
    managedPolicies: r.many.managedPolicies({ from: r.accounts.id, to: r.managedPolicies.accountId }),
    passwordPolicy: r.one.passwordPolicies({ from: r.accounts.id, to: r.passwordPolicies.accountId }),
    oidcProviders: r.many.oidcProviders({ from: r.accounts.id, to: r.oidcProviders.accountId }),
  },
  users: {
    account: r.one.accounts({ from: r.users.accountId, to: r.accounts.id, optional: false }),
    groups: r.many.groups({
      from: r.users.id.through(r.groupMemberships.userId),
      to: r.groups.id.through(r.groupMemberships.groupId),
    }),
    memberships: r.many.groupMemberships({ from: r.users.id, to: r.groupMemberships.userId }),
    attachedPolicies: r.many.managedPolicies({
      from: r.users.id.through(r.policyAttachments.userId),
      to: r.managedPolicies.id.through(r.policyAttachments.policyId),
    }),
    attachments: r.many.policyAttachments({ from: r.users.id, to: r.policyAttachments.userId }),
    inlinePolicies: r.many.inlinePolicies({ from: r.users.id, to: r.inlinePolicies.userId }),
    accessKeys: r.many.accessKeys({ from: r.users.id, to: r.accessKeys.userId }),
    mfaDevices: r.many.mfaDevices({ from: r.users.id, to: r.mfaDevices.userId }),
    permissionsBoundary: r.one.managedPolicies({ from: r.users.permissionsBoundaryArn, to: r.managedPolicies.arn }),
    sessions: r.many.stsSessions({ from: r.users.id, to: r.stsSessions.userId }),
  },
  groups: {
    account: r.one.accounts({ from: r.groups.accountId, to: r.accounts.id, optional: false }),
    users: r.many.users({
      from: r.groups.id.through(r.groupMemberships.groupId),
      to: r.users.id.through(r.groupMemberships.userId),
    }),
    memberships: r.many.groupMemberships({ from: r.groups.id, to: r.groupMemberships.groupId }),
    attachedPolicies: r.many.managedPolicies({
      from: r.groups.id.through(r.policyAttachments.groupId),
      to: r.managedPolicies.id.through(r.policyAttachments.policyId),
    }),
    attachments: r.many.policyAttachments({ from: r.groups.id, to: r.policyAttachments.groupId }),
    inlinePolicies: r.many.inlinePolicies({ from: r.groups.id, to: r.inlinePolicies.groupId }),
  },
  groupMemberships: {
    group: r.one.groups({ from: r.groupMemberships.groupId, to: r.groups.id, optional: false }),
    user: r.one.users({ from: r.groupMemberships.userId, to: r.users.id, optional: false }),
  },
  roles: {
    account: r.one.accounts({ from: r.roles.accountId, to: r.accounts.id, optional: false }),
    attachedPolicies: r.many.managedPolicies({
      from: r.roles.id.through(r.policyAttachments.roleId),
      to: r.managedPolicies.id.through(r.policyAttachments.policyId),
    }),
    attachments: r.many.policyAttachments({ from: r.roles.id, to: r.policyAttachments.roleId }),
    inlinePolicies: r.many.inlinePolicies({ from: r.roles.id, to: r.inlinePolicies.roleId }),
    permissionsBoundary: r.one.managedPolicies({ from: r.roles.permissionsBoundaryArn, to: r.managedPolicies.arn }),
    sessions: r.many.stsSessions({ from: r.roles.id, to: r.stsSessions.roleId }),
  },
  managedPolicies: {
    account: r.one.accounts({ from: r.managedPolicies.accountId, to: r.accounts.id }),
    versions: r.many.policyVersions({ from: r.managedPolicies.id, to: r.policyVersions.policyId }),
    defaultVersion: r.one.policyVersions({
      from: r.managedPolicies.id,
      to: r.policyVersions.policyId,
      where: { isDefault: true },
    }),
    attachments: r.many.policyAttachments({ from: r.managedPolicies.id, to: r.policyAttachments.policyId }),
  },
  policyVersions: {
    policy: r.one.managedPolicies({ from: r.policyVersions.policyId, to: r.managedPolicies.id, optional: false }),
  },
  policyAttachments: {
    policy: r.one.managedPolicies({ from: r.policyAttachments.policyId, to: r.managedPolicies.id, optional: false }),
    user: r.one.users({ from: r.policyAttachments.userId, to: r.users.id }),
    group: r.one.groups({ from: r.policyAttachments.groupId, to: r.groups.id }),
    role: r.one.roles({ from: r.policyAttachments.roleId, to: r.roles.id }),
  },
  inlinePolicies: {
    user: r.one.users({ from: r.inlinePolicies.userId, to: r.users.id }),
    group: r.one.groups({ from: r.inlinePolicies.groupId, to: r.groups.id }),
    role: r.one.roles({ from: r.inlinePolicies.roleId, to: r.roles.id }),
  },
  accessKeys: {
    user: r.one.users({ from: r.accessKeys.userId, to: r.users.id, optional: false }),
  },
  mfaDevices: {
    user: r.one.users({ from: r.mfaDevices.userId, to: r.users.id }),
  },
  stsSessions: {
    role: r.one.roles({ from: r.stsSessions.roleId, to: r.roles.id }),
    user: r.one.users({ from: r.stsSessions.userId, to: r.users.id }),
  },
  oidcProviders: {
    account: r.one.accounts({ from: r.oidcProviders.accountId, to: r.accounts.id, optional: false }),
  },
  passwordPolicies: {
    account: r.one.accounts({ from: r.passwordPolicies.accountId, to: r.accounts.id, optional: false }),
  },
}));

/** The relations type, for code that needs to name it (Pothos builder, helpers). */
export type Relations = typeof relations;
