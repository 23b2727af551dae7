/** The in-process shape of one change-log row, as the listener publishes it. */
import type { changeLog } from '../db/schema/change-log.ts';
import type { ChangeEntityType, ChangeKind } from './change-kinds.ts';

/** One directory change, read from the change log after it committed. */
export interface ChangeEvent {
  /** Commit-ordered revision, as a decimal string (bigint on the wire would lose precision). */
  readonly revision: string;
  readonly accountId: string | null;
  readonly actorArn: string;
  /** What happened, e.g. `UserCreated`, `PolicyAttached`. */
  readonly kind: ChangeKind;
  /** Which kind of entity changed, e.g. `user`, `policy`. */
  readonly entityType: ChangeEntityType;
  readonly entityArn: string;
  /** Unique ids (AIDA…/AGPA…/AROA…) of principals whose effective permissions may have changed. */
  readonly affectedPrincipalIds: readonly string[];
  /** Non-secret details of the change. */
  readonly payload: Readonly<Record<string, unknown>>;
  readonly createdAt: Date;
}

/** `entityType` of audit rows: records of what happened to nobody's permissions, which no cache reacts to. */
export const AUDIT_ENTITY_TYPE: ChangeEntityType = 'audit';

/** Kind of the row a refused self-authorization check becomes (entityType `audit`). */
export const ACCESS_DENIED_KIND: ChangeKind = 'AccessDenied';

/**
 * Kinds of audit-only rows written under another entity type: a failed sign-in (by password or
 * through an identity provider), a refused SAML assertion or a refused SAML metadata document
 * records an attempt and changes nothing (a successful one issues a session or stores a provider,
 * so it is not audit-only).
 */
export const AUDIT_ONLY_KINDS: readonly ChangeKind[] = ['SignInFailed', 'FederatedSignInRefused', 'SAMLAssertionRefused', 'SAMLMetadataRefused'];

/**
 * Kinds that record a session issued or ended (AssumeRole and its kin, GetSessionToken,
 * GetFederationToken, console sign-ins and sign-outs): records of use that change nobody's
 * permissions. `changes` subscribers get them like any change, but the retention sweep deletes
 * them with the audit-only rows, as CloudTrail's event history keeps 90 days: otherwise any
 * caller allowed sts:AssumeRole could grow the log for ever. A revocation is long past its
 * session's end by then, and instances read revocations from the session table, not the log.
 */
export const SESSION_RECORD_KINDS: readonly ChangeKind[] = [
  'RoleAssumed',
  'RoleAssumedWithWebIdentity',
  'RoleAssumedWithSAML',
  'SessionTokenIssued',
  'FederationTokenIssued',
  'SignInSucceeded',
  'FederatedSignInSucceeded',
  'SessionRevoked',
];

/** Kinds whose rows the retention sweep deletes once old (as it does every audit entity row), when they name no affected principal. */
export const EXPIRING_KINDS: readonly ChangeKind[] = [...AUDIT_ONLY_KINDS, ...SESSION_RECORD_KINDS];

/**
 * Whether a row only records an attempt (a denial, a failed sign-in) and carries no directory
 * change: such rows are left out of `changes` unless asked for, and deleted after the retention
 * period (audit-retention.ts). Invariant: a row with affected principals is never audit-only.
 */
export function isAuditOnly(event: Pick<ChangeEvent, 'entityType' | 'kind' | 'affectedPrincipalIds'>): boolean {
  return event.affectedPrincipalIds.length === 0 && (event.entityType === AUDIT_ENTITY_TYPE || AUDIT_ONLY_KINDS.includes(event.kind));
}

/** A change-log row as the bus publishes it. */
export function toChangeEvent(row: typeof changeLog.$inferSelect): ChangeEvent {
  return {
    revision: row.revision.toString(),
    accountId: row.accountId,
    actorArn: row.actorArn,
    // Only writers typed with ChangeInput (or the denial audit) write the log.
    kind: row.kind as ChangeKind,
    entityType: row.entityType as ChangeEntityType,
    entityArn: row.entityArn,
    affectedPrincipalIds: row.affectedPrincipalIds,
    payload: row.payload,
    createdAt: row.createdAt,
  };
}

/**
 * Every id and ARN a batch of changes names: the changed entity's ARN, the affected principals'
 * ids, and the payload's top-level strings (payloads name access keys and sessions by id, e.g.
 * `{ accessKeyId }`). Caches drop the entries that depend on any of them.
 */
export function namesInChanges(events: readonly ChangeEvent[]): Set<string> {
  const named = new Set<string>();
  for (const event of events) {
    // Audit rows (AccessDenied, SignInFailed) record what was refused; they change nobody's permissions.
    if (isAuditOnly(event)) continue;
    named.add(event.entityArn);
    for (const id of event.affectedPrincipalIds) named.add(id);
    for (const value of Object.values(event.payload)) if (typeof value === 'string') named.add(value);
  }
  return named;
}
