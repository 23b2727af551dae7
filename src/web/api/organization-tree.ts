/**
 * The organization's tree as the Organization page draws it: the root, its OUs level by level
 * (ListOrganizationalUnitsForParent has no recursive form, so one request per parent, a level's
 * parents in parallel; OUs nest at most five deep), and every account with its parent. Each node
 * carries the SCPs and RCPs attached to it. A refusal of the first read (a member account's
 * caller, or a missing organizations:ListRoots) is kept as `error` for the page to explain.
 */
import { useCallback, useEffect, useState } from 'react';
import { graphql } from './generated/gql.ts';
import type { OrganizationAccountState, OrganizationPolicyType } from './generated/graphql.ts';
import { ApiError, errorAt, request } from './graphql.ts';
import { toApiError } from './use-query.ts';

const ORGANIZATION_TOP = graphql(`
  query OrganizationTop {
    organization {
      id
      arn
      managementAccountId
      managementAccountEmail
    }
    organizationRoots {
      id
      arn
      name
      policies {
        ...AttachedOrganizationPolicy
      }
    }
    organizationAccounts(first: 1000) {
      hasNextPage
      items {
        id
        arn
        name
        email
        state
        isManagementAccount
        parent {
          id
        }
        policies {
          ...AttachedOrganizationPolicy
        }
      }
    }
  }
`);

const CHILD_UNITS = graphql(`
  query OrganizationChildUnits($parentId: String!) {
    organizationalUnitsForParent(parentId: $parentId, first: 1000) {
      items {
        id
        arn
        name
        parent {
          id
        }
        policies {
          ...AttachedOrganizationPolicy
        }
      }
    }
  }
`);

/** What a node shows of a policy attached to it. */
export const ATTACHED_POLICY_FIELDS = graphql(`
  fragment AttachedOrganizationPolicy on OrganizationPolicy {
    id
    name
    type
    awsManaged
  }
`);

/** A policy attached to a node. */
export interface AttachedPolicy {
  readonly id: string;
  readonly name: string;
  readonly type: OrganizationPolicyType;
  readonly awsManaged: boolean;
}

/** An account of the tree. */
export interface AccountNode {
  readonly kind: 'account';
  readonly id: string;
  readonly arn: string;
  readonly name: string;
  readonly email: string | null;
  readonly state: OrganizationAccountState;
  readonly isManagementAccount: boolean;
  readonly parentId: string;
  /** Null when the caller may not list them (ListPoliciesForTarget refused on this node). */
  readonly policies: readonly AttachedPolicy[] | null;
}

/** The root or an OU, with what is directly under it. */
export interface ParentNode {
  readonly kind: 'root' | 'ou';
  readonly id: string;
  readonly arn: string;
  readonly name: string;
  readonly parentId: string | undefined;
  /** Null when the caller may not list them (ListPoliciesForTarget refused on this node). */
  readonly policies: readonly AttachedPolicy[] | null;
  readonly units: ParentNode[];
  readonly accounts: AccountNode[];
}

/** The whole tree, with every node by id. */
export interface OrganizationTree {
  readonly organizationId: string;
  readonly managementAccountId: string;
  readonly root: ParentNode;
  readonly byId: ReadonlyMap<string, ParentNode | AccountNode>;
  /** True when the organization has more than the 1000 accounts read. */
  readonly truncated: boolean;
}

/** What the caller's account is in the organization, for a refusal's explanation. */
export interface OrganizationMembership {
  readonly organizationId: string;
  readonly managementAccountId: string;
}

/** The state of the tree. */
export interface OrganizationTreeState {
  readonly tree: OrganizationTree | undefined;
  /** The read failed or was refused. */
  readonly error: ApiError | undefined;
  /** The organization the caller's account belongs to (members may describe it), when known. */
  readonly membership: OrganizationMembership | null | undefined;
  readonly loading: boolean;
  readonly reload: () => void;
}

