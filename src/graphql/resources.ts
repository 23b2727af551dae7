/**
 * The resource registry on the wire: the RegisteredResource node, `resource(resourceArn)` and
 * `resources(...)`, and registerResource, putResourcePolicy, deleteResourcePolicy, tagResource,
 * untagResource, deregisterResource and importResources. Each is authorized as
 * `iam:<PascalCase name>` (queries: iam:GetResource, iam:ListResources) on the resource's ARN
 * (every ARN of an import; `*` for the list), then calls src/iam.
 */
import type { WriteResult } from '../changes/outbox.ts';
import { EntityAlreadyExistsError, LimitExceededError, MalformedPolicyDocumentError, NoSuchEntityError, ValidationError } from '../errors.ts';
import { importResources, type ImportOutcome } from '../iam/resource-import.ts';
import { getResource, getResources, listResources } from '../iam/resource-reads.ts';
import {
  deleteResourcePolicy,
  deregisterResource,
  putResourcePolicy,
  registerResource,
  tagResource,
  untagResource,
  type RegisteredResourceRow,
  type ResourceWrite,
} from '../iam/resources.ts';
import { quotaLimit } from '../iam/quotas.ts';
import { builder, type PothosTypes } from './builder.ts';
import { pageArgs, pageConnection } from './connection.ts';
import { orNull } from './directory-guard.ts';
import { PolicyFindingRef } from './error-types.ts';
import { WriteSuccessInterface } from './errors.ts';
import { entitySuccess, resultErrors } from './mutation-result.ts';
import { loadGuardedNodes } from './node-guard.ts';
import { TagInputRef, TagRef } from './tag.ts';

export const RegisteredResourceRef = builder.objectRef<RegisteredResourceRow>('RegisteredResource');

builder.node(RegisteredResourceRef, {
  description:
    "A resource registered with the account (registerResource): decisions about its ARN that bring no resource policy use its stored policy, its tags as `aws:ResourceTag/<key>` and its account as the resource owner.",
  // An ARN is registered once in the deployment and never changes.
  id: { resolve: (r) => r.arn },
  loadMany: (ids, context) =>
    loadGuardedNodes(
      context,
      'iam:GetResource',
      ids,
      async (caller) => {
        const found = await getResources(context.database.db, caller.accountId, ids);
        return ids.map((id) => found.get(id) ?? null);
      },
      async (resource, _caller, arn) => {
        // As resource(resourceArn) shows it: decided on the ARN asked for, whether or not it exists.
        await context.guard.require('iam:GetResource', arn);
        return resource;
      },
    ),
  fields: (t) => ({
    resourceArn: t.exposeString('arn', { description: 'The ARN, as registered.' }),
    serviceName: t.exposeString('service', { description: 'The service prefix (`s3`, or a custom service of the account).' }),
    resourceType: t.exposeString('resourceType', { description: "The catalog resource type whose ARN format the ARN fits (`bucket`, `object`, …)." }),
    tags: t.field({ type: [TagRef], description: 'Its tags (at most 50), seen by decisions as `aws:ResourceTag/<key>`.', resolve: (r) => r.tags }),
    resourcePolicy: t.exposeString('policyDocument', { nullable: true, description: 'The resource-based policy JSON as written; null when it has none.' }),
    createDate: t.field({ type: 'DateTime', description: 'When it was registered.', resolve: (r) => r.createdAt }),
    updateDate: t.field({ type: 'DateTime', description: 'When its policy, tags or type last changed.', resolve: (r) => r.updatedAt }),
  }),
});

const RegisteredResourceConnectionRef = builder.connectionObject({
  type: RegisteredResourceRef,
  name: 'RegisteredResourceConnection',
  description: "A page of the account's registered resources, in ARN order.",
});

