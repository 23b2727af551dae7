/**
 * How each field of the schema keeps one account away from another's data (DESIGN.md "Accounts":
 * every operation is scoped to the caller's account). account-isolation.test.ts calls every row of
 * operation-table.ts (aimed at account A's users, roles, policies, providers, resources, node ids)
 * as account B's administrator and as B's root, and for every field checks that nothing of A comes
 * back and nothing of A changes; this table adds what the answer itself must be.
 *
 * A new Query or Mutation field needs a row in operation-table.ts (its call, aimed at the fixtures)
 * and one line here; a new Subscription field one entry in SUBSCRIPTIONS. The test fails for a
 * field missing from either, and for an entry whose field is gone.
 */
import { BUCKET, iam, POLICY, RESOURCE_DOC, TRUST_DOC, USER, type Fixtures, type Row } from './operation-table.ts';

/** What account B must get back when it calls a field aimed at account A's entities. */
export type Isolation =
  /**
   * The call names A's entity (by ARN, by a name that exists only in A, by a node id or an access
   * key id of A) or asks a decision about A's principal: it is refused (AccessDenied) or finds
   * nothing (NoSuchEntity, null), never answered from A's data.
   */
  | 'refused'
  /**
   * The field works on the caller's own account (lists, creates, account settings, the caller's
   * own session) or on nothing account-bound (the service catalog, policy validation): it may
   * succeed, but shows nothing of A and changes nothing of A.
   */
  | 'scoped'
  /**
   * Anonymous: the input is the credential (sign-in, SAML, web identity). B's credential adds
   * nothing, so B gets exactly what an anonymous caller gets.
   */
  | 'public';

