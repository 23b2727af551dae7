/**
 * Managed policies on the wire: the ManagedPolicy node, the `policy` and `policies` reads, and
 * CreatePolicy and DeletePolicy. Versions are in policy-version.ts, tags in entity-tags.ts. Every resolver authorizes itself
 * first (`iam:<Action>` on the policy's ARN); resolvers stay thin and call src/iam.
 */
import type { WriteResult } from '../changes/outbox.ts';
import {
  DeleteConflictError,
  EntityAlreadyExistsError,
  LimitExceededError,
  MalformedPolicyDocumentError,
  NoSuchEntityError,
  ValidationError,
} from '../errors.ts';
import {
  createPolicy,
  deletePolicy,
  getPolicy,
  listPolicies,
  policyArnOf,
  type CreatedPolicy,
  type ManagedPolicy,
  type PolicyVersion,
} from '../iam/policies.ts';
import { builder } from './builder.ts';
import { WriteSuccessInterface } from './errors.ts';
import { pageArgs, pageConnection } from './connection.ts';
import { orNull, requireForField, requireInAccount } from './directory-guard.ts';
import { validatePathPrefix } from '../iam/validation.ts';
import { loadGuardedNodes } from './node-guard.ts';
import { loadPrincipal } from './policy-principals.ts';
import { PolicyHolderRef } from './principal-refs.ts';
import { requireOnPolicy } from './policy-guard.ts';
import { PolicyFindingRef } from './error-types.ts';
import { entitySuccess, resultErrors } from './mutation-result.ts';
import { TagInputRef } from './tag.ts';

/** A managed policy (implemented below). */
export const ManagedPolicyRef = builder.objectRef<ManagedPolicy>('ManagedPolicy');

/** One immutable version of a managed policy (implemented in policy-version.ts). */
export const PolicyVersionRef = builder.objectRef<PolicyVersion>('PolicyVersion');

/** A page of managed policies. */
export const ManagedPolicyConnection = builder.connectionObject({ type: ManagedPolicyRef, name: 'ManagedPolicyConnection' });

/** Which policies `policies` lists. */
const PolicyScopeEnum = builder.enumType('PolicyScope', {
  description: 'Which managed policies to list, as ListPolicies `Scope`.',
  values: {
    ALL: { description: "Built-in and the account's own policies." },
    AWS: { description: 'Built-in policies only (`arn:aws:iam::aws:policy/…`).' },
    LOCAL: { description: "The account's own (customer managed) policies only." },
  } as const,
});

/** The principal kinds ListEntitiesForPolicy can filter by. */
const EntityFilterEnum = builder.enumType('PolicyEntityFilter', {
  description: 'Which kind of entity to list.',
  values: { USER: { value: 'user' }, GROUP: { value: 'group' }, ROLE: { value: 'role' } } as const,
});

/** How a policy is used by an entity. */
const PolicyUsageEnum = builder.enumType('PolicyUsageType', {
  description: 'How an entity uses a managed policy.',
  values: {
    PERMISSIONS_POLICY: { value: 'PermissionsPolicy', description: 'Attached as a permissions policy.' },
    PERMISSIONS_BOUNDARY: { value: 'PermissionsBoundary', description: 'Used as a permissions boundary.' },
  } as const,
});

/** A page of the users, groups and roles that use a policy (ListEntitiesForPolicy). */
const PolicyHolderConnection = builder.connectionObject({ type: PolicyHolderRef, name: 'PolicyHolderConnection' });

