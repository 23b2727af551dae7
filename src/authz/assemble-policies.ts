/**
 * The pure half of effective-policy loading: turns one batch's rows (load-principals.ts) into
 * each principal's effective set, compiling documents through the compiled-policy cache and
 * noting every id and ARN the set was built from, so the change log can invalidate it precisely.
 */
import type { CompiledPolicy, RequestPrincipal } from '../policy/types.ts';
import type { CompiledPolicyCache } from './compiled-policies.ts';
import type { EffectivePolicies } from './effective-set.ts';
import type { ManagedRow, PrincipalRows, RoleRow, SessionRow, UserRow } from './load-principals.ts';
import { parsePrincipalArn, sessionKeyOf, type PrincipalRef } from './principal-ref.ts';

/**
 * One shared instance of the strings many cached sets hold (group and policy ids and ARNs,
 * account ids): each batch's rows arrive as fresh strings, and without this every cached
 * principal would keep its own copies. Bounded: it starts afresh when full (sharing, not
 * correctness, depends on it).
 */
export class StringPool {
  private pool = new Map<string, string>();

  constructor(private readonly limit = 100_000) {}

  /** The pooled instance equal to `value`. */
  of(value: string): string {
    const hit = this.pool.get(value);
    if (hit !== undefined) return hit;
    if (this.pool.size >= this.limit) this.pool = new Map();
    this.pool.set(value, value);
    return value;
  }
}

/** What the root user's identity side is when a federation session cuts it with session policies. */
const ROOT_FULL_ACCESS = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });

/** Turns one batch's rows into effective sets. */
export class Assembler {
  private readonly usersByArn = new Map<string, UserRow>();
  private readonly usersById = new Map<string, UserRow>();
  private readonly rolesByArn = new Map<string, RoleRow>();
  private readonly rolesById = new Map<string, RoleRow>();
  private readonly groupsOf = new Map<string, Array<{ groupId: string; groupArn: string }>>();
  private readonly managedOf = new Map<string, ManagedRow[]>();
  private readonly managedByArn = new Map<string, ManagedRow>();
  private readonly inlineOf = new Map<string, Array<{ name: string; document: string }>>();

  constructor(
    private readonly rows: PrincipalRows,
    private readonly compiled: CompiledPolicyCache,
    strings: StringPool,
  ) {
    for (const u of rows.users) {
      u.accountId = strings.of(u.accountId);
      this.usersByArn.set(u.arn, u);
      this.usersById.set(u.id, u);
    }
    for (const r of rows.roles) {
      r.accountId = strings.of(r.accountId);
      this.rolesByArn.set(r.arn, r);
      this.rolesById.set(r.id, r);
    }
    for (const m of rows.memberships) push(this.groupsOf, m.userId, { groupId: strings.of(m.groupId), groupArn: strings.of(m.groupArn) });
    const managedById = new Map<string, ManagedRow>();
    for (const m of rows.policies) {
      m.policyId = strings.of(m.policyId);
      m.arn = strings.of(m.arn);
      m.name = strings.of(m.name);
      managedById.set(m.policyId, m);
      this.managedByArn.set(m.arn, m);
    }
    for (const a of rows.attachments) {
      const m = managedById.get(a.policyId);
      if (m !== undefined) push(this.managedOf, a.ownerId, m);
    }
    for (const p of rows.inline) push(this.inlineOf, p.principalId, p);
  }

  /** The effective set of `ref`, or undefined when the batch found no such principal. */
  build(ref: PrincipalRef): EffectivePolicies | undefined {
    const key = sessionKeyOf(ref);
    if (key !== undefined) {
      const session = this.rows.sessions.find((s) => s.accessKeyId === key);
      return session === undefined ? undefined : this.forSession(ref, session);
    }
    const parsed = parsePrincipalArn(ref);
    if (parsed === undefined) return undefined;
    if (parsed.kind === 'root' || parsed.kind === 'user') {
      const user = this.usersByArn.get(ref);
      if (user === undefined) return undefined;
      // Equal strings: the cache holds the ref anyway, so the set keeps that one instance.
      user.arn = ref;
      return this.forUser(ref, user, undefined);
    }
    if (parsed.kind === 'role') {
      const role = this.rolesByArn.get(ref);
      if (role === undefined) return undefined;
      role.arn = ref;
      return this.forRole(ref, role, undefined, ref);
    }
    // An assumed-role or federated-user ARN names a session by name: use the newest live one.
    const newest = this.rows.sessions
      .filter((s) => s.arn === ref)
      .sort((a, b) => b.issuedAt.getTime() - a.issuedAt.getTime())[0];
    return newest === undefined ? undefined : this.forSession(ref, newest);
  }

