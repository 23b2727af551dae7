/**
 * Trust policies name principals by unique id, as AWS stores them: when a trust policy is saved,
 * each IAM user or role ARN its principal elements name is resolved to that principal's unique id
 * (kept beside the text in roles.trust_principal_ids); the engine then matches only that principal
 * (src/policy/compile/principal.ts), so a user deleted and created again under the same name is
 * not trusted. Reading the policy back shows each such principal's current ARN, or its unique id
 * once it is gone — what AWS shows.
 */
import { inArray } from 'drizzle-orm';
import { roles, users } from '../db/schema/index.ts';
import { namedPrincipals, rewritePrincipalArns, type Finding } from '../policy/index.ts';
import type { Queryable } from './affected-principals.ts';
import { MalformedPolicyDocumentError } from '../errors.ts';

/** ARN to unique id, for the user and role ARNs a stored policy names. */
export type PrincipalIds = Readonly<Record<string, string>>;

/**
 * The unique ids of the users and roles `text`'s principal elements name. An ARN in `accountId`
 * (the policy owner's account) that names nobody is refused, as AWS refuses an invalid principal;
 * one in another account is kept by ARN when this directory does not hold it. `self` is a role
 * being created, which its own trust policy may name.
 */
export async function resolvePrincipalIds(
  tx: Queryable,
  accountId: string,
  text: string,
  field: string,
  self?: { readonly arn: string; readonly id: string },
): Promise<PrincipalIds> {
  const named = namedPrincipals(text);
  if (named.length === 0) return {};
  const arns = [...new Set(named.map((n) => n.arn))];
  const userArns = arns.filter((arn) => arn.includes(':user/'));
  const roleArns = arns.filter((arn) => arn.includes(':role/'));
  const found = [
    ...(userArns.length === 0 ? [] : await tx.select({ arn: users.arn, id: users.id }).from(users).where(inArray(users.arn, userArns))),
    ...(roleArns.length === 0 ? [] : await tx.select({ arn: roles.arn, id: roles.id }).from(roles).where(inArray(roles.arn, roleArns))),
  ];
  const ids: Record<string, string> = {};
  for (const row of found) ids[row.arn] = row.id;
  if (self !== undefined) ids[self.arn] = self.id;
  const missing = named.find((n) => n.accountId === accountId && ids[n.arn] === undefined);
  if (missing !== undefined) {
    const finding: Finding = {
      findingType: 'ERROR',
      issueCode: 'INVALID_PRINCIPAL',
      message: `invalid principal in policy: ${JSON.stringify(missing.arn)} does not exist`,
      path: missing.path,
      line: missing.line,
      column: missing.column,
    };
    throw new MalformedPolicyDocumentError(field, [finding]);
  }
  return ids;
}

/**
 * The policy text as it reads back: each resolved ARN becomes its principal's current ARN
 * (`currentArn(arn, id)`), or the unique id when that principal no longer exists.
 */
export function renderPrincipalIds(text: string, ids: PrincipalIds, currentArn: (arn: string, id: string) => string | undefined): string {
  const entries = Object.keys(ids);
  if (entries.length === 0) return text;
  return rewritePrincipalArns(text, (arn) => {
    const id = ids[arn];
    return id === undefined ? undefined : (currentArn(arn, id) ?? id);
  });
}
