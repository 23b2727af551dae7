/**
 * The authorization table of every Query and Mutation field, written by hand from the AWS Service
 * Authorization Reference (IAM and STS) and DESIGN.md "Self-authorization" — never derived from
 * the resolvers. Each row names the exact action(s) and resource ARN(s) a call must be allowed,
 * or says the field is anonymous or open to any authenticated caller, and carries one call that
 * exercises it against the fixtures of every-operation.test.ts.
 *
 * Resources follow the reference's resource types: `user`, `group`, `role`, `policy`,
 * `oidc-provider`, `mfa`; actions the reference lists with no resource type (ListUsers,
 * GetAccountSummary, …) are authorized on `*`. Portcullis' own actions (iam:Authorize,
 * iam:ServiceStatus) follow the same convention: the ARN of what they touch, else `*`.
 */
import { ACCOUNT } from '../../identity/support/server.ts';
import { createTestIdp } from '../../identity/support/saml-idp.ts';

/** `arn:aws:iam::<account>:<rest>`. */
export const iam = (rest: string): string => `arn:aws:iam::${ACCOUNT}:${rest}`;

/** One permission a call needs: an action on one exact resource ARN (or `*`). */
export interface Check {
  readonly action: string;
  readonly resource: string;
}

/** Who may call a field. */
export type Access =
  | { readonly kind: 'iam'; readonly checks: readonly Check[] }
  /** Needs no credential at all (the token or password in the input is the credential). */
  | { readonly kind: 'anonymous' }
  /** Needs a credential but no permission, as AWS documents for GetCallerIdentity and GetSessionToken. */
  | { readonly kind: 'authenticated' };

/** Values only known once the fixtures exist (ids, serial numbers, one-time codes). */
export interface Fixtures {
  /** Access keys of user `target`: the first is kept, the second may be deleted. */
  readonly keepKeyId: string;
  readonly spareKeyId: string;
  /** Relay global ids. */
  readonly userNodeId: string;
  readonly groupNodeId: string;
  readonly roleNodeId: string;
  readonly policyNodeId: string;
  readonly policyVersionNodeId: string;
  /** `Inline`, embedded in user `target`. */
  readonly inlinePolicyNodeId: string;
  readonly accessKeyNodeId: string;
  readonly loginProfileNodeId: string;
  /** The unassigned device `spare` (an assigned one is also shown to who may list its user's devices). */
  readonly mfaDeviceNodeId: string;
  readonly oidcProviderNodeId: string;
  /** The custom service `todo` and its action `GetList`. */
  readonly serviceNodeId: string;
  readonly serviceActionNodeId: string;
  /** The registered resource BUCKET. */
  readonly resourceNodeId: string;
  /** Serial number of the device enabled for `target`. */
  readonly targetMfaSerial: string;
  /** The caller's own password (changePassword). */
  readonly callerPassword: string;
  /** AWS Organizations: ids in the organization the fixtures' account manages. */
  readonly org: OrganizationFixtures;
}

/** The organization's root, OUs, accounts and SCPs the rows act on (ids are drawn at random). */
export interface OrganizationFixtures {
  readonly rootId: string;
  /** OU `Kept` (has policy `policyId` attached) and OU `DoomedOu` (may be deleted). */
  readonly ouId: string;
  readonly doomedOuId: string;
  /** Member accounts: one kept, one that may be closed, one that may be moved. */
  readonly accountId: string;
  readonly closeAccountId: string;
  readonly moveAccountId: string;
  /** Customer SCPs: `Kept` and `DoomedScp` (attached to nothing). */
  readonly policyId: string;
  readonly doomedPolicyId: string;
}

/** One call of one field under one access rule. */
export interface Row {
  /** `Query.<field>` or `Mutation.<field>`. */
  readonly field: string;
  /** Tells apart several rows of one field (node by type). */
  readonly label?: string;
  readonly access: Access;
  readonly query: string;
  readonly variables?: (fx: Fixtures) => Record<string, unknown>;
  /** authorize and authorizeBatch refuse each question (an AccessDenied result) instead of the whole field. */
  readonly perItem?: boolean;
  /** nodes(ids:) refuses one object (null, ACCESS_DENIED at its index): the one its check's position names. */
  readonly perNode?: boolean;
}

export const USER = iam('user/t/target');
export const GROUP = iam('group/t/team');
export const ROLE = iam('role/t/Worker');
export const POLICY = iam('policy/t/Managed');
export const OIDC = iam('oidc-provider/issuer.example.com');
/** SAML providers: SAML is kept, the one named Doomed may be deleted; both from SAML_METADATA. */
export const SAML = iam('saml-provider/Corp');
/** An IdP's metadata (a samlify IdP with a fresh key). */
export const SAML_METADATA = createTestIdp({ entityId: 'https://idp.example.com', audience: 'urn:portcullis:webservices', recipient: 'http://localhost/saml' }).metadata;
/** An access advisor job id on USER (src/authz/usage/advisor-jobs.ts: its parameters, sealed). */
export const ADVISOR_JOB = Buffer.from(`aa1\nSERVICE_LEVEL\n0\n${USER}`, 'utf8').toString('base64url');
/** The custom service of the fixtures (Portcullis' own resource type: `service`). */
export const SERVICE = iam('service/todo');
/** A minimal custom service definition for putService calls. */
export const SERVICE_INPUT = { displayName: 'Todo lists', actions: [{ name: 'GetList', accessLevel: 'READ' }] };
/** Registered resources: BUCKET is kept, DOOMED_BUCKET may be deregistered. */
export const BUCKET = 'arn:aws:s3:::t-fixture-bucket';
export const DOOMED_BUCKET = 'arn:aws:s3:::t-doomed-bucket';
export const RESOURCE_DOC = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 's3:ListBucket', Resource: 'arn:aws:s3:::t-fixture-bucket' }],
});
export const IDENTITY_DOC = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] });
export const TRUST_DOC = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' }],
});

