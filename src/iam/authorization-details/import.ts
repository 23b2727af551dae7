/**
 * importAccountAuthorizationDetails: creates what a GetAccountAuthorizationDetails document holds
 * (users, groups, roles, customer managed policies with every version, inline policies,
 * memberships, attachments, boundaries, tags) in the caller's account, in ONE transaction whose
 * change-log rows are one batch: all or nothing. Every element is checked first (import-plan.ts);
 * then references are resolved (a policy ARN the document does not hold, a group it does not
 * list, a name the account already uses: a ValidationError naming the element's JSON path), and
 * each table gets one statement whatever the count, the rows travelling as one JSON parameter.
 *
 * Entities get new unique ids (AIDA…, AGPA…, AROA…, ANPA…) and ARNs in the importing account;
 * the outcome lists each replaced id and the account the document came from, so a round trip
 * (import, then export) gives the same document modulo exactly those. Dates are kept.
 */
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Database, Tx } from '../../db/client.ts';
import { selectRows } from '../../db/rows.ts';
import { groups, managedPolicies, roles, users } from '../../db/schema/index.ts';
import { EntityAlreadyExistsError, MalformedPolicyDocumentError, ValidationError, type EntityType } from '../../errors.ts';
import { namedPrincipals, type Finding } from '../../policy/index.ts';
import { runWrite, type RecordChange, type WriteActor, type WriteResult } from '../../changes/outbox.ts';
import { enforceQuota } from '../quotas.ts';
import { newUniqueId } from '../ids.ts';
import { policyArnOf } from '../policies.ts';
import { rethrowUniqueViolation } from '../unique-violation.ts';
import { planImport, type ImportPlan, type PlannedPrincipal, type PolicyReference, type SkippedElement } from './import-plan.ts';

/** One id the import replaced: the document's, and the one the entity has here. */
export interface ReplacedId {
  readonly path: string;
  readonly previousId: string;
  readonly newId: string;
}

/** What an import did. */
export interface AuthorizationImportOutcome {
  readonly users: number;
  readonly groups: number;
  readonly roles: number;
  readonly policies: number;
  readonly policyVersions: number;
  readonly inlinePolicies: number;
  readonly attachments: number;
  readonly memberships: number;
  /** The account the document's ARNs name (null when it names none), replaced by the caller's in every new ARN. */
  readonly sourceAccountId: string | null;
  readonly replacedIds: readonly ReplacedId[];
  readonly skipped: readonly SkippedElement[];
}

const ACCOUNT_OF_ARN = /^arn:aws:iam::([0-9]{12}):/;

/** A name used twice in the document (case-insensitively) or already taken in the account. */
function clash(at: string, what: string, name: string, earlier?: string): never {
  throw new ValidationError(
    at,
    earlier === undefined ? 'entity-exists' : 'duplicate',
    earlier === undefined ? `${at} ${JSON.stringify(name)} names a ${what} the account already has` : `${at} ${JSON.stringify(name)} repeats the ${what} name at ${earlier}`,
  );
}

/** Refuses names repeated within one list. */
function uniqueNames(items: ReadonlyArray<{ name: string; at: string }>, what: string, key: string): void {
  const seen = new Map<string, string>();
  for (const item of items) {
    const lower = item.name.toLowerCase();
    const earlier = seen.get(lower);
    if (earlier !== undefined) clash(`${item.at}.${key}`, what, item.name, earlier);
    seen.set(lower, `${item.at}.${key}`);
  }
}

/** What a reference resolves to: a policy of the import, a built-in one, or nothing (skipped). */
type Resolved = { readonly id: string; readonly arn: string } | undefined;

/** Rows the write inserts, in the JSON each statement reads. */
interface Rows {
  policies: object[];
  versions: object[];
  groups: object[];
  users: object[];
  roles: object[];
  memberships: object[];
  attachments: object[];
  inline: object[];
}

/** The imported entity kinds' change-log kind and entity type. */
const CREATED = {
  user: { kind: 'UserCreated', entityType: 'user', nameKey: 'userName' },
  group: { kind: 'GroupCreated', entityType: 'group', nameKey: 'groupName' },
  role: { kind: 'RoleCreated', entityType: 'role', nameKey: 'roleName' },
} as const;