builder.node(ManagedPolicyRef, {
  description: 'A managed policy: built-in (`arn:aws:iam::aws:policy/…`, readable and attachable in every account) or owned by the account.',
  // Policies cannot be renamed or moved: the ARN is as stable as the unique id, and readable.
  id: { resolve: (p) => p.arn },
  loadMany: (arns, context) =>
    loadGuardedNodes(
      context,
      'iam:GetPolicy',
      arns,
      (caller) => context.loaders.policies.byArn.loadMany(arns.map((arn) => ({ accountId: caller.accountId, arn }))),
      async (policy, _caller, arn) => {
        // As policy(policyArn) shows it: decided on the ARN asked for, whether or not it exists.
        await context.guard.require('iam:GetPolicy', arn, { resourceTags: policy?.tags });
        return policy;
      },
    ),
  fields: (t) => ({
    arn: t.exposeString('arn'),
    policyId: t.exposeString('id', { description: 'The stable unique id, ANPA….' }),
    policyName: t.exposeString('name', { description: 'The policy name (PolicyName): unique in its account, any case.' }),
    path: t.exposeString('path'),
    // ListPolicies leaves out Description, Tags and PermissionsBoundaryUsageCount: GetPolicy's alone.
    description: t.string({
      nullable: true,
      description: 'Needs iam:GetPolicy on the policy.',
      resolve: async (p, _args, context) => {
        await requireForField(context, p.arn, 'iam:GetPolicy');
        return p.description;
      },
    }),
    isAttachable: t.exposeBoolean('isAttachable'),
    isBuiltIn: t.boolean({ description: 'True for built-in policies shared by every account.', resolve: (p) => p.accountId === null }),
    createDate: t.field({ type: 'DateTime', resolve: (p) => p.createdAt }),
    updateDate: t.field({
      type: 'DateTime',
      description: 'Moves when a version is added or the default changes.',
      resolve: (p) => p.updatedAt,
    }),
    defaultVersionId: t.string({
      description: 'The version in effect, e.g. `v1`.',
      resolve: async (p, _args, context) => (await context.loaders.policies.defaultVersion.load(p.id))?.versionId ?? '',
    }),
    defaultVersion: t.field({
      type: PolicyVersionRef,
      nullable: true,
      description: 'The version in effect, with its document (needs iam:GetPolicyVersion).',
      resolve: async (p, _args, context) => {
        await context.guard.require('iam:GetPolicyVersion', p.arn, { resourceTags: p.tags });
        return context.loaders.policies.defaultVersion.load(p.id);
      },
    }),
    versions: t.field({
      type: [PolicyVersionRef],
      nullable: true,
      description: 'Every stored version with its document, newest first (ListPolicyVersions and GetPolicyVersion; at most five).',
      resolve: async (p, _args, context) => {
        await context.guard.require('iam:ListPolicyVersions', p.arn, { resourceTags: p.tags });
        await context.guard.require('iam:GetPolicyVersion', p.arn, { resourceTags: p.tags });
        return context.loaders.policies.versions.load(p.id);
      },
    }),
    attachmentCount: t.int({
      description: "How many of the caller's account's users, groups and roles it is attached to.",
      resolve: async (p, _args, context) =>
        (await context.loaders.policies.usage.load({ accountId: context.guard.caller?.accountId ?? '', policy: p })).attachmentCount,
    }),
    permissionsBoundaryUsageCount: t.int({
      nullable: true,
      description: "How many of the caller's account's users and roles use it as permissions boundary. Needs iam:GetPolicy on the policy.",
      resolve: async (p, _args, context) => {
        await requireForField(context, p.arn, 'iam:GetPolicy');
        return (await context.loaders.policies.usage.load({ accountId: context.guard.caller?.accountId ?? '', policy: p })).permissionsBoundaryUsageCount;
      },
    }),
    entities: t.field({
      type: PolicyHolderConnection,
      nullable: true,
      description:
        "The account's groups, roles and users that use the policy (ListEntitiesForPolicy), by kind then name, one page at a time. " +
        'Null, with ACCESS_DENIED, without iam:ListEntitiesForPolicy on the policy.',
      args: {
        ...pageArgs,
        entityFilter: t.arg({ type: EntityFilterEnum, description: 'Only this kind of entity; omitted: every kind.' }),
        pathPrefix: t.arg.string({ defaultValue: '/', description: 'Only entities whose path starts with this; `/` lists all.' }),
        policyUsageFilter: t.arg({ type: PolicyUsageEnum, defaultValue: 'PermissionsPolicy', description: 'Attachments or permissions-boundary use.' }),
      },
      resolve: async (p, args, context) => {
        const pathPrefix = validatePathPrefix(args.pathPrefix);
        const caller = await context.guard.require('iam:ListEntitiesForPolicy', p.arn, { resourceTags: p.tags });
        const page = await context.loaders.policies.entities
          .load({
            accountId: caller.accountId,
            policy: p,
            entityFilter: args.entityFilter ?? null,
            pathPrefix,
            policyUsageFilter: args.policyUsageFilter ?? null,
            first: args.first,
            after: args.after,
          });
        // The page names each entity by id; its full row comes through the batched principal loaders
        // (one deleted in between is left out, with its cursor).
        const rows = await Promise.all(page.items.map((entity, i) => Promise.resolve(loadPrincipal(context, entity)).then((row) => ({ row, cursor: page.cursors[i]! }))));
        const found = rows.filter((r): r is { row: NonNullable<typeof r.row>; cursor: string } => r.row !== null);
        return pageConnection({ items: found.map((r) => r.row), cursors: found.map((r) => r.cursor), hasNextPage: page.hasNextPage });
      },
    }),
  }),
});

