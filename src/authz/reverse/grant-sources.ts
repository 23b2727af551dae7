/**
 * Through which of a user's groups a deciding statement reached the user. An effective set is
 * the flat list of the user's and its groups' policies, so the statement names its policy, not
 * the holder: an inline policy's id starts with its owner's ARN (`<owner>/inline/<name>`), and a
 * managed policy may be attached to the user and to several of its groups. The holders of the
 * deciding managed policies are read in one statement for the whole answer.
 */
import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { policyAttachments } from '../../db/schema/attachments.ts';
import { managedPolicies } from '../../db/schema/policies.ts';
import { groups } from '../../db/schema/principals.ts';
import type { MatchedStatement } from '../../policy/types.ts';
import type { EffectivePolicies } from '../effective-set.ts';

/** One deciding statement and how it reached the principal. */
export interface DecidingStatement {
  readonly statement: MatchedStatement;
  /**
   * The ARNs of the principal's groups whose policy holds the statement; empty when it came only
   * from the principal's own policies, a resource policy, a boundary or a session policy.
   */
  readonly groupArns: readonly string[];
  /** Whether the statement is in an identity policy of the principal itself (attached to it or embedded in it). */
  readonly direct: boolean;
}

/** Which users and groups each managed policy is attached to, for the policies an answer names. */
export interface ManagedHolders {
  /** Group ARNs by managed policy ARN. */
  readonly groupsOf: ReadonlyMap<string, readonly string[]>;
  /** `<user id> <policy ARN>` for each attachment to a user. */
  readonly userAttachments: ReadonlySet<string>;
}

const INLINE = '/inline/';
const GROUP_ARN = /^arn:[^:]+:iam::\d{12}:group\//;

/** The ARNs of managed policies among identity-layer statements (the only ones that can come through a group). */
export function managedPolicyArns(statements: Iterable<MatchedStatement>): Set<string> {
  const arns = new Set<string>();
  for (const s of statements) if (s.layer === 'identity' && s.policyArn !== undefined) arns.add(s.policyArn);
  return arns;
}

/** The users and groups each of `policyArns` is attached to: one statement, none for an empty set. */
export async function loadManagedHolders(database: Database, policyArns: ReadonlySet<string>): Promise<ManagedHolders> {
  const groupsOf = new Map<string, string[]>();
  const userAttachments = new Set<string>();
  if (policyArns.size === 0) return { groupsOf, userAttachments };
  const rows = await database.db
    .select({ policyArn: managedPolicies.arn, groupArn: groups.arn, userId: policyAttachments.userId })
    .from(policyAttachments)
    .innerJoin(managedPolicies, eq(managedPolicies.id, policyAttachments.policyId))
    .leftJoin(groups, eq(groups.id, policyAttachments.groupId))
    .where(and(inArray(managedPolicies.arn, [...policyArns]), isNull(policyAttachments.roleId)));
  for (const row of rows) {
    if (row.userId !== null) userAttachments.add(`${row.userId} ${row.policyArn}`);
    if (row.groupArn === null) continue;
    const list = groupsOf.get(row.policyArn);
    if (list === undefined) groupsOf.set(row.policyArn, [row.groupArn]);
    else list.push(row.groupArn);
  }
  return { groupsOf, userAttachments };
}

/**
 * The deciding statements of a decision for `set`'s principal, each with the groups it came
 * through. A group counts only if the set was built from it (the user is a member at the
 * set's revision) and, for a managed policy, the policy is attached to it. A policy a user holds
 * both itself and through a group appears twice in its set, so the engine names the statement
 * twice: it is reported once, with both ways it arrives.
 */
export function attributeStatements(set: EffectivePolicies, statements: readonly MatchedStatement[], holders: ManagedHolders): DecidingStatement[] {
  const seen = new Set<string>();
  const out: DecidingStatement[] = [];
  for (const statement of statements) {
    const key = `${statement.layer} ${statement.policyId} ${statement.statementIndex}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(attribute(set, statement, holders));
  }
  return out;
}

function attribute(set: EffectivePolicies, statement: MatchedStatement, holders: ManagedHolders): DecidingStatement {
  if (statement.layer !== 'identity') return { statement, groupArns: [], direct: false };
  // A role's identity policies are all its own.
  if (set.principal.type !== 'User') return { statement, groupArns: [], direct: true };
  if (statement.policyArn !== undefined) {
    const groupArns = (holders.groupsOf.get(statement.policyArn) ?? []).filter((group) => set.dependsOn.includes(group));
    return { statement, groupArns, direct: holders.userAttachments.has(`${set.principalId} ${statement.policyArn}`) };
  }
  const inline = statement.policyId.lastIndexOf(INLINE);
  const owner = inline < 0 ? '' : statement.policyId.slice(0, inline);
  if (GROUP_ARN.test(owner) && set.dependsOn.includes(owner)) return { statement, groupArns: [owner], direct: false };
  return { statement, groupArns: [], direct: owner === set.principal.arn };
}

/** The distinct groups of several deciding statements, in first-seen order. */
export function groupsOf(statements: readonly DecidingStatement[]): string[] {
  const seen = new Set<string>();
  for (const s of statements) for (const group of s.groupArns) seen.add(group);
  return [...seen];
}