/** The fields of one resource, shared by registerResource's input and each item of an import. */
const resourceFields = (t: PothosSchemaTypes.InputFieldBuilder<PothosSchemaTypes.ExtendDefaultTypes<PothosTypes>, 'InputObject'>) => ({
  resourceArn: t.string({ required: true, description: 'The ARN, at most 2,048 characters, no wildcards.' }),
  resourceType: t.string({ description: 'The catalog resource type (`bucket`); omitted: the one whose ARN format fits. Given, the ARN must fit it.' }),
  tags: t.field({ type: [TagInputRef], description: 'At most 50; keys not `aws:`-prefixed.' }),
  resourcePolicy: t.string({ description: 'A resource-based policy (with `Principal`), at most 20,480 characters without white space.' }),
});

const ResourceInput = builder.inputType('ResourceInput', {
  description:
    "One resource to import: its ARN (of a service in the account's catalog, fitting one of its resource types' ARN formats; the account segment empty or the caller's own), optionally the resource type, tags and a resource-based policy.",
  fields: resourceFields,
});
const RegisterResourceInput = builder.inputType('RegisterResourceInput', {
  description:
    "What registerResource needs: one resource of the caller's account. Authorized by iam:RegisterResource on its ARN. EntityAlreadyExists when the ARN is registered (by any account); ValidationError naming the field when the ARN's service is unknown or the ARN fits none of its resource types; MalformedPolicyDocument or LimitExceeded for a bad or oversized policy.",
  fields: resourceFields,
});
const PutResourcePolicyInput = builder.inputType('PutResourcePolicyInput', {
  description: "What putResourcePolicy needs: a registered resource's ARN and its new resource-based policy. Authorized by iam:PutResourcePolicy on the ARN.",
  fields: (t) => ({
    resourceArn: t.string({ required: true, description: 'A resource of the caller\'s account.' }),
    policyDocument: t.string({ required: true, description: 'A resource-based policy (with `Principal`), at most 20,480 characters without white space.' }),
  }),
});
const ResourceArnInput = (name: string, action: string, what: string) =>
  builder.inputType(name, {
    description: `What ${action} needs: a registered resource's ARN. Authorized by iam:${action.charAt(0).toUpperCase()}${action.slice(1)} on it. ${what}`,
    fields: (t) => ({ resourceArn: t.string({ required: true, description: "A resource of the caller's account." }) }),
  });
const DeleteResourcePolicyInput = ResourceArnInput('DeleteResourcePolicyInput', 'deleteResourcePolicy', 'A resource without a policy is left as it is.');
const DeregisterResourceInput = ResourceArnInput('DeregisterResourceInput', 'deregisterResource', 'Decisions about the ARN stop using its policy and tags.');
const TagResourceInput = builder.inputType('TagResourceInput', {
  description: 'What tagResource needs: a registered resource and tags to add or overwrite (keys compared case-insensitively; at most 50 on the resource). Authorized by iam:TagResource on its ARN.',
  fields: (t) => ({
    resourceArn: t.string({ required: true, description: "A resource of the caller's account." }),
    tags: t.field({ type: [TagInputRef], required: true, description: 'At most 50.' }),
  }),
});
const UntagResourceInput = builder.inputType('UntagResourceInput', {
  description: 'What untagResource needs: a registered resource and the tag keys to remove (absent keys are ignored). Authorized by iam:UntagResource on its ARN.',
  fields: (t) => ({
    resourceArn: t.string({ required: true, description: "A resource of the caller's account." }),
    tagKeys: t.stringList({ required: true, description: 'At most 50 keys.' }),
  }),
});
const ImportResourcesInput = builder.inputType('ImportResourcesInput', {
  description: `What importResources needs: 1 to ${quotaLimit('ResourcesPerImport')} resources, registered (or, when the account already has them, replaced) all at once or not at all. Authorized by iam:ImportResources on every ARN. The first bad resource refuses the call, naming \`input.resources[i]\`.`,
  fields: (t) => ({
    resources: t.field({ type: [ResourceInput], required: true, description: `1 to ${quotaLimit('ResourcesPerImport')} resources, each ARN once.` }),
  }),
});

