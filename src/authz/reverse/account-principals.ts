/**
 * Every user and role of an account, as the reverse questions ("who can") enumerate them: their
 * ARNs in one statement per account, cached per process and dropped when the change log names a
 * user or role of that account (created, renamed, moved, deleted), so `minRevision` holds.
 */
import { eq, sql } from 'drizzle-orm';
import { unionAll } from 'drizzle-orm/pg-core';
import type { ChangeBus } from '../../changes/bus.ts';
import type { ChangeEvent } from '../../changes/change.ts';
import type { Database } from '../../db/client.ts';
import { roles, users } from '../../db/schema/principals.ts';

/** One principal an account holds: enough to load its effective set and show it. */
export interface AccountPrincipal {
  readonly arn: string;
  readonly type: 'Root' | 'User' | 'Role';
}

/** Change-log entity types whose rows can add, remove or rename a principal of an account. */
const PRINCIPAL_ENTITIES: ReadonlySet<string> = new Set(['user', 'role', 'account']);

/** The per-account principal lists, one statement per account on a miss. */
export class AccountPrincipals {
  private readonly byAccount = new Map<string, Promise<readonly AccountPrincipal[]>>();
  /** Bumped by every change batch that names a principal: a load overlapping one is used once, not kept. */
  private generation = 0;

  constructor(
    private readonly database: Database,
    bus: Pick<ChangeBus, 'subscribe'>,
  ) {
    bus.subscribe((events) => this.onChanges(events));
  }

  /** The users (the root user included) and roles of `accountId`, sorted by ARN. */
  list(accountId: string): Promise<readonly AccountPrincipal[]> {
    const cached = this.byAccount.get(accountId);
    if (cached !== undefined) return cached;
    const generation = this.generation;
    const loading = this.load(accountId);
    this.byAccount.set(accountId, loading);
    loading.then(
      () => {
        if (generation !== this.generation && this.byAccount.get(accountId) === loading) this.byAccount.delete(accountId);
      },
      () => {
        if (this.byAccount.get(accountId) === loading) this.byAccount.delete(accountId);
      },
    );
    return loading;
  }

  private async load(accountId: string): Promise<readonly AccountPrincipal[]> {
    const db = this.database.db;
    const rows = await unionAll(
      db
        .select({ arn: users.arn, type: sql<AccountPrincipal['type']>`case when ${users.isRoot} then 'Root' else 'User' end`.as('type') })
        .from(users)
        .where(eq(users.accountId, accountId)),
      db.select({ arn: roles.arn, type: sql<AccountPrincipal['type']>`'Role'`.as('type') }).from(roles).where(eq(roles.accountId, accountId)),
    );
    const principals: AccountPrincipal[] = rows.map((row) => ({ arn: row.arn, type: row.type }));
    return principals.sort((a, b) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0));
  }

  private onChanges(events: readonly ChangeEvent[]): void {
    let touched = false;
    for (const event of events) {
      if (event.accountId === null || !PRINCIPAL_ENTITIES.has(event.entityType)) continue;
      this.byAccount.delete(event.accountId);
      touched = true;
    }
    if (touched) this.generation++;
  }
}
