/**
 * The PolicyHolder interface: a user, group or role, the identities policies attach to. Lists
 * that mix the three kinds (`ManagedPolicy.entities`, `InlinePolicy.owner`) return it, so a client
 * reads what they share without a fragment per type and the kind from `__typename`.
 */
import { ID_PREFIXES } from '../iam/ids.ts';
import { AttachedPolicyRef } from './attachments.ts';
import { builder } from './builder.ts';
import { InlinePolicyRef } from './inline-policy.ts';
import { PolicyHolderRef } from './principal-refs.ts';

PolicyHolderRef.implement({
  description: 'A user, group or role: an identity that managed and inline policies attach to. Its own type names it (userName, groupName, roleName).',
  interfaces: [builder.nodeInterfaceRef()],
  // Rows carry no type name; their unique id's prefix says which kind they are.
  resolveType: (row) => (row.id.startsWith(ID_PREFIXES.group) ? 'Group' : row.id.startsWith(ID_PREFIXES.role) ? 'Role' : 'User'),
  fields: (t) => ({
    arn: t.string({ description: 'Its ARN, which includes its path and name.' }),
    path: t.string({ description: 'Its path, `/` or `/a/b/`.' }),
    // Nullable here: each type checks these fields (List*Policies on it), and a refusal nulls only the field.
    attachedPolicies: t.field({
      type: [AttachedPolicyRef],
      nullable: true,
      description: 'The managed policies attached to it, by name (ListAttached{User,Group,Role}Policies; at most ten).',
    }),
    inlinePolicies: t.field({
      type: [InlinePolicyRef],
      nullable: true,
      description: 'Its inline policies with their documents, by name (List{User,Group,Role}Policies and Get{User,Group,Role}Policy).',
    }),
  }),
});