  private forSession(ref: PrincipalRef, s: SessionRow): EffectivePolicies | undefined {
    const tokenFacts = { tokenIssueTime: s.issuedAt, mfaPresent: s.mfaAuthenticated };
    if (s.roleId !== null) {
      const role = this.rolesById.get(s.roleId);
      if (role === undefined) return undefined;
      const sessionTags: Record<string, string> = {};
      for (const tag of s.sessionTags) sessionTags[tag.key] = tag.value;
      const entry = this.forRole(ref, role, s, s.arn);
      const principal: RequestPrincipal = {
        ...entry.principal,
        userId: `${role.id}:${s.sessionName ?? ''}`,
        tags: { ...entry.principal.tags, ...sessionTags },
        ...tokenFacts,
        ...(s.sourceIdentity === null ? {} : { sourceIdentity: s.sourceIdentity }),
      };
      return { ...entry, principal };
    }
    const user = s.userId === null ? undefined : this.usersById.get(s.userId);
    if (user === undefined) return undefined;
    if (s.kind === 'federation_token') return this.forFederatedUser(ref, user, s, tokenFacts);
    const entry = this.forUser(ref, user, s);
    return { ...entry, principal: { ...entry.principal, ...tokenFacts } };
  }

  /**
   * A GetFederationToken session: its user's identity policies (for root, its full access) cut
   * by the session policies, as principal `arn:aws:sts::<account>:federated-user/<name>` (a
   * resource policy grants to it by that ARN, not the user's). With no session policy the engine
   * allows it nothing, as AWS does.
   */
  private forFederatedUser(
    ref: PrincipalRef,
    user: UserRow,
    s: SessionRow,
    tokenFacts: { tokenIssueTime: Date; mfaPresent: boolean },
  ): EffectivePolicies {
    const entry = this.forUser(ref, user, s);
    const identity = user.isRoot ? [this.compiled.document('root-full-access', 'identity', ROOT_FULL_ACCESS, { id: `${user.arn}/full-access`, name: 'RootFullAccess' })] : entry.identity;
    // aws:PrincipalTag/*: the user's tags, overridden by session tags of the same key (AWS: "Pass session tags in AWS STS").
    const tags: Record<string, string> = user.isRoot ? {} : tagRecord(user.tags);
    for (const tag of s.sessionTags) tags[tag.key] = tag.value;
    const principal: RequestPrincipal = { type: 'FederatedUser', arn: s.arn, accountId: user.accountId, userId: `${user.accountId}:${s.sessionName ?? ''}`, tags, ...tokenFacts };
    return { ...entry, identity, principal };
  }

  private forUser(ref: PrincipalRef, user: UserRow, session: SessionRow | undefined): EffectivePolicies {
    const dependsOn = new Set<string>([user.id, user.arn]);
    if (user.isRoot) {
      // The root user is allowed everything in its account by the engine; it has no policies.
      const principal: RequestPrincipal = { type: 'Account', arn: user.arn, accountId: user.accountId, userId: user.accountId };
      const sessionLayer = this.sessionLayer(session, dependsOn);
      return { ref, principal, principalId: user.id, identity: [], dependsOn: [...dependsOn], ...sessionLayer };
    }
    const identity: CompiledPolicy[] = [];
    this.identityOf(user.id, user.arn, identity, dependsOn);
    for (const group of this.groupsOf.get(user.id) ?? []) this.identityOf(group.groupId, group.groupArn, identity, dependsOn);
    const boundaryLayer = this.boundaryLayer(user.permissionsBoundaryArn, dependsOn);
    const sessionLayer = this.sessionLayer(session, dependsOn);
    const principal: RequestPrincipal = {
      type: 'User',
      arn: user.arn,
      accountId: user.accountId,
      userId: user.id,
      userName: user.name,
      tags: tagRecord(user.tags),
    };
    return {
      ref,
      principal,
      principalId: user.id,
      identity,
      dependsOn: [...dependsOn],
      ...boundaryLayer,
      ...sessionLayer,
    };
  }

