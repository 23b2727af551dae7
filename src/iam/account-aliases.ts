/**
 * Account aliases: CreateAccountAlias, DeleteAccountAlias and ListAccountAliases for the actor's own
 * account. An account has at most one alias (AWS); creating one replaces the previous, as the IAM
 * console does. Aliases are unique across the deployment, since sign-in accepts one in place of
 * the account id.
 */
import { eq } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { accounts } from '../db/schema/index.ts';
import { nameRules } from '../db/schema/rules.ts';
import { EntityAlreadyExistsError, NoSuchEntityError, ValidationError } from '../errors.ts';
import { runWrite, type WriteActor, type WriteResult } from '../changes/outbox.ts';
import type { Queryable } from './affected-principals.ts';
import { rootArn } from './bootstrap.ts';
import { rethrowUniqueViolation } from './unique-violation.ts';

/** The alias rule: 3-63 lowercase letters, digits and single hyphens, not starting or ending with one. */
export function validateAccountAlias(value: string, field = 'input.accountAlias'): string {
  const rule = nameRules.accountAlias;
  if (value.length < rule.minLength || value.length > rule.maxLength) {
    throw new ValidationError(field, 'length', `${field} must be ${rule.minLength}-${rule.maxLength} characters long; got ${value.length}`);
  }
  if (!new RegExp(rule.pattern).test(value)) {
    throw new ValidationError(field, 'pattern', `${field} ${JSON.stringify(value)} must be lowercase letters, digits and single hyphens, not starting or ending with a hyphen`);
  }
  // An all-digit alias would read as an account id at sign-in.
  if (/^\d+$/.test(value)) throw new ValidationError(field, 'pattern', `${field} ${JSON.stringify(value)} must not be all digits`);
  return value;
}

/** CreateAccountAlias: sets the account's one alias (replacing any); one taken by another account is EntityAlreadyExists. */
export async function createAccountAlias(database: Database, actor: WriteActor, alias: string): Promise<WriteResult<string>> {
  const value = validateAccountAlias(alias);
  return runWrite(database, actor, async (tx, record) => {
    const [account] = await tx.select({ alias: accounts.alias }).from(accounts).where(eq(accounts.id, actor.accountId)).for('update');
    if (account === undefined) throw new NoSuchEntityError('Account', actor.accountId);
    const [owner] = await tx.select({ id: accounts.id }).from(accounts).where(eq(accounts.alias, value));
    if (owner !== undefined && owner.id !== actor.accountId) throw new EntityAlreadyExistsError('AccountAlias', value);
    if (account.alias === value) return value;
    await tx
      .update(accounts)
      .set({ alias: value })
      .where(eq(accounts.id, actor.accountId))
      .catch(rethrowUniqueViolation(() => new EntityAlreadyExistsError('AccountAlias', value)));
    record({ kind: 'AccountAliasCreated', entityType: 'account', entityArn: rootArn(actor.accountId), affectedPrincipalIds: [], payload: { accountAlias: value, previousAlias: account.alias } });
    return value;
  });
}

/** DeleteAccountAlias: the alias must be the account's (NoSuchEntity otherwise). */
export async function deleteAccountAlias(database: Database, actor: WriteActor, alias: string): Promise<WriteResult<string>> {
  return runWrite(database, actor, async (tx, record) => {
    const [account] = await tx.select({ alias: accounts.alias }).from(accounts).where(eq(accounts.id, actor.accountId)).for('update');
    if (account === undefined || account.alias !== alias) throw new NoSuchEntityError('AccountAlias', alias);
    await tx.update(accounts).set({ alias: null }).where(eq(accounts.id, actor.accountId));
    record({ kind: 'AccountAliasDeleted', entityType: 'account', entityArn: rootArn(actor.accountId), affectedPrincipalIds: [], payload: { accountAlias: alias } });
    return alias;
  });
}

/** ListAccountAliases: the account's alias, as a list of zero or one. */
export async function listAccountAliases(tx: Queryable, accountId: string): Promise<string[]> {
  const [account] = await tx.select({ alias: accounts.alias }).from(accounts).where(eq(accounts.id, accountId));
  return account?.alias == null ? [] : [account.alias];
}