/** Every Query and Mutation field, by `Type.field`. */
export const ISOLATION: Readonly<Record<string, Isolation>> = {
  // ---- Reads of one entity of A (by name, ARN, key id or node id): nothing found or refused ----
  'Query.accessKeyLastUsed': 'refused',
  'Query.accessKeys': 'refused',
  'Query.group': 'refused',
  'Query.groupPolicy': 'refused',
  'Query.loginProfile': 'refused',
  'Query.mfaDevices': 'refused',
  'Query.node': 'refused',
  'Query.nodes': 'refused',
  'Query.openIDConnectProvider': 'refused',
  'Query.openIDConnectProviderTags': 'refused',
  'Query.policy': 'refused',
  'Query.policyVersion': 'refused',
  'Query.resource': 'refused',
  'Query.role': 'refused',
  'Query.rolePolicy': 'refused',
  'Query.samlProvider': 'refused',
  'Query.samlProviderTags': 'refused',
  'Query.user': 'refused',
  'Query.userPolicy': 'refused',
  // `service` has two rows: A's custom service `todo` (not found in B) and AWS's s3 (the shared catalog).
  'Query.service': 'scoped',
  // ---- Questions about A's principals: refused or not found, never answered ----
  'Query.contextKeysForPrincipalPolicy': 'refused',
  'Query.escalationPaths': 'refused',
  'Query.generateServiceLastAccessedDetails': 'refused',
  'Query.generatedPolicy': 'refused',
  'Query.serviceLastAccessedDetails': 'refused',
  'Query.serviceLastAccessedDetailsWithEntities': 'refused',
  'Query.simulatePrincipalPolicy': 'refused',
  'Query.simulatePrincipalPolicyPage': 'refused',
  'Query.whatCanActions': 'refused',
  'Query.whatCanResources': 'refused',
  'Mutation.authorize': 'refused',
  'Mutation.authorizeBatch': 'refused',
  // ---- The caller's own account, or nothing account-bound ----
  'Query.accountAuthorizationDetails': 'scoped',
  'Query.accountPasswordPolicy': 'scoped',
  'Query.accountSummary': 'scoped',
  'Query.callerIdentity': 'scoped',
  'Query.changeLog': 'scoped',
  'Query.contextKeysForCustomPolicy': 'scoped',
  'Query.credentialReport': 'scoped',
  'Query.escalationSummary': 'scoped',
  'Query.groups': 'scoped',
  'Query.openIDConnectProviders': 'scoped',
  'Query.policies': 'scoped',
  'Query.resources': 'scoped',
  'Query.roles': 'scoped',
  'Query.samlProviders': 'scoped',
  'Query.serverInfo': 'scoped',
  'Query.services': 'scoped',
  'Query.serviceStatus': 'scoped',
  'Query.simulateCustomPolicy': 'scoped',
  'Query.simulateCustomPolicyPage': 'scoped',
  'Query.unusedAccessFindings': 'scoped',
  'Query.users': 'scoped',
  'Query.validatePolicy': 'scoped',
  'Query.virtualMFADevices': 'scoped',
  'Query.whoCan': 'scoped',
  // ---- Organizations: B is a standalone account; A's organization, OUs, accounts and SCPs are A's ----
  'Query.organization': 'scoped',
  'Query.organizationRoots': 'refused',
  'Query.organizationAccount': 'refused',
  'Query.organizationAccounts': 'refused',
  'Query.organizationAccountsForParent': 'refused',
  'Query.organizationalUnit': 'refused',
  'Query.organizationalUnitsForParent': 'refused',
  'Query.organizationParents': 'refused',
  'Query.organizationChildren': 'refused',
  'Query.organizationPolicy': 'refused',
  'Query.organizationPolicies': 'refused',
  'Query.organizationPoliciesForTarget': 'refused',
  'Query.organizationPolicyTargets': 'refused',
  'Query.organizationResourceTags': 'refused',
  'Mutation.createAccount': 'refused',
  'Mutation.closeAccount': 'refused',
  'Mutation.moveAccount': 'refused',
  'Mutation.createOrganizationalUnit': 'refused',
  'Mutation.updateOrganizationalUnit': 'refused',
  'Mutation.deleteOrganizationalUnit': 'refused',
  'Mutation.createOrganizationPolicy': 'refused',
  'Mutation.updateOrganizationPolicy': 'refused',
  'Mutation.deleteOrganizationPolicy': 'refused',
  'Mutation.attachOrganizationPolicy': 'refused',
  'Mutation.detachOrganizationPolicy': 'refused',
  'Mutation.enablePolicyType': 'refused',
  'Mutation.disablePolicyType': 'refused',
  'Mutation.tagOrganizationResource': 'refused',
  'Mutation.untagOrganizationResource': 'refused',
  // The caller's own account's alias.
  'Query.accountAliases': 'scoped',
  'Mutation.createAccountAlias': 'scoped',
  'Mutation.deleteAccountAlias': 'scoped',
  // ---- Anonymous ----
  'Query.signInProviders': 'public',
  'Mutation.signIn': 'public',
  'Mutation.assumeRoleWithSAML': 'public',
  'Mutation.assumeRoleWithWebIdentity': 'public',
  'Mutation.completeFederatedSignIn': 'public',
  // ---- Writes to A's entities (by name that exists only in A, or A's ARN): not found or refused ----
  'Mutation.updateUser': 'refused',
  'Mutation.deleteUser': 'refused',
  'Mutation.tagUser': 'refused',
  'Mutation.untagUser': 'refused',
  'Mutation.updateGroup': 'refused',
  'Mutation.deleteGroup': 'refused',
  'Mutation.addUserToGroup': 'refused',
  'Mutation.removeUserFromGroup': 'refused',
  'Mutation.updateRole': 'refused',
  'Mutation.updateAssumeRolePolicy': 'refused',
  'Mutation.deleteRole': 'refused',
  'Mutation.tagRole': 'refused',
  'Mutation.untagRole': 'refused',
  'Mutation.createPolicyVersion': 'refused',
  'Mutation.setDefaultPolicyVersion': 'refused',
  'Mutation.deletePolicyVersion': 'refused',
  'Mutation.deletePolicy': 'refused',
  'Mutation.tagPolicy': 'refused',
  'Mutation.untagPolicy': 'refused',
  'Mutation.attachUserPolicy': 'refused',
  'Mutation.detachUserPolicy': 'refused',
  'Mutation.attachGroupPolicy': 'refused',
  'Mutation.detachGroupPolicy': 'refused',
  'Mutation.attachRolePolicy': 'refused',
  'Mutation.detachRolePolicy': 'refused',
  'Mutation.putUserPermissionsBoundary': 'refused',
  'Mutation.deleteUserPermissionsBoundary': 'refused',
  'Mutation.putRolePermissionsBoundary': 'refused',
  'Mutation.deleteRolePermissionsBoundary': 'refused',
  'Mutation.putUserPolicy': 'refused',
  'Mutation.deleteUserPolicy': 'refused',
  'Mutation.putGroupPolicy': 'refused',
  'Mutation.deleteGroupPolicy': 'refused',
  'Mutation.putRolePolicy': 'refused',
  'Mutation.deleteRolePolicy': 'refused',
  'Mutation.createAccessKey': 'refused',
  'Mutation.updateAccessKey': 'refused',
  'Mutation.deleteAccessKey': 'refused',
  'Mutation.createLoginProfile': 'refused',
  'Mutation.updateLoginProfile': 'refused',
  'Mutation.deleteLoginProfile': 'refused',
  'Mutation.enableMFADevice': 'refused',
  'Mutation.deactivateMFADevice': 'refused',
  'Mutation.deleteVirtualMFADevice': 'refused',
  'Mutation.deleteService': 'refused',
  'Mutation.addClientIDToOpenIDConnectProvider': 'refused',
  'Mutation.removeClientIDFromOpenIDConnectProvider': 'refused',
  'Mutation.updateOpenIDConnectProviderThumbprint': 'refused',
  'Mutation.tagOpenIDConnectProvider': 'refused',
  'Mutation.untagOpenIDConnectProvider': 'refused',
  'Mutation.updateSAMLProvider': 'refused',
  'Mutation.tagSAMLProvider': 'refused',
  'Mutation.untagSAMLProvider': 'refused',
  'Mutation.deleteSAMLProvider': 'refused',
  'Mutation.deleteOpenIDConnectProvider': 'refused',
  'Mutation.putResourcePolicy': 'refused',
  'Mutation.deleteResourcePolicy': 'refused',
  'Mutation.tagResource': 'refused',
  'Mutation.untagResource': 'refused',
  'Mutation.deregisterResource': 'refused',
  'Mutation.assumeRole': 'refused',
  'Mutation.revokeRoleSessions': 'refused',
  // ---- Writes in the caller's own account ----
  'Mutation.createUser': 'scoped',
  'Mutation.createGroup': 'scoped',
  'Mutation.createRole': 'scoped',
  'Mutation.createPolicy': 'scoped',
  'Mutation.changePassword': 'scoped',
  'Mutation.updateAccountPasswordPolicy': 'scoped',
  'Mutation.deleteAccountPasswordPolicy': 'scoped',
  'Mutation.generateCredentialReport': 'scoped',
  'Mutation.importAccountAuthorizationDetails': 'scoped',
  'Mutation.createVirtualMFADevice': 'scoped',
  'Mutation.createOpenIDConnectProvider': 'scoped',
  'Mutation.createSAMLProvider': 'scoped',
  'Mutation.putService': 'scoped',
  // Registering a resource ARN another account registered is refused (it names A's resource); a fresh ARN is B's.
  'Mutation.registerResource': 'scoped',
  'Mutation.importResources': 'scoped',
  'Mutation.getSessionToken': 'scoped',
  'Mutation.getFederationToken': 'scoped',
  'Mutation.signOut': 'scoped',
};

