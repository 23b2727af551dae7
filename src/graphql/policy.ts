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
import type { PolicyEntity } from '../iam/policy-entities.ts';
import { builder } from './builder.ts';
import { WriteSuccessInterface } from './errors.ts';
import { pageArgs, pageConnection } from './connection.ts';
import { orNull, requireForField, requireInAccount } from './directory-guard.ts';
import { validatePathPrefix } from '../iam/validation.ts';
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

/** A user, group or role that uses a policy (ListEntitiesForPolicy). */
const PolicyEntityRef = builder.objectRef<PolicyEntity>('PolicyEntity').implement({
  description: 'A user, group or role that uses a managed policy.',
  fields: (t) => ({
    entityType: t.string({
      description: '`User`, `Group` or `Role`.',
      resolve: (e) => (e.kind === 'user' ? 'User' : e.kind === 'group' ? 'Group' : 'Role'),
    }),
    name: t.exposeString('name'),
    uniqueId: t.exposeString('id', { description: 'AIDA…, AGPA… or AROA….' }),
    arn: t.exposeString('arn'),
  }),
});

/** A page of the entities that use a policy. */
const PolicyEntityConnection = builder.connectionObject({ type: PolicyEntityRef, name: 'PolicyEntityConnection' });

builder.node(ManagedPolicyRef, {
  description: 'A managed policy: built-in (`arn:aws:iam::aws:policy/…`, readable and attachable in every account) or owned by the account.',
  id: { resolve: (p) => p.arn },
  loadMany: async (arns, context) =>
    Promise.all(
      arns.map(async (arn) => {
        const { caller, policy } = await requireOnPolicy(context, 'iam:GetPolicy', arn);
        if (policy !== undefined) return policy;
        try {
          return await getPolicy(context.database.db, caller.accountId, arn);
        } catch (error) {
          if (error instanceof NoSuchEntityError || error instanceof ValidationError) return null;
          throw error;
        }
      }),
    ),
  fields: (t) => ({
    arn: t.exposeString('arn'),
    policyId: t.exposeString('id', { description: 'The stable unique id, ANPA….' }),
    name: t.exposeString('name', { description: 'The policy name (PolicyName).' }),
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
    createDate: t.string({ description: 'ISO 8601.', resolve: (p) => p.createdAt.toISOString() }),
    updateDate: t.string({
      description: 'ISO 8601; moves when a version is added or the default changes.',
      resolve: (p) => p.updatedAt.toISOString(),
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
      type: PolicyEntityConnection,
      nullable: true,
      description:
        "The account's groups, roles and users that use the policy (ListEntitiesForPolicy), by kind then name, one page at a time " +
        '(`first` 1-1000, default 100; `after` an earlier cursor).',
      args: {
        ...pageArgs,
        entityFilter: t.arg({ type: EntityFilterEnum }),
        pathPrefix: t.arg.string({ description: 'Only entities whose path starts with this; default `/`.' }),
        policyUsageFilter: t.arg({ type: PolicyUsageEnum, description: 'Default PERMISSIONS_POLICY (attachments).' }),
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
        return pageConnection(page);
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
      scope: t.arg({ type: PolicyScopeEnum, description: 'Default ALL.' }),
      onlyAttached: t.arg.boolean({ description: "Only policies attached to a user, group or role of the caller's account." }),
      pathPrefix: t.arg.string({ description: 'Only policies whose path starts with this, e.g. `/team/`; default `/`.' }),
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
  fields: (t) => ({
    policyName: t.string({ required: true, description: '1-128 characters of `[A-Za-z0-9_+=,.@-]`; unique in the account, any case.' }),
    path: t.string({ description: 'Default `/`; `/` or `/a/b/`.' }),
    policyDocument: t.string({ required: true, description: 'The policy JSON; at most 6,144 characters without white space.' }),
    description: t.string({ description: 'At most 1,000 characters; cannot be changed later.' }),
    tags: t.field({ type: [TagInputRef], description: 'At most 50.' }),
  }),
});
const DeletePolicyInput = builder.inputType('DeletePolicyInput', { fields: (t) => ({ policyArn: t.string({ required: true }) }) });

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
