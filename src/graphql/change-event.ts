/**
 * ChangeEvent, the change-log row every live field delivers (`changes`, `permissionsChanged`,
 * `DecisionChange.change`): its kind and entity type as enums (one table from the stored strings
 * of src/changes/change-kinds.ts to the wire's UPPER_SNAKE values), its payload as JSON text and,
 * for the common kinds, as typed `details` (change-details.ts).
 */
import type { ChangeEntityType, ChangeKind } from '../changes/change-kinds.ts';
import type { ChangeEvent } from '../changes/change.ts';
import { ValidationError } from '../errors.ts';
import { builder } from './builder.ts';
import { ChangeDetailsRef, detailsOf } from './change-details.ts';

/** The wire name and meaning of every stored change kind: the one table (a kind missing here fails to compile). */
const CHANGE_KIND_VALUES: Record<ChangeKind, readonly [wire: string, description: string]> = {
  AccountCreated: ['ACCOUNT_CREATED', 'An account and its root user were created.'],
  DemoOrganisationSeeded: ['DEMO_ORGANISATION_SEEDED', 'The demo data set was loaded into the account.'],
  AccountPasswordPolicyUpdated: ['ACCOUNT_PASSWORD_POLICY_UPDATED', "The account's password policy was set (UpdateAccountPasswordPolicy)."],
  AccountPasswordPolicyDeleted: ['ACCOUNT_PASSWORD_POLICY_DELETED', "The account's password policy was removed (DeleteAccountPasswordPolicy)."],
  AccountAliasCreated: ['ACCOUNT_ALIAS_CREATED', 'The account was given its alias (CreateAccountAlias).'],
  AccountAliasDeleted: ['ACCOUNT_ALIAS_DELETED', "The account's alias was removed (DeleteAccountAlias)."],
  OrganizationCreated: ['ORGANIZATION_CREATED', 'The organization was created, with this account as its management account.'],
  OrganizationAccountCreated: ['ORGANIZATION_ACCOUNT_CREATED', 'A member account was created in the organization (CreateAccount).'],
  AccountMoved: ['ACCOUNT_MOVED', 'An account was moved to another parent in the organization (MoveAccount).'],
  AccountClosed: ['ACCOUNT_CLOSED', 'A member account was closed (CloseAccount); its principals no longer authenticate.'],
  OrganizationalUnitCreated: ['ORGANIZATIONAL_UNIT_CREATED', 'An organizational unit was created (CreateOrganizationalUnit).'],
  OrganizationalUnitRenamed: ['ORGANIZATIONAL_UNIT_RENAMED', 'An organizational unit was renamed (UpdateOrganizationalUnit).'],
  OrganizationalUnitDeleted: ['ORGANIZATIONAL_UNIT_DELETED', 'An empty organizational unit was deleted (DeleteOrganizationalUnit).'],
  OrganizationPolicyCreated: ['ORGANIZATION_POLICY_CREATED', 'A service or resource control policy was created (CreatePolicy).'],
  OrganizationResourceTagged: ['ORGANIZATION_RESOURCE_TAGGED', 'Tags were added to or changed on the root, an OU, an account or a policy of the organization (TagResource).'],
  OrganizationResourceUntagged: ['ORGANIZATION_RESOURCE_UNTAGGED', 'Tags were removed from the root, an OU, an account or a policy of the organization (UntagResource).'],
  OrganizationPolicyUpdated: ['ORGANIZATION_POLICY_UPDATED', 'A service or resource control policy got new content or a new name (UpdatePolicy).'],
  OrganizationPolicyDeleted: ['ORGANIZATION_POLICY_DELETED', 'A service or resource control policy was deleted (DeletePolicy).'],
  OrganizationPolicyAttached: ['ORGANIZATION_POLICY_ATTACHED', 'A service or resource control policy was attached to the root, an OU or an account (AttachPolicy).'],
  OrganizationPolicyDetached: ['ORGANIZATION_POLICY_DETACHED', 'A service or resource control policy was detached from its target (DetachPolicy).'],
  OrganizationPolicyTypeEnabled: ['ORGANIZATION_POLICY_TYPE_ENABLED', "A policy type was enabled in the root (EnablePolicyType): its AWS managed full-access policy was attached to the root, every OU and every account."],
  OrganizationPolicyTypeDisabled: ['ORGANIZATION_POLICY_TYPE_DISABLED', 'A policy type was disabled in the root (DisablePolicyType): every policy of the type was detached, and none binds until it is enabled again.'],
  UserCreated: ['USER_CREATED', 'A user was created (CreateUser).'],
  UserUpdated: ['USER_UPDATED', 'A user was renamed or moved to another path (UpdateUser).'],
  UserDeleted: ['USER_DELETED', 'A user was deleted (DeleteUser).'],
  UserTagged: ['USER_TAGGED', 'Tags were added to or changed on a user (TagUser).'],
  UserUntagged: ['USER_UNTAGGED', 'Tags were removed from a user (UntagUser).'],
  GroupCreated: ['GROUP_CREATED', 'A group was created (CreateGroup).'],
  GroupUpdated: ['GROUP_UPDATED', 'A group was renamed or moved to another path (UpdateGroup).'],
  GroupDeleted: ['GROUP_DELETED', 'A group was deleted (DeleteGroup).'],
  UserAddedToGroup: ['USER_ADDED_TO_GROUP', 'A user joined a group (AddUserToGroup).'],
  UserRemovedFromGroup: ['USER_REMOVED_FROM_GROUP', 'A user left a group (RemoveUserFromGroup).'],
  RoleCreated: ['ROLE_CREATED', 'A role was created (CreateRole).'],
  RoleUpdated: ['ROLE_UPDATED', "A role's description or maximum session duration changed (UpdateRole)."],
  RoleDeleted: ['ROLE_DELETED', 'A role was deleted (DeleteRole).'],
  RoleTagged: ['ROLE_TAGGED', 'Tags were added to or changed on a role (TagRole).'],
  RoleUntagged: ['ROLE_UNTAGGED', 'Tags were removed from a role (UntagRole).'],
  AssumeRolePolicyUpdated: ['ASSUME_ROLE_POLICY_UPDATED', "A role's trust policy was replaced (UpdateAssumeRolePolicy)."],
  PolicyCreated: ['POLICY_CREATED', 'A customer managed policy was created (CreatePolicy).'],
  PolicyDeleted: ['POLICY_DELETED', 'A customer managed policy was deleted (DeletePolicy).'],
  PolicyTagged: ['POLICY_TAGGED', 'Tags were added to or changed on a managed policy (TagPolicy).'],
  PolicyUntagged: ['POLICY_UNTAGGED', 'Tags were removed from a managed policy (UntagPolicy).'],
  PolicyVersionCreated: ['POLICY_VERSION_CREATED', 'A managed policy got a new version, perhaps as its default (CreatePolicyVersion).'],
  PolicyDefaultVersionSet: ['POLICY_DEFAULT_VERSION_SET', "A managed policy's default version changed (SetDefaultPolicyVersion)."],
  PolicyVersionDeleted: ['POLICY_VERSION_DELETED', 'A non-default version of a managed policy was deleted (DeletePolicyVersion).'],
  PolicyAttached: ['POLICY_ATTACHED', 'A managed policy was attached to a user, group or role (Attach…Policy).'],
  PolicyDetached: ['POLICY_DETACHED', 'A managed policy was detached from a user, group or role (Detach…Policy).'],
  InlinePolicyPut: ['INLINE_POLICY_PUT', 'An inline policy was added or replaced (Put…Policy).'],
  InlinePolicyDeleted: ['INLINE_POLICY_DELETED', 'An inline policy was deleted (Delete…Policy).'],
  PermissionsBoundarySet: ['PERMISSIONS_BOUNDARY_SET', 'A permissions boundary was set on a user or role.'],
  PermissionsBoundaryDeleted: ['PERMISSIONS_BOUNDARY_DELETED', 'A permissions boundary was removed from a user or role.'],
  AccessKeyCreated: ['ACCESS_KEY_CREATED', 'A user got a new access key (CreateAccessKey).'],
  AccessKeyStatusChanged: ['ACCESS_KEY_STATUS_CHANGED', 'An access key was activated or deactivated (UpdateAccessKey).'],
  AccessKeyDeleted: ['ACCESS_KEY_DELETED', 'An access key was deleted (DeleteAccessKey).'],
  LoginProfileCreated: ['LOGIN_PROFILE_CREATED', 'A user got a console password (CreateLoginProfile).'],
  LoginProfileUpdated: ['LOGIN_PROFILE_UPDATED', "A user's password or reset requirement was changed by an administrator (UpdateLoginProfile)."],
  LoginProfileDeleted: ['LOGIN_PROFILE_DELETED', "A user's console password was removed (DeleteLoginProfile)."],
  PasswordChanged: ['PASSWORD_CHANGED', 'A user changed their own password (ChangePassword).'],
  VirtualMFADeviceCreated: ['VIRTUAL_MFA_DEVICE_CREATED', 'A virtual MFA device was created (CreateVirtualMFADevice).'],
  VirtualMFADeviceDeleted: ['VIRTUAL_MFA_DEVICE_DELETED', 'A virtual MFA device was deleted (DeleteVirtualMFADevice).'],
  MFADeviceEnabled: ['MFA_DEVICE_ENABLED', 'An MFA device was assigned to a user (EnableMFADevice).'],
  MFADeviceDeactivated: ['MFA_DEVICE_DEACTIVATED', 'An MFA device was taken from a user (DeactivateMFADevice).'],
  MFADeviceLocked: ['MFA_DEVICE_LOCKED', 'An MFA device was locked after repeated wrong codes.'],
  OpenIDConnectProviderCreated: ['OPEN_ID_CONNECT_PROVIDER_CREATED', 'An OpenID Connect identity provider was registered (CreateOpenIDConnectProvider).'],
  OpenIDConnectProviderDeleted: ['OPEN_ID_CONNECT_PROVIDER_DELETED', 'An OpenID Connect identity provider was removed (DeleteOpenIDConnectProvider).'],
  OpenIDConnectProviderClientIDAdded: ['OPEN_ID_CONNECT_PROVIDER_CLIENT_ID_ADDED', 'An audience was added to an OpenID Connect provider (AddClientIDToOpenIDConnectProvider).'],
  OpenIDConnectProviderClientIDRemoved: ['OPEN_ID_CONNECT_PROVIDER_CLIENT_ID_REMOVED', 'An audience was removed from an OpenID Connect provider (RemoveClientIDFromOpenIDConnectProvider).'],
  OpenIDConnectProviderThumbprintUpdated: ['OPEN_ID_CONNECT_PROVIDER_THUMBPRINT_UPDATED', "An OpenID Connect provider's thumbprint list was replaced (UpdateOpenIDConnectProviderThumbprint)."],
  OpenIDConnectProviderTagged: ['OPEN_ID_CONNECT_PROVIDER_TAGGED', 'Tags were added to or changed on an OpenID Connect provider (TagOpenIDConnectProvider).'],
  OpenIDConnectProviderUntagged: ['OPEN_ID_CONNECT_PROVIDER_UNTAGGED', 'Tags were removed from an OpenID Connect provider (UntagOpenIDConnectProvider).'],
  SAMLProviderCreated: ['SAML_PROVIDER_CREATED', 'A SAML identity provider was registered from its metadata (CreateSAMLProvider).'],
  SAMLProviderUpdated: ['SAML_PROVIDER_UPDATED', "A SAML identity provider's metadata was replaced (UpdateSAMLProvider)."],
  SAMLProviderDeleted: ['SAML_PROVIDER_DELETED', 'A SAML identity provider was removed (DeleteSAMLProvider).'],
  SAMLProviderTagged: ['SAML_PROVIDER_TAGGED', 'Tags were added to or changed on a SAML provider (TagSAMLProvider).'],
  SAMLProviderUntagged: ['SAML_PROVIDER_UNTAGGED', 'Tags were removed from a SAML provider (UntagSAMLProvider).'],
  SAMLMetadataRefused: ['SAML_METADATA_REFUSED', 'createSAMLProvider or updateSAMLProvider refused the metadata document (over the size cap, not metadata, no signing certificate, …); the payload names the rule, never the document (audit only: changes nothing).'],
  OpenIDConnectProviderKeysFetched: ['OPEN_ID_CONNECT_PROVIDER_KEYS_FETCHED', "An OpenID Connect provider's signing keys were fetched from its issuer (discovery and JWKS)."],
  RoleAssumed: ['ROLE_ASSUMED', 'A role session was issued (AssumeRole).'],
  RoleAssumedWithSAML: ['ROLE_ASSUMED_WITH_SAML', 'A role session was issued for a SAML assertion (AssumeRoleWithSAML).'],
  SAMLAssertionRefused: ['SAML_ASSERTION_REFUSED', 'A SAML response was refused by assumeRoleWithSAML (bad signature, audience, recipient, time window, replay, role pair or a malformed request); the payload says why (audit only: changes nothing).'],
  RoleAssumedWithWebIdentity: ['ROLE_ASSUMED_WITH_WEB_IDENTITY', 'A role session was issued for an OpenID Connect token (AssumeRoleWithWebIdentity).'],
  SessionTokenIssued: ['SESSION_TOKEN_ISSUED', 'A user got temporary credentials (GetSessionToken).'],
  FederationTokenIssued: ['FEDERATION_TOKEN_ISSUED', 'A user got federated-user temporary credentials (GetFederationToken).'],
  SignInSucceeded: ['SIGN_IN_SUCCEEDED', 'A user signed in to the console with a password.'],
  SignInFailed: ['SIGN_IN_FAILED', 'A console sign-in failed (audit only: changes nothing).'],
  FederatedSignInSucceeded: ['FEDERATED_SIGN_IN_SUCCEEDED', 'A person signed in to the console through an identity provider, as a role.'],
  FederatedSignInRefused: ['FEDERATED_SIGN_IN_REFUSED', 'A console sign-in through an identity provider was refused (audit only: changes nothing).'],
  SessionRevoked: ['SESSION_REVOKED', 'A session was signed out or revoked.'],
  ResourceRegistered: ['RESOURCE_REGISTERED', 'A resource was registered with its tags and resource policy (registerResource).'],
  ResourcePolicyPut: ['RESOURCE_POLICY_PUT', "A registered resource's resource-based policy was set (putResourcePolicy)."],
  ResourcePolicyDeleted: ['RESOURCE_POLICY_DELETED', "A registered resource's resource-based policy was removed (deleteResourcePolicy)."],
  ResourceTagged: ['RESOURCE_TAGGED', 'Tags were added to or changed on a registered resource (tagResource).'],
  ResourceUntagged: ['RESOURCE_UNTAGGED', 'Tags were removed from a registered resource (untagResource).'],
  ResourceDeregistered: ['RESOURCE_DEREGISTERED', 'A resource was removed from the registry (deregisterResource).'],
  ResourcesImported: ['RESOURCES_IMPORTED', 'A resource was registered or replaced by a bulk import (importResources); one entry per resource, all in one transaction.'],
  ServicePut: ['SERVICE_PUT', 'A custom service was defined or given a new version (putService).'],
  ServiceDeleted: ['SERVICE_DELETED', 'A custom service was deleted with all its versions (deleteService).'],
  AccessDenied: ['ACCESS_DENIED', 'A caller was refused an action (audit only: changes nothing); repeats are counted in one row.'],
};