/** How a Subscription field is tried from account B. */
export interface SubscriptionIsolation {
  /** The subscription document; `$principal` (when declared) is A's user `target`. */
  readonly query: string;
  /**
   * `refused`: the stream ends with ACCESS_DENIED (or NO_SUCH_ENTITY / VALIDATION_ERROR) and yields
   * nothing; `checks-refused`: it runs, but every check about A's principal is answered AccessDenied;
   * `scoped`: it runs, and nothing it yields (replay and live) shows A's data.
   */
  readonly expect: 'refused' | 'checks-refused' | 'scoped';
}

/** Every Subscription field. */
export const SUBSCRIPTIONS: Readonly<Record<string, SubscriptionIsolation>> = {
  changes: { query: 'subscription { changes(afterRevision: "0") { revision kind entityArn actorArn payload affectedPrincipalIds } }', expect: 'scoped' },
  // A's principal as a filter of the stream: refused before it starts.
  'changes (filter.principalArn in A)': {
    query: 'subscription($principal: String!) { changes(afterRevision: "0", filter: { principalArn: $principal }) { revision kind entityArn } }',
    expect: 'refused',
  },
  decisionChanged: {
    query: `subscription($principal: String!) { decisionChanged(checks: [{ principalArn: $principal, action: "s3:GetObject", resourceArn: "*" }]) {
      index revision result { __typename ... on Decision { decision allowed } ... on ResultError { message } } } }`,
    expect: 'checks-refused',
  },
  permissionsChanged: { query: 'subscription($principal: String!) { permissionsChanged(principalArn: $principal, afterRevision: "0") { revision kind entityArn } }', expect: 'refused' },
  serviceStatus: { query: 'subscription { serviceStatus { database } }', expect: 'scoped' },
  unusedAccessFindingsChanged: { query: 'subscription { unusedAccessFindingsChanged(unusedAccessAge: 1) { __typename } }', expect: 'scoped' },
};