  private forRole(
    ref: PrincipalRef,
    role: RoleRow,
    session: SessionRow | undefined,
    arn: string,
  ): EffectivePolicies {
    const dependsOn = new Set<string>([role.id, role.arn]);
    const identity: CompiledPolicy[] = [];
    this.identityOf(role.id, role.arn, identity, dependsOn);
    const boundaryLayer = this.boundaryLayer(role.permissionsBoundaryArn, dependsOn);
    const sessionLayer = this.sessionLayer(session, dependsOn);
    const principal: RequestPrincipal = {
      type: 'AssumedRole',
      arn,
      accountId: role.accountId,
      userId: role.id,
      roleArn: role.arn,
      tags: tagRecord(role.tags),
    };
    return {
      ref,
      principal,
      principalId: role.id,
      identity,
      dependsOn: [...dependsOn],
      ...boundaryLayer,
      ...sessionLayer,
    };
  }

  /** Appends the managed and inline identity policies of one user, group or role. */
  private identityOf(ownerId: string, ownerArn: string, into: CompiledPolicy[], dependsOn: Set<string>): void {
    dependsOn.add(ownerId);
    dependsOn.add(ownerArn);
    for (const m of this.managedOf.get(ownerId) ?? []) into.push(this.managed(m, 'identity', dependsOn));
    for (const p of this.inlineOf.get(ownerId) ?? []) {
      const id = `${ownerArn}/inline/${p.name}`;
      into.push(this.compiled.document(`${ownerId}/${p.name}`, 'identity', p.document, { id, name: p.name }));
    }
  }

  private boundaryLayer(boundaryArn: string | null, dependsOn: Set<string>): { boundary?: CompiledPolicy[] } {
    if (boundaryArn === null) return {};
    dependsOn.add(boundaryArn);
    const row = this.managedByArn.get(boundaryArn);
    // The foreign key keeps a boundary policy from vanishing; if it somehow did, allow nothing.
    return { boundary: row === undefined ? [] : [this.managed(row, 'boundary', dependsOn)] };
  }

  private sessionLayer(
    session: SessionRow | undefined,
    dependsOn: Set<string>,
  ): { session?: CompiledPolicy[]; validUntil?: number } {
    if (session === undefined) return {};
    const validUntil = session.expiresAt.getTime();
    dependsOn.add(session.accessKeyId);
    dependsOn.add(session.arn);
    if (session.sessionPolicy === null && session.sessionPolicyArns.length === 0) return { validUntil };
    const policies: CompiledPolicy[] = [];
    if (session.sessionPolicy !== null) {
      const id = `${session.arn}/session-policy`;
      policies.push(this.compiled.document(session.accessKeyId, 'session', session.sessionPolicy, { id, name: 'SessionPolicy' }));
    }
    for (const arn of session.sessionPolicyArns) {
      dependsOn.add(arn);
      const row = this.managedByArn.get(arn);
      // A session policy ARN that no longer resolves allows nothing (the layer stays, so it still limits).
      if (row !== undefined) policies.push(this.managed(row, 'session', dependsOn));
    }
    return { session: policies, validUntil };
  }

  private managed(row: ManagedRow, kind: 'identity' | 'boundary' | 'session', dependsOn: Set<string>): CompiledPolicy {
    dependsOn.add(row.policyId);
    dependsOn.add(row.arn);
    const versionId = `v${row.versionNumber}`;
    return this.compiled.version(row.policyId, row.versionNumber, kind, row.document, {
      id: `${row.arn}:${versionId}`,
      name: row.name,
      arn: row.arn,
      versionId,
    });
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

/** Tags as `aws:PrincipalTag` sees them. */
function tagRecord(tags: ReadonlyArray<{ key: string; value: string }>): Record<string, string> {
  const record: Record<string, string> = {};
  for (const tag of tags) record[tag.key] = tag.value;
  return record;
}
