/**
 * `ChangeEvent.details`: the payloads of the common change kinds, typed, with references to the
 * entities they name while those still exist. A ChangeEvent is only ever delivered by a live
 * subscription, whose context outlives the policy set and loaders of its start: each reference is
 * read afresh and authorized on the subscriber's current policies, as the query that reads that
 * entity would be (a refusal nulls that reference only, with ACCESS_DENIED at its path).
 */
import type { RequestGuard } from '../authz/guard.ts';
import type { ChangeKind } from '../changes/change-kinds.ts';
import type { ChangeEvent } from '../changes/change.ts';
import type { ActionFacts } from '../authz/action-keys.ts';
import { getGroup, groupsByIds, type Group } from '../iam/groups.ts';
import { policiesByArns, type ManagedPolicy } from '../iam/policies.ts';
import { rolesByIds, type Role } from '../iam/roles.ts';
import { usersByIds, type User } from '../iam/users.ts';
import { NoSuchEntityError } from '../errors.ts';
import { builder } from './builder.ts';
import type { GraphQLContext } from './context.ts';
import { AccessKeyStatusEnum } from './credentials.ts';
import { factsOf } from './directory-guard.ts';
import { ManagedPolicyRef } from './policy.ts';
import { GroupRef, PolicyHolderRef, RoleRef, UserRef } from './principal-refs.ts';

/** A typed view of one event: which details type it is, over the event itself. */
interface Details {
  readonly type: DetailsType;
  readonly event: ChangeEvent;
}

type DetailsType = 'user' | 'group' | 'role' | 'policy' | 'attachment' | 'policyVersion' | 'membership' | 'tags' | 'boundary' | 'inlinePolicy' | 'accessKey';

/** Which details type each common kind has; the other kinds have none. */
const DETAILS_OF: Partial<Record<ChangeKind, DetailsType>> = {
  UserCreated: 'user',
  UserUpdated: 'user',
  UserDeleted: 'user',
  GroupCreated: 'group',
  GroupUpdated: 'group',
  GroupDeleted: 'group',
  RoleCreated: 'role',
  RoleUpdated: 'role',
  RoleDeleted: 'role',
  PolicyCreated: 'policy',
  PolicyDeleted: 'policy',
  PolicyAttached: 'attachment',
  PolicyDetached: 'attachment',
  PolicyVersionCreated: 'policyVersion',
  PolicyDefaultVersionSet: 'policyVersion',
  PolicyVersionDeleted: 'policyVersion',
  UserAddedToGroup: 'membership',
  UserRemovedFromGroup: 'membership',
  UserTagged: 'tags',
  UserUntagged: 'tags',
  RoleTagged: 'tags',
  RoleUntagged: 'tags',
  PolicyTagged: 'tags',
  PolicyUntagged: 'tags',
  PermissionsBoundarySet: 'boundary',
  PermissionsBoundaryDeleted: 'boundary',
  InlinePolicyPut: 'inlinePolicy',
  InlinePolicyDeleted: 'inlinePolicy',
  AccessKeyCreated: 'accessKey',
  AccessKeyStatusChanged: 'accessKey',
  AccessKeyDeleted: 'accessKey',
};

/** The typed details of `event`, or null for a kind without them. */
export function detailsOf(event: ChangeEvent): Details | null {
  const type = DETAILS_OF[event.kind];
  return type === undefined ? null : { type, event };
}

/** A payload field as text (payloads are JSON objects written by src/iam and src/sts). */
function text(d: Details, key: string): string | null {
  const value = d.event.payload[key];
  return typeof value === 'string' ? value : null;
}

/** A payload field every event of the kind carries (a row without it is a bug, reported as an internal error). */
function must(d: Details, key: string): string {
  const value = text(d, key);
  if (value === null) throw new Error(`change ${d.event.revision} (${d.event.kind}) has no ${key}`);
  return value;
}