/** A write's success that carries the resource and its policy's findings. */
function resourceWriteSuccess(name: string, description: string) {
  return builder.objectRef<WriteResult<ResourceWrite>>(`${name}Success`).implement({
    interfaces: [WriteSuccessInterface],
    description,
    fields: (t) => ({
      resource: t.field({ type: RegisteredResourceRef, description: 'The resource as stored.', resolve: (s) => s.result.resource }),
      findings: t.field({
        type: [PolicyFindingRef],
        description: 'Non-error findings about the resource policy (warnings, suggestions); empty without one.',
        resolve: (s) => [...s.result.findings],
      }),
    }),
  });
}
const RegisterResourceSuccess = resourceWriteSuccess('RegisterResource', 'The registered resource.');
const PutResourcePolicySuccess = resourceWriteSuccess('PutResourcePolicy', 'The resource with its new policy.');
const DeleteResourcePolicySuccess = entitySuccess('DeleteResourcePolicy', 'resource', RegisteredResourceRef, 'The resource without its policy.');
const TagResourceSuccess = entitySuccess('TagResource', 'resource', RegisteredResourceRef, 'The resource with its tags after the change.');
const UntagResourceSuccess = entitySuccess('UntagResource', 'resource', RegisteredResourceRef, 'The resource with its tags after the change.');
const DeregisterResourceSuccess = entitySuccess('DeregisterResource', 'resource', RegisteredResourceRef, 'The resource as it was.');
const ImportResourcesSuccess = builder.objectRef<WriteResult<ImportOutcome>>('ImportResourcesSuccess').implement({
  interfaces: [WriteSuccessInterface],
  description: 'What an import did; every resource is in the change log as RESOURCES_IMPORTED at the revision.',
  fields: (t) => ({
    registeredCount: t.int({ description: 'Resources that were not registered before.', resolve: (s) => s.result.registered }),
    updatedCount: t.int({ description: 'Resources the account already had, replaced by the imported tags, type and policy.', resolve: (s) => s.result.updated }),
  }),
});

builder.queryFields((t) => ({
  resource: t.field({
    type: RegisteredResourceRef,
    nullable: true,
    description: "A registered resource of the caller's account by ARN (iam:GetResource on the ARN); null when there is none.",
    args: { resourceArn: t.arg.string({ required: true, description: 'The ARN.' }) },
    resolve: async (_root, { resourceArn }, context) => {
      const caller = await context.guard.require('iam:GetResource', resourceArn);
      return orNull(getResource(context.database.db, caller.accountId, resourceArn));
    },
  }),
  resources: t.field({
    type: RegisteredResourceConnectionRef,
    nullable: true,
    description: "The caller's account's registered resources in ARN order (iam:ListResources on `*`), optionally of one service, resource type or ARN prefix.",
    args: {
      ...pageArgs,
      serviceName: t.arg.string({ description: 'Only this service prefix (`s3`).' }),
      resourceType: t.arg.string({ description: 'Only this resource type (`bucket`), any case.' }),
      arnPrefix: t.arg.string({ description: 'Only ARNs starting with this text (`arn:aws:s3:::reports-`).' }),
    },
    resolve: async (_root, args, context) => {
      const caller = await context.guard.require('iam:ListResources', '*');
      const page = await listResources(context.database.db, caller.accountId, args, { first: args.first, after: args.after });
      return pageConnection(page);
    },
  }),
}));

