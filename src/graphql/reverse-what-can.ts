/**
 * *What can* a principal do, on the wire: `whatCanActions` (the catalog actions of a resource's
 * service it would be allowed on that resource) and `whatCanResources` (the registered resources
 * on which it would be allowed an action). Relay connections over the full sorted answers of
 * src/authz/reverse, like `whoCan` (reverse.ts).
 */
import type { WhatCanActionEntry, WhatCanResourceEntry } from '../authz/reverse/reverse-queries.ts';
import { getResources } from '../iam/resource-reads.ts';
import type { RegisteredResourceRow } from '../iam/resources.ts';
import { builder } from './builder.ts';
import type { GraphQLContext } from './context.ts';
import { ContextEntryInputRef, DecisionRef } from './decision.ts';
import { RegisteredResourceRef } from './resources.ts';
import { inputContext, reverseConnection, reverseConnectionType, reversePageArgs, type ReverseConnection, type ReverseEdge } from './reverse.ts';

const PRINCIPAL = 'User, role, assumed-role session or root ARN of the caller\'s account whose policies are asked about (`iam:Authorize` on it).';

/** One action allowed. */
const WhatCanActionsEdgeRef = builder.objectRef<ReverseEdge<WhatCanActionEntry>>('WhatCanActionsEdge').implement({
  description: 'A catalog action the principal would be allowed on the resource, with the decision `authorize` gives it.',
  fields: (t) => ({
    cursor: t.exposeString('cursor', { description: 'Pass as `after` to continue after this action.' }),
    node: t.string({ description: 'The action, `service:Action` as the catalog spells it.', resolve: (e) => e.item.action }),
    decision: t.field({ type: DecisionRef, description: 'The decision `authorize` gives for this action (ALLOWED), explained.', resolve: (e) => e.item.decision }),
  }),
});

const WhatCanActionsConnectionRef = reverseConnectionType('WhatCanActionsConnection', WhatCanActionsEdgeRef, 'actions', 'action name');

/** One registered resource on which the action is allowed; `row` is its stored form once the page has loaded it. */
type ResourceEdge = ReverseEdge<WhatCanResourceEntry> & { readonly row: RegisteredResourceRow | null };

const WhatCanResourcesEdgeRef = builder.objectRef<ResourceEdge>('WhatCanResourcesEdge').implement({
  description: 'A registered resource on which the principal would be allowed the action, with the decision `authorize` gives it.',
  fields: (t) => ({
    cursor: t.exposeString('cursor', { description: 'Pass as `after` to continue after this resource.' }),
    node: t.field({
      type: RegisteredResourceRef,
      nullable: true,
      description: 'The registered resource (its tags and stored policy); null when it was deregistered since the answer was computed.',
      resolve: (e) => e.row,
    }),
    resourceArn: t.string({ description: 'The resource ARN.', resolve: (e) => e.item.resource.arn }),
    decision: t.field({ type: DecisionRef, description: 'The decision `authorize` gives for the resource (ALLOWED), explained.', resolve: (e) => e.item.decision }),
  }),
});

const WhatCanResourcesConnectionRef = reverseConnectionType('WhatCanResourcesConnection', WhatCanResourcesEdgeRef, 'resources', 'ARN');

const WhatCanActionsInputRef = builder.inputType('WhatCanActionsInput', {
  description: 'Which actions of the catalog may `principalArn` perform on `resourceArn`, in this context?',
  fields: (t) => ({
    principalArn: t.string({ required: true, description: PRINCIPAL }),
    resourceArn: t.string({
      required: true,
      description:
        "The resource ARN; its service (an AWS service or one of the account's own) gives the actions, those that take the resource's type (every action of the service when it fits none). A registered resource brings its stored policy and tags.",
    }),
    contextEntries: t.field({ type: [ContextEntryInputRef], description: 'Request context values, as `authorize` takes them.' }),
    minRevision: t.string({ description: 'Answer only from state that reflects at least this revision (as returned by a write).' }),
  }),
});

const WhatCanResourcesInputRef = builder.inputType('WhatCanResourcesInput', {
  description: 'On which registered resources (of a service, a type, an ARN prefix) may `principalArn` perform `action`, in this context?',
  fields: (t) => ({
    principalArn: t.string({ required: true, description: PRINCIPAL }),
    action: t.string({ required: true, description: '`service:Action`, e.g. `s3:GetObject`.' }),
    serviceName: t.string({ description: 'Only resources of this service prefix.' }),
    resourceType: t.string({ description: 'Only resources of this catalog resource type (any case).' }),
    arnPrefix: t.string({ description: 'Only resources whose ARN starts with this text.' }),
    contextEntries: t.field({ type: [ContextEntryInputRef], description: 'Request context values, as `authorize` takes them; each resource adds its tags as `aws:ResourceTag/<key>`.' }),
    minRevision: t.string({ description: 'Answer only from state that reflects at least this revision (as returned by a write).' }),
  }),
});

/** The page's stored resources in one statement, so each edge's node is at hand. */
async function withRows(context: GraphQLContext, page: ReverseConnection<WhatCanResourceEntry>): Promise<ReverseConnection<WhatCanResourceEntry>> {
  const accountId = context.guard.caller?.accountId ?? '';
  const rows = await getResources(context.database.db, accountId, page.edges.map((e) => e.item.resource.arn));
  return { ...page, edges: page.edges.map((e): ResourceEdge => ({ ...e, row: rows.get(e.item.resource.arn) ?? null })) };
}

builder.queryFields((t) => ({
  whatCanActions: t.field({
    type: WhatCanActionsConnectionRef,
    description:
      "The catalog actions of the resource's service that `authorize` would allow `principalArn` on `resourceArn` in the given context, sorted by name, " +
      'each with its decision. Action `iam:Authorize` on the principal ARN.',
    args: { input: t.arg({ type: WhatCanActionsInputRef, required: true, description: 'The question: principal, resource, context.' }), ...reversePageArgs },
    resolve: async (_root, { input, first, after }, context) => {
      const answer = await context.authz.reverse.whatCanActions(context.authz.guard, {
        principalArn: input.principalArn,
        resourceArn: input.resourceArn,
        context: inputContext(input.contextEntries),
        minRevision: input.minRevision ?? null,
      });
      return reverseConnection(answer, (e) => e.action, { first, after });
    },
  }),
  whatCanResources: t.field({
    type: WhatCanResourcesConnectionRef,
    description:
      "The caller's account's registered resources (filtered by service, type or ARN prefix) on which `authorize` would allow `principalArn` the `action` " +
      'in the given context (with each resource\'s stored policy and tags), sorted by ARN, each with its decision. Actions `iam:Authorize` on the principal ARN and `iam:ListResources` on `*`.',
    args: { input: t.arg({ type: WhatCanResourcesInputRef, required: true, description: 'The question: principal, action, which resources, context.' }), ...reversePageArgs },
    resolve: async (_root, { input, first, after }, context) => {
      const answer = await context.authz.reverse.whatCanResources(context.authz.guard, {
        principalArn: input.principalArn,
        action: input.action,
        serviceName: input.serviceName ?? null,
        resourceType: input.resourceType ?? null,
        arnPrefix: input.arnPrefix ?? null,
        context: inputContext(input.contextEntries),
        minRevision: input.minRevision ?? null,
      });
      return withRows(context, reverseConnection(answer, (e) => e.resource.arn, { first, after }));
    },
  }),
}));
