/**
 * The highest change-log revision committed through one database handle. Every directory write
 * goes through a handle (the outbox's `runWrite` records its revision here), and a handle belongs
 * to one process, so this is what "this process's own writes" means when a reader wants to see
 * them (AuthzRuntime.reachOwnWrites); it lives on the handle for that reason, instead of in a
 * table kept beside it.
 */
export class CommitTracker {
  private highestRevision = 0n;

  /** The highest revision recorded (0 before the first write). */
  get highest(): bigint {
    return this.highestRevision;
  }

  /** Records a committed revision; a lower one than already seen changes nothing. */
  record(revision: bigint): void {
    if (revision > this.highestRevision) this.highestRevision = revision;
  }
}