/** Account B's own entities the extra rows act on (created by account-isolation.test.ts as B's root). */
export const B_ADMIN = 'b-admin';
export const B_GROUP = 'b-group';
export const B_ROLE = 'b-role';
/** A built-in policy that account A attaches to its user `target` (so B must not see it attached, nor counted). */
export const BUILT_IN = 'arn:aws:iam::aws:policy/ReadOnlyAccess';

/** A call the operation table does not make: B's own entities combined with A's, or B's own questions that could reach A. */
export interface ExtraRow extends Omit<Row, 'access'> {
  readonly isolation: Isolation;
  /** Problems with the answer's `data` beyond what every row is checked for (an empty list expected, a count of 0). */
  readonly check?: (data: Record<string, any>) => string[];
}

/** A mutation taking `input`, selecting `__typename` (the test widens it). */
function extraMutation(field: string, label: string, isolation: Isolation, input: (fx: Fixtures) => Record<string, unknown>): ExtraRow {
  const type = `${field[0]!.toUpperCase()}${field.slice(1)}Input`;
  return { field: `Mutation.${field}`, label, isolation, query: `mutation($i: ${type}!) { ${field}(input: $i) { __typename } }`, variables: (fx) => ({ i: input(fx) }) };
}

const ALLOW_S3 = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] });

/**
 * Ways into A that the operation table's calls (aimed at A's names and ARNs) do not try: one of A's
 * managed policies, access keys or MFA devices used with B's own user, group or role; A's
 * registered resource in B's own decisions and searches; a built-in policy A attached.
 */
