/**
 * `Principal` / `NotPrincipal` matching (User Guide: "AWS JSON policy elements: Principal").
 * Besides yes/no, a match says HOW the principal was named, because the evaluation logic treats
 * the forms differently: naming the exact user or session ARN grants directly; naming the role
 * of a role session acts like an identity-based grant (limited by boundary and session policy);
 * naming the account only delegates to the account's own identity-based policies.
 */
import type { PrincipalDocument } from '../document.ts';
import type { RequestPrincipal } from '../types.ts';

/** How a resource-policy statement named the requesting principal. Higher wins. */
export const GRANT_NONE = 0;
export const GRANT_ACCOUNT = 1;
export const GRANT_ROLE = 2;
export const GRANT_DIRECT = 3;
/** One of the GRANT_* constants. */
export type GrantKind = 0 | 1 | 2 | 3;

/** A compiled principal element. */
export interface PrincipalMatcher {
  /** The strongest way this element names `p` (GRANT_NONE when it does not). */
  match(p: RequestPrincipal): GrantKind;
  /**
   * For `NotPrincipal`: is `p` itself listed? Only its exact ARN (or `*`, or its service) counts:
   * naming the account or the role does not exempt the account's users or the role's other
   * sessions (User Guide: "AWS JSON policy elements: NotPrincipal").
   */
  names(p: RequestPrincipal): boolean;
}

const ACCOUNT_ID = /^\d{12}$/;
const ROOT_ARN = /^arn:[^:]+:iam::(\d{12}):root$/;
const ROLE_ARN = /^arn:[^:]+:iam::\d{12}:role\//;

/** A role session's role unique id: aws:userid is `AROA…:<session name>`. */
function roleIdOf(p: RequestPrincipal): string | undefined {
  const colon = p.userId?.indexOf(':') ?? -1;
  return colon > 0 ? p.userId!.slice(0, colon) : undefined;
}

/**
 * Compile a principal element once. `principalIds` maps user and role ARNs to the unique ids they
 * had when the policy was saved (see ../principal-ids.ts): such an ARN names only the principal
 * with that id, never a later one of the same name; ARNs without an id match by ARN.
 */
export function compilePrincipal(doc: PrincipalDocument, principalIds?: Readonly<Record<string, string>>): PrincipalMatcher {
  if (doc.kind === 'any') return { match: () => GRANT_DIRECT as GrantKind, names: () => true };
  const accounts = new Set<string>();
  const roles = new Set<string>();
  const exact = new Set<string>();
  const userIds = new Set<string>();
  const roleIds = new Set<string>();
  let any = false;
  for (const v of doc.AWS ?? []) {
    const id = principalIds !== undefined && Object.hasOwn(principalIds, v) ? principalIds[v] : undefined;
    // `"AWS": "*"` is the same as `"Principal": "*"`.
    if (v === '*') any = true;
    else if (ACCOUNT_ID.test(v)) accounts.add(v);
    else {
      const root = ROOT_ARN.exec(v);
      if (root) accounts.add(root[1]!);
      else if (ROLE_ARN.test(v)) (id === undefined ? roles : roleIds).add(id ?? v);
      else if (id !== undefined) userIds.add(id);
      else exact.add(v); // IAM user, role session (`assumed-role`), federated user
    }
  }
  const byUserId = (p: RequestPrincipal): boolean => userIds.size > 0 && p.type === 'User' && p.userId !== undefined && userIds.has(p.userId);
  const byRoleId = (p: RequestPrincipal): boolean => {
    if (roleIds.size === 0 || p.type !== 'AssumedRole') return false;
    const roleId = roleIdOf(p);
    return roleId !== undefined && roleIds.has(roleId);
  };
  const services = new Set(doc.Service ?? []);
  const federated = new Set(doc.Federated ?? []);
  const canonical = new Set(doc.CanonicalUser ?? []);
  return {
    names(p) {
      if (any) return true;
      if (p.type === 'AWSService') return p.servicePrincipal !== undefined && services.has(p.servicePrincipal);
      if (p.type === 'Account' && accounts.has(p.accountId)) return true;
      return exact.has(p.arn) || byUserId(p) || federated.has(p.arn) || (p.userId !== undefined && canonical.has(p.userId));
    },
    match(p) {
      if (any) return GRANT_DIRECT;
      switch (p.type) {
        case 'AWSService':
          if (p.servicePrincipal !== undefined && services.has(p.servicePrincipal)) return GRANT_DIRECT;
          return GRANT_NONE;
        case 'Anonymous':
          return GRANT_NONE;
        default:
          break;
      }
      if (exact.has(p.arn) || federated.has(p.arn) || byUserId(p)) return GRANT_DIRECT;
      if (p.userId !== undefined && canonical.has(p.userId)) return GRANT_DIRECT;
      if (p.type === 'AssumedRole' && ((p.roleArn !== undefined && roles.has(p.roleArn)) || byRoleId(p))) return GRANT_ROLE;
      if (accounts.has(p.accountId)) return GRANT_ACCOUNT;
      return GRANT_NONE;
    },
  };
}