/** importAccountAuthorizationDetails: the whole document into the actor's account, or nothing. */
export async function importAccountAuthorizationDetails(database: Database, actor: WriteActor, document: string): Promise<WriteResult<AuthorizationImportOutcome>> {
  const plan = planImport(document);
  const account = actor.accountId;
  uniqueNames(plan.users, 'user', 'UserName');
  uniqueNames(plan.groups, 'group', 'GroupName');
  uniqueNames(plan.roles, 'role', 'RoleName');
  uniqueNames(plan.policies, 'policy', 'PolicyName');
  const sourceAccountId = sourceAccount(plan);

  return runWrite(database, actor, async (tx, record) => {
    await lockAndCountQuotas(tx, account, plan);
    await refuseExistingNames(tx, account, plan);
    const skipped = [...plan.skipped];
    const replacedIds: ReplacedId[] = [];
    const replaced = (at: string, previousId: string | undefined, newId: string): void => {
      if (previousId !== undefined) replacedIds.push({ path: at, previousId, newId });
    };

    // Managed policies first: attachments and boundaries refer to them.
    const policyByArn = new Map<string, { id: string; arn: string }>();
    const rows: Rows = { policies: [], versions: [], groups: [], users: [], roles: [], memberships: [], attachments: [], inline: [] };
    for (const p of plan.policies) {
      const id = newUniqueId('policy');
      const arn = policyArnOf(account, p.path, p.name);
      if (policyByArn.has(p.previousArn)) clash(`${p.at}.Arn`, 'policy', p.previousArn, 'an earlier element');
      policyByArn.set(p.previousArn, { id, arn });
      replaced(`${p.at}.PolicyId`, p.previousId, id);
      const now = new Date();
      rows.policies.push({
        id,
        name: p.name,
        path: p.path,
        description: p.description,
        is_attachable: p.isAttachable,
        last_version_number: Math.max(...p.versions.map((v) => v.number)),
        created_at: (p.createdAt ?? now).toISOString(),
        updated_at: (p.updatedAt ?? p.createdAt ?? now).toISOString(),
      });
      for (const v of p.versions) {
        rows.versions.push({ policy_id: id, version_number: v.number, document: v.text, is_default: v.isDefault, created_at: (v.createdAt ?? p.createdAt ?? now).toISOString() });
      }
    }
    const builtIns = await builtInPolicies(tx, plan);
    for (const b of plan.builtInPolicies) {
      if (!builtIns.has(b.arn)) skipped.push({ path: b.at, reason: `AWS managed policy ${b.arn} is not one of the built-in policies here; attachments of it are skipped` });
    }
    const resolvePolicy = (ref: PolicyReference): Resolved => {
      const local = policyByArn.get(ref.arn);
      if (local !== undefined) return local;
      if (ref.arn.startsWith('arn:aws:iam::aws:policy/')) {
        const found = builtIns.get(ref.arn);
        if (found === undefined) skipped.push({ path: ref.at, reason: `AWS managed policy ${ref.arn} is not built in here` });
        return found;
      }
      throw new ValidationError(ref.at, 'dangling-reference', `${ref.at} ${JSON.stringify(ref.arn.slice(0, 300))} names a managed policy that the document's Policies list does not hold`);
    };

    // New ids and ARNs of every principal before any row, so trust policies can name imported users and roles.
    const ids = new Map<PlannedPrincipal, string>();
    const principalIdByArn = new Map<string, string>();
    for (const p of [...plan.groups, ...plan.users, ...plan.roles]) {
      const id = newUniqueId(p.kind);
      ids.set(p, id);
      replaced(`${p.at}.${p.kind === 'user' ? 'UserId' : p.kind === 'group' ? 'GroupId' : 'RoleId'}`, p.previousId, id);
      if (p.kind !== 'group') principalIdByArn.set(`arn:aws:iam::${account}:${p.kind}${p.path}${p.name}`, id);
    }
    const groupIdByName = new Map(plan.groups.map((g) => [g.name.toLowerCase(), ids.get(g)!]));
    const trustIds = await trustPrincipalIds(tx, account, plan.roles, principalIdByArn);

    let attachments = 0;
    let inlineCount = 0;
    let memberships = 0;
    for (const p of [...plan.groups, ...plan.users, ...plan.roles]) {
      const id = ids.get(p)!;
      const fk = { user_id: p.kind === 'user' ? id : null, group_id: p.kind === 'group' ? id : null, role_id: p.kind === 'role' ? id : null };
      const boundary = p.boundary === undefined ? undefined : resolvePolicy(p.boundary);
      const createdAt = (p.createdAt ?? new Date()).toISOString();
      if (p.kind === 'group') rows.groups.push({ id, name: p.name, path: p.path, created_at: createdAt });
      if (p.kind === 'user') rows.users.push({ id, name: p.name, path: p.path, tags: p.tags, permissions_boundary_arn: boundary?.arn ?? null, created_at: createdAt });
      if (p.kind === 'role') {
        rows.roles.push({ id, name: p.name, path: p.path, trust_policy: p.trust!.text, trust_principal_ids: trustIds.get(p) ?? {}, tags: p.tags, permissions_boundary_arn: boundary?.arn ?? null, created_at: createdAt });
      }
      const attachedHere = new Set<string>();
      for (const ref of p.attached) {
        const policy = resolvePolicy(ref);
        if (policy === undefined || attachedHere.has(policy.id)) continue;
        attachedHere.add(policy.id);
        rows.attachments.push({ policy_id: policy.id, principal_kind: p.kind, ...fk });
        attachments++;
      }
      for (const doc of p.inline) {
        rows.inline.push({ principal_kind: p.kind, ...fk, name: doc.name, document: doc.text });
        inlineCount++;
      }
      const joined = new Set<string>();
      for (const g of p.groups) {
        const groupId = groupIdByName.get(g.name.toLowerCase());
        if (groupId === undefined) throw new ValidationError(g.at, 'dangling-reference', `${g.at} ${JSON.stringify(g.name)} names a group that the document's GroupDetailList does not hold`);
        if (joined.has(groupId)) continue;
        joined.add(groupId);
        rows.memberships.push({ group_id: groupId, user_id: id });
        memberships++;
      }
    }

    await insertAll(tx, account, rows);
    recordChanges(record, account, plan, ids, policyByArn);
    return {
      users: plan.users.length,
      groups: plan.groups.length,
      roles: plan.roles.length,
      policies: plan.policies.length,
      policyVersions: rows.versions.length,
      inlinePolicies: inlineCount,
      attachments,
      memberships,
      sourceAccountId,
      replacedIds,
      skipped,
    };
  });
}