export function extraRows(accountB: string): readonly ExtraRow[] {
  const bAdminArn = `arn:aws:iam::${accountB}:user/${B_ADMIN}`;
  const bRoleArn = `arn:aws:iam::${accountB}:role/${B_ROLE}`;
  return [
    // A's managed policy on B's principals: AWS attaches only the account's own or AWS managed policies.
    extraMutation('attachUserPolicy', "A's policy to B's user", 'refused', () => ({ userName: B_ADMIN, policyArn: POLICY })),
    extraMutation('attachGroupPolicy', "A's policy to B's group", 'refused', () => ({ groupName: B_GROUP, policyArn: POLICY })),
    extraMutation('attachRolePolicy', "A's policy to B's role", 'refused', () => ({ roleName: B_ROLE, policyArn: POLICY })),
    extraMutation('putUserPermissionsBoundary', "A's policy as B's user's boundary", 'refused', () => ({ userName: B_ADMIN, permissionsBoundary: POLICY })),
    extraMutation('putRolePermissionsBoundary', "A's policy as B's role's boundary", 'refused', () => ({ roleName: B_ROLE, permissionsBoundary: POLICY })),
    extraMutation('createUser', "with A's policy as boundary", 'refused', () => ({ userName: 'b-bounded', permissionsBoundary: POLICY })),
    extraMutation('createRole', "with A's policy as boundary", 'refused', () => ({ roleName: 'b-bounded', assumeRolePolicyDocument: TRUST_DOC, permissionsBoundary: POLICY })),
    // A's access keys and MFA devices, the user defaulting to the caller.
    extraMutation('updateAccessKey', "A's key, no user named", 'refused', (fx) => ({ accessKeyId: fx.keepKeyId, status: 'INACTIVE' })),
    extraMutation('deleteAccessKey', "A's key, no user named", 'refused', (fx) => ({ accessKeyId: fx.spareKeyId })),
    extraMutation('enableMFADevice', "A's device, no user named", 'refused', () => ({ serialNumber: iam('mfa/t/spare'), authenticationCode1: '000000', authenticationCode2: '000001' })),
    extraMutation('deactivateMFADevice', "A's device, no user named", 'refused', (fx) => ({ serialNumber: fx.targetMfaSerial })),
    // Session policies: "the policies must exist in the same account" as the user or the role.
    extraMutation('getFederationToken', "A's policy as session policy", 'refused', () => ({ name: 'iso', durationSeconds: 900, policyArns: [POLICY] })),
    extraMutation('assumeRole', "B's role with A's policy as session policy", 'refused', () => ({ roleArn: bRoleArn, roleSessionName: 'iso', policyArns: [POLICY] })),
    {
      field: 'Query.generateServiceLastAccessedDetails',
      label: "A's managed policy",
      isolation: 'refused',
      query: `query { generateServiceLastAccessedDetails(input: { arn: "${POLICY}" }) { __typename } }`,
    },
    // B's own questions about A's registered resource: A's resource policy and registry stay A's.
    {
      field: 'Mutation.authorize',
      label: "B's own decision on A's registered resource",
      isolation: 'scoped',
      query: `mutation { authorize(input: { action: "s3:ListBucket", resourceArn: "${BUCKET}" }) { __typename } }`,
      // The RESOURCE layer's outcome, but none of A's statements (matched or near misses).
      check: (data) => (JSON.stringify(data).includes('"sourcePolicyType":"RESOURCE"') ? [`B sees A's resource policy statements: ${JSON.stringify(data).slice(0, 400)}`] : []),
    },
    {
      field: 'Query.simulateCustomPolicy',
      label: "A's user as caller, A's resource",
      isolation: 'scoped',
      query: `query { simulateCustomPolicy(input: { policyInputList: [${JSON.stringify(ALLOW_S3)}], actionNames: ["s3:ListBucket"], resourceArns: ["${BUCKET}"], callerArn: "${USER}" }) { __typename } }`,
    },
    {
      field: 'Query.whatCanResources',
      label: "B's own principal",
      isolation: 'scoped',
      query: `query { whatCanResources(input: { principalArn: "${bAdminArn}", action: "s3:ListBucket", serviceName: "s3" }) { __typename } }`,
    },
    { field: 'Query.whoCan', label: "A's registered resource", isolation: 'scoped', query: `query { whoCan(input: { action: "s3:ListBucket", resourceArn: "${BUCKET}" }) { __typename } }` },
    // A's resource ARN is taken (as an S3 bucket name is): B can neither take it over nor change it.
    extraMutation('registerResource', "A's resource", 'scoped', () => ({ resourceArn: BUCKET, resourcePolicy: RESOURCE_DOC })),
    extraMutation('importResources', "A's resource", 'scoped', () => ({ resources: [{ resourceArn: BUCKET, tags: [{ key: 'owner', value: 'b' }] }] })),
    // An imported document naming A's policy (attached, as boundary): it imports into B and uses nothing of A.
    extraMutation('importAccountAuthorizationDetails', "naming A's policy", 'scoped', () => ({
      document: JSON.stringify({
        UserDetailList: [
          { Path: '/', UserName: 'b-imported', GroupList: [], AttachedManagedPolicies: [{ PolicyName: 'Managed', PolicyArn: POLICY }], PermissionsBoundary: { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: POLICY } },
        ],
        GroupDetailList: [],
        RoleDetailList: [],
        Policies: [],
      }),
    })),
    // Custom services are each account's own (the AWS catalog fills the default page, so ask for custom ones).
    { field: 'Query.services', label: 'custom only', isolation: 'scoped', query: 'query { services(origin: CUSTOM) { __typename } }' },
    // A built-in policy is global; who it is attached to is each account's own.
    {
      field: 'Query.policies',
      label: 'built-in, only attached',
      isolation: 'scoped',
      query: 'query { policies(scope: AWS, onlyAttached: true) { __typename } }',
      check: (data) => (data['policies']?.edges?.length === 0 ? [] : [`B sees attached built-in policies: ${JSON.stringify(data['policies']?.edges?.map((e: any) => e.node.arn))}`]),
    },
    {
      field: 'Query.policy',
      label: 'built-in, attached in A',
      isolation: 'scoped',
      query: `query { policy(policyArn: "${BUILT_IN}") { __typename } }`,
      check: (data) => (data['policy']?.attachmentCount === 0 ? [] : [`B counts A's attachments: ${data['policy']?.attachmentCount}`]),
    },
  ];
}