builder.mutationFields((t) => ({
  registerResource: t.field({
    type: RegisterResourceSuccess,
    description: "registerResource: adds a resource of the caller's account to the registry.",
    args: { input: t.arg({ type: RegisterResourceInput, required: true }) },
    errors: resultErrors('RegisterResource', [ValidationError, EntityAlreadyExistsError, LimitExceededError, MalformedPolicyDocumentError]),
    resolve: async (_root, { input }, context) => {
      const caller = await context.guard.require('iam:RegisterResource', input.resourceArn);
      return registerResource(context.database, caller, input);
    },
  }),
  putResourcePolicy: t.field({
    type: PutResourcePolicySuccess,
    description: "putResourcePolicy: sets (replaces) a registered resource's resource-based policy.",
    args: { input: t.arg({ type: PutResourcePolicyInput, required: true }) },
    errors: resultErrors('PutResourcePolicy', [ValidationError, NoSuchEntityError, LimitExceededError, MalformedPolicyDocumentError]),
    resolve: async (_root, { input }, context) => {
      const caller = await context.guard.require('iam:PutResourcePolicy', input.resourceArn);
      return putResourcePolicy(context.database, caller, input);
    },
  }),
  deleteResourcePolicy: t.field({
    type: DeleteResourcePolicySuccess,
    description: "deleteResourcePolicy: removes a registered resource's resource-based policy.",
    args: { input: t.arg({ type: DeleteResourcePolicyInput, required: true }) },
    errors: resultErrors('DeleteResourcePolicy', [ValidationError, NoSuchEntityError]),
    resolve: async (_root, { input }, context) => {
      const caller = await context.guard.require('iam:DeleteResourcePolicy', input.resourceArn);
      return deleteResourcePolicy(context.database, caller, input);
    },
  }),
  tagResource: t.field({
    type: TagResourceSuccess,
    description: 'tagResource: adds or overwrites tags on a registered resource.',
    args: { input: t.arg({ type: TagResourceInput, required: true }) },
    errors: resultErrors('TagResource', [ValidationError, NoSuchEntityError, LimitExceededError]),
    resolve: async (_root, { input }, context) => {
      const caller = await context.guard.require('iam:TagResource', input.resourceArn);
      return tagResource(context.database, caller, input);
    },
  }),
  untagResource: t.field({
    type: UntagResourceSuccess,
    description: 'untagResource: removes tags by key from a registered resource.',
    args: { input: t.arg({ type: UntagResourceInput, required: true }) },
    errors: resultErrors('UntagResource', [ValidationError, NoSuchEntityError]),
    resolve: async (_root, { input }, context) => {
      const caller = await context.guard.require('iam:UntagResource', input.resourceArn);
      return untagResource(context.database, caller, input);
    },
  }),
  deregisterResource: t.field({
    type: DeregisterResourceSuccess,
    description: 'deregisterResource: removes a resource from the registry.',
    args: { input: t.arg({ type: DeregisterResourceInput, required: true }) },
    errors: resultErrors('DeregisterResource', [ValidationError, NoSuchEntityError]),
    resolve: async (_root, { input }, context) => {
      const caller = await context.guard.require('iam:DeregisterResource', input.resourceArn);
      return deregisterResource(context.database, caller, input);
    },
  }),
  importResources: t.field({
    type: ImportResourcesSuccess,
    description: `importResources: registers or replaces up to ${quotaLimit('ResourcesPerImport')} resources of the caller's account in one transaction, all or nothing.`,
    args: { input: t.arg({ type: ImportResourcesInput, required: true }) },
    errors: resultErrors('ImportResources', [ValidationError, EntityAlreadyExistsError, LimitExceededError, MalformedPolicyDocumentError]),
    resolve: async (_root, { input }, context) => {
      const items = input.resources;
      const max = quotaLimit('ResourcesPerImport');
      // Authorized on every ARN (the guard decides from the caller's loaded set), but never on more than one call may hold.
      let caller = await context.guard.require('iam:ImportResources', items[0]?.resourceArn ?? '*');
      if (items.length <= max) for (const item of items.slice(1)) caller = await context.guard.require('iam:ImportResources', item.resourceArn);
      return importResources(context.database, caller, input);
    },
  }),
}));
