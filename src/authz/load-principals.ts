/**
 * The SQL half of effective-policy loading: for any number of principal refs, every row that
 * makes up their policies in ONE statement, so a principal's first touch costs one round trip
 * and a batch of thousands costs the same. Common table expressions follow the chain (sessions →
 * users and roles → group memberships → attached policies, inline policies, boundary and session
 * policy ARNs → default versions) and `json_agg` returns each kind of row as one JSON array.
 *
 * The lists travel as JSON text parameters, so the SQL text is the same whatever the batch size
 * (one prepared statement, one cached plan), and each managed policy version comes once per
 * batch however many principals it is attached to (principals of a batch share their groups'
 * policies), and without its text when the caller holds it compiled already (`knownVersions`):
 * after the first few loads, a first touch brings little more than the principal's own rows.
 * No statement is sent for an empty query.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import type { Tag } from '../db/schema/columns.ts';
import type { stsSessions } from '../db/schema/sessions.ts';
import { selectPreparedRows } from '../db/rows.ts';

/** Rows of one batch, grouped by what they are. */
export interface PrincipalRows {
  readonly sessions: readonly SessionRow[];
  readonly users: readonly UserRow[];
  readonly roles: readonly RoleRow[];
  readonly memberships: ReadonlyArray<{ userId: string; groupId: string; groupArn: string }>;
  /** Which user, group or role each managed policy is attached to. */
  readonly attachments: ReadonlyArray<{ ownerId: string; policyId: string }>;
  /** The default version of every managed policy attached or named (boundary, session policy ARNs), once each. */
  readonly policies: readonly ManagedRow[];
  readonly inline: ReadonlyArray<{ principalId: string; name: string; document: string }>;
}

/** The session columns the authorizer needs (live sessions only: not revoked, not expired). */
export interface SessionRow {
  accessKeyId: string;
  userId: string | null;
  roleId: string | null;
  arn: string;
  sessionName: string | null;
  sessionPolicy: string | null;
  sessionPolicyArns: string[];
  sessionTags: Tag[];
  sourceIdentity: string | null;
  mfaAuthenticated: boolean;
  /** How the session was issued (a GetFederationToken session is assembled as a federated user). */
  kind: (typeof stsSessions.$inferSelect)['kind'];
  issuedAt: Date;
  expiresAt: Date;
}

/** The user columns the authorizer needs. */
export interface UserRow {
  id: string;
  accountId: string;
  arn: string;
  name: string;
  isRoot: boolean;
  tags: Tag[];
  permissionsBoundaryArn: string | null;
}

/** The role columns the authorizer needs. */
export interface RoleRow {
  id: string;
  accountId: string;
  arn: string;
  name: string;
  tags: Tag[];
  permissionsBoundaryArn: string | null;
}

/** One managed policy's default version. */
export interface ManagedRow {
  policyId: string;
  arn: string;
  name: string;
  versionNumber: number;
  /** Null for a version the query named as known (`knownVersions`): the caller holds it compiled. */
  document: string | null;
}

/** What to look up: ARNs by kind, and session access key ids. */
export interface PrincipalQuery {
  readonly userArns: readonly string[];
  readonly roleArns: readonly string[];
  readonly sessionArns: readonly string[];
  readonly sessionKeyIds: readonly string[];
  /**
   * Managed policy versions (`policyId:versionNumber`) whose text the caller does not need: it
   * holds them compiled. Their rows come with a null document.
   */
  readonly knownVersions: readonly string[];
}

/** Sessions as JSON carries them: times as epoch milliseconds. */
type SessionJson = Omit<SessionRow, 'issuedAt' | 'expiresAt'> & { issuedAt: number; expiresAt: number };

/** The one row the statement returns: each kind of row as a JSON array (null when none). */
interface BatchJson {
  sessions: SessionJson[] | null;
  users: UserRow[] | null;
  roles: RoleRow[] | null;
  memberships: PrincipalRows['memberships'] | null;
  attachments: PrincipalRows['attachments'] | null;
  policies: ManagedRow[] | null;
  inline: PrincipalRows['inline'] | null;
}

const EMPTY: PrincipalRows = { sessions: [], users: [], roles: [], memberships: [], attachments: [], policies: [], inline: [] };

