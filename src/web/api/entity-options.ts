/**
 * What the entity picker offers: the caller's account's users, groups, roles or managed
 * policies, read when a picker is first focused (first 1000, the API's page limit) and matched in
 * the browser, since AWS's List* operations filter by path only, never by name.
 */
import { graphql } from './generated/gql.ts';
import { request } from './graphql.ts';
import type { EntityOption } from './entity-match.ts';

export type { EntityOption } from './entity-match.ts';

/**
 * The kinds of entity a picker chooses from; `principal` offers users and roles by ARN (for
 * fields that ask for a principal ARN).
 */
export type EntityKind = 'user' | 'group' | 'role' | 'policy' | 'principal';

const USERS = graphql(`
  query PickUsers {
    users(first: 1000) {
      edges {
        node {
          userName
          arn
        }
      }
    }
  }
`);

const GROUPS = graphql(`
  query PickGroups {
    groups(first: 1000) {
      edges {
        node {
          groupName
          arn
        }
      }
    }
  }
`);

const ROLES = graphql(`
  query PickRoles {
    roles(first: 1000) {
      edges {
        node {
          roleName
          arn
        }
      }
    }
  }
`);

const POLICIES = graphql(`
  query PickPolicies {
    policies(first: 1000) {
      edges {
        node {
          policyName
          arn
        }
      }
    }
  }
`);

const PRINCIPALS = graphql(`
  query PickPrincipals {
    users(first: 1000) {
      edges {
        node {
          userName
          arn
        }
      }
    }
    roles(first: 1000) {
      edges {
        node {
          roleName
          arn
        }
      }
    }
  }
`);

/** Loads the options of one kind; rejects with the API's refusal when the list is not allowed. */
export async function loadEntityOptions(kind: EntityKind, signal?: AbortSignal): Promise<readonly EntityOption[]> {
  const options = signal === undefined ? {} : { signal };
  const refusal = (errors: readonly Error[]): Error => errors[0] ?? new Error(`the ${kind}s could not be listed`);
  switch (kind) {
    case 'user': {
      const answer = await request(USERS, {}, options);
      if (answer.data.users == null) throw refusal(answer.errors);
      return answer.data.users.edges.map(({ node }) => ({ value: node.userName, label: node.userName, detail: node.arn }));
    }
    case 'group': {
      const answer = await request(GROUPS, {}, options);
      if (answer.data.groups == null) throw refusal(answer.errors);
      return answer.data.groups.edges.map(({ node }) => ({ value: node.groupName, label: node.groupName, detail: node.arn }));
    }
    case 'role': {
      const answer = await request(ROLES, {}, options);
      if (answer.data.roles == null) throw refusal(answer.errors);
      return answer.data.roles.edges.map(({ node }) => ({ value: node.roleName, label: node.roleName, detail: node.arn }));
    }
    case 'principal': {
      // Either list may be refused on its own; the other is still offered.
      const answer = await request(PRINCIPALS, {}, options);
      const { users, roles } = answer.data;
      if (users == null && roles == null) throw refusal(answer.errors);
      return [
        ...(users?.edges ?? []).map(({ node }) => ({ value: node.arn, label: node.userName, detail: `user ${node.arn}` })),
        ...(roles?.edges ?? []).map(({ node }) => ({ value: node.arn, label: node.roleName, detail: `role ${node.arn}` })),
      ];
    }
    case 'policy': {
      const answer = await request(POLICIES, {}, options);
      if (answer.data.policies == null) throw refusal(answer.errors);
      return answer.data.policies.edges.map(({ node }) => ({
        value: node.arn,
        label: node.policyName,
        detail: node.arn.startsWith('arn:aws:iam::aws:') ? 'AWS managed' : node.arn,
      }));
    }
  }
}