builder.queryFields((t) => ({
  policy: t.field({
    type: ManagedPolicyRef,
    nullable: true,
    description: 'A managed policy visible to the caller (GetPolicy): its own or built-in; null when there is none.',
    args: { policyArn: t.arg.string({ required: true }) },
    resolve: async (_root, { policyArn }, context) => {
      const { caller, policy } = await requireOnPolicy(context, 'iam:GetPolicy', policyArn);
      return policy ?? orNull(getPolicy(context.database.db, caller.accountId, policyArn, 'policyArn'));
    },
  }),
  policies: t.field({
    type: ManagedPolicyConnection,
    description: 'Managed policies visible to the caller (ListPolicies), by name.',
    args: {
      ...pageArgs,
      scope: t.arg({ type: PolicyScopeEnum, defaultValue: 'ALL' }),
      onlyAttached: t.arg.boolean({ defaultValue: false, description: "Only policies attached to a user, group or role of the caller's account." }),
      pathPrefix: t.arg.string({ defaultValue: '/', description: 'Only policies whose path starts with this, e.g. `/team/`; `/` lists all.' }),
    },
    resolve: async (_root, args, context) => {
      const prefix = validatePathPrefix(args.pathPrefix);
      // AWS lists iam:ListPolicies with no resource type: it is requested on `*`, whatever the path prefix.
      const caller = await context.guard.require('iam:ListPolicies', '*');
      const page = await listPolicies(context.database.db, caller.accountId, {
        scope: args.scope ?? 'ALL',
        onlyAttached: args.onlyAttached ?? false,
        pathPrefix: prefix,
        first: args.first,
        after: args.after,
      });
      return pageConnection(page);
    },
  }),
}));

const CreatePolicyInput = builder.inputType('CreatePolicyInput', {
  description:
    "What createPolicy (IAM CreatePolicy) needs: the new customer managed policy's name, path and document (stored as v1, the default), and optionally a description and tags. Authorized by iam:CreatePolicy on the ARN the policy will have, with the tags as request tags. An invalid document is a MalformedPolicyDocument with findings; LimitExceeded over the size or the account's policy quota.",
  fields: (t) => ({
    policyName: t.string({ required: true, description: '1-128 characters of `[A-Za-z0-9_+=,.@-]`; unique in the account, any case.' }),
    path: t.string({ defaultValue: '/', description: '`/` or `/a/b/`.' }),
    policyDocument: t.string({ required: true, description: 'The policy JSON; at most 6,144 characters without white space.' }),
    description: t.string({ description: 'At most 1,000 characters; cannot be changed later.' }),
    tags: t.field({ type: [TagInputRef], description: 'At most 50.' }),
  }),
});
const DeletePolicyInput = builder.inputType('DeletePolicyInput', {
  description:
    'What deletePolicy (IAM DeletePolicy) needs: the ARN of a customer managed policy (built-in policies are a ValidationError). Authorized by iam:DeletePolicy on that ARN; DeleteConflict while it is attached anywhere or used as a permissions boundary.',
  fields: (t) => ({ policyArn: t.string({ required: true }) }) });

const CreatePolicySuccess = builder.objectRef<WriteResult<CreatedPolicy>>('CreatePolicySuccess').implement({
  interfaces: [WriteSuccessInterface],
  description: 'The created policy (its v1 is the default) and what the validator noticed about the document.',
  fields: (t) => ({
    policy: t.field({ type: ManagedPolicyRef, resolve: (s) => s.result.policy }),
    findings: t.field({
      type: [PolicyFindingRef],
      description: 'Non-error findings about the document: security warnings, warnings and suggestions.',
      resolve: (s) => [...s.result.findings],
    }),
  }),
});
const DeletePolicySuccess = entitySuccess('DeletePolicy', 'policy', ManagedPolicyRef, 'The policy as it was before deletion.');

builder.mutationFields((t) => ({
  createPolicy: t.field({
    type: CreatePolicySuccess,
    description: "CreatePolicy: a customer managed policy in the caller's account, with the document as version v1.",
    args: { input: t.arg({ type: CreatePolicyInput, required: true }) },
    errors: resultErrors('CreatePolicy', [ValidationError, EntityAlreadyExistsError, LimitExceededError, MalformedPolicyDocumentError]),
    resolve: async (_root, { input }, context) => {
      const caller = await requireInAccount(context, 'iam:CreatePolicy', (accountId) => policyArnOf(accountId, input.path ?? '/', input.policyName), {
        requestTags: input.tags,
      });
      return createPolicy(context.database, caller, input);
    },
  }),
  deletePolicy: t.field({
    type: DeletePolicySuccess,
    description: 'DeletePolicy: delete a customer managed policy and all its versions; it must be attached nowhere and be no boundary.',
    args: { input: t.arg({ type: DeletePolicyInput, required: true }) },
    errors: resultErrors('DeletePolicy', [ValidationError, NoSuchEntityError, DeleteConflictError]),
    resolve: async (_root, { input }, context) => {
      const { caller, policy } = await requireOnPolicy(context, 'iam:DeletePolicy', input.policyArn);
      return deletePolicy(context.database, caller, input.policyArn, policy?.id);
    },
  }),
}));
