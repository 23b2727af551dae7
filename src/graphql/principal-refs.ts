/**
 * The User, Group and Role type references, their PolicyHolder interface and their Relay connections, declared apart from the
 * files that implement them so that user.ts and group.ts can each name the other's connection
 * without an import cycle. Other type files add fields with `builder.objectFields(UserRef, …)`.
 */
import type { Group } from '../iam/groups.ts';
import type { Role } from '../iam/roles.ts';
import type { User } from '../iam/users.ts';
import { builder } from './builder.ts';

/** An IAM user (implemented in user.ts). */
export const UserRef = builder.objectRef<User>('User');
/** An IAM group (implemented in group.ts). */
export const GroupRef = builder.objectRef<Group>('Group');
/** An IAM role (implemented in role.ts). */
export const RoleRef = builder.objectRef<Role>('Role');

/**
 * A user, group or role: what policies attach to (implemented in policy-holder.ts). The three
 * types keep their own AWS name fields (userName, groupName, roleName) beside it.
 */
export const PolicyHolderRef = builder.interfaceRef<User | Group | Role>('PolicyHolder');

/** A page of users. */
export const UserConnectionRef = builder.connectionObject({ type: UserRef, name: 'UserConnection' });
/** A page of groups. */
export const GroupConnectionRef = builder.connectionObject({ type: GroupRef, name: 'GroupConnection' });
/** A page of roles. */
export const RoleConnectionRef = builder.connectionObject({ type: RoleRef, name: 'RoleConnection' });
