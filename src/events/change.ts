/** The in-process shape of one change-log row, as the listener publishes it. */
import type { changeLog } from '../db/schema/change-log.ts';

/** One directory change, read from the change log after it committed. */
export interface ChangeEvent {
  /** Commit-ordered revision, as a decimal string (bigint on the wire would lose precision). */
  readonly revision: string;
  readonly accountId: string | null;
  readonly actorArn: string;
  /** What happened, e.g. `UserCreated`, `PolicyAttached`. */
  readonly kind: string;
  /** Which kind of entity changed, e.g. `user`, `policy`. */
  readonly entityType: string;
  readonly entityArn: string;
  /** Unique ids (AIDA…/AGPA…/AROA…) of principals whose effective permissions may have changed. */
  readonly affectedPrincipalIds: readonly string[];
  /** Non-secret details of the change. */
  readonly payload: Readonly<Record<string, unknown>>;
  readonly createdAt: Date;
}

/** A change-log row as the bus publishes it. */
export function toChangeEvent(row: typeof changeLog.$inferSelect): ChangeEvent {
  return {
    revision: row.revision.toString(),
    accountId: row.accountId,
    actorArn: row.actorArn,
    kind: row.kind,
    entityType: row.entityType,
    entityArn: row.entityArn,
    affectedPrincipalIds: row.affectedPrincipalIds,
    payload: row.payload,
    createdAt: row.createdAt,
  };
}
