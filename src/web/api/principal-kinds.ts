/** The three principal kinds that hold policies, and how the GraphQL API names each. */

/** Which principal, and how the API names it. */
export interface PrincipalKind {
  /** `user`, `group` or `role`: the query field and the success member's field. */
  readonly kind: 'user' | 'group' | 'role';
  /** `User`, `Group`, `Role`: the word in mutation names. */
  readonly word: 'User' | 'Group' | 'Role';
  /** `userName`, `groupName`, `roleName`. */
  readonly nameField: string;
}

/** The three principal kinds. */
export const PRINCIPAL_KINDS = {
  user: { kind: 'user', word: 'User', nameField: 'userName' },
  group: { kind: 'group', word: 'Group', nameField: 'groupName' },
  role: { kind: 'role', word: 'Role', nameField: 'roleName' },
} as const satisfies Record<string, PrincipalKind>;
