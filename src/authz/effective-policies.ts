/**
 * A principal's effective policy set: identity policies (attached managed policies' default
 * versions and inline policies, directly and through the user's groups), permissions boundary,
 * and session policies (inline and by ARN) for a session. Loaded for a whole batch of principals
 * in a constant number of statements (load-principals.ts), cached per principal, and dropped
 * precisely when a change-log row names anything the entry was built from — never by a timer.
 */
import type { Database } from '../db/client.ts';
import type { ChangeBus } from '../events/bus.ts';
import type { ChangeEvent } from '../events/change.ts';
import { NoSuchEntityError } from '../iam/errors.ts';
import type { CompiledPolicy, RequestPrincipal } from '../policy/types.ts';
import type { CompiledPolicyCache } from './compiled-policies.ts';
import { loadPrincipalRows, type ManagedRow, type PrincipalRows, type RoleRow, type UserRow } from './load-principals.ts';
import { LruCache } from './lru.ts';
import { parsePrincipalArn, sessionKeyOf, type PrincipalRef } from './principal-ref.ts';

/** Everything the engine needs about one principal except the request itself. */
export interface EffectivePolicies {
  readonly ref: PrincipalRef;
  /** The principal as the engine sees it (request-specific facts like MFA are added per request). */
  readonly principal: RequestPrincipal;
  /** The unique id (AIDA…/AROA…) last-accessed data is recorded under. */
  readonly principalId: string;
  readonly identity: readonly CompiledPolicy[];
  /** Present when the principal has a permissions boundary. */
  readonly boundary?: readonly CompiledPolicy[];
  /** Present for sessions created with session policies. */
  readonly session?: readonly CompiledPolicy[];
  /** Ids, ARNs and key ids this entry was built from; a change naming any of them drops it. */
  readonly dependsOn: ReadonlySet<string>;
  /** For a session: when it expires (ms since epoch); the entry is not served after that. */
  readonly validUntil?: number;
}

/** Loads and caches effective policy sets; one per process. */
export class EffectivePolicyStore {
  readonly cache: LruCache<PrincipalRef, EffectivePolicies>;
  /** Bumped by every change batch: a load that overlapped a change is used once, not cached. */
  private generation = 0;

  constructor(
    private readonly database: Database,
    private readonly compiled: CompiledPolicyCache,
    bus: ChangeBus,
    capacity = 50_000,
  ) {
    this.cache = new LruCache(capacity);
    bus.subscribe((events) => this.onChanges(events));
  }

  /** The cached set of `ref`, if any (a miss is not counted: `loadMany` counts it). */
  peek(ref: PrincipalRef): EffectivePolicies | undefined {
    const entry = this.cache.peek(ref);
    return entry === undefined || isCurrent(entry) ? entry : undefined;
  }

  /**
   * The effective sets of `refs`, in order: cached entries directly, the rest from one batched
   * load. An unknown principal yields a NoSuchEntityError in its slot.
   */
  async loadMany(refs: readonly PrincipalRef[]): Promise<Array<EffectivePolicies | Error>> {
    const results: Array<EffectivePolicies | Error | undefined> = refs.map((ref) => {
      const entry = this.cache.get(ref);
      return entry === undefined || isCurrent(entry) ? entry : undefined;
    });
    const missing = refs.filter((_, i) => results[i] === undefined);
    if (missing.length === 0) return results as EffectivePolicies[];
    const generation = this.generation;
    const loaded = await this.loadFromDatabase(missing);
    const cacheable = generation === this.generation;
    return refs.map((ref, i) => {
      const hit = results[i];
      if (hit !== undefined) return hit;
      const entry = loaded.get(ref) ?? noSuchPrincipal(ref);
      if (cacheable && !(entry instanceof Error)) this.cache.set(ref, entry);
      return entry;
    });
  }

  /** Drops every entry built from something a change names. */
  private onChanges(events: readonly ChangeEvent[]): void {
    this.generation++;
    const named = new Set<string>();
    for (const event of events) {
      named.add(event.entityArn);
      for (const id of event.affectedPrincipalIds) named.add(id);
      for (const value of Object.values(event.payload)) if (typeof value === 'string') named.add(value);
    }
    this.cache.invalidateWhere((entry) => {
      for (const id of entry.dependsOn) if (named.has(id)) return true;
      return false;
    });
  }

