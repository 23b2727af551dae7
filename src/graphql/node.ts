import { builder } from './builder.ts';

// Query.node and Query.nodes: refetch any object implementing `Node` by its global id. The relay
// plugin groups the ids by type and calls each type's `loadMany` (user.ts, group.ts, role.ts,
// policy.ts), which checks the type's Get* action on each id and loads the objects (principals
// in one batch through the request's DataLoaders).
builder.queryFields((t) => ({
  node: t.node({
    description: 'The object with this global id, or null if there is none.',
    args: { id: t.arg.id({ required: true, description: 'A global id from an `id` field.' }) },
    id: (_root, args) => args.id,
  }),
  nodes: t.nodeList({
    description: 'The objects with these global ids, in the same order; null for each id with no object.',
    args: { ids: t.arg.idList({ required: true, description: 'Global ids from `id` fields.' }) },
    ids: (_root, args) => args.ids,
  }),
}));
