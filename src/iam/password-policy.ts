/**
 * The account password policy (UpdateAccountPasswordPolicy, GetAccountPasswordPolicy,
 * DeleteAccountPasswordPolicy) and the checks it imposes whenever a password is set or changed.
 * Without a stored policy the AWS default applies: 8 to 128 characters and at least three of the
 * four character classes (IAM User Guide, "Set an account password policy for IAM users").
 */
import { eq } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { accounts, passwordPolicies } from '../db/schema/index.ts';
import type { Queryable } from './affected-principals.ts';
import { NoSuchEntityError, ValidationError } from '../errors.ts';
import { verifySecret } from './secrets.ts';
import { runWrite, type WriteActor as Actor, type WriteResult as Written } from '../changes/outbox.ts';

/** A stored password policy row. */
export type PasswordPolicy = typeof passwordPolicies.$inferSelect;

/** UpdateAccountPasswordPolicy parameters; an omitted field takes AWS's default, as in AWS. */
export interface PasswordPolicyInput {
  readonly minimumPasswordLength?: number | null;
  readonly requireSymbols?: boolean | null;
  readonly requireNumbers?: boolean | null;
  readonly requireUppercaseCharacters?: boolean | null;
  readonly requireLowercaseCharacters?: boolean | null;
  readonly allowUsersToChangePassword?: boolean | null;
  readonly maxPasswordAge?: number | null;
  readonly passwordReusePrevention?: number | null;
  readonly hardExpiry?: boolean | null;
}

/** The longest password IAM accepts, whatever the policy. */
export const MAX_PASSWORD_LENGTH = 128;
/** How many earlier password hashes are kept: the largest reuse-prevention AWS allows. */
export const PASSWORD_HISTORY_DEPTH = 24;
/** The symbols AWS counts as the "symbol" character class. */
const SYMBOLS = "!@#$%^&*()_+-=[]{}|'";

const CLASSES = {
  uppercase: { test: (c: string) => c >= 'A' && c <= 'Z', words: 'an uppercase letter (A-Z)' },
  lowercase: { test: (c: string) => c >= 'a' && c <= 'z', words: 'a lowercase letter (a-z)' },
  numbers: { test: (c: string) => c >= '0' && c <= '9', words: 'a number (0-9)' },
  symbols: { test: (c: string) => SYMBOLS.includes(c), words: `a symbol (${SYMBOLS})` },
} as const;

type CharacterClass = keyof typeof CLASSES;

function classesIn(password: string): Set<CharacterClass> {
  const present = new Set<CharacterClass>();
  for (const c of password) {
    for (const name of Object.keys(CLASSES) as CharacterClass[]) if (CLASSES[name].test(c)) present.add(name);
  }
  return present;
}

/**
 * Checks a new password against the policy (or the AWS default when there is none). Throws a
 * ValidationError on `field` whose `rule` is the policy setting broken, e.g. `MinimumPasswordLength`.
 * The message never quotes the password.
 */
export function checkPasswordRules(password: string, policy: PasswordPolicy | undefined, field: string): void {
  const minimum = policy?.minimumPasswordLength ?? 8;
  if (password.length < minimum) {
    throw new ValidationError(field, 'MinimumPasswordLength', `${field} must be at least ${minimum} characters long`);
  }
  if (password.length > MAX_PASSWORD_LENGTH) {
    throw new ValidationError(field, 'MaximumPasswordLength', `${field} must be at most ${MAX_PASSWORD_LENGTH} characters long`);
  }
  const present = classesIn(password);
  if (policy === undefined) {
    if (present.size < 3) {
      throw new ValidationError(
        field,
        'CharacterClasses',
        `${field} must contain at least three of: uppercase letters, lowercase letters, numbers, symbols`,
      );
    }
    return;
  }
  const required: Array<[boolean, CharacterClass, string]> = [
    [policy.requireUppercaseCharacters, 'uppercase', 'RequireUppercaseCharacters'],
    [policy.requireLowercaseCharacters, 'lowercase', 'RequireLowercaseCharacters'],
    [policy.requireNumbers, 'numbers', 'RequireNumbers'],
    [policy.requireSymbols, 'symbols', 'RequireSymbols'],
  ];
  for (const [on, name, rule] of required) {
    if (on && !present.has(name)) throw new ValidationError(field, rule, `${field} must contain at least ${CLASSES[name].words}`);
  }
}

/**
 * Reuse prevention: refuses a password equal to the current one or to any of the previous
 * `passwordReusePrevention - 1` (together: the last N passwords, as AWS counts them).
 */
