/**
 * Service and resource control policies on the wire: the OrganizationPolicy type (AWS PolicySummary
 * fields, its content and versions), the reads DescribePolicy, ListPolicies, ListPoliciesForTarget
 * and ListTargetsForPolicy, and the writes CreatePolicy, UpdatePolicy, DeletePolicy, AttachPolicy
 * and DetachPolicy. IAM already owns `createPolicy` & co. for managed policies, so these fields say
 * `organizationPolicy`; their actions are AWS Organizations' own (`organizations:CreatePolicy`, …).
 */
import type { WriteResult } from '../changes/outbox.ts';
import {
  ConstraintViolationError,
  DeleteConflictError,
  EntityAlreadyExistsError,
  LimitExceededError,
  MalformedPolicyDocumentError,
  NoSuchEntityError,
  ValidationError,
} from '../errors.ts';
import { listOrganizationPolicies, createOrganizationPolicy, deleteOrganizationPolicy, getOrganizationPolicy, organizationPolicyArn, updateOrganizationPolicy, type OrganizationPolicy, type WrittenOrganizationPolicy } from '../iam/organizations/policies.ts';
import {
  attachOrganizationPolicy,
  detachOrganizationPolicy,
  listPoliciesForTarget,
  listTargetsForPolicy,
  type PolicyAttachmentChange,
} from '../iam/organizations/policy-attachments.ts';
import type { Organization } from '../iam/organizations/tree.ts';
import { builder } from './builder.ts';
import type { GraphQLContext } from './context.ts';
import { pageArgs } from './connection.ts';
import { orNull } from './directory-guard.ts';
import { WriteSuccessInterface } from './errors.ts';
import { PolicyFindingRef } from './error-types.ts';
import { resultErrors } from './mutation-result.ts';
import {
  OrganizationPolicyPageRef,
  OrganizationPolicyRef,
  OrganizationPolicyTargetPageRef,
  OrganizationPolicyTargetRef,
  OrganizationPolicyTypeEnum,
  OrganizationPolicyVersionRef,
  type InOrganization,
} from './organization-refs.ts';
import { organizationPolicyResource, organizationTargetResource, requireOrganizations, type GuardedResource } from './organizations-guard.ts';
import { TagInputRef } from './tag.ts';

const TargetTypeEnum = builder.enumType('OrganizationTargetType', {
  description: 'What a policy is attached to (AWS TargetType).',
  values: { ROOT: {}, ORGANIZATIONAL_UNIT: {}, ACCOUNT: {} } as const,
});

OrganizationPolicyRef.implement({
  description: 'A service or resource control policy (AWS Policy: PolicySummary and Content), with its stored versions.',
  fields: (t) => ({
    id: t.id({ description: '`p-…`; AWS managed ones are `p-FullAWSAccess` and `p-RCPFullAWSAccess`.', resolve: (p) => p.row.id }),
    arn: t.string({ resolve: (p) => organizationPolicyArn(p.organization, p.row) }),
    name: t.string({ resolve: (p) => p.row.name }),
    description: t.string({ resolve: (p) => p.row.description }),
    type: t.field({ type: OrganizationPolicyTypeEnum, resolve: (p) => p.row.type }),
    awsManaged: t.boolean({ resolve: (p) => p.row.awsManaged }),
    version: t.int({ description: 'The version in force (1, 2, …).', resolve: (p) => p.row.currentVersion }),
    content: t.string({
      description: 'The policy document in force, JSON text as submitted.',
      resolve: async (p, _args, context) => (await context.loaders.organizations.content.load({ policyId: p.row.id, version: p.row.currentVersion })) ?? '',
    }),
    versions: t.field({
      type: [OrganizationPolicyVersionRef],
      description: 'Every content the policy has had, newest first.',
      resolve: (p, _args, context) => context.loaders.organizations.versions.load(p.row.id),
    }),
    createDate: t.field({ type: 'DateTime', resolve: (p) => p.row.createdAt }),
    updateDate: t.field({ type: 'DateTime', resolve: (p) => p.row.updatedAt }),
  }),
});

