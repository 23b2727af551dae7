/**
 * The SQL half of organization placements (organization-placements.ts): for any number of account
 * ids, in ONE statement, each account's organization (id, root, management account), the chain of
 * its parents up to the root (a recursive walk of `organizational_units`), the policy types enabled
 * in the root, the SCPs and RCPs
 * attached to every target on the way (root, each OU, the account itself), and the current
 * content of each of those policies once. The ids travel as one JSON text parameter, so the SQL
 * text is the same whatever the batch size (one prepared statement, one cached plan).
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { selectPreparedRows } from '../db/rows.ts';
import type { OrganizationPolicyType } from '../db/schema/accounts.ts';

/** An account of the batch that belongs to an organization. */
export interface PlacedAccountRow {
  readonly accountId: string;
  readonly organizationId: string;
  readonly rootId: string;
  readonly managementAccountId: string;
  /** The policy types enabled in its organization's root: a disabled type binds nobody. */
  readonly enabledPolicyTypes: readonly OrganizationPolicyType[];
}

/** One parent on an account's way to the root: `depth` 1 is its parent, the root the deepest. */
export interface ChainRow {
  readonly accountId: string;
  readonly nodeId: string;
  readonly depth: number;
}

/** A policy attached to a target on some account's chain. */
export interface AttachmentRow {
  readonly targetId: string;
  readonly policyId: string;
}

/** The current version of an attached policy. */
export interface OrganizationPolicyRow {
  readonly policyId: string;
  readonly organizationId: string | null;
  readonly managementAccountId: string | null;
  readonly name: string;
  readonly type: OrganizationPolicyType;
  readonly awsManaged: boolean;
  readonly version: number;
  readonly content: string;
}

/** Everything one batch needs. Accounts outside any organization (or unknown) have no row. */
export interface PlacementRows {
  readonly accounts: readonly PlacedAccountRow[];
  readonly chain: readonly ChainRow[];
  readonly attachments: readonly AttachmentRow[];
  readonly policies: readonly OrganizationPolicyRow[];
}

interface BatchJson {
  accounts: PlacedAccountRow[] | null;
  chain: ChainRow[] | null;
  attachments: AttachmentRow[] | null;
  policies: OrganizationPolicyRow[] | null;
}

const EMPTY: PlacementRows = { accounts: [], chain: [], attachments: [], policies: [] };

/** OUs nest at most five deep; the walk stops well past that, so a corrupt cycle cannot loop. */
const MAX_WALK = 16;

/** Loads the placement rows of `accountIds` in one statement (none for an empty list). */
export async function loadPlacementRows(database: Database, accountIds: readonly string[]): Promise<PlacementRows> {
  if (accountIds.length === 0) return EMPTY;
  const [row] = await selectPreparedRows<{ batch: BatchJson | string }>(
    database.db,
    sql`
    with recursive
      a as (
        select ac.id as "accountId", ac.organization_id as "organizationId", o.root_id as "rootId",
               o.management_account_id as "managementAccountId", o.enabled_policy_types as "enabledPolicyTypes", ac.parent_id as "parentId"
        from accounts ac join organizations o on o.id = ac.organization_id
        where ac.id = any(array(select json_array_elements_text(${JSON.stringify(accountIds)}::text::json)))
      ),
      chain("accountId", "nodeId", depth) as (
        select "accountId", "parentId", 1 from a
        union all
        select c."accountId", ou.parent_id, c.depth + 1
        from chain c join organizational_units ou on ou.id = c."nodeId"
        where c.depth < ${MAX_WALK}
      ),
      targets as (
        select "nodeId" as id from chain union select "accountId" from a
      ),
      att as (
        select pa.target_id as "targetId", pa.policy_id as "policyId"
        from organization_policy_attachments pa
        where pa.target_id = any(array(select id from targets))
      ),
      pol as (
        select p.id as "policyId", p.organization_id as "organizationId", o.management_account_id as "managementAccountId",
               p.name, p.type, p.aws_managed as "awsManaged", p.current_version as version, v.content
        from organization_policies p
        join organization_policy_versions v on v.policy_id = p.id and v.version_number = p.current_version
        left join organizations o on o.id = p.organization_id
        where p.id = any(array(select distinct "policyId" from att))
      )
    select json_build_object(
      'accounts', (select json_agg(json_build_object('accountId', "accountId", 'organizationId', "organizationId",
                     'rootId', "rootId", 'managementAccountId', "managementAccountId", 'enabledPolicyTypes', "enabledPolicyTypes")) from a),
      'chain', (select json_agg(chain) from chain),
      'attachments', (select json_agg(att) from att),
      'policies', (select json_agg(pol) from pol)
    ) as batch`,
  );
  if (row === undefined) return EMPTY;
  const batch: BatchJson = typeof row.batch === 'string' ? (JSON.parse(row.batch) as BatchJson) : row.batch;
  return { accounts: batch.accounts ?? [], chain: batch.chain ?? [], attachments: batch.attachments ?? [], policies: batch.policies ?? [] };
}