/** The account the document's entity ARNs name (the first one found). */
function sourceAccount(plan: ImportPlan): string | null {
  for (const p of plan.policies) {
    const match = ACCOUNT_OF_ARN.exec(p.previousArn);
    if (match !== null) return match[1]!;
  }
  return null;
}

/** Takes each count quota's lock (as single creates do) and refuses an import that would pass it. */
async function lockAndCountQuotas(tx: Tx, account: string, plan: ImportPlan): Promise<void> {
  const checks = [
    ['Users', plan.users.length, sql`select count(*)::int as n from ${users} where ${users.accountId} = ${account} and not ${users.isRoot}`],
    ['Groups', plan.groups.length, sql`select count(*)::int as n from ${groups} where ${groups.accountId} = ${account}`],
    ['Roles', plan.roles.length, sql`select count(*)::int as n from ${roles} where ${roles.accountId} = ${account}`],
    ['Policies', plan.policies.length, sql`select count(*)::int as n from ${managedPolicies} where ${managedPolicies.accountId} = ${account}`],
  ] as const;
  for (const [name, adding, count] of checks) {
    if (adding === 0) continue;
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`portcullis-quota:${name}:${account}`}, 0))`);
    const [row] = await selectRows<{ n: number }>(tx, count);
    enforceQuota(name, Number(row?.n ?? 0), adding);
  }
}

/** Refuses the first imported name the account already uses, naming its path (one statement per kind). */
async function refuseExistingNames(tx: Tx, account: string, plan: ImportPlan): Promise<void> {
  const kinds = [
    { items: plan.users, table: users, what: 'user', key: 'UserName' },
    { items: plan.groups, table: groups, what: 'group', key: 'GroupName' },
    { items: plan.roles, table: roles, what: 'role', key: 'RoleName' },
    { items: plan.policies, table: managedPolicies, what: 'policy', key: 'PolicyName' },
  ] as const;
  for (const { items, table, what, key } of kinds) {
    if (items.length === 0) continue;
    const lower = items.map((i) => i.name.toLowerCase());
    const taken = await tx
      .select({ name: sql<string>`lower(${table.name})` })
      .from(table)
      .where(and(eq(table.accountId, account), inArray(sql`lower(${table.name})`, lower)));
    if (taken.length === 0) continue;
    const names = new Set(taken.map((t) => t.name));
    const first = items.find((i) => names.has(i.name.toLowerCase()))!;
    clash(`${first.at}.${key}`, what, first.name);
  }
}

/** The built-in policies the document names (listed, attached or as boundary) that exist here, by ARN. */
async function builtInPolicies(tx: Tx, plan: ImportPlan): Promise<Map<string, { id: string; arn: string }>> {
  const arns = new Set(plan.builtInPolicies.map((b) => b.arn));
  for (const p of [...plan.users, ...plan.groups, ...plan.roles]) {
    for (const ref of [...p.attached, ...(p.boundary === undefined ? [] : [p.boundary])]) if (ref.arn.startsWith('arn:aws:iam::aws:policy/')) arns.add(ref.arn);
  }
  if (arns.size === 0) return new Map();
  const found = await tx
    .select({ id: managedPolicies.id, arn: managedPolicies.arn })
    .from(managedPolicies)
    .where(and(isNull(managedPolicies.accountId), inArray(managedPolicies.arn, [...arns])));
  return new Map(found.map((f) => [f.arn, f]));
}

/**
 * Each role's trust-policy principal ids (roles.trust_principal_ids): a user or role of this
 * account the policy names is one the import creates, or one the account has; another account's
 * stays by ARN. Naming a principal of this account that neither holds is refused, as CreateRole does.
 */
async function trustPrincipalIds(tx: Tx, account: string, planned: readonly PlannedPrincipal[], imported: ReadonlyMap<string, string>): Promise<Map<PlannedPrincipal, Record<string, string>>> {
  const named = planned.map((role) => ({ role, names: namedPrincipals(role.trust!.text) }));
  const lookUp = [...new Set(named.flatMap((n) => n.names.map((x) => x.arn)).filter((arn) => !imported.has(arn)))];
  const existing = new Map<string, string>();
  if (lookUp.length > 0) {
    const found = [
      ...(await tx.select({ arn: users.arn, id: users.id }).from(users).where(inArray(users.arn, lookUp))),
      ...(await tx.select({ arn: roles.arn, id: roles.id }).from(roles).where(inArray(roles.arn, lookUp))),
    ];
    for (const f of found) existing.set(f.arn, f.id);
  }
  const result = new Map<PlannedPrincipal, Record<string, string>>();
  for (const { role, names } of named) {
    const ids: Record<string, string> = {};
    for (const n of names) {
      const id = imported.get(n.arn) ?? existing.get(n.arn);
      if (id !== undefined) ids[n.arn] = id;
      else if (n.accountId === account) {
        const finding: Finding = { findingType: 'ERROR', issueCode: 'INVALID_PRINCIPAL', message: `invalid principal in policy: ${JSON.stringify(n.arn)} does not exist`, path: n.path, line: n.line, column: n.column };
        throw new MalformedPolicyDocumentError(role.trust!.at, [finding]);
      }
    }
    result.set(role, ids);
  }
  return result;
}

/** One insert per table, each reading its rows from one JSON parameter (sent as text, so postgres.js does not re-encode it). */
async function insertAll(tx: Tx, account: string, rows: Rows): Promise<void> {
  const json = (items: object[]) => sql`${JSON.stringify(items)}::text::jsonb`;
  const taken = (what: EntityType) => rethrowUniqueViolation(() => new EntityAlreadyExistsError(what, 'an imported name (created concurrently)'));
  if (rows.policies.length > 0) {
    await tx
      .execute(sql`insert into managed_policies (id, account_id, path, name, description, is_attachable, last_version_number, created_at, updated_at)
        select r.id, ${account}, r.path, r.name, r.description, r.is_attachable, r.last_version_number, r.created_at, r.updated_at
        from jsonb_to_recordset(${json(rows.policies)}) as r(id text, path text, name text, description text, is_attachable boolean, last_version_number int, created_at timestamptz, updated_at timestamptz)`)
      .catch(taken('Policy'));
    await tx.execute(sql`insert into policy_versions (policy_id, version_number, document, is_default, created_at)
        select r.policy_id, r.version_number, r.document, r.is_default, r.created_at
        from jsonb_to_recordset(${json(rows.versions)}) as r(policy_id text, version_number int, document text, is_default boolean, created_at timestamptz)`);
  }
  if (rows.groups.length > 0) {
    await tx
      .execute(sql`insert into groups (id, account_id, path, name, created_at)
        select r.id, ${account}, r.path, r.name, r.created_at from jsonb_to_recordset(${json(rows.groups)}) as r(id text, path text, name text, created_at timestamptz)`)
      .catch(taken('Group'));
  }
  if (rows.users.length > 0) {
    await tx
      .execute(sql`insert into users (id, account_id, path, name, tags, permissions_boundary_arn, created_at)
        select r.id, ${account}, r.path, r.name, r.tags, r.permissions_boundary_arn, r.created_at
        from jsonb_to_recordset(${json(rows.users)}) as r(id text, path text, name text, tags jsonb, permissions_boundary_arn text, created_at timestamptz)`)
      .catch(taken('User'));
  }
  if (rows.roles.length > 0) {
    await tx
      .execute(sql`insert into roles (id, account_id, path, name, trust_policy, trust_principal_ids, tags, permissions_boundary_arn, created_at)
        select r.id, ${account}, r.path, r.name, r.trust_policy, r.trust_principal_ids, r.tags, r.permissions_boundary_arn, r.created_at
        from jsonb_to_recordset(${json(rows.roles)}) as r(id text, path text, name text, trust_policy text, trust_principal_ids jsonb, tags jsonb, permissions_boundary_arn text, created_at timestamptz)`)
      .catch(taken('Role'));
  }
  if (rows.memberships.length > 0) {
    await tx.execute(sql`insert into group_memberships (group_id, user_id)
        select r.group_id, r.user_id from jsonb_to_recordset(${json(rows.memberships)}) as r(group_id text, user_id text)`);
  }
  if (rows.attachments.length > 0) {
    await tx.execute(sql`insert into policy_attachments (policy_id, principal_kind, user_id, group_id, role_id)
        select r.policy_id, r.principal_kind::principal_kind, r.user_id, r.group_id, r.role_id
        from jsonb_to_recordset(${json(rows.attachments)}) as r(policy_id text, principal_kind text, user_id text, group_id text, role_id text)`);
  }
  if (rows.inline.length > 0) {
    await tx.execute(sql`insert into inline_policies (principal_kind, user_id, group_id, role_id, name, document)
        select r.principal_kind::principal_kind, r.user_id, r.group_id, r.role_id, r.name, r.document
        from jsonb_to_recordset(${json(rows.inline)}) as r(principal_kind text, user_id text, group_id text, role_id text, name text, document text)`);
  }
}

/** One change-log row per created entity, all in this write's batch; each says it was imported. */
function recordChanges(
  record: RecordChange,
  account: string,
  plan: ImportPlan,
  ids: ReadonlyMap<PlannedPrincipal, string>,
  policies: ReadonlyMap<string, { id: string; arn: string }>,
): void {
  for (const p of plan.policies) {
    const created = policies.get(p.previousArn)!;
    record({ kind: 'PolicyCreated', entityType: 'policy', entityArn: created.arn, affectedPrincipalIds: [], payload: { policyName: p.name, path: p.path, defaultVersionId: `v${p.versions.find((v) => v.isDefault)!.number}`, imported: true } });
  }
  for (const p of [...plan.groups, ...plan.users, ...plan.roles]) {
    const id = ids.get(p)!;
    const { kind, entityType, nameKey } = CREATED[p.kind];
    record({
      kind,
      entityType,
      entityArn: `arn:aws:iam::${account}:${p.kind}${p.path}${p.name}`,
      affectedPrincipalIds: [id],
      payload: { [nameKey]: p.name, path: p.path, imported: true, attachedPolicies: p.attached.length, inlinePolicies: p.inline.length, ...(p.kind === 'user' ? { groups: p.groups.length } : {}) },
    });
  }
}