  private async loadFromDatabase(refs: readonly PrincipalRef[]): Promise<Map<PrincipalRef, EffectivePolicies | Error>> {
    const userArns: string[] = [];
    const roleArns: string[] = [];
    const sessionArns: string[] = [];
    const sessionKeyIds: string[] = [];
    for (const ref of refs) {
      const key = sessionKeyOf(ref);
      if (key !== undefined) {
        sessionKeyIds.push(key);
        continue;
      }
      const parsed = parsePrincipalArn(ref);
      if (parsed === undefined) continue;
      if (parsed.kind === 'root' || parsed.kind === 'user') userArns.push(ref);
      else if (parsed.kind === 'role') roleArns.push(ref);
      else sessionArns.push(ref);
    }
    const now = new Date();
    const rows = await loadPrincipalRows(this.database, { userArns, roleArns, sessionArns, sessionKeyIds }, now);
    const assembler = new Assembler(rows, this.compiled);
    const out = new Map<PrincipalRef, EffectivePolicies | Error>();
    for (const ref of refs) {
      try {
        const entry = assembler.build(ref);
        if (entry !== undefined) out.set(ref, entry);
      } catch (error) {
        out.set(ref, error instanceof Error ? error : new Error(String(error)));
      }
    }
    return out;
  }
}

/** Turns one batch's rows into effective sets. */
class Assembler {
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
  ) {
    for (const u of rows.users) {
      this.usersByArn.set(u.arn, u);
      this.usersById.set(u.id, u);
    }
    for (const r of rows.roles) {
      this.rolesByArn.set(r.arn, r);
      this.rolesById.set(r.id, r);
    }
    for (const m of rows.memberships) push(this.groupsOf, m.userId, m);
    for (const m of rows.managed) {
      if (m.ownerId === null) this.managedByArn.set(m.arn, m);
      else push(this.managedOf, m.ownerId, m);
    }
    for (const p of rows.inline) push(this.inlineOf, p.principalId, p);
  }

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
      return user === undefined ? undefined : this.forUser(ref, user, undefined);
    }
    if (parsed.kind === 'role') {
      const role = this.rolesByArn.get(ref);
      return role === undefined ? undefined : this.forRole(ref, role, undefined, ref);
    }
    // An assumed-role ARN names a session by role and session name: use the newest live one.
    const newest = this.rows.sessions
      .filter((s) => s.arn === ref)
      .sort((a, b) => b.issuedAt.getTime() - a.issuedAt.getTime())[0];
    return newest === undefined ? undefined : this.forSession(ref, newest);
  }

  private forSession(ref: PrincipalRef, s: PrincipalRows['sessions'][number]): EffectivePolicies | undefined {
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
    const entry = this.forUser(ref, user, s);
    return { ...entry, principal: { ...entry.principal, ...tokenFacts } };
  }

  private forUser(ref: PrincipalRef, user: UserRow, session: PrincipalRows['sessions'][number] | undefined): EffectivePolicies {
    const dependsOn = new Set<string>([user.id, user.arn]);
    if (user.isRoot) {
      // The root user is allowed everything in its account by the engine; it has no policies.
      const principal: RequestPrincipal = { type: 'Account', arn: user.arn, accountId: user.accountId, userId: user.accountId };
      return { ref, principal, principalId: user.id, identity: [], dependsOn, ...this.sessionLayer(session, dependsOn) };
    }
    const identity: CompiledPolicy[] = [];
    this.identityOf(user.id, user.arn, identity, dependsOn);
    for (const group of this.groupsOf.get(user.id) ?? []) this.identityOf(group.groupId, group.groupArn, identity, dependsOn);
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
      dependsOn,
      ...this.boundaryLayer(user.permissionsBoundaryArn, dependsOn),
      ...this.sessionLayer(session, dependsOn),
    };
  }

  private forRole(
    ref: PrincipalRef,
    role: RoleRow,
    session: PrincipalRows['sessions'][number] | undefined,
    arn: string,
  ): EffectivePolicies {
    const dependsOn = new Set<string>([role.id, role.arn]);
    const identity: CompiledPolicy[] = [];
    this.identityOf(role.id, role.arn, identity, dependsOn);
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
      dependsOn,
      ...this.boundaryLayer(role.permissionsBoundaryArn, dependsOn),
      ...this.sessionLayer(session, dependsOn),
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
    session: PrincipalRows['sessions'][number] | undefined,
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

/** False once a session entry's session has expired. */
function isCurrent(entry: EffectivePolicies): boolean {
  return entry.validUntil === undefined || entry.validUntil > Date.now();
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

function noSuchPrincipal(ref: PrincipalRef): NoSuchEntityError {
  const parsed = sessionKeyOf(ref) === undefined ? parsePrincipalArn(ref) : undefined;
  const type = parsed?.kind === 'role' || parsed?.kind === 'assumed-role' ? 'Role' : 'User';
  return new NoSuchEntityError(type, ref);
}
