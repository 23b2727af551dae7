/**
 * Through which user, group or role an identity policy applies to a principal, so the access
 * explorer can say "through group Auditors" where the decision only says "customer managed
 * policy" (issue 19). An inline policy names its owner in its id (`<owner ARN>/inline/<name>`);
 * a managed policy applies through a role to the role and its sessions, and to a user through
 * the user itself and each group that attaches it, read from the user's groups (pure: the
 * request is in use-policy-holders.ts).
 */
import type { PolicyHoldersQuery } from './generated/graphql.ts';
import type { MatchedStatement } from './decisions.ts';
import { parseIamEntityArn } from './iam-arn.ts';

const ASSUMED_ROLE_ARN = /^arn:([^:]+):sts::(\d{12}):assumed-role\/([^/]+)\/[^/]+$/;
const INLINE = /^(arn:[^:]+:iam::\d{12}:(?:user|group|role)\/.+)\/inline\/[^/]+$/;

/** Managed policy ARN → the ARNs (the user itself, its groups) through which it applies to a user. */
export type ManagedHolders = ReadonlyMap<string, readonly string[]>;

/** What the PolicyHolders query says about `userArn`'s managed policies; undefined when it is about another user. */
export function managedHoldersOf(data: PolicyHoldersQuery | undefined, userArn: string): ManagedHolders | undefined {
  const user = data?.user;
  if (user == null || user.arn !== userArn) return undefined;
  const holders = new Map<string, string[]>();
  const add = (policyArn: string, holder: string): void => {
    const list = holders.get(policyArn) ?? [];
    if (!list.includes(holder)) list.push(holder);
    holders.set(policyArn, list);
  };
  for (const policy of user.attachedPolicies ?? []) add(policy.policyArn, user.arn);
  for (const { node: group } of user.groups?.edges ?? []) for (const policy of group.attachedPolicies ?? []) add(policy.policyArn, group.arn);
  return holders;
}

/**
 * The ARNs of the user, group or role through which `statement`'s policy applies to
 * `principalArn` (empty when that is not an identity policy or cannot be told).
 */
export function holdersOf(statement: Pick<MatchedStatement, 'layer' | 'sourcePolicyId' | 'policyArn'>, principalArn: string, managed: ManagedHolders | undefined): string[] {
  if (statement.layer !== 'IDENTITY') return [];
  const inline = INLINE.exec(statement.sourcePolicyId);
  if (inline !== null) return [inline[1]!];
  if (parseIamEntityArn(principalArn)?.kind === 'role') return [principalArn];
  const assumed = ASSUMED_ROLE_ARN.exec(principalArn);
  if (assumed !== null) return [`arn:${assumed[1]}:iam::${assumed[2]}:role/${assumed[3]}`];
  if (statement.policyArn == null) return [];
  return [...(managed?.get(statement.policyArn) ?? [])];
}
