import { builder } from './builder.ts';

// Query.node and Query.nodes: refetch any object implementing `Node` by its global id. The relay
// plugin groups the ids by type and calls each type's `loadMany` (user.ts, group.ts, role.ts,
// policy.ts, policy-version.ts, inline-policy.ts, credentials.ts, mfa.ts, oidc.ts), which loads
// the objects in one batch through the request's DataLoaders and checks each with the same action
// as the read that shows it (node-guard.ts): a refused object is null with ACCESS_DENIED at its own path.
builder.queryFields((t) => ({
  node: t.node({
    description:
      'The object with this global id, or null if there is none. Checked as the read that shows it (GetUser, GetPolicyVersion, ListAccessKeys, …): refused, it is null with an ACCESS_DENIED error at this path.',
    args: { id: t.arg.id({ required: true, description: 'A global id from an `id` field.' }) },
    id: (_root, args) => args.id,
  }),
  nodes: t.nodeList({
    description:
      'The objects with these global ids, in the same order; null for each id with no object, and for each refused one (with an ACCESS_DENIED error at its index).',
    args: { ids: t.arg.idList({ required: true, description: 'Global ids from `id` fields.' }) },
    ids: (_root, args) => args.ids,
  }),
}));
