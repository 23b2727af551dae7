/**
 * An account's authorization details out and in: accountAuthorizationDetails (GetAccountAuthorizationDetails,
 * iam:GetAccountAuthorizationDetails on `*`) returns AWS's document as JSON text, one page at a
 * time; importAccountAuthorizationDetails (Portcullis's iam:ImportAccountAuthorizationDetails on
 * `*`) creates what such a document holds, all or nothing. Documents over the HTTP body limit go
 * through POST /import/account-authorization-details instead (src/server), which calls the same command.
 */
import { EntityAlreadyExistsError, LimitExceededError, MalformedPolicyDocumentError, ValidationError } from '../errors.ts';
import type { WriteResult } from '../changes/outbox.ts';
import { AUTHORIZATION_ENTITY_TYPES, type AuthorizationDetails, type AuthorizationEntityType } from '../iam/authorization-details/document.ts';
import { getAccountAuthorizationDetails } from '../iam/authorization-details/export.ts';
import { importAccountAuthorizationDetails, type AuthorizationImportOutcome, type ReplacedId } from '../iam/authorization-details/import.ts';
import type { SkippedElement } from '../iam/authorization-details/import-plan.ts';
import { builder } from './builder.ts';
import { WriteSuccessInterface } from './errors.ts';
import { resultErrors } from './mutation-result.ts';

/** `LocalManagedPolicy` → `LOCAL_MANAGED_POLICY`, `AWSManagedPolicy` → `AWS_MANAGED_POLICY`. */
const upperSnake = (name: string): string => name.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();

const EntityFilterEnum = builder.enumType('AuthorizationDetailsEntityType', {
  description: "What accountAuthorizationDetails' `filter` may ask for (AWS EntityType).",
  values: Object.fromEntries(AUTHORIZATION_ENTITY_TYPES.map((t) => [upperSnake(t), { value: t, description: `AWS \`${t}\`.` }])) as Record<
    string,
    { value: AuthorizationEntityType; description: string }
  >,
});

const DetailsRef = builder.objectRef<AuthorizationDetails>('AccountAuthorizationDetails').implement({
  description: 'One page of GetAccountAuthorizationDetails.',
  fields: (t) => ({
    document: t.string({
      description:
        "The page as AWS's JSON document, as `aws iam get-account-authorization-details` prints it: UserDetailList, GroupDetailList, RoleDetailList, Policies (policy documents as JSON objects), IsTruncated and Marker.",
      resolve: (d) => JSON.stringify(d),
    }),
    isTruncated: t.exposeBoolean('IsTruncated', { description: 'Whether more follows: ask again with `marker`.' }),
    marker: t.string({ nullable: true, description: 'Pass as `marker` for the next page; null on the last.', resolve: (d) => d.Marker ?? null }),
    userCount: t.int({ resolve: (d) => d.UserDetailList.length }),
    groupCount: t.int({ resolve: (d) => d.GroupDetailList.length }),
    roleCount: t.int({ resolve: (d) => d.RoleDetailList.length }),
    policyCount: t.int({ resolve: (d) => d.Policies.length }),
  }),
});

const ReplacedIdRef = builder.objectRef<ReplacedId>('ReplacedId').implement({
  description: "An id the document gave an entity and the one it has here (ids are never reused across accounts).",
  fields: (t) => ({
    path: t.exposeString('path', { description: 'JSON path of the id in the document, e.g. `$.UserDetailList[0].UserId`.' }),
    previousId: t.exposeString('previousId'),
    newId: t.exposeString('newId'),
  }),
});

const SkippedRef = builder.objectRef<SkippedElement>('SkippedImportElement').implement({
  description: 'Something the document holds that the import did not create (instance profiles, service-linked roles, AWS managed policies not built in here, last-used data).',
  fields: (t) => ({
    path: t.exposeString('path', { description: 'JSON path of the element.' }),
    reason: t.exposeString('reason'),
  }),
});

const ImportSuccess = builder.objectRef<WriteResult<AuthorizationImportOutcome>>('ImportAccountAuthorizationDetailsSuccess').implement({
  description: 'Everything the document held was created in one transaction, recorded as one change-log batch.',
  interfaces: [WriteSuccessInterface],
  fields: (t) => ({
    users: t.int({ resolve: (s) => s.result.users }),
    groups: t.int({ resolve: (s) => s.result.groups }),
    roles: t.int({ resolve: (s) => s.result.roles }),
    policies: t.int({ description: 'Customer managed policies created.', resolve: (s) => s.result.policies }),
    policyVersions: t.int({ resolve: (s) => s.result.policyVersions }),
    inlinePolicies: t.int({ resolve: (s) => s.result.inlinePolicies }),
    attachments: t.int({ resolve: (s) => s.result.attachments }),
    memberships: t.int({ resolve: (s) => s.result.memberships }),
    sourceAccountId: t.string({ nullable: true, description: "The account the document's ARNs named; new ARNs carry the caller's account instead.", resolve: (s) => s.result.sourceAccountId }),
    replacedIds: t.field({ type: [ReplacedIdRef], description: 'Every id replaced by a new one.', resolve: (s) => [...s.result.replacedIds] }),
    skipped: t.field({ type: [SkippedRef], resolve: (s) => [...s.result.skipped] }),
  }),
});

const ImportInput = builder.inputType('ImportAccountAuthorizationDetailsInput', {
  description: 'What importAccountAuthorizationDetails reads: one GetAccountAuthorizationDetails document (all its pages merged).',
  fields: (t) => ({
    document: t.string({
      required: true,
      description: 'The output of `aws iam get-account-authorization-details` (JSON text; policy documents as objects or URL-encoded text). Larger than the request body limit: POST it to /import/account-authorization-details.',
    }),
  }),
});

builder.queryFields((t) => ({
  accountAuthorizationDetails: t.field({
    type: DetailsRef,
    description: "GetAccountAuthorizationDetails: the account's users, groups, roles and managed policies with their relationships, in AWS's shape, a page of `maxItems` (1-1000, default 100) entities at a time.",
    args: {
      filter: t.arg({ type: [EntityFilterEnum], description: 'Entity types to include; all when omitted.' }),
      maxItems: t.arg.int(),
      marker: t.arg.string(),
    },
    resolve: async (_root, args, context) => {
      const caller = await context.guard.require('iam:GetAccountAuthorizationDetails', '*');
      return getAccountAuthorizationDetails(context.database.db, caller.accountId, { filter: args.filter ?? null, maxItems: args.maxItems ?? null, marker: args.marker ?? null });
    },
  }),
}));

builder.mutationFields((t) => ({
  importAccountAuthorizationDetails: t.field({
    type: ImportSuccess,
    description:
      'Creates the users, groups, roles, customer managed policies (every version), inline policies, memberships, attachments, boundaries and tags of a GetAccountAuthorizationDetails document, in one transaction: all or nothing. A bad element is refused naming its JSON path.',
    args: { input: t.arg({ type: ImportInput, required: true }) },
    errors: resultErrors('ImportAccountAuthorizationDetails', [ValidationError, MalformedPolicyDocumentError, LimitExceededError, EntityAlreadyExistsError]),
    resolve: async (_root, { input }, context) => {
      const caller = await context.guard.require('iam:ImportAccountAuthorizationDetails', '*');
      return importAccountAuthorizationDetails(context.database, caller, input.document);
    },
  }),
}));
