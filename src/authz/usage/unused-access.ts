/**
 * Unused access findings, as IAM Access Analyzer's unused-access analyzer reports them for the
 * caller's account over a window of `unusedAccessAge` days (1-365, AWS's range):
 * - UnusedIAMRole: a role with no decision recorded and not assumed in the window;
 * - UnusedIAMUserAccessKey: an active access key not used in the window;
 * - UnusedIAMUserPassword: a console password not used in the window;
 * - UnusedPermission: per user or role (not an unused role) and granted service, the service not
 *   used in the window, or the granted actions of a used service that were not.
 * Entities, keys and passwords younger than the window are not findings yet (they have not had
 * the window to be used), nor is the root user. Each finding has a stable id (a digest of what it
 * is about), so a client can tell one appearing from one resolving (live/unused-access-watch).
 * SQL: a constant number of statements per account, plus the effective sets not cached.
 */
import { createHash } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { accessKeys } from '../../db/schema/credentials.ts';
import { roles, users } from '../../db/schema/principals.ts';
import { ValidationError } from '../../errors.ts';
import type { EffectivePolicyStore } from '../effective-policies.ts';
import { TRACKING_DAYS } from '../action-usage.ts';
import { grantedServices, type GrantedService } from './granted-services.ts';
import { actionUses, serviceUses } from './usage-reads.ts';
import type { GrantingPolicies } from '../../policy/index.ts';

/** Access Analyzer's finding types for unused access. */
export type UnusedFindingType = 'UnusedIAMRole' | 'UnusedIAMUserAccessKey' | 'UnusedIAMUserPassword' | 'UnusedPermission';

/** One unused action of an UnusedPermission finding. */
export interface UnusedAction {
  readonly action: string;
  readonly lastAccessed: Date | null;
}

/** A finding, with AWS's FindingSummaryV2 fields and the details of its type. */
export interface UnusedAccessFinding {
  readonly id: string;
  readonly findingType: UnusedFindingType;
  /** ARN of the user or role. */
  readonly resource: string;
  readonly resourceType: 'AWS::IAM::User' | 'AWS::IAM::Role';
  readonly resourceOwnerAccount: string;
  readonly status: 'ACTIVE' | 'RESOLVED';
  readonly analyzedAt: Date;
  /** Last use ever recorded (within the tracking period), null when never. */
  readonly lastAccessed: Date | null;
  /** UnusedIAMUserAccessKey: the key. */
  readonly accessKeyId: string | null;
  /** UnusedPermission: the service. */
  readonly serviceNamespace: string | null;
  /** UnusedPermission on a used service: its granted actions not used in the window (empty when the whole service is unused). */
  readonly actions: readonly UnusedAction[];
}

/** The findings of one analysis. */
export interface UnusedAccessReport {
  readonly unusedAccessAge: number;
  readonly analyzedAt: Date;
  readonly findings: readonly UnusedAccessFinding[];
}

/** Most users and roles one analysis covers (bounded work); more is a LimitExceeded-style refusal. */
export const MAX_ANALYZED_PRINCIPALS = 5_000;
const DAY_MS = 86_400_000;

/** Checks AWS's unusedAccessAge range (1-365 days). */
export function validateUnusedAccessAge(days: number, field: string): number {
  if (!Number.isInteger(days) || days < 1 || days > 365) throw new ValidationError(field, 'range', `${field} must be a whole number of days between 1 and 365, got ${days}`);
  return days;
}