/** The last segment of an ARN's resource: the entity's name. */
function nameOfArn(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

/** The subscriber's guard on its current policies (a subscription's own guard keeps the set it loaded at the start). */
function currentGuard(context: GraphQLContext): RequestGuard {
  return context.authz.runtime.forRequest(context.guard.caller, context.authz.facts).guard;
}

/** `row` once the subscriber may perform `action` on it now; null when there is no row. */
async function shown<T extends { readonly arn: string }>(context: GraphQLContext, row: T | undefined, action: string, facts: ActionFacts): Promise<T | null> {
  if (row === undefined) return null;
  await currentGuard(context).require(action, row.arn, facts);
  return row;
}

/** The affected principal of this event whose unique id has `prefix` (AIDA users, AGPA groups, AROA roles). */
function affectedId(d: Details, prefix: string): string | undefined {
  return d.event.affectedPrincipalIds.find((id) => id.startsWith(prefix));
}

async function userOf(d: Details, context: GraphQLContext): Promise<User | null> {
  const id = affectedId(d, 'AIDA');
  if (id === undefined || d.event.accountId === null) return null;
  const [user] = await usersByIds(context.database.db, d.event.accountId, [id]);
  return shown(context, user, 'iam:GetUser', user === undefined ? {} : factsOf(user));
}

async function groupOf(d: Details, context: GraphQLContext): Promise<Group | null> {
  const accountId = d.event.accountId;
  if (accountId === null) return null;
  const id = affectedId(d, 'AGPA');
  const db = context.database.db;
  if (id !== undefined) {
    const [group] = await groupsByIds(db, accountId, [id]);
    return shown(context, group, 'iam:GetGroup', {});
  }
  // A membership names the group by ARN only (its affected principal is the user): the group of
  // that name, if it still has that ARN.
  const group = await getGroup(db, accountId, nameOfArn(d.event.entityArn)).catch((error: unknown) => {
    if (error instanceof NoSuchEntityError) return undefined;
    throw error;
  });
  const same = group?.arn === d.event.entityArn ? group : undefined;
  return shown(context, same, 'iam:GetGroup', {});
}

async function roleOf(d: Details, context: GraphQLContext): Promise<Role | null> {
  const id = affectedId(d, 'AROA');
  if (id === undefined || d.event.accountId === null) return null;
  const [role] = await rolesByIds(context.database.db, d.event.accountId, [id]);
  return shown(context, role, 'iam:GetRole', role === undefined ? {} : factsOf(role));
}

async function policyOf(context: GraphQLContext, accountId: string | null, arn: string | null): Promise<ManagedPolicy | null> {
  if (arn === null || accountId === null) return null;
  const [policy] = await policiesByArns(context.database.db, accountId, [arn]);
  return shown(context, policy, 'iam:GetPolicy', { resourceTags: policy?.tags });
}

/** The user, group or role an event's `entityArn` names (an attachment's holder). */
function holderOf(d: Details, context: GraphQLContext): Promise<User | Group | Role | null> | null {
  const kind = /^arn:aws:iam::\d{12}:(user|group|role)\//.exec(d.event.entityArn)?.[1];
  if (kind === 'user') return userOf(d, context);
  if (kind === 'group') return groupOf(d, context);
  return kind === 'role' ? roleOf(d, context) : null;
}

/** The policy an event about a policy (or its versions, tags) names: its entity; else the payload's `policyArn`. */
function policyArnOf(d: Details): string | null {
  return d.event.entityType === 'policy' ? d.event.entityArn : text(d, 'policyArn');
}

const UserChangeDetailsRef = builder.objectRef<Details>('UserChangeDetails').implement({
  description: 'A user was created, renamed or moved, or deleted.',
  fields: (t) => ({
    userName: t.string({ description: 'Its name after the change.', resolve: (d) => text(d, 'userName') ?? nameOfArn(d.event.entityArn) }),
    path: t.string({ nullable: true, resolve: (d) => text(d, 'path') }),
    previousArn: t.string({ nullable: true, description: 'Its ARN before a rename or move; null otherwise.', resolve: (d) => text(d, 'oldArn') }),
    user: t.field({ type: UserRef, nullable: true, description: 'The user now (null once deleted).', resolve: (d, _args, context) => userOf(d, context) }),
  }),
});

const GroupChangeDetailsRef = builder.objectRef<Details>('GroupChangeDetails').implement({
  description: 'A group was created, renamed or moved, or deleted.',
  fields: (t) => ({
    groupName: t.string({ description: 'Its name after the change.', resolve: (d) => text(d, 'groupName') ?? nameOfArn(d.event.entityArn) }),
    path: t.string({ nullable: true, resolve: (d) => text(d, 'path') }),
    previousArn: t.string({ nullable: true, description: 'Its ARN before a rename or move; null otherwise.', resolve: (d) => text(d, 'oldArn') }),
    group: t.field({ type: GroupRef, nullable: true, description: 'The group now (null once deleted).', resolve: (d, _args, context) => groupOf(d, context) }),
  }),
});

const RoleChangeDetailsRef = builder.objectRef<Details>('RoleChangeDetails').implement({
  description: 'A role was created, updated or deleted.',
  fields: (t) => ({
    roleName: t.string({ resolve: (d) => text(d, 'roleName') ?? nameOfArn(d.event.entityArn) }),
    path: t.string({ nullable: true, description: 'Its path; null for an update, which cannot move it.', resolve: (d) => text(d, 'path') }),
    role: t.field({ type: RoleRef, nullable: true, description: 'The role now (null once deleted).', resolve: (d, _args, context) => roleOf(d, context) }),
  }),
});

const PolicyChangeDetailsRef = builder.objectRef<Details>('PolicyChangeDetails').implement({
  description: 'A customer managed policy was created or deleted.',
  fields: (t) => ({
    policyArn: t.string({ resolve: (d) => d.event.entityArn }),
    policyName: t.string({ resolve: (d) => text(d, 'policyName') ?? nameOfArn(d.event.entityArn) }),
    policy: t.field({ type: ManagedPolicyRef, nullable: true, description: 'The policy now (null once deleted).', resolve: (d, _args, context) => policyOf(context, d.event.accountId, d.event.entityArn) }),
  }),
});

const PolicyAttachmentDetailsRef = builder.objectRef<Details>('PolicyAttachmentDetails').implement({
  description: 'A managed policy was attached to or detached from the user, group or role `entityArn` names.',
  fields: (t) => ({
    policyArn: t.string({ resolve: (d) => must(d, 'policyArn') }),
    policy: t.field({ type: ManagedPolicyRef, nullable: true, description: 'The policy now (null once deleted).', resolve: (d, _args, context) => policyOf(context, d.event.accountId, text(d, 'policyArn')) }),
    holder: t.field({
      type: PolicyHolderRef,
      nullable: true,
      description: 'The user, group or role now (null once deleted).',
      resolve: (d, _args, context) => holderOf(d, context),
    }),
  }),
});

const PolicyVersionDetailsRef = builder.objectRef<Details>('PolicyVersionDetails').implement({
  description: "A managed policy's version was created, made the default, or deleted.",
  fields: (t) => ({
    policyArn: t.string({ resolve: (d) => d.event.entityArn }),
    versionId: t.string({ description: 'The version concerned, e.g. `v3`.', resolve: (d) => must(d, 'versionId') }),
    isDefaultVersion: t.boolean({
      description: 'Whether the change made this version the default (always false for a deletion).',
      resolve: (d) => d.event.kind === 'PolicyDefaultVersionSet' || (d.event.kind === 'PolicyVersionCreated' && d.event.payload['setAsDefault'] === true),
    }),
    policy: t.field({ type: ManagedPolicyRef, nullable: true, description: 'The policy now (null once deleted).', resolve: (d, _args, context) => policyOf(context, d.event.accountId, policyArnOf(d)) }),
  }),
});

const GroupMembershipDetailsRef = builder.objectRef<Details>('GroupMembershipDetails').implement({
  description: 'A user joined or left the group `entityArn` names.',
  fields: (t) => ({
    groupName: t.string({ resolve: (d) => text(d, 'groupName') ?? nameOfArn(d.event.entityArn) }),
    userName: t.string({ resolve: (d) => must(d, 'userName') }),
    userArn: t.string({ resolve: (d) => must(d, 'userArn') }),
    user: t.field({ type: UserRef, nullable: true, description: 'The user now (null once deleted).', resolve: (d, _args, context) => userOf(d, context) }),
    group: t.field({ type: GroupRef, nullable: true, description: 'The group now (null once deleted or renamed).', resolve: (d, _args, context) => groupOf(d, context) }),
  }),
});

const TagChangeDetailsRef = builder.objectRef<Details>('TagChangeDetails').implement({
  description: 'Tags of the user, role or policy `entityArn` names were added, changed or removed.',
  fields: (t) => ({
    tagKeys: t.stringList({
      description: 'The keys added or changed (…_TAGGED) or removed (…_UNTAGGED).',
      resolve: (d) => (Array.isArray(d.event.payload['tagKeys']) ? (d.event.payload['tagKeys'] as unknown[]).filter((k): k is string => typeof k === 'string') : []),
    }),
  }),
});

const PermissionsBoundaryDetailsRef = builder.objectRef<Details>('PermissionsBoundaryDetails').implement({
  description: 'The permissions boundary of the user or role `entityArn` names was set or removed.',
  fields: (t) => ({
    permissionsBoundaryArn: t.string({ nullable: true, description: 'The boundary now; null once removed.', resolve: (d) => text(d, 'permissionsBoundary') }),
    previousArn: t.string({ nullable: true, description: 'The boundary before; null when there was none.', resolve: (d) => text(d, 'previous') }),
  }),
});

const InlinePolicyDetailsRef = builder.objectRef<Details>('InlinePolicyDetails').implement({
  description: 'An inline policy of the user, group or role `entityArn` names was put or deleted.',
  fields: (t) => ({ policyName: t.string({ resolve: (d) => must(d, 'policyName') }) }),
});

const AccessKeyChangeDetailsRef = builder.objectRef<Details>('AccessKeyChangeDetails').implement({
  description: 'An access key of the user `entityArn` names was created, activated or deactivated, or deleted.',
  fields: (t) => ({
    accessKeyId: t.string({ resolve: (d) => must(d, 'accessKeyId') }),
    userName: t.string({ resolve: (d) => text(d, 'userName') ?? nameOfArn(d.event.entityArn) }),
    status: t.field({
      type: AccessKeyStatusEnum,
      nullable: true,
      description: 'Its status after the change; null once deleted.',
      resolve: (d) => (d.event.kind === 'AccessKeyCreated' ? 'Active' : d.event.kind === 'AccessKeyDeleted' ? null : (text(d, 'status') as 'Active' | 'Inactive' | null)),
    }),
  }),
});

const DETAILS_TYPES = {
  user: UserChangeDetailsRef,
  group: GroupChangeDetailsRef,
  role: RoleChangeDetailsRef,
  policy: PolicyChangeDetailsRef,
  attachment: PolicyAttachmentDetailsRef,
  policyVersion: PolicyVersionDetailsRef,
  membership: GroupMembershipDetailsRef,
  tags: TagChangeDetailsRef,
  boundary: PermissionsBoundaryDetailsRef,
  inlinePolicy: InlinePolicyDetailsRef,
  accessKey: AccessKeyChangeDetailsRef,
} as const;

export const ChangeDetailsRef = builder.unionType('ChangeDetails', {
  description: "A change's payload, typed, for the common kinds (`ChangeEvent.payload` has every kind's as JSON text).",
  types: Object.values(DETAILS_TYPES),
  resolveType: (d) => DETAILS_TYPES[d.type],
});
