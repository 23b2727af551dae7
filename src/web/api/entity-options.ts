/**
 * What the entity picker offers: the caller's account's users, groups, roles or managed
 * policies, read once per kind and page view (first 1000, the API's page limit) and matched in
 * the browser, since AWS's List* operations filter by path only, never by name.
 */
import { graphql } from './generated/gql.ts';
import { request } from './graphql.ts';

/** The kinds of entity a picker chooses from. */
export type EntityKind = 'user' | 'group' | 'role' | 'policy';

/** One choice: `value` goes into the field (a name, or an ARN for policies). */
export interface EntityOption {
  readonly value: string;
  /** What the list shows first (the name). */
  readonly label: string;
  /** What it shows after (the ARN, or "AWS managed"). */
  readonly detail: string;
}

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

/** How many matches the popup shows at most. */
export const MAX_MATCHES = 20;

/**
 * The options whose name or value contains `typed` (any case), names that start with it first,
 * at most MAX_MATCHES; everything (up to the bound) when nothing is typed.
 */
export function matchOptions(options: readonly EntityOption[], typed: string): readonly EntityOption[] {
  const needle = typed.trim().toLowerCase();
  if (needle === '') return options.slice(0, MAX_MATCHES);
  const starts: EntityOption[] = [];
  const contains: EntityOption[] = [];
  for (const option of options) {
    const label = option.label.toLowerCase();
    if (label.startsWith(needle)) starts.push(option);
    else if (label.includes(needle) || option.value.toLowerCase().includes(needle)) contains.push(option);
    if (starts.length >= MAX_MATCHES) break;
  }
  return [...starts, ...contains].slice(0, MAX_MATCHES);
}
