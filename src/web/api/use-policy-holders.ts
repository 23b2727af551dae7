/**
 * Loads what api/policy-holders.ts needs to name the groups through which a user's managed
 * policies apply: the user, its groups and their attached policies, in one request.
 */
import { graphql } from './generated/gql.ts';
import { parseIamEntityArn } from './iam-arn.ts';
import { managedHoldersOf } from './policy-holders.ts';
import type { ManagedHolders } from './policy-holders.ts';
import { useQuery } from './use-query.ts';

const POLICY_HOLDERS = graphql(`
  query PolicyHolders($userName: String!) {
    user(userName: $userName) {
      arn
      attachedPolicies {
        policyArn
      }
      groups(first: 100) {
        edges {
          node {
            arn
            attachedPolicies {
              policyArn
            }
          }
        }
      }
    }
  }
`);

/**
 * The managed-policy holders of `principalArn` when it is a user (one request: the user, its
 * groups and their attached policies); undefined for other principals, or while loading, or when
 * the caller may not read them (the explanation then names no holder for managed policies). A
 * new `revision` (a newer answer, e.g. a live flip after the user joined a group) loads again.
 */
export function useManagedHolders(principalArn: string | undefined, revision: number): ManagedHolders | undefined {
  const entity = principalArn === undefined ? undefined : parseIamEntityArn(principalArn);
  const userName = entity?.kind === 'user' ? entity.name : undefined;
  const result = useQuery(POLICY_HOLDERS, { userName: userName ?? '' }, { skip: userName === undefined, refreshKey: revision });
  return userName === undefined || principalArn === undefined ? undefined : managedHoldersOf(result.data, principalArn);
}