OrganizationPolicyVersionRef.implement({
  description: 'One stored content of an organization policy.',
  fields: (t) => ({
    id: t.id({ description: '`<policy id>/<version number>`.', resolve: (v) => `${v.policyId}/${v.versionNumber}` }),
    versionNumber: t.exposeInt('versionNumber'),
    content: t.exposeString('content'),
    createDate: t.field({ type: 'DateTime', resolve: (v) => v.createdAt }),
  }),
});

OrganizationPolicyTargetRef.implement({
  description: 'A root, OU or account a policy is attached to (AWS PolicyTargetSummary).',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The target id: `r-…`, `ou-…` or an account id.' }),
    targetId: t.exposeString('id', { description: "AWS's TargetId (the same as `id`)." }),
    arn: t.exposeString('arn'),
    name: t.exposeString('name'),
    type: t.field({ type: TargetTypeEnum, resolve: (target) => target.type }),
  }),
});

const inOrg = <T>(organization: InOrganization<T>['organization'], rows: readonly T[]) => rows.map((row) => ({ organization, row }));

builder.queryFields((t) => ({
  organizationPolicy: t.field({
    type: OrganizationPolicyRef,
    nullable: true,
    description: 'DescribePolicy: a policy of the organization or an AWS managed one; null when there is none of that id.',
    args: { policyId: t.arg.string({ required: true }) },
    resolve: async (_root, { policyId }, context) => {
      const { organization } = await requireOrganizations(context, 'organizations:DescribePolicy', async (o) => [await organizationPolicyResource(context, o, policyId)]);
      const row = await orNull(getOrganizationPolicy(context.database.db, organization, policyId, 'policyId'));
      return row === null ? null : { organization, row };
    },
  }),
  organizationPolicies: t.field({
    type: OrganizationPolicyPageRef,
    description: "ListPolicies: the organization's and AWS's policies of one type, by id.",
    args: { ...pageArgs, filter: t.arg({ type: OrganizationPolicyTypeEnum, required: true }) },
    resolve: async (_root, args, context) => {
      const { organization } = await requireOrganizations(context, 'organizations:ListPolicies', () => ['*'], { facts: { policyType: args.filter } });
      const page = await listOrganizationPolicies(context.database.db, organization, args.filter, args);
      return ({ ...page, items: inOrg(organization, page.items) });
    },
  }),
  organizationPoliciesForTarget: t.field({
    type: OrganizationPolicyPageRef,
    description: 'ListPoliciesForTarget: the policies of one type attached to the root, an OU or an account.',
    args: { ...pageArgs, targetId: t.arg.string({ required: true }), filter: t.arg({ type: OrganizationPolicyTypeEnum, required: true }) },
    resolve: async (_root, args, context) => {
      const { organization } = await requireOrganizations(context, 'organizations:ListPoliciesForTarget', async (o) => [await organizationTargetResource(context, o, args.targetId)], {
        facts: { policyType: args.filter },
      });
      const page = await listPoliciesForTarget(context.database.db, organization, args.targetId, args.filter, args);
      return ({ ...page, items: inOrg(organization, page.items) });
    },
  }),
  organizationPolicyTargets: t.field({
    type: OrganizationPolicyTargetPageRef,
    description: 'ListTargetsForPolicy: the roots, OUs and accounts a policy is attached to.',
    args: { ...pageArgs, policyId: t.arg.string({ required: true }) },
    resolve: async (_root, args, context) => {
      const { organization } = await requireOrganizations(context, 'organizations:ListTargetsForPolicy', async (o) => [await organizationPolicyResource(context, o, args.policyId)]);
      return listTargetsForPolicy(context.database.db, organization, args.policyId, args);
    },
  }),
}));