async function loadTree(signal: AbortSignal): Promise<{ tree?: OrganizationTree; error?: ApiError; membership: OrganizationMembership | null | undefined }> {
  const top = await request(ORGANIZATION_TOP, {}, { signal });
  const organization = top.data.organization;
  // Null means no organization only when DescribeOrganization answered; refused, it is unknown.
  const membership =
    organization != null
      ? { organizationId: organization.id, managementAccountId: organization.managementAccountId }
      : errorAt(top.errors, 'organization') === undefined
        ? null
        : undefined;
  const rootRow = top.data.organizationRoots?.[0];
  const accountPage = top.data.organizationAccounts;
  if (rootRow === undefined || accountPage == null || organization == null) {
    const error =
      errorAt(top.errors, 'organizationRoots') ??
      errorAt(top.errors, 'organizationAccounts') ??
      errorAt(top.errors, 'organization') ??
      top.errors[0] ??
      new ApiError('NO_ORGANIZATION', 'This account belongs to no organization.');
    return { error, membership };
  }
  const root: ParentNode = { kind: 'root', id: rootRow.id, arn: rootRow.arn, name: rootRow.name, parentId: undefined, policies: rootRow.policies, units: [], accounts: [] };
  const byId = new Map<string, ParentNode | AccountNode>([[root.id, root]]);
  let level: ParentNode[] = [root];
  while (level.length > 0) {
    const answers = await Promise.all(level.map((parent) => request(CHILD_UNITS, { parentId: parent.id }, { signal })));
    const next: ParentNode[] = [];
    for (const [i, answer] of answers.entries()) {
      const parent = level[i]!;
      const page = answer.data.organizationalUnitsForParent;
      if (page == null) return { error: errorAt(answer.errors, 'organizationalUnitsForParent') ?? answer.errors[0], membership };
      for (const row of page.items) {
        const unit: ParentNode = { kind: 'ou', id: row.id, arn: row.arn, name: row.name, parentId: parent.id, policies: row.policies, units: [], accounts: [] };
        parent.units.push(unit);
        byId.set(unit.id, unit);
        next.push(unit);
      }
    }
    level = next;
  }
  for (const row of accountPage.items) {
    const account: AccountNode = {
      kind: 'account',
      id: row.id,
      arn: row.arn,
      name: row.name ?? row.id,
      email: row.email ?? null,
      state: row.state,
      isManagementAccount: row.isManagementAccount,
      parentId: row.parent.id,
      policies: row.policies,
    };
    byId.set(account.id, account);
    const parent = byId.get(account.parentId);
    if (parent !== undefined && parent.kind !== 'account') parent.accounts.push(account);
  }
  return {
    tree: { organizationId: organization.id, managementAccountId: organization.managementAccountId, root, byId, truncated: accountPage.hasNextPage },
    membership,
  };
}

/** Loads the tree on mount and on `reload`, keeping the last tree on screen while reloading. */
export function useOrganizationTree(): OrganizationTreeState {
  const [generation, setGeneration] = useState(0);
  const [state, setState] = useState<Omit<OrganizationTreeState, 'reload'>>({ tree: undefined, error: undefined, membership: undefined, loading: true });
  useEffect(() => {
    const controller = new AbortController();
    setState((previous) => ({ ...previous, loading: true }));
    loadTree(controller.signal).then(
      (answer) => setState({ tree: answer.tree, error: answer.error, membership: answer.membership, loading: false }),
      (error: unknown) => {
        if (!controller.signal.aborted) setState({ tree: undefined, error: toApiError(error), membership: undefined, loading: false });
      },
    );
    return () => controller.abort();
  }, [generation]);
  const reload = useCallback(() => setGeneration((n) => n + 1), []);
  return { ...state, reload };
}

/** The path of ids from the root down to `id` (inclusive), or empty when unknown. */
export function pathTo(tree: OrganizationTree, id: string): string[] {
  const path: string[] = [];
  let node = tree.byId.get(id);
  while (node !== undefined) {
    path.unshift(node.id);
    node = node.parentId === undefined ? undefined : tree.byId.get(node.parentId);
  }
  return path;
}