export async function checkPasswordReuse(
  password: string,
  policy: PasswordPolicy | undefined,
  currentHash: string | null,
  history: readonly string[],
  field: string,
): Promise<void> {
  const n = policy?.passwordReusePrevention ?? null;
  if (n === null) return;
  const recent = [...(currentHash === null ? [] : [currentHash]), ...history].slice(0, n);
  for (const hash of recent) {
    if (await verifySecret(password, hash)) {
      throw new ValidationError(field, 'PasswordReusePrevention', `${field} must differ from the last ${n} password(s)`);
    }
  }
}

/** The new history after replacing `currentHash`: it goes in front, bounded to the deepest policy. */
export function nextPasswordHistory(currentHash: string | null, history: readonly string[]): string[] {
  return [...(currentHash === null ? [] : [currentHash]), ...history].slice(0, PASSWORD_HISTORY_DEPTH);
}

/** Whether a password set at `changedAt` has passed the policy's maximum age at `now`. */
export function passwordExpired(policy: PasswordPolicy | undefined, changedAt: Date | null, now: Date): boolean {
  if (policy?.maxPasswordAge == null || changedAt === null) return false;
  return now.getTime() - changedAt.getTime() > policy.maxPasswordAge * 86_400_000;
}

/** The account's stored policy, or undefined when none is set (the AWS default applies). */
export async function findAccountPasswordPolicy(tx: Queryable, accountId: string): Promise<PasswordPolicy | undefined> {
  const [row] = await tx.select().from(passwordPolicies).where(eq(passwordPolicies.accountId, accountId));
  return row;
}

/** GetAccountPasswordPolicy: the stored policy; NoSuchEntity when none is set, as in AWS. */
export async function getAccountPasswordPolicy(tx: Queryable, accountId: string): Promise<PasswordPolicy> {
  const row = await findAccountPasswordPolicy(tx, accountId);
  if (row === undefined) throw new NoSuchEntityError('Account', `${accountId} password policy`);
  return row;
}

function intInRange(value: number | null | undefined, field: string, min: number, max: number): number | null {
  if (value === undefined || value === null) return null;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ValidationError(field, 'range', `${field} must be an integer from ${min} to ${max}; got ${value}`);
  }
  return value;
}

/** UpdateAccountPasswordPolicy: replaces the whole policy; fields not given take their defaults. */
export async function updateAccountPasswordPolicy(
  database: Database,
  actor: Actor,
  input: PasswordPolicyInput,
): Promise<Written<PasswordPolicy>> {
  const values = {
    accountId: actor.accountId,
    minimumPasswordLength: intInRange(input.minimumPasswordLength, 'input.minimumPasswordLength', 6, 128) ?? 6,
    requireSymbols: input.requireSymbols ?? false,
    requireNumbers: input.requireNumbers ?? false,
    requireUppercaseCharacters: input.requireUppercaseCharacters ?? false,
    requireLowercaseCharacters: input.requireLowercaseCharacters ?? false,
    allowUsersToChangePassword: input.allowUsersToChangePassword ?? false,
    maxPasswordAge: intInRange(input.maxPasswordAge, 'input.maxPasswordAge', 1, 1095),
    passwordReusePrevention: intInRange(input.passwordReusePrevention, 'input.passwordReusePrevention', 1, 24),
    hardExpiry: input.hardExpiry ?? false,
  };
  return runWrite(database, actor, async (tx, record) => {
    const [row] = await tx
      .insert(passwordPolicies)
      .values(values)
      .onConflictDoUpdate({ target: passwordPolicies.accountId, set: values })
      .returning();
    record({
      kind: 'AccountPasswordPolicyUpdated',
      entityType: 'account',
      entityArn: accountArn(actor.accountId),
      affectedPrincipalIds: [],
      payload: { ...values },
    });
    return row!;
  });
}

/** DeleteAccountPasswordPolicy: back to the AWS default; NoSuchEntity when none was set. */
export async function deleteAccountPasswordPolicy(database: Database, actor: Actor): Promise<Written<PasswordPolicy>> {
  return runWrite(database, actor, async (tx, record) => {
    const [row] = await tx.delete(passwordPolicies).where(eq(passwordPolicies.accountId, actor.accountId)).returning();
    if (row === undefined) throw new NoSuchEntityError('Account', `${actor.accountId} password policy`);
    record({
      kind: 'AccountPasswordPolicyDeleted',
      entityType: 'account',
      entityArn: accountArn(actor.accountId),
      affectedPrincipalIds: [],
      payload: {},
    });
    return row;
  });
}

/** The ARN the account itself is known by in the change log (its root). */
export function accountArn(accountId: string): string {
  return `arn:aws:iam::${accountId}:root`;
}

/** Whether the account exists; used where an account id comes from anonymous input. */
export async function accountExists(tx: Queryable, accountId: string): Promise<boolean> {
  const [row] = await tx.select({ id: accounts.id }).from(accounts).where(eq(accounts.id, accountId));
  return row !== undefined;
}