const CreateInput = builder.inputType('CreateOrganizationPolicyInput', {
  description:
    'What createOrganizationPolicy (AWS Organizations CreatePolicy) needs. Authorized by organizations:CreatePolicy on `*` (the new policy\'s id, hence its ARN, is drawn when it is created), with the tags as request tags. Content over 5,120 characters is LimitExceeded; an SCP with Principal or NotPrincipal, or an RCP that allows, names a Principal other than "*" or uses NotPrincipal, is MalformedPolicyDocument.',
  fields: (t) => ({
    content: t.string({ required: true, description: 'The policy document, JSON text, at most 5,120 characters (white space counts).' }),
    description: t.string({ description: 'At most 512 characters.' }),
    name: t.string({ required: true, description: '1-128 characters; unique per type in the organization.' }),
    type: t.field({ type: OrganizationPolicyTypeEnum, required: true }),
    tags: t.field({ type: [TagInputRef] }),
  }),
});
const UpdateInput = builder.inputType('UpdateOrganizationPolicyInput', {
  description: 'What updateOrganizationPolicy (UpdatePolicy) needs: the policy and any of a new name, description or content (a new version). AWS managed policies cannot change (ConstraintViolation).',
  fields: (t) => ({
    policyId: t.string({ required: true }),
    name: t.string(),
    description: t.string(),
    content: t.string(),
  }),
});
const PolicyIdInput = builder.inputType('DeleteOrganizationPolicyInput', {
  description: 'What deleteOrganizationPolicy (DeletePolicy) needs: a customer policy attached to nothing (else DeleteConflict, AWS PolicyInUseException).',
  fields: (t) => ({ policyId: t.string({ required: true }) }),
});
const AttachInput = builder.inputType('AttachOrganizationPolicyInput', {
  description: 'What attachOrganizationPolicy (AttachPolicy) needs: a policy and a root, OU or account id. Authorized on the policy\'s ARN and the target\'s; a sixth policy of a type on a target is LimitExceeded.',
  fields: (t) => ({ policyId: t.string({ required: true }), targetId: t.string({ required: true }) }),
});
const DetachInput = builder.inputType('DetachOrganizationPolicyInput', {
  description: 'What detachOrganizationPolicy (DetachPolicy) needs. Detaching the last policy of a type is allowed but warned about: everything below is then denied.',
  fields: (t) => ({ policyId: t.string({ required: true }), targetId: t.string({ required: true }) }),
});

/** `<Name>Success { policy, findings, revision }` for the writes that store content. */
function writtenPolicySuccess(name: string) {
  return builder.objectRef<WriteResult<WrittenOrganizationPolicy> & { organization: InOrganization<unknown>['organization'] }>(`${name}Success`).implement({
    interfaces: [WriteSuccessInterface],
    description: 'The policy as stored and the non-error findings about its content.',
    fields: (t) => ({
      policy: t.field({ type: OrganizationPolicyRef, resolve: (s) => ({ organization: s.organization, row: s.result.policy }) }),
      findings: t.field({ type: [PolicyFindingRef], resolve: (s) => [...s.result.findings] }),
    }),
  });
}
const CreateSuccess = writtenPolicySuccess('CreateOrganizationPolicy');
const UpdateSuccess = writtenPolicySuccess('UpdateOrganizationPolicy');
const DeleteSuccess = builder.objectRef<WriteResult<OrganizationPolicy> & { organization: InOrganization<unknown>['organization'] }>('DeleteOrganizationPolicySuccess').implement({
  interfaces: [WriteSuccessInterface],
  description: 'The policy as it was before deletion.',
  fields: (t) => ({ policy: t.field({ type: OrganizationPolicyRef, resolve: (s) => ({ organization: s.organization, row: s.result }) }) }),
});

/** `<Name>Success { policy, target, warnings, revision }` for attach and detach. */
function attachmentSuccess(name: string) {
  return builder.objectRef<WriteResult<PolicyAttachmentChange> & { organization: InOrganization<unknown>['organization'] }>(`${name}Success`).implement({
    interfaces: [WriteSuccessInterface],
    description: 'The policy, the target, and warnings (detaching the last policy of a type from a target denies everything below it).',
    fields: (t) => ({
      policy: t.field({ type: OrganizationPolicyRef, resolve: (s) => ({ organization: s.organization, row: s.result.policy }) }),
      target: t.field({ type: OrganizationPolicyTargetRef, resolve: (s) => s.result.target }),
      warnings: t.stringList({ resolve: (s) => [...s.result.warnings] }),
    }),
  });
}
const AttachSuccess = attachmentSuccess('AttachOrganizationPolicy');
const DetachSuccess = attachmentSuccess('DetachOrganizationPolicy');