/** Analyses `accountId` for unused access over the last `unusedAccessAge` days. */
export async function analyzeUnusedAccess(database: Database, effective: Pick<EffectivePolicyStore, 'loadMany'>, accountId: string, unusedAccessAge: number, now = new Date()): Promise<UnusedAccessReport> {
  const cutoff = new Date(now.getTime() - unusedAccessAge * DAY_MS);
  const tracked = new Date(now.getTime() - TRACKING_DAYS * DAY_MS);
  const db = database.db;
  const [userRows, roleRows, keyRows] = await Promise.all([
    db.select({ id: users.id, arn: users.arn, createdAt: users.createdAt, hasPassword: sql<boolean>`${users.passwordHash} is not null`, passwordChangedAt: users.passwordChangedAt, passwordLastUsedAt: users.passwordLastUsedAt })
      .from(users)
      .where(and(eq(users.accountId, accountId), eq(users.isRoot, false))),
    db.select({ id: roles.id, arn: roles.arn, createdAt: roles.createdAt, lastUsedAt: roles.lastUsedAt }).from(roles).where(eq(roles.accountId, accountId)),
    db.select({ id: accessKeys.id, userArn: users.arn, createdAt: accessKeys.createdAt, lastUsedAt: accessKeys.lastUsedAt })
      .from(accessKeys)
      .innerJoin(users, eq(users.id, accessKeys.userId))
      .where(and(eq(users.accountId, accountId), eq(users.isRoot, false), eq(accessKeys.status, 'Active'))),
  ]);
  if (userRows.length + roleRows.length > MAX_ANALYZED_PRINCIPALS) {
    throw new ValidationError('unusedAccessAge', 'size', `the account has ${userRows.length + roleRows.length} users and roles; unused-access analysis covers at most ${MAX_ANALYZED_PRINCIPALS}`);
  }
  const ids = [...userRows.map((u) => u.id), ...roleRows.map((r) => r.id)];
  const [services, actions, sets] = await Promise.all([
    serviceUses(database, ids, tracked),
    actionUses(database, ids, tracked),
    ids.length === 0 ? Promise.resolve([]) : effective.loadMany([...userRows.map((u) => u.arn), ...roleRows.map((r) => r.arn)]),
  ]);
  const lastService = new Map<string, Date>();
  const lastAny = new Map<string, Date>();
  for (const u of services) {
    lastService.set(`${u.principalId}\u0000${u.serviceNamespace}`, u.lastAccessedAt);
    const seen = lastAny.get(u.principalId);
    if (seen === undefined || u.lastAccessedAt > seen) lastAny.set(u.principalId, u.lastAccessedAt);
  }
  const lastAction = new Map(actions.map((a) => [`${a.principalId}\u0000${a.actionKey}`, a.lastAccessedAt]));
  const findings: UnusedAccessFinding[] = [];
  const base = { resourceOwnerAccount: accountId, status: 'ACTIVE' as const, analyzedAt: now, accessKeyId: null, serviceNamespace: null, actions: [] };
  const unused = (at: Date | null | undefined) => at == null || at < cutoff;
  const oldEnough = (created: Date) => created <= cutoff;

  const unusedRoles = new Set<string>();
  for (const role of roleRows) {
    const last = latest(lastAny.get(role.id), role.lastUsedAt);
    if (oldEnough(role.createdAt) && unused(last)) {
      unusedRoles.add(role.id);
      findings.push({ ...base, id: findingId('UnusedIAMRole', role.arn), findingType: 'UnusedIAMRole', resource: role.arn, resourceType: 'AWS::IAM::Role', lastAccessed: last ?? null });
    }
  }
  for (const key of keyRows) {
    if (oldEnough(key.createdAt) && unused(key.lastUsedAt)) {
      findings.push({ ...base, id: findingId('UnusedIAMUserAccessKey', key.userArn, key.id), findingType: 'UnusedIAMUserAccessKey', resource: key.userArn, resourceType: 'AWS::IAM::User', lastAccessed: key.lastUsedAt, accessKeyId: key.id });
    }
  }
  for (const user of userRows) {
    if (user.hasPassword && oldEnough(user.passwordChangedAt ?? user.createdAt) && unused(user.passwordLastUsedAt)) {
      findings.push({ ...base, id: findingId('UnusedIAMUserPassword', user.arn), findingType: 'UnusedIAMUserPassword', resource: user.arn, resourceType: 'AWS::IAM::User', lastAccessed: user.passwordLastUsedAt });
    }
  }

  // Unused permissions; principals with the same policies share one catalog walk.
  const grantedBySet = new Map<string, Promise<GrantedService[]>>();
  const principals = [...userRows.map((u) => ({ ...u, type: 'AWS::IAM::User' as const })), ...roleRows.map((r) => ({ ...r, type: 'AWS::IAM::Role' as const }))];
  for (let i = 0; i < principals.length; i++) {
    const principal = principals[i]!;
    const set = sets[i];
    if (set === undefined || set instanceof Error || unusedRoles.has(principal.id) || !oldEnough(principal.createdAt)) continue;
    const key = grantsKey(set);
    let granted = grantedBySet.get(key);
    if (granted === undefined) grantedBySet.set(key, (granted = grantedServices(database, accountId, set)));
    for (const { service, actions: grantedActions } of await granted) {
      const namespace = service.prefix.toLowerCase();
      const last = lastService.get(`${principal.id}\u0000${namespace}`);
      const common = { ...base, findingType: 'UnusedPermission' as const, resource: principal.arn, resourceType: principal.type, serviceNamespace: namespace, lastAccessed: last ?? null };
      if (unused(last)) {
        findings.push({ ...common, id: findingId('UnusedPermission', principal.arn, namespace) });
        continue;
      }
      const unusedActions = grantedActions
        .map((a) => ({ action: `${namespace}:${a.name}`, lastAccessed: lastAction.get(`${principal.id}\u0000${namespace}:${a.name.toLowerCase()}`) ?? null }))
        .filter((a) => unused(a.lastAccessed));
      if (unusedActions.length > 0) findings.push({ ...common, id: findingId('UnusedPermission', principal.arn, namespace, 'actions'), actions: unusedActions });
    }
  }
  findings.sort((a, b) => (a.resource < b.resource ? -1 : a.resource > b.resource ? 1 : a.id < b.id ? -1 : 1));
  return { unusedAccessAge, analyzedAt: now, findings };
}

/** A stable finding id: the same subject gives the same id in every analysis. */
function findingId(...parts: string[]): string {
  const digest = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  return `${digest.slice(0, 8)}-${digest.slice(8, 12)}-${digest.slice(12, 16)}-${digest.slice(16, 20)}-${digest.slice(20, 32)}`;
}

/** Identifies a set of granting policies (their compiled identities), for sharing work. */
function grantsKey(set: GrantingPolicies): string {
  return [...set.identity.map((p) => p.meta.id), '|', ...(set.boundary ?? []).map((p) => p.meta.id)].join('\u0000');
}

function latest(a: Date | null | undefined, b: Date | null | undefined): Date | undefined {
  if (a == null) return b ?? undefined;
  if (b == null) return a;
  return a > b ? a : b;
}