/**
 * Organizations ARNs (Service Authorization Reference, AWS Organizations) as patterns: the
 * organization, OU, policy and account ids are drawn at random when the fixtures are made, and
 * each pattern matches only its resource type, so the rows stay exact about what is checked.
 */
const organizations = (rest: string): string => `arn:aws:organizations::${ACCOUNT}:${rest}`;
export const ORG_ROOT = organizations('root/o-*/r-*');
export const ORG_OU = organizations('ou/o-*/ou-*');
export const ORG_ACCOUNT = organizations('account/o-*/*');
export const ORG_SCP = organizations('policy/o-*/service_control_policy/p-*');
export const SCP_DOC = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 's3:DeleteBucket', Resource: '*' }] });

const needs = (...pairs: Array<[string, string]>): Access => ({ kind: 'iam', checks: pairs.map(([action, resource]) => ({ action, resource })) });
const ANONYMOUS: Access = { kind: 'anonymous' };
/** What a refused mutation's AccessDenied member shows. */
const REFUSAL = '... on AccessDenied { action }';
const AUTHENTICATED: Access = { kind: 'authenticated' };

/** A mutation taking `input: <Name>Input!`, selecting the result's `__typename` and, when refused, the action. */
function mutation(field: string, access: Access, input: (fx: Fixtures) => Record<string, unknown>, label?: string): Row {
  const type = `${field[0]!.toUpperCase()}${field.slice(1)}Input`;
  return { field: `Mutation.${field}`, access, query: `mutation($i: ${type}!) { ${field}(input: $i) { __typename ${REFUSAL} } }`, variables: (fx) => ({ i: input(fx) }), ...(label ? { label } : {}) };
}

/** A query field with its arguments inlined, selecting `selection`. */
function query(field: string, access: Access, call: string, selection = '{ __typename }', variables?: (fx: Fixtures) => Record<string, unknown>, label?: string): Row {
  const defs = variables === undefined ? '' : '($id: ID!)';
  return { field: `Query.${field}`, access, query: `query${defs} { ${call} ${selection} }`, ...(variables ? { variables } : {}), ...(label ? { label } : {}) };
}

const same = (input: Record<string, unknown>) => () => input;

/** A query field taking one String argument `name` from the fixtures, selecting `selection`. */
function orgQuery(field: string, access: Access, args: string, value: (fx: Fixtures) => string, selection = '{ __typename }'): Row {
  return { field: `Query.${field}`, access, query: `query($v: String!) { ${field}(${args}) ${selection} }`, variables: (fx) => ({ v: value(fx) }) };
}