const ATTACHMENT_ERRORS = [ValidationError, NoSuchEntityError, EntityAlreadyExistsError, LimitExceededError, ConstraintViolationError];

/**
 * What AttachPolicy and DetachPolicy are checked on: the policy (its tags) and the target (an
 * account's tags), each with the policy's type as organizations:PolicyType.
 */
async function attachmentResources(context: GraphQLContext, organization: Organization, input: { policyId: string; targetId: string }): Promise<GuardedResource[]> {
  const [policy, target] = await Promise.all([organizationPolicyResource(context, organization, input.policyId), organizationTargetResource(context, organization, input.targetId)]);
  return [policy, { arn: target.arn, facts: { ...target.facts, policyType: policy.facts?.policyType } }];
}

builder.mutationFields((t) => ({
  createOrganizationPolicy: t.field({
    type: CreateSuccess,
    description: 'CreatePolicy (AWS Organizations): a new SCP or RCP of the organization, version 1.',
    args: { input: t.arg({ type: CreateInput, required: true }) },
    errors: resultErrors('CreateOrganizationPolicy', [ValidationError, MalformedPolicyDocumentError, LimitExceededError, EntityAlreadyExistsError, NoSuchEntityError]),
    resolve: async (_root, { input }, context) => {
      const { caller, organization } = await requireOrganizations(context, 'organizations:CreatePolicy', () => ['*'], { facts: { requestTags: input.tags, policyType: input.type } });
      return { ...(await createOrganizationPolicy(context.database, caller, input)), organization };
    },
  }),
  updateOrganizationPolicy: t.field({
    type: UpdateSuccess,
    description: 'UpdatePolicy: a new name, description, or content (stored as the next version).',
    args: { input: t.arg({ type: UpdateInput, required: true }) },
    errors: resultErrors('UpdateOrganizationPolicy', [ValidationError, MalformedPolicyDocumentError, LimitExceededError, EntityAlreadyExistsError, NoSuchEntityError, ConstraintViolationError]),
    resolve: async (_root, { input }, context) => {
      const { caller, organization } = await requireOrganizations(context, 'organizations:UpdatePolicy', async (o) => [await organizationPolicyResource(context, o, input.policyId)]);
      return { ...(await updateOrganizationPolicy(context.database, caller, input)), organization };
    },
  }),
  deleteOrganizationPolicy: t.field({
    type: DeleteSuccess,
    description: 'DeletePolicy: a customer policy attached to nothing.',
    args: { input: t.arg({ type: PolicyIdInput, required: true }) },
    errors: resultErrors('DeleteOrganizationPolicy', [ValidationError, NoSuchEntityError, DeleteConflictError, ConstraintViolationError]),
    resolve: async (_root, { input }, context) => {
      const { caller, organization } = await requireOrganizations(context, 'organizations:DeletePolicy', async (o) => [await organizationPolicyResource(context, o, input.policyId)]);
      return { ...(await deleteOrganizationPolicy(context.database, caller, input.policyId)), organization };
    },
  }),
  attachOrganizationPolicy: t.field({
    type: AttachSuccess,
    description: 'AttachPolicy: a policy on the root, an OU or an account.',
    args: { input: t.arg({ type: AttachInput, required: true }) },
    errors: resultErrors('AttachOrganizationPolicy', ATTACHMENT_ERRORS),
    resolve: async (_root, { input }, context) => {
      const { caller, organization } = await requireOrganizations(context, 'organizations:AttachPolicy', (o) => attachmentResources(context, o, input));
      return { ...(await attachOrganizationPolicy(context.database, caller, input)), organization };
    },
  }),
  detachOrganizationPolicy: t.field({
    type: DetachSuccess,
    description: 'DetachPolicy: a policy from the root, an OU or an account; the success warns when none of its type is left there.',
    args: { input: t.arg({ type: DetachInput, required: true }) },
    errors: resultErrors('DetachOrganizationPolicy', ATTACHMENT_ERRORS),
    resolve: async (_root, { input }, context) => {
      const { caller, organization } = await requireOrganizations(context, 'organizations:DetachPolicy', (o) => attachmentResources(context, o, input));
      return { ...(await detachOrganizationPolicy(context.database, caller, input)), organization };
    },
  }),
}));
