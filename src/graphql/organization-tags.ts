/**
 * Tags of the organization's resources (AWS Organizations TagResource, UntagResource,
 * ListTagsForResource): `tags` on the root, OUs, accounts and policies, the query
 * `organizationResourceTags`, and the mutations `tagOrganizationResource` and
 * `untagOrganizationResource`. Each is authorized as its action on the resource's ARN, with the
 * resource's current tags as aws:ResourceTag/* and the request's as aws:RequestTag/* and aws:TagKeys.
 */
import type { WriteResult } from '../changes/outbox.ts';
import { LimitExceededError, NoSuchEntityError, ValidationError } from '../errors.ts';
import { getTaggedResource, tagOrganizationResource, untagOrganizationResource, type TaggedResource } from '../iam/organizations/tags.ts';
import { targetArn } from '../iam/organizations/tree.ts';
import type { Tag } from '../iam/tag-set.ts';
import { builder } from './builder.ts';
import type { GraphQLContext } from './context.ts';
import { WriteSuccessInterface } from './errors.ts';
import { resultErrors } from './mutation-result.ts';
import { OrganizationAccountRef, OrganizationalUnitRef, OrganizationPolicyRef, RootRef } from './organization-refs.ts';
import { organizationTaggableResource, policyResource, requireOrganizations, type GuardedResource } from './organizations-guard.ts';
import { TagInputRef, TagRef } from './tag.ts';

const TAGS_DESCRIPTION = 'Its tags (ListTagsForResource). Null, with ACCESS_DENIED at its path, without organizations:ListTagsForResource on it.';

/** A `tags` field: `tags`, which its parent row holds, once the caller may list them (ListTagsForResource) on `resource`. */
async function listedTags(context: GraphQLContext, resource: GuardedResource, tags: readonly Tag[]): Promise<readonly Tag[]> {
  await context.guard.require('organizations:ListTagsForResource', resource.arn, resource.facts);
  return tags;
}

builder.objectFields(RootRef, (t) => ({
  tags: t.field({
    type: [TagRef],
    nullable: true,
    description: TAGS_DESCRIPTION,
    resolve: (o, _args, context) => listedTags(context, { arn: targetArn(o, o.rootId), facts: { resourceTags: o.rootTags } }, o.rootTags),
  }),
}));
for (const ref of [OrganizationalUnitRef, OrganizationAccountRef] as const) {
  builder.objectFields(ref as typeof OrganizationAccountRef, (t) => ({
    tags: t.field({
      type: [TagRef],
      nullable: true,
      description: TAGS_DESCRIPTION,
      resolve: (r, _args, context) => listedTags(context, { arn: targetArn(r.organization, r.row.id), facts: { resourceTags: r.row.tags } }, r.row.tags),
    }),
  }));
}
builder.objectFields(OrganizationPolicyRef, (t) => ({
  tags: t.field({
    type: [TagRef],
    nullable: true,
    description: TAGS_DESCRIPTION,
    resolve: (p, _args, context) => listedTags(context, policyResource(p.organization, p.row), p.row.tags),
  }),
}));

const TaggedResourceRef = builder.objectRef<TaggedResource>('OrganizationTaggedResource').implement({
  description: 'A root, OU, account or policy of the organization and its tags.',
  fields: (t) => ({
    id: t.id({ description: 'The resource id (AWS ResourceId): `r-…`, `ou-…`, 12 digits or `p-…`.', resolve: (r) => r.resourceId }),
    type: t.string({ description: 'ROOT, ORGANIZATIONAL_UNIT, ACCOUNT or POLICY.', resolve: (r) => r.type }),
    arn: t.exposeString('arn'),
    tags: t.field({ type: [TagRef], resolve: (r) => [...r.tags] }),
  }),
});

const TagInput = builder.inputType('TagOrganizationResourceInput', {
  description:
    'What tagOrganizationResource (AWS Organizations TagResource) needs: the id of the root (`r-…`), an OU (`ou-…`), an account (12 digits) or a customer policy (`p-…`), and the tags to add or overwrite (keys compared case-insensitively; at most 50 per resource). Authorized by organizations:TagResource on its ARN, with its tags as aws:ResourceTag/<key> and the new ones as aws:RequestTag/<key> and aws:TagKeys.',
  fields: (t) => ({ resourceId: t.string({ required: true }), tags: t.field({ type: [TagInputRef], required: true }) }),
});
const UntagInput = builder.inputType('UntagOrganizationResourceInput', {
  description:
    'What untagOrganizationResource (UntagResource) needs: the resource id, as for tagOrganizationResource, and the keys to remove (any case; absent keys are ignored). Authorized by organizations:UntagResource on its ARN, with the keys as aws:TagKeys.',
  fields: (t) => ({ resourceId: t.string({ required: true }), tagKeys: t.stringList({ required: true }) }),
});

function taggedSuccess(name: string, description: string) {
  return builder.objectRef<WriteResult<TaggedResource>>(`${name}Success`).implement({
    interfaces: [WriteSuccessInterface],
    description,
    fields: (t) => ({ resource: t.field({ type: TaggedResourceRef, resolve: (s) => s.result }) }),
  });
}
const TagSuccess = taggedSuccess('TagOrganizationResource', 'The resource with its new tags.');
const UntagSuccess = taggedSuccess('UntagOrganizationResource', 'The resource with the tags removed.');

builder.queryFields((t) => ({
  organizationResourceTags: t.field({
    type: [TagRef],
    description: 'ListTagsForResource: the tags of the root, an OU, an account or a policy of the organization, in the order they were added.',
    args: { resourceId: t.arg.string({ required: true }) },
    resolve: async (_root, { resourceId }, context) => {
      const { organization } = await requireOrganizations(context, 'organizations:ListTagsForResource', async (o) => [await organizationTaggableResource(context, o, resourceId)]);
      return [...(await getTaggedResource(context.database.db, organization, resourceId, 'resourceId')).tags];
    },
  }),
}));

builder.mutationFields((t) => ({
  tagOrganizationResource: t.field({
    type: TagSuccess,
    description: 'TagResource (AWS Organizations): add or overwrite tags on the root, an OU, an account or a customer policy.',
    args: { input: t.arg({ type: TagInput, required: true }) },
    errors: resultErrors('TagOrganizationResource', [ValidationError, NoSuchEntityError, LimitExceededError]),
    resolve: async (_root, { input }, context) => {
      const { caller } = await requireOrganizations(context, 'organizations:TagResource', async (o) => [await organizationTaggableResource(context, o, input.resourceId)], {
        facts: { requestTags: input.tags },
      });
      return tagOrganizationResource(context.database, caller, input);
    },
  }),
  untagOrganizationResource: t.field({
    type: UntagSuccess,
    description: 'UntagResource (AWS Organizations): remove tags by key from the root, an OU, an account or a customer policy.',
    args: { input: t.arg({ type: UntagInput, required: true }) },
    errors: resultErrors('UntagOrganizationResource', [ValidationError, NoSuchEntityError]),
    resolve: async (_root, { input }, context) => {
      const { caller } = await requireOrganizations(context, 'organizations:UntagResource', async (o) => [await organizationTaggableResource(context, o, input.resourceId)], {
        facts: { tagKeys: input.tagKeys },
      });
      return untagOrganizationResource(context.database, caller, input);
    },
  }),
}));