/** The wire name and meaning of every stored entity type. */
const CHANGE_ENTITY_TYPE_VALUES: Record<ChangeEntityType, readonly [wire: string, description: string]> = {
  account: ['ACCOUNT', 'The account itself (its password policy, its alias, its creation, its place in the organization).'],
  organization: ['ORGANIZATION', 'The organization; `entityArn` is its ARN.'],
  'organizational-unit': ['ORGANIZATIONAL_UNIT', 'An organizational unit; `entityArn` is its ARN.'],
  'organization-policy': ['ORGANIZATION_POLICY', 'A service or resource control policy; `entityArn` is its ARN.'],
  user: ['USER', 'A user; `entityArn` is its ARN.'],
  group: ['GROUP', 'A group; `entityArn` is its ARN.'],
  role: ['ROLE', 'A role; `entityArn` is its ARN.'],
  policy: ['POLICY', 'A managed policy; `entityArn` is its ARN.'],
  'access-key': ['ACCESS_KEY', "An access key; `entityArn` is its user's ARN."],
  'login-profile': ['LOGIN_PROFILE', "A console password; `entityArn` is its user's ARN."],
  'mfa-device': ['MFA_DEVICE', 'An MFA device; `entityArn` is its serial number.'],
  'oidc-provider': ['OIDC_PROVIDER', 'An OpenID Connect provider; `entityArn` is its ARN.'],
  'saml-provider': ['SAML_PROVIDER', 'A SAML 2.0 identity provider; `entityArn` is its ARN.'],
  session: ['SESSION', 'A temporary credential of a user (sign-in or GetSessionToken).'],
  'role-session': ['ROLE_SESSION', 'A role session; `entityArn` is its assumed-role ARN.'],
  'sign-in': ['SIGN_IN', 'A console sign-in attempt.'],
  resource: ['RESOURCE', 'A registered resource; `entityArn` is its ARN.'],
  audit: ['AUDIT', 'An audit record of a refused action; `entityArn` is the resource.'],
  service: ['SERVICE', 'A custom service of the catalog; `entityArn` is its ARN (arn:aws:iam::<account>:service/<serviceName>).'],
};