/** Every row; order matters only in that destructive calls name entities nothing else uses. */
export const ROWS: readonly Row[] = [
  // ---- Queries ----
  {
    field: 'Query.accessKeyLastUsed',
    access: needs(['iam:GetAccessKeyLastUsed', USER]),
    query: 'query($id: String!) { accessKeyLastUsed(accessKeyId: $id) { __typename } }',
    variables: (fx) => ({ id: fx.keepKeyId }),
  },
  query('accessKeys', needs(['iam:ListAccessKeys', USER]), 'accessKeys(userName: "target")'),
  query('accountPasswordPolicy', needs(['iam:GetAccountPasswordPolicy', '*']), 'accountPasswordPolicy'),
  query('callerIdentity', AUTHENTICATED, 'callerIdentity', '{ arn }'),
  query('signInProviders', ANONYMOUS, `signInProviders(account: "${ACCOUNT}")`, '{ displayName }'),
  query('accountSummary', needs(['iam:GetAccountSummary', '*']), 'accountSummary'),
  query('credentialReport', needs(['iam:GetCredentialReport', '*']), 'credentialReport', '{ reportFormat }'),
  query('contextKeysForCustomPolicy', needs(['iam:GetContextKeysForCustomPolicy', '*']), `contextKeysForCustomPolicy(input: { policyInputList: [${JSON.stringify(IDENTITY_DOC)}] })`, '{ contextKeyNames }'),
  query('contextKeysForPrincipalPolicy', needs(['iam:GetContextKeysForPrincipalPolicy', USER]), `contextKeysForPrincipalPolicy(input: { policySourceArn: "${USER}" })`, '{ contextKeyNames }'),
  query('accountAuthorizationDetails', needs(['iam:GetAccountAuthorizationDetails', '*']), 'accountAuthorizationDetails(maxItems: 5)', '{ isTruncated }'),
  // Escalation paths.
  query('escalationPaths', needs(['iam:EscalationPaths', USER]), `escalationPaths(principalArn: "${USER}")`, '{ revision }'),
  query('changeLog', needs(['iam:Changes', iam('root')]), 'changeLog(last: 5)', '{ hasEarlier latestRevision }'),
  query('escalationSummary', needs(['iam:EscalationSummary', iam('root')]), 'escalationSummary', '{ principalsAnalyzed }'),
  query('group', needs(['iam:GetGroup', GROUP]), 'group(groupName: "team")'),
  query('groupPolicy', needs(['iam:GetGroupPolicy', GROUP]), 'groupPolicy(groupName: "team", policyName: "Inline")'),
  query('groups', needs(['iam:ListGroups', '*']), 'groups'),
  query('loginProfile', needs(['iam:GetLoginProfile', USER]), 'loginProfile(userName: "target")'),
  query('mfaDevices', needs(['iam:ListMFADevices', USER]), 'mfaDevices(userName: "target")'),
  query('node', needs(['iam:GetUser', USER]), 'node(id: $id)', '{ __typename }', (fx) => ({ id: fx.userNodeId }), 'User'),
  query('node', needs(['iam:GetGroup', GROUP]), 'node(id: $id)', '{ __typename }', (fx) => ({ id: fx.groupNodeId }), 'Group'),
  query('node', needs(['iam:GetRole', ROLE]), 'node(id: $id)', '{ __typename }', (fx) => ({ id: fx.roleNodeId }), 'Role'),
  query('node', needs(['iam:GetPolicy', POLICY]), 'node(id: $id)', '{ __typename }', (fx) => ({ id: fx.policyNodeId }), 'ManagedPolicy'),
  query('node', needs(['iam:GetPolicyVersion', POLICY]), 'node(id: $id)', '{ __typename }', (fx) => ({ id: fx.policyVersionNodeId }), 'PolicyVersion'),
  query('node', needs(['iam:GetUserPolicy', USER]), 'node(id: $id)', '{ __typename }', (fx) => ({ id: fx.inlinePolicyNodeId }), 'InlinePolicy'),
  query('node', needs(['iam:ListAccessKeys', USER]), 'node(id: $id)', '{ __typename }', (fx) => ({ id: fx.accessKeyNodeId }), 'AccessKey'),
  query('node', needs(['iam:GetLoginProfile', USER]), 'node(id: $id)', '{ __typename }', (fx) => ({ id: fx.loginProfileNodeId }), 'LoginProfile'),
  query('node', needs(['iam:ListVirtualMFADevices', '*']), 'node(id: $id)', '{ __typename }', (fx) => ({ id: fx.mfaDeviceNodeId }), 'MFADevice'),
  query('node', needs(['iam:GetOpenIDConnectProvider', OIDC]), 'node(id: $id)', '{ __typename }', (fx) => ({ id: fx.oidcProviderNodeId }), 'OpenIDConnectProvider'),
  query('node', needs(['iam:GetService', SERVICE]), 'node(id: $id)', '{ __typename }', (fx) => ({ id: fx.serviceNodeId }), 'Service'),
  query('node', needs(['iam:GetService', SERVICE]), 'node(id: $id)', '{ __typename }', (fx) => ({ id: fx.serviceActionNodeId }), 'ServiceAction'),
  {
    field: 'Query.nodes',
    label: 'User and Role',
    access: needs(['iam:GetUser', USER], ['iam:GetRole', ROLE]),
    query: 'query($u: ID!, $r: ID!) { nodes(ids: [$u, $r]) { __typename } }',
    variables: (fx) => ({ u: fx.userNodeId, r: fx.roleNodeId }),
    perNode: true,
  },
  query('node', needs(['iam:GetResource', BUCKET]), 'node(id: $id)', '{ __typename }', (fx) => ({ id: fx.resourceNodeId }), 'RegisteredResource'),
  query('resource', needs(['iam:GetResource', BUCKET]), `resource(resourceArn: "${BUCKET}")`),
  query('resources', needs(['iam:ListResources', '*']), 'resources(serviceName: "s3")'),
  query('openIDConnectProvider', needs(['iam:GetOpenIDConnectProvider', OIDC]), `openIDConnectProvider(openIDConnectProviderArn: "${OIDC}")`),
  query('openIDConnectProviderTags', needs(['iam:ListOpenIDConnectProviderTags', OIDC]), `openIDConnectProviderTags(openIDConnectProviderArn: "${OIDC}")`, '{ key }'),
  query('openIDConnectProviders', needs(['iam:ListOpenIDConnectProviders', '*']), 'openIDConnectProviders'),
  query('samlProvider', needs(['iam:GetSAMLProvider', SAML]), `samlProvider(samlProviderArn: "${SAML}")`),
  query('samlProviderTags', needs(['iam:ListSAMLProviderTags', SAML]), `samlProviderTags(samlProviderArn: "${SAML}")`, '{ key }'),
  query('samlProviders', needs(['iam:ListSAMLProviders', '*']), 'samlProviders'),
  query('service', needs(['iam:GetService', SERVICE]), 'service(serviceName: "todo")', '{ __typename }', undefined, 'custom'),
  query('service', needs(['iam:GetService', 'arn:aws:iam::aws:service/s3']), 'service(serviceName: "s3")', '{ __typename }', undefined, 'AWS'),
  query('services', needs(['iam:ListServices', '*']), 'services', '{ __typename }'),
  query('policies', needs(['iam:ListPolicies', '*']), 'policies'),
  query('policy', needs(['iam:GetPolicy', POLICY]), `policy(policyArn: "${POLICY}")`),
  query('policyVersion', needs(['iam:GetPolicyVersion', POLICY]), `policyVersion(policyArn: "${POLICY}", versionId: "v1")`),
  query('role', needs(['iam:GetRole', ROLE]), 'role(roleName: "Worker")'),
  query('rolePolicy', needs(['iam:GetRolePolicy', ROLE]), 'rolePolicy(roleName: "Worker", policyName: "Inline")'),
  query('roles', needs(['iam:ListRoles', '*']), 'roles'),
  query('serverInfo', needs(['iam:ServerInfo', '*']), 'serverInfo', '{ version }'),
  query('serviceStatus', needs(['iam:ServiceStatus', '*']), 'serviceStatus', '{ database }'),
  query(
    'simulateCustomPolicy',
    needs(['iam:SimulateCustomPolicy', '*']),
    `simulateCustomPolicy(input: { policyInputList: [${JSON.stringify(IDENTITY_DOC)}], actionNames: ["s3:GetObject"] })`,
    '{ evalDecision }',
  ),
  query(
    'simulatePrincipalPolicy',
    needs(['iam:SimulatePrincipalPolicy', USER]),
    `simulatePrincipalPolicy(input: { policySourceArn: "${USER}", actionNames: ["s3:GetObject"] })`,
    '{ evalDecision }',
  ),
  query(
    'simulateCustomPolicyPage',
    needs(['iam:SimulateCustomPolicy', '*']),
    `simulateCustomPolicyPage(input: { policyInputList: [${JSON.stringify(IDENTITY_DOC)}], actionNames: ["s3:GetObject"] })`,
    '{ isTruncated evaluationResults { evalDecision } }',
  ),
  query(
    'simulatePrincipalPolicyPage',
    needs(['iam:SimulatePrincipalPolicy', USER]),
    `simulatePrincipalPolicyPage(input: { policySourceArn: "${USER}", actionNames: ["s3:GetObject"] })`,
    '{ isTruncated evaluationResults { evalDecision } }',
  ),
  query('user', needs(['iam:GetUser', USER]), 'user(userName: "target")'),
  query('whatCanActions', needs(['iam:Authorize', USER]), `whatCanActions(input: { principalArn: "${USER}", resourceArn: "arn:aws:s3:::docs/report" })`, '{ totalCount }'),
  query(
    'whatCanResources',
    needs(['iam:Authorize', USER], ['iam:ListResources', '*']),
    `whatCanResources(input: { principalArn: "${USER}", action: "s3:GetObject", serviceName: "s3" })`,
    '{ totalCount }',
  ),
  // Usage reports: a job id is only its parameters, so any well-formed one exercises the read.
  query('generateServiceLastAccessedDetails', needs(['iam:GenerateServiceLastAccessedDetails', USER]), `generateServiceLastAccessedDetails(input: { arn: "${USER}" })`, '{ jobId }'),
  query('serviceLastAccessedDetails', needs(['iam:GetServiceLastAccessedDetails', '*']), `serviceLastAccessedDetails(input: { jobId: "${ADVISOR_JOB}" })`, '{ jobStatus }'),
  query(
    'serviceLastAccessedDetailsWithEntities',
    needs(['iam:GetServiceLastAccessedDetailsWithEntities', '*']),
    `serviceLastAccessedDetailsWithEntities(input: { jobId: "${ADVISOR_JOB}", serviceNamespace: "s3" })`,
    '{ jobStatus }',
  ),
  query('unusedAccessFindings', needs(['access-analyzer:ListFindings', '*']), 'unusedAccessFindings(unusedAccessAge: 30)', '{ id }'),
  query('generatedPolicy', needs(['access-analyzer:StartPolicyGeneration', '*']), `generatedPolicy(input: { principalArn: "${USER}", startDate: "2026-01-01T00:00:00Z", endDate: "2026-02-01T00:00:00Z" })`, '{ policyDocument }'),
  query('whoCan', needs(['iam:WhoCan', 'arn:aws:s3:::docs/report']), 'whoCan(input: { action: "s3:GetObject", resourceArn: "arn:aws:s3:::docs/report" })', '{ totalCount }'),
  query('userPolicy', needs(['iam:GetUserPolicy', USER]), 'userPolicy(userName: "target", policyName: "Inline")'),
  query('users', needs(['iam:ListUsers', '*']), 'users'),
  query('validatePolicy', needs(['access-analyzer:ValidatePolicy', '*']), `validatePolicy(policyDocument: ${JSON.stringify(IDENTITY_DOC)})`, '{ issueCode }'),
  query('virtualMFADevices', needs(['iam:ListVirtualMFADevices', '*']), 'virtualMFADevices', '{ edges { node { __typename } } }'),

  // ---- Mutations: users, groups, roles ----
  mutation('createUser', needs(['iam:CreateUser', iam('user/t/newbie')]), same({ userName: 'newbie', path: '/t/' })),
  mutation('updateUser', needs(['iam:UpdateUser', iam('user/t/renamee')], ['iam:UpdateUser', iam('user/t/renamed')]), same({ userName: 'renamee', newUserName: 'renamed' })),
  mutation('deleteUser', needs(['iam:DeleteUser', iam('user/t/doomed')]), same({ userName: 'doomed' })),
  mutation('tagUser', needs(['iam:TagUser', USER]), same({ userName: 'target', tags: [{ key: 'k', value: 'v' }] })),
  mutation('untagUser', needs(['iam:UntagUser', USER]), same({ userName: 'target', tagKeys: ['team'] })),
  mutation('createGroup', needs(['iam:CreateGroup', iam('group/t/newgroup')]), same({ groupName: 'newgroup', path: '/t/' })),
  mutation('updateGroup', needs(['iam:UpdateGroup', iam('group/t/renamegroup')], ['iam:UpdateGroup', iam('group/t/renamedgroup')]), same({ groupName: 'renamegroup', newGroupName: 'renamedgroup' })),
  mutation('deleteGroup', needs(['iam:DeleteGroup', iam('group/t/doomedgroup')]), same({ groupName: 'doomedgroup' })),
  mutation('addUserToGroup', needs(['iam:AddUserToGroup', GROUP]), same({ groupName: 'team', userName: 'nopass' })),
  mutation('removeUserFromGroup', needs(['iam:RemoveUserFromGroup', GROUP]), same({ groupName: 'team', userName: 'target' })),
  mutation('createRole', needs(['iam:CreateRole', iam('role/t/NewRole')]), same({ roleName: 'NewRole', path: '/t/', assumeRolePolicyDocument: TRUST_DOC })),
  mutation('updateRole', needs(['iam:UpdateRole', ROLE]), same({ roleName: 'Worker', description: 'updated' })),
  mutation('updateAssumeRolePolicy', needs(['iam:UpdateAssumeRolePolicy', ROLE]), same({ roleName: 'Worker', policyDocument: TRUST_DOC })),
  mutation('deleteRole', needs(['iam:DeleteRole', iam('role/t/DoomedRole')]), same({ roleName: 'DoomedRole' })),
  mutation('tagRole', needs(['iam:TagRole', ROLE]), same({ roleName: 'Worker', tags: [{ key: 'k', value: 'v' }] })),
  mutation('untagRole', needs(['iam:UntagRole', ROLE]), same({ roleName: 'Worker', tagKeys: ['k'] })),

  // ---- Policies, attachments, boundaries, inline policies ----
  mutation('createPolicy', needs(['iam:CreatePolicy', iam('policy/t/NewPolicy')]), same({ policyName: 'NewPolicy', path: '/t/', policyDocument: IDENTITY_DOC })),
  mutation('createPolicyVersion', needs(['iam:CreatePolicyVersion', POLICY]), same({ policyArn: POLICY, policyDocument: IDENTITY_DOC })),
  mutation('setDefaultPolicyVersion', needs(['iam:SetDefaultPolicyVersion', POLICY]), same({ policyArn: POLICY, versionId: 'v1' })),
  mutation('deletePolicyVersion', needs(['iam:DeletePolicyVersion', POLICY]), same({ policyArn: POLICY, versionId: 'v2' })),
  mutation('deletePolicy', needs(['iam:DeletePolicy', iam('policy/t/DoomedPolicy')]), same({ policyArn: iam('policy/t/DoomedPolicy') })),
  mutation('tagPolicy', needs(['iam:TagPolicy', POLICY]), same({ policyArn: POLICY, tags: [{ key: 'k', value: 'v' }] })),
  mutation('untagPolicy', needs(['iam:UntagPolicy', POLICY]), same({ policyArn: POLICY, tagKeys: ['k'] })),
  mutation('attachUserPolicy', needs(['iam:AttachUserPolicy', USER]), same({ userName: 'target', policyArn: POLICY })),
  mutation('detachUserPolicy', needs(['iam:DetachUserPolicy', USER]), same({ userName: 'target', policyArn: POLICY })),
  mutation('attachGroupPolicy', needs(['iam:AttachGroupPolicy', GROUP]), same({ groupName: 'team', policyArn: POLICY })),
  mutation('detachGroupPolicy', needs(['iam:DetachGroupPolicy', GROUP]), same({ groupName: 'team', policyArn: POLICY })),
  mutation('attachRolePolicy', needs(['iam:AttachRolePolicy', ROLE]), same({ roleName: 'Worker', policyArn: POLICY })),
  mutation('detachRolePolicy', needs(['iam:DetachRolePolicy', ROLE]), same({ roleName: 'Worker', policyArn: POLICY })),
  mutation('putUserPermissionsBoundary', needs(['iam:PutUserPermissionsBoundary', USER]), same({ userName: 'target', permissionsBoundary: POLICY })),
  mutation('deleteUserPermissionsBoundary', needs(['iam:DeleteUserPermissionsBoundary', USER]), same({ userName: 'target' })),
  mutation('putRolePermissionsBoundary', needs(['iam:PutRolePermissionsBoundary', ROLE]), same({ roleName: 'Worker', permissionsBoundary: POLICY })),
  mutation('deleteRolePermissionsBoundary', needs(['iam:DeleteRolePermissionsBoundary', ROLE]), same({ roleName: 'Worker' })),
  mutation('putUserPolicy', needs(['iam:PutUserPolicy', USER]), same({ userName: 'target', policyName: 'Other', policyDocument: IDENTITY_DOC })),
  mutation('deleteUserPolicy', needs(['iam:DeleteUserPolicy', USER]), same({ userName: 'target', policyName: 'Other' })),
  mutation('putGroupPolicy', needs(['iam:PutGroupPolicy', GROUP]), same({ groupName: 'team', policyName: 'Other', policyDocument: IDENTITY_DOC })),
  mutation('deleteGroupPolicy', needs(['iam:DeleteGroupPolicy', GROUP]), same({ groupName: 'team', policyName: 'Other' })),
  mutation('putRolePolicy', needs(['iam:PutRolePolicy', ROLE]), same({ roleName: 'Worker', policyName: 'Other', policyDocument: IDENTITY_DOC })),
  mutation('deleteRolePolicy', needs(['iam:DeleteRolePolicy', ROLE]), same({ roleName: 'Worker', policyName: 'Other' })),

  // ---- Credentials ----
  mutation('createAccessKey', needs(['iam:CreateAccessKey', USER]), same({ userName: 'target' })),
  mutation('updateAccessKey', needs(['iam:UpdateAccessKey', USER]), (fx) => ({ userName: 'target', accessKeyId: fx.keepKeyId, status: 'ACTIVE' })),
  mutation('deleteAccessKey', needs(['iam:DeleteAccessKey', USER]), (fx) => ({ userName: 'target', accessKeyId: fx.spareKeyId })),
  mutation('createLoginProfile', needs(['iam:CreateLoginProfile', iam('user/t/nopass')]), same({ userName: 'nopass', password: 'Fresh-Password-1!' })),
  mutation('updateLoginProfile', needs(['iam:UpdateLoginProfile', USER]), same({ userName: 'target', passwordResetRequired: true })),
  mutation('deleteLoginProfile', needs(['iam:DeleteLoginProfile', USER]), same({ userName: 'target' })),
  // The caller's own password: iam:ChangePassword on its own ARN (the password policy allows none by itself).
  mutation('changePassword', needs(['iam:ChangePassword', iam('user/caller')]), (fx) => ({ oldPassword: fx.callerPassword, newPassword: 'Caller-Changed-2!' })),
  mutation('updateAccountPasswordPolicy', needs(['iam:UpdateAccountPasswordPolicy', '*']), same({ minimumPasswordLength: 8, allowUsersToChangePassword: false })),
  { field: 'Mutation.generateCredentialReport', access: needs(['iam:GenerateCredentialReport', '*']), query: `mutation { generateCredentialReport { __typename ${REFUSAL} } }` },
  mutation(
    'importAccountAuthorizationDetails',
    needs(['iam:ImportAccountAuthorizationDetails', '*']),
    same({ document: JSON.stringify({ UserDetailList: [{ Path: '/t/', UserName: 't-imported', GroupList: [], AttachedManagedPolicies: [] }], GroupDetailList: [], RoleDetailList: [], Policies: [] }) }),
  ),
  { field: 'Mutation.deleteAccountPasswordPolicy', access: needs(['iam:DeleteAccountPasswordPolicy', '*']), query: `mutation { deleteAccountPasswordPolicy { __typename ${REFUSAL} } }` },
  mutation('createVirtualMFADevice', needs(['iam:CreateVirtualMFADevice', iam('mfa/t/fresh')]), same({ virtualMFADeviceName: 'fresh', path: '/t/' })),
  mutation('enableMFADevice', needs(['iam:EnableMFADevice', USER]), same({ userName: 'target', serialNumber: iam('mfa/t/spare'), authenticationCode1: '000000', authenticationCode2: '000001' })),
  mutation('deactivateMFADevice', needs(['iam:DeactivateMFADevice', USER]), (fx) => ({ userName: 'target', serialNumber: fx.targetMfaSerial })),
  mutation('deleteVirtualMFADevice', needs(['iam:DeleteVirtualMFADevice', iam('mfa/t/spare')]), same({ serialNumber: iam('mfa/t/spare') })),
  mutation('createOpenIDConnectProvider', needs(['iam:CreateOpenIDConnectProvider', iam('oidc-provider/new.example.com')]), same({ url: 'https://new.example.com', clientIdList: ['app'] })),
  mutation('putService', needs(['iam:PutService', iam('service/newsvc')]), same({ serviceName: 'newsvc', ...SERVICE_INPUT })),
  mutation('deleteService', needs(['iam:DeleteService', iam('service/doomedsvc')]), same({ serviceName: 'doomedsvc' })),
  mutation('addClientIDToOpenIDConnectProvider', needs(['iam:AddClientIDToOpenIDConnectProvider', OIDC]), same({ openIDConnectProviderArn: OIDC, clientID: 'table-app' })),
  mutation('removeClientIDFromOpenIDConnectProvider', needs(['iam:RemoveClientIDFromOpenIDConnectProvider', OIDC]), same({ openIDConnectProviderArn: OIDC, clientID: 'table-app' })),
  mutation('updateOpenIDConnectProviderThumbprint', needs(['iam:UpdateOpenIDConnectProviderThumbprint', OIDC]), same({ openIDConnectProviderArn: OIDC, thumbprintList: ['a'.repeat(40)] })),
  mutation('tagOpenIDConnectProvider', needs(['iam:TagOpenIDConnectProvider', OIDC]), same({ openIDConnectProviderArn: OIDC, tags: [{ key: 'k', value: 'v' }] })),
  mutation('untagOpenIDConnectProvider', needs(['iam:UntagOpenIDConnectProvider', OIDC]), same({ openIDConnectProviderArn: OIDC, tagKeys: ['k'] })),
  mutation('createSAMLProvider', needs(['iam:CreateSAMLProvider', iam('saml-provider/New')]), same({ name: 'New', samlMetadataDocument: SAML_METADATA })),
  mutation('updateSAMLProvider', needs(['iam:UpdateSAMLProvider', SAML]), same({ samlProviderArn: SAML, samlMetadataDocument: SAML_METADATA })),
  mutation('tagSAMLProvider', needs(['iam:TagSAMLProvider', SAML]), same({ samlProviderArn: SAML, tags: [{ key: 'k', value: 'v' }] })),
  mutation('untagSAMLProvider', needs(['iam:UntagSAMLProvider', SAML]), same({ samlProviderArn: SAML, tagKeys: ['k'] })),
  mutation('deleteSAMLProvider', needs(['iam:DeleteSAMLProvider', iam('saml-provider/Doomed')]), same({ samlProviderArn: iam('saml-provider/Doomed') })),
  mutation('deleteOpenIDConnectProvider', needs(['iam:DeleteOpenIDConnectProvider', iam('oidc-provider/doomed.example.com')]), same({ openIDConnectProviderArn: iam('oidc-provider/doomed.example.com') })),

  // ---- Registered resources: Portcullis' own actions, on the resource's ARN ----
  mutation('registerResource', needs(['iam:RegisterResource', 'arn:aws:s3:::t-fresh-bucket']), same({ resourceArn: 'arn:aws:s3:::t-fresh-bucket', tags: [{ key: 'team', value: 'blue' }] })),
  mutation('putResourcePolicy', needs(['iam:PutResourcePolicy', BUCKET]), same({ resourceArn: BUCKET, policyDocument: RESOURCE_DOC })),
  mutation('deleteResourcePolicy', needs(['iam:DeleteResourcePolicy', BUCKET]), same({ resourceArn: BUCKET })),
  mutation('tagResource', needs(['iam:TagResource', BUCKET]), same({ resourceArn: BUCKET, tags: [{ key: 'env', value: 'test' }] })),
  mutation('untagResource', needs(['iam:UntagResource', BUCKET]), same({ resourceArn: BUCKET, tagKeys: ['env'] })),
  mutation('deregisterResource', needs(['iam:DeregisterResource', DOOMED_BUCKET]), same({ resourceArn: DOOMED_BUCKET })),
  mutation(
    'importResources',
    needs(['iam:ImportResources', 'arn:aws:s3:::t-imported-a'], ['iam:ImportResources', 'arn:aws:s3:::t-imported-b']),
    same({ resources: [{ resourceArn: 'arn:aws:s3:::t-imported-a' }, { resourceArn: 'arn:aws:s3:::t-imported-b' }] }),
  ),

  // ---- AWS Organizations (callable by the management account) and account aliases ----
  query('organization', needs(['organizations:DescribeOrganization', '*']), 'organization'),
  query('organizationRoots', needs(['organizations:ListRoots', '*']), 'organizationRoots'),
  orgQuery('organizationAccount', needs(['organizations:DescribeAccount', ORG_ACCOUNT]), 'accountId: $v', (fx) => fx.org.accountId),
  query('organizationAccounts', needs(['organizations:ListAccounts', '*']), 'organizationAccounts', '{ hasNextPage }'),
  orgQuery('organizationAccountsForParent', needs(['organizations:ListAccountsForParent', ORG_ROOT]), 'parentId: $v', (fx) => fx.org.rootId),
  orgQuery('organizationalUnit', needs(['organizations:DescribeOrganizationalUnit', ORG_OU]), 'organizationalUnitId: $v', (fx) => fx.org.ouId),
  orgQuery('organizationalUnitsForParent', needs(['organizations:ListOrganizationalUnitsForParent', ORG_ROOT]), 'parentId: $v', (fx) => fx.org.rootId),
  orgQuery('organizationParents', needs(['organizations:ListParents', ORG_ACCOUNT]), 'childId: $v', (fx) => fx.org.accountId, '{ id }'),
  orgQuery('organizationChildren', needs(['organizations:ListChildren', ORG_ROOT]), 'parentId: $v, childType: ACCOUNT', (fx) => fx.org.rootId),
  orgQuery('organizationPolicy', needs(['organizations:DescribePolicy', ORG_SCP]), 'policyId: $v', (fx) => fx.org.policyId),
  query('organizationPolicies', needs(['organizations:ListPolicies', '*']), 'organizationPolicies(filter: SERVICE_CONTROL_POLICY)'),
  orgQuery('organizationPoliciesForTarget', needs(['organizations:ListPoliciesForTarget', ORG_OU]), 'targetId: $v, filter: SERVICE_CONTROL_POLICY', (fx) => fx.org.ouId),
  orgQuery('organizationPolicyTargets', needs(['organizations:ListTargetsForPolicy', ORG_SCP]), 'policyId: $v', (fx) => fx.org.policyId),
  orgQuery('organizationResourceTags', needs(['organizations:ListTagsForResource', ORG_OU]), 'resourceId: $v', (fx) => fx.org.ouId, '{ key }'),
  query('accountAliases', needs(['iam:ListAccountAliases', '*']), 'accountAliases', ''),
  mutation('createAccount', needs(['organizations:CreateAccount', '*']), same({ accountName: 'Fresh', email: 'fresh@example.com' })),
  mutation('closeAccount', needs(['organizations:CloseAccount', ORG_ACCOUNT]), (fx) => ({ accountId: fx.org.closeAccountId })),
  mutation('moveAccount', needs(['organizations:MoveAccount', ORG_ACCOUNT], ['organizations:MoveAccount', ORG_ROOT], ['organizations:MoveAccount', ORG_OU]), (fx) => ({
    accountId: fx.org.moveAccountId,
    sourceParentId: fx.org.rootId,
    destinationParentId: fx.org.ouId,
  })),
  mutation('createOrganizationalUnit', needs(['organizations:CreateOrganizationalUnit', ORG_ROOT]), (fx) => ({ parentId: fx.org.rootId, name: 'FreshOu' })),
  mutation('updateOrganizationalUnit', needs(['organizations:UpdateOrganizationalUnit', ORG_OU]), (fx) => ({ organizationalUnitId: fx.org.ouId, name: 'KeptRenamed' })),
  mutation('deleteOrganizationalUnit', needs(['organizations:DeleteOrganizationalUnit', ORG_OU]), (fx) => ({ organizationalUnitId: fx.org.doomedOuId })),
  // The new policy's id (hence its ARN) is drawn when it is created: CreatePolicy is checked on `*`.
  mutation('createOrganizationPolicy', needs(['organizations:CreatePolicy', '*']), same({ name: 'FreshScp', type: 'SERVICE_CONTROL_POLICY', content: SCP_DOC })),
  mutation('updateOrganizationPolicy', needs(['organizations:UpdatePolicy', ORG_SCP]), (fx) => ({ policyId: fx.org.policyId, description: 'table' })),
  mutation('deleteOrganizationPolicy', needs(['organizations:DeletePolicy', ORG_SCP]), (fx) => ({ policyId: fx.org.doomedPolicyId })),
  mutation('attachOrganizationPolicy', needs(['organizations:AttachPolicy', ORG_SCP], ['organizations:AttachPolicy', ORG_ACCOUNT]), (fx) => ({ policyId: fx.org.policyId, targetId: fx.org.accountId })),
  mutation('detachOrganizationPolicy', needs(['organizations:DetachPolicy', ORG_SCP], ['organizations:DetachPolicy', ORG_OU]), (fx) => ({ policyId: fx.org.policyId, targetId: fx.org.ouId })),
  // RCPs off, then on again (RCPFullAWSAccess re-attached everywhere): the rows after see the tree as before.
  mutation('disablePolicyType', needs(['organizations:DisablePolicyType', ORG_ROOT]), (fx) => ({ rootId: fx.org.rootId, policyType: 'RESOURCE_CONTROL_POLICY' })),
  mutation('enablePolicyType', needs(['organizations:EnablePolicyType', ORG_ROOT]), (fx) => ({ rootId: fx.org.rootId, policyType: 'RESOURCE_CONTROL_POLICY' })),
  mutation('tagOrganizationResource', needs(['organizations:TagResource', ORG_ACCOUNT]), (fx) => ({ resourceId: fx.org.accountId, tags: [{ key: 'table', value: 'yes' }] })),
  mutation('untagOrganizationResource', needs(['organizations:UntagResource', ORG_SCP]), (fx) => ({ resourceId: fx.org.policyId, tagKeys: ['table'] })),
  mutation('createAccountAlias', needs(['iam:CreateAccountAlias', '*']), same({ accountAlias: 'table-alias' })),
  mutation('deleteAccountAlias', needs(['iam:DeleteAccountAlias', '*']), same({ accountAlias: 'table-alias' })),

  // ---- Decisions ----
  {
    field: 'Mutation.authorize',
    access: needs(['iam:Authorize', USER]),
    query: `mutation { authorize(input: { principalArn: "${USER}", action: "s3:GetObject", resourceArn: "*" }) { __typename ... on Decision { decision } } }`,
    perItem: true,
  },
  {
    field: 'Mutation.authorizeBatch',
    access: needs(['iam:Authorize', USER]),
    query: `mutation { authorizeBatch(requests: [{ principalArn: "${USER}", action: "s3:GetObject", resourceArn: "*" }]) { __typename } }`,
    perItem: true,
  },

  // ---- STS and sessions ----
  mutation('assumeRole', needs(['sts:AssumeRole', ROLE]), same({ roleArn: ROLE, roleSessionName: 'table' })),
  // The console's "revoke active sessions" puts an inline policy, so it is iam:PutRolePolicy on the role.
  mutation('revokeRoleSessions', needs(['iam:PutRolePolicy', ROLE]), same({ roleName: 'Worker' })),
  mutation('getSessionToken', AUTHENTICATED, same({ durationSeconds: 900 })),
  mutation('getFederationToken', needs(['sts:GetFederationToken', `arn:aws:sts::${ACCOUNT}:federated-user/table`]), same({ name: 'table', durationSeconds: 900 })),
  { field: 'Mutation.signOut', access: AUTHENTICATED, query: 'mutation { signOut { __typename ... on WriteSuccess { revision } } }' },
  mutation('signIn', ANONYMOUS, same({ account: ACCOUNT, userName: 'no-such-user', password: 'wrong-password' })),
  mutation('assumeRoleWithSAML', ANONYMOUS, same({ roleArn: ROLE, principalArn: SAML, samlAssertion: 'bm90IGEgU0FNTCByZXNwb25zZQ==' })),
  mutation('assumeRoleWithWebIdentity', ANONYMOUS, same({ roleArn: ROLE, roleSessionName: 'web', webIdentityToken: 'not.a.jwt' })),
  // Console sign-in through an identity provider: anonymous, like signIn.
  mutation('completeFederatedSignIn', ANONYMOUS, same({ code: 'not-a-valid-code' })),
];
