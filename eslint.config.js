/**
 * Lints the printed GraphQL schema (schema/schema.graphql) with graphql-eslint's schema rules:
 * `npm run lint:schema`, part of `npm test`. It lints nothing else: the TypeScript is checked by
 * `tsc` and dependency-cruiser, and the console's operations by graphql-codegen (`npm run codegen`).
 *
 * Every schema rule of graphql-eslint 4.4 is listed below, on or off, and each one that is off or
 * configured down from the plugin's own preset says why beside it. Operation rules (the ones for
 * documents) do not apply to an SDL file and are not listed.
 */
import graphqlPlugin from '@graphql-eslint/eslint-plugin';

const SCHEMA = 'schema/schema.graphql';

/** The schema rules, by the name they have under the `@graphql-eslint/` prefix. */
const schemaRules = {
  // Names: PascalCase types, camelCase fields and arguments, UPPER_CASE enum values, no `get`
  // or `query` prefix on queries, no `Type`/`Enum`/`Union`/`Interface` affixes on type names.
  'naming-convention': [
    'error',
    {
      types: 'PascalCase',
      FieldDefinition: 'camelCase',
      InputValueDefinition: 'camelCase',
      Argument: 'camelCase',
      DirectiveDefinition: 'camelCase',
      EnumValueDefinition: 'UPPER_CASE',
      'FieldDefinition[parent.name.value=Query]': { forbiddenPrefixes: ['query', 'get'], forbiddenSuffixes: ['Query'] },
      'FieldDefinition[parent.name.value=Mutation]': { forbiddenPrefixes: ['mutation'], forbiddenSuffixes: ['Mutation'] },
      'FieldDefinition[parent.name.value=Subscription]': { forbiddenPrefixes: ['subscription'], forbiddenSuffixes: ['Subscription'] },
      'EnumTypeDefinition,EnumTypeExtension': { forbiddenPrefixes: ['Enum'], forbiddenSuffixes: ['Enum'] },
      'InterfaceTypeDefinition,InterfaceTypeExtension': { forbiddenPrefixes: ['Interface'], forbiddenSuffixes: ['Interface'] },
      'UnionTypeDefinition,UnionTypeExtension': { forbiddenPrefixes: ['Union'], forbiddenSuffixes: ['Union'] },
      'ObjectTypeDefinition,ObjectTypeExtension': { forbiddenPrefixes: ['Type'], forbiddenSuffixes: ['Type'] },
    },
  ],
  // A refusal or request-level failure nulls only the root field concerned, never the response.
  'require-nullable-result-in-root': 'error',
  // Every entity a client may cache carries `id: ID!` (a Relay global id). Excepted by name:
  // values that no client keys on their own, each group with its reason.
  'strict-id-in-types': [
    'error',
    {
      acceptedIdNames: ['id'],
      acceptedIdTypes: ['ID'],
      exceptions: {
        // A mutation's payload holds entities and a revision; Relay plumbing.
        suffixes: ['Success', 'Connection', 'Edge'],
        types: [
          'PageInfo',
          // Answers, identified by the question asked and the revision they reflect.
          ...['Decision', 'DecisionChange', 'EvaluationResult', 'SimulationPage', 'ChangeLogPage', 'MatchedStatement', 'NearMiss', 'LayerEvaluation'],
          ...['PolicyFinding', 'Position'],
          // Reverse answers (who can, what can): identified by the question and the revision they reflect.
          'DecidingStatement',
          // Escalation paths: answers identified by the principal and the revision they reflect.
          ...['EscalationPath', 'EscalationPaths', 'EscalationStep', 'EscalationSummary', 'EscalationTechniqueCount', 'PrincipalEscalation'],
          // The explanation an AccessDenied carries, with its parts: read only in the error that
          // holds them, never refetched on their own.
          ...['DenialExplanation', 'DenialNearMiss', 'DenialStatement'],
          // Change-log entries and server facts: identified by `revision` or unique per server.
          ...['ChangeEvent', 'ServerInfo', 'ServiceStatus', 'CallerIdentity'],
          // Account-wide answers (credential report, context keys, authorization details and an
          // import's replaced ids and skipped elements): one per question, never refetched by id.
          ...['CredentialReport', 'ContextKeys', 'AccountAuthorizationDetails', 'ReplacedId', 'SkippedImportElement'],
          // The members of the ChangeDetails union: a change-log entry's typed payload, read only
          // through its ChangeEvent (identified by `revision`), not entities a client caches.
          ...['UserChangeDetails', 'GroupChangeDetails', 'RoleChangeDetails', 'PolicyChangeDetails', 'AccessKeyChangeDetails', 'TagChangeDetails'],
          ...['PolicyAttachmentDetails', 'PolicyVersionDetails', 'GroupMembershipDetails', 'PermissionsBoundaryDetails', 'InlinePolicyDetails'],
          // Parts of their owner, read only through it (no identity of their own in AWS either).
          ...['Tag', 'AccessKeyLastUsed', 'AccountSummary', 'AccountSummaryEntry', 'AttachedPolicy', 'PasswordPolicy'],
          // Usage reports (access advisor, policy generation, live findings updates) and their parts:
          // answers computed when asked, identified by the question (a job id, a principal and window).
          ...['GenerateServiceLastAccessedDetailsResponse', 'GetServiceLastAccessedDetailsResponse', 'GetServiceLastAccessedDetailsWithEntitiesResponse'],
          ...['ServiceLastAccessed', 'TrackedActionLastAccessed', 'AccessAdvisorEntityDetails', 'AccessAdvisorEntityInfo', 'AccessAdvisorJobError'],
          ...['GeneratedPolicy', 'GeneratedPolicyAccessPreview', 'PolicyWidening', 'UnusedAccessFindingsUpdate', 'UnusedAction'],
          // Parts of a catalog Service, read only through it (the Service and its actions are Nodes).
          ...['ActionResourceRequirement', 'ResourceTypeDefinition', 'ConditionKeyDefinition'],
          // Handed out once by STS and never cached.
          ...['Credentials', 'AssumedRoleUser', 'FederatedUser'],
          // The typed errors of result unions (they implement the error interface).
          ...['AccessDenied', 'DeleteConflict', 'EntityAlreadyExists', 'ExpiredToken', 'IDPCommunicationError', 'InvalidIdentityToken'],
          ...['LimitExceeded', 'MFADeviceLocked', 'MFARequired', 'MalformedPolicyDocument', 'NoSuchEntity', 'PasswordExpired'],
          ...['PasswordResetRequired', 'SignInFailed', 'SignInThrottled', 'ValidationError', 'IDPRejectedClaim', 'ConstraintViolation'],
          // AWS Organizations: a page of a List* answer (its items are identified by their AWS ids;
          // pages because Relay edges must hold Nodes), and a policy type's status, part of the root.
          ...['OrganizationAccountPage', 'OrganizationalUnitPage', 'OrganizationChildPage', 'OrganizationPolicyPage', 'OrganizationPolicyTargetPage'],
          'OrganizationPolicyTypeSummary',
          // Console sign-in through an identity provider: its typed errors, and a role of the chooser (read only in it).
          ...['FederatedSignInFailed', 'RoleChoiceRequired', 'SignInRole'],
          // Identified by its `arn`, as AWS names it; not yet a Relay Node as OpenIDConnectProvider is.
          'SAMLProvider',
        ],
      },
    },
  ],
  // Descriptions on every type, field of Query/Mutation/Subscription and directive.
  'require-description': ['error', { types: true, rootField: true, DirectiveDefinition: true }],
  // Block descriptions ("""…""") as graphql-js prints them.
  'description-style': ['error', { style: 'block' }],
  'no-hashtag-description': 'error',
  'require-deprecation-reason': 'error',
  // Off: fields keep AWS's names (`User.userName`, `Group.groupId`, `AccessKey.accessKeyId`), which
  // repeat the type's name; clients match them to the AWS API, and the issue keeps them.
  'no-typename-prefix': 'off',
  'no-unreachable-types': 'error',
  'unique-enum-value-names': 'error',
  // Relay: connections, edges and PageInfo shaped as the Connections spec says.
  'relay-connection-types': 'error',
  'relay-page-info': 'error',
  // Configured down: `listTypeCanWrapOnlyEdgeType` would forbid every plain list of objects
  // (`[Tag!]!`, `[PolicyFinding!]!`); the issue asks for connections only where lists are
  // unbounded, and the short fixed lists stay lists.
  'relay-edge-types': ['error', { withEdgeSuffix: true, shouldImplementNode: true, listTypeCanWrapOnlyEdgeType: false }],
  // Configured down: forward pagination only (`first`/`after`), as AWS's List* calls page; the
  // console walks back with the cursors it already saw. `before`/`last` would be unused surface.
  'relay-arguments': ['error', { includeBoth: false }],
  // Mutations take one `input: <Name>Input!` argument named after the mutation (the type name
  // PascalCase), except authorizeBatch (see `inputNameExceptAuthorizeBatch`).
  'input-name': ['error', { checkInputType: true, caseSensitiveInputType: false, checkQueries: false, checkMutations: true }],
  // Mutations return `<Name>Result` unions, never a bare scalar.
  'no-scalar-result-type-on-mutation': 'error',

  // graphql-js validation of the SDL itself (the plugin's schema-recommended set).
  'known-argument-names': 'error',
  'known-directives': 'error',
  'known-type-names': 'error',
  'lone-schema-definition': 'error',
  'possible-type-extension': 'error',
  'provided-required-arguments': 'error',
  'unique-directive-names': 'error',
  'unique-directive-names-per-location': 'error',
  'unique-field-definition-names': 'error',
  'unique-operation-types': 'error',
  'unique-type-names': 'error',

  // Off, each for its reason:
  // The SDL is printed by graphql-js from the Pothos schema in definition order; sorting is a
  // printer's job, not a rule a code-first schema can follow field by field.
  'alphabetize': 'off',
  // Mutations and subscriptions are the product (directory writes, live decisions).
  'no-root-type': 'off',
  // Off: it asks every mutation result to carry a `query: Query` field. Results here are unions
  // (the rule inspects object results only), and clients re-read with the write's `revision` as
  // `minRevision`, which is the consistency contract.
  'require-field-of-type-query-in-mutation-result': 'off',
  // Off: deprecations carry a reason (rule above); the project keeps no removal-date policy.
  'require-deprecation-date': 'off',
  // Off: it reports schema fields that no operation in the repository selects; the schema serves
  // outside clients, so a field the console does not read is not dead.
  'no-unused-fields': 'off',
  // Off: no `@oneOf` input types in the schema (graphql 16 has no @oneOf).
  'require-nullable-fields-with-oneof': 'off',
  'require-type-pattern-with-oneof': 'off',
};