/** A Pothos enum config from a table keyed by stored value. */
function enumValues<K extends string>(table: Record<K, readonly [string, string]>): Record<string, { value: K; description: string }> {
  return Object.fromEntries(Object.entries<readonly [string, string]>(table).map(([stored, [wire, description]]) => [wire, { value: stored as K, description }]));
}

export const ChangeKindEnum = builder.enumType('ChangeKind', {
  description: 'What a change-log entry records.',
  values: enumValues(CHANGE_KIND_VALUES),
});

export const ChangeEntityTypeEnum = builder.enumType('ChangeEntityType', {
  description: 'The kind of entity a change-log entry concerns.',
  values: enumValues(CHANGE_ENTITY_TYPE_VALUES),
});

/** `affectedPrincipalIds` returned when `first` is not given. */
const DEFAULT_AFFECTED_IDS = 100;
/** The most `affectedPrincipalIds` one event shows: the work per event stays bounded. */
const MAX_AFFECTED_IDS = 1_000;

/** One committed directory change, as subscribers see it. */
export const ChangeEventRef = builder.objectRef<ChangeEvent>('ChangeEvent').implement({
  description: 'One committed directory change: a change-log row. Payloads never carry secrets.',
  fields: (t) => ({
    revision: t.exposeString('revision', { description: 'Commit-ordered revision (decimal digits); resume with `afterRevision`.' }),
    kind: t.field({ type: ChangeKindEnum, description: 'What happened.', resolve: (e) => e.kind }),
    entityType: t.field({ type: ChangeEntityTypeEnum, description: 'What kind of entity changed.', resolve: (e) => e.entityType }),
    entityArn: t.exposeString('entityArn', { description: 'The entity that changed (see ChangeEntityType for what it names).' }),
    actorArn: t.exposeString('actorArn', { description: 'Who made the change.' }),
    affectedPrincipalIds: t.stringList({
      description:
        'Unique ids (AIDA…/AGPA…/AROA…) of the principals whose effective permissions the change may alter, the first `first` of them ' +
        '(a change to a group names every member); `affectedPrincipalCount` says how many there are.',
      args: { first: t.arg.int({ defaultValue: DEFAULT_AFFECTED_IDS, description: `At most this many ids (0 to ${MAX_AFFECTED_IDS}).` }) },
      resolve: (e, { first }) => {
        const count = first ?? DEFAULT_AFFECTED_IDS;
        if (count < 0 || count > MAX_AFFECTED_IDS) throw new ValidationError('first', 'range', `first must be 0 to ${MAX_AFFECTED_IDS}, got ${count}`);
        return e.affectedPrincipalIds.slice(0, count);
      },
    }),
    affectedPrincipalCount: t.int({
      description: 'How many principals the change may affect (the length of the full `affectedPrincipalIds`).',
      resolve: (e) => e.affectedPrincipalIds.length,
    }),
    createDate: t.field({ type: 'DateTime', description: 'When the writing transaction started.', resolve: (e) => e.createdAt }),
    payload: t.string({ description: 'Non-secret details of the change, as JSON text: every kind has one (see `details` for the typed view).', resolve: (e) => JSON.stringify(e.payload) }),
    details: t.field({
      type: ChangeDetailsRef,
      nullable: true,
      description: 'The details of the common kinds, typed (with references to the entities while they exist); null for the other kinds, whose `payload` says it all.',
      resolve: (e) => detailsOf(e),
    }),
  }),
});
