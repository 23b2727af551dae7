/**
 * Every kind of change-log row and every entity type a row names, as stored in `change_log.kind`
 * and `change_log.entity_type`. Writers can record only these (ChangeInput is typed with them), so
 * the wire's enums (src/graphql/change-event.ts) cover every stored row.
 */

/** What a change-log row records, by the entity it concerns. */
export const CHANGE_KINDS = [
  // Account
  'AccountCreated',
  'DemoOrganisationSeeded',
  'AccountPasswordPolicyUpdated',
  'AccountPasswordPolicyDeleted',
  'AccountAliasCreated',
  'AccountAliasDeleted',
  // Organization: the tree (payloads name the parent ids, never enumerate principals) and its policies
  'OrganizationCreated',
  'OrganizationAccountCreated',
  'AccountMoved',
  'AccountClosed',
  'OrganizationalUnitCreated',
  'OrganizationalUnitRenamed',
  'OrganizationalUnitDeleted',
  'OrganizationPolicyCreated',
  'OrganizationPolicyUpdated',
  'OrganizationPolicyDeleted',
  'OrganizationPolicyAttached',
  'OrganizationPolicyDetached',
  'OrganizationPolicyTypeEnabled',
  'OrganizationPolicyTypeDisabled',
  'OrganizationResourceTagged',
  'OrganizationResourceUntagged',
  // Users, groups, roles
  'UserCreated',
  'UserUpdated',
  'UserDeleted',
  'UserTagged',
  'UserUntagged',
  'GroupCreated',
  'GroupUpdated',
  'GroupDeleted',
  'UserAddedToGroup',
  'UserRemovedFromGroup',
  'RoleCreated',
  'RoleUpdated',
  'RoleDeleted',
  'RoleTagged',
  'RoleUntagged',
  'AssumeRolePolicyUpdated',
  // Policies and what they are attached to
  'PolicyCreated',
  'PolicyDeleted',
  'PolicyTagged',
  'PolicyUntagged',
  'PolicyVersionCreated',
  'PolicyDefaultVersionSet',
  'PolicyVersionDeleted',
  'PolicyAttached',
  'PolicyDetached',
  'InlinePolicyPut',
  'InlinePolicyDeleted',
  'PermissionsBoundarySet',
  'PermissionsBoundaryDeleted',
  // Credentials
  'AccessKeyCreated',
  'AccessKeyStatusChanged',
  'AccessKeyDeleted',
  'LoginProfileCreated',
  'LoginProfileUpdated',
  'LoginProfileDeleted',
  'PasswordChanged',
  'VirtualMFADeviceCreated',
  'VirtualMFADeviceDeleted',
  'MFADeviceEnabled',
  'MFADeviceDeactivated',
  'MFADeviceLocked',
  'OpenIDConnectProviderCreated',
  'OpenIDConnectProviderDeleted',
  'OpenIDConnectProviderClientIDAdded',
  'OpenIDConnectProviderClientIDRemoved',
  'OpenIDConnectProviderThumbprintUpdated',
  'OpenIDConnectProviderTagged',
  'OpenIDConnectProviderUntagged',
  'OpenIDConnectProviderKeysFetched',
  'SAMLProviderCreated',
  'SAMLProviderUpdated',
  'SAMLProviderDeleted',
  'SAMLProviderTagged',
  'SAMLProviderUntagged',
  'SAMLMetadataRefused',
  // Sessions
  'RoleAssumed',
  'RoleAssumedWithWebIdentity',
  'RoleAssumedWithSAML',
  'SAMLAssertionRefused',
  'SessionTokenIssued',
  'FederationTokenIssued',
  'SignInSucceeded',
  'SignInFailed',
  // Console sign-in through an identity provider
  'FederatedSignInSucceeded',
  'FederatedSignInRefused',
  'SessionRevoked',
  // Registered resources
  'ResourceRegistered',
  'ResourcePolicyPut',
  'ResourcePolicyDeleted',
  'ResourceTagged',
  'ResourceUntagged',
  'ResourceDeregistered',
  'ResourcesImported',
  // The service catalog (custom services)
  'ServicePut',
  'ServiceDeleted',
  // Audit
  'AccessDenied',
] as const;

/** One stored change kind. */
export type ChangeKind = (typeof CHANGE_KINDS)[number];

/** The kinds of entity a change-log row names. */
export const CHANGE_ENTITY_TYPES = [
  'account',
  'organization',
  'organizational-unit',
  'organization-policy',
  'user',
  'group',
  'role',
  'policy',
  'access-key',
  'login-profile',
  'mfa-device',
  'oidc-provider',
  'saml-provider',
  'session',
  'role-session',
  'sign-in',
  'resource',
  'audit',
  'service',
] as const;

/** One stored entity type. */
export type ChangeEntityType = (typeof CHANGE_ENTITY_TYPES)[number];