/**
 * graphql-eslint's input-name, minus its report on `Mutation.authorizeBatch(requests:)`: that
 * mutation asks many questions at once and takes the list of the same `AuthorizeInput` that
 * `authorize(input:)` takes (SPEC-21 keeps it). The rule has no per-field exception, and the
 * printed SDL carries no comments to disable it in place.
 */
const inputName = graphqlPlugin.rules['input-name'];
const inputNameExceptAuthorizeBatch = {
  ...inputName,
  create(context) {
    const listeners = inputName.create(context);
    const underAuthorizeBatch = (node) => {
      let field = node;
      while (field !== undefined && field.kind !== 'FieldDefinition') field = field.parent;
      return field?.name.value === 'authorizeBatch' && field.parent?.name.value === 'Mutation';
    };
    return Object.fromEntries(
      Object.entries(listeners).map(([selector, listener]) => [selector, (node) => (underAuthorizeBatch(node) ? undefined : listener(node))]),
    );
  },
};

export default [
  {
    files: [SCHEMA],
    languageOptions: {
      parser: graphqlPlugin.parser,
      parserOptions: { graphQLConfig: { schema: SCHEMA } },
    },
    plugins: { '@graphql-eslint': graphqlPlugin, portcullis: { rules: { 'input-name': inputNameExceptAuthorizeBatch } } },
    rules: Object.fromEntries(
      Object.entries(schemaRules).map(([name, setting]) => [name === 'input-name' ? `portcullis/${name}` : `@graphql-eslint/${name}`, setting]),
    ),
  },
];