/** Loads every row the batch needs in one statement, whatever its size. */
export async function loadPrincipalRows(database: Database, query: PrincipalQuery, now: Date): Promise<PrincipalRows> {
  const empty = query.userArns.length + query.roleArns.length + query.sessionArns.length + query.sessionKeyIds.length === 0;
  if (empty) return EMPTY;
  const list = (values: readonly string[]) => JSON.stringify(values);
  const [row] = await selectPreparedRows<{ batch: BatchJson | string }>(
    database.db,
    sql`
    with
      s as (
        select access_key_id as "accessKeyId", user_id as "userId", role_id as "roleId", arn,
               session_name as "sessionName", session_policy as "sessionPolicy",
               session_policy_arns as "sessionPolicyArns", session_tags as "sessionTags",
               source_identity as "sourceIdentity", mfa_authenticated as "mfaAuthenticated", kind::text as kind,
               (extract(epoch from issued_at) * 1000)::float8 as "issuedAt",
               (extract(epoch from expires_at) * 1000)::float8 as "expiresAt"
        from sts_sessions
        where access_key_id = any(array(
            select json_array_elements_text(${list(query.sessionKeyIds)}::text::json)
            -- Sessions are found by ARN with a scan (rare: a question about an assumed-role ARN).
            union all
            select access_key_id from sts_sessions
            where ${query.sessionArns.length > 0} and arn = any(array(select json_array_elements_text(${list(query.sessionArns)}::text::json)))))
          and revoked_at is null and expires_at > ${now.toISOString()}::text::timestamptz
      ),
      u as (
        select id, account_id as "accountId", arn, name, is_root as "isRoot", tags,
               permissions_boundary_arn as "permissionsBoundaryArn"
        from users
        where arn = any(array(select json_array_elements_text(${list(query.userArns)}::text::json)))
        union
        select id, account_id, arn, name, is_root, tags, permissions_boundary_arn
        from users where id = any(array(select "userId" from s))
      ),
      r as (
        select id, account_id as "accountId", arn, name, tags, permissions_boundary_arn as "permissionsBoundaryArn"
        from roles
        where arn = any(array(select json_array_elements_text(${list(query.roleArns)}::text::json)))
        union
        select id, account_id, arn, name, tags, permissions_boundary_arn
        from roles where id = any(array(select "roleId" from s))
      ),
      m as (
        -- Root users have no groups or policies of their own.
        select gm.user_id as "userId", gm.group_id as "groupId", g.arn as "groupArn"
        from group_memberships gm join groups g on g.id = gm.group_id
        where gm.user_id = any(array(select id from u where not "isRoot"))
      ),
      owners as (
        select array(select id from u where not "isRoot" union select id from r union select "groupId" from m) as ids
      ),
      a as (
        select principal_id as "ownerId", policy_id as "policyId"
        from policy_attachments where principal_id = any((select ids from owners)::text[])
      ),
      known as (select json_array_elements_text(${list(query.knownVersions)}::text::json) as key),
      -- The policies attached, and those named as boundaries or session policies, each found by
      -- its index (an OR of the two in one WHERE scans every policy, each against every id).
      pids as (
        select "policyId" as id from a
        union
        select mp.id from managed_policies mp
        where mp.arn = any(array(
            select "permissionsBoundaryArn" from u where not "isRoot" and "permissionsBoundaryArn" is not null
            union select "permissionsBoundaryArn" from r where "permissionsBoundaryArn" is not null
            union select unnest("sessionPolicyArns") from s))
      ),
      p as (
        select mp.id as "policyId", mp.arn, mp.name, pv.version_number as "versionNumber",
               case when known.key is null then pv.document end as document
        from pids join managed_policies mp on mp.id = pids.id
          join policy_versions pv on pv.policy_id = mp.id and pv.is_default
          left join known on known.key = mp.id || ':' || pv.version_number
      ),
      i as (
        select principal_id as "principalId", name, document
        from inline_policies where principal_id = any((select ids from owners)::text[])
      )
    select json_build_object(
      'sessions', (select json_agg(s) from s),
      'users', (select json_agg(u) from u),
      'roles', (select json_agg(r) from r),
      'memberships', (select json_agg(m) from m),
      'attachments', (select json_agg(a) from a),
      'policies', (select json_agg(p) from p),
      'inline', (select json_agg(i) from i)
    ) as batch`,
  );
  if (row === undefined) return EMPTY;
  // postgres.js and PGlite both parse json columns; parse defensively if a driver hands back text.
  const batch: BatchJson = typeof row.batch === 'string' ? (JSON.parse(row.batch) as BatchJson) : row.batch;
  return {
    sessions: (batch.sessions ?? []).map((s) => ({ ...s, issuedAt: new Date(s.issuedAt), expiresAt: new Date(s.expiresAt) })),
    users: batch.users ?? [],
    roles: batch.roles ?? [],
    memberships: batch.memberships ?? [],
    attachments: batch.attachments ?? [],
    policies: batch.policies ?? [],
    inline: batch.inline ?? [],
  };
}
