import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors.ts';
import { checkPasswordReuse, checkPasswordRules, nextPasswordHistory, passwordExpired, PASSWORD_HISTORY_DEPTH, type PasswordPolicy } from '../../src/iam/password-policy.ts';
import { hashSecret } from '../../src/iam/secrets.ts';

const policy = (overrides: Partial<PasswordPolicy> = {}): PasswordPolicy => ({
  accountId: '111122223333',
  minimumPasswordLength: 8,
  requireSymbols: false,
  requireNumbers: false,
  requireUppercaseCharacters: false,
  requireLowercaseCharacters: false,
  allowUsersToChangePassword: false,
  maxPasswordAge: null,
  passwordReusePrevention: null,
  hardExpiry: false,
  ...overrides,
});

/** The rule a password breaks, or 'ok'. */
function ruleOf(password: string, p: PasswordPolicy | undefined): string {
  try {
    checkPasswordRules(password, p, 'input.password');
    return 'ok';
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe('input.password');
    expect((error as ValidationError).message).not.toContain(password);
    return (error as ValidationError).rule;
  }
}

describe('password rules', () => {
  it('without a policy: 8+ characters and three of the four character classes (AWS default)', () => {
    expect(ruleOf('Ab1!', undefined)).toBe('MinimumPasswordLength');
    expect(ruleOf('abcdefgh', undefined)).toBe('CharacterClasses');
    expect(ruleOf('abcdefgH', undefined)).toBe('CharacterClasses');
    expect(ruleOf('abcdefH1', undefined)).toBe('ok');
    expect(ruleOf('abcdef!1', undefined)).toBe('ok');
    expect(ruleOf('a'.repeat(129), undefined)).toBe('MaximumPasswordLength');
  });

  it('names each policy setting a password breaks', () => {
    expect(ruleOf('short', policy({ minimumPasswordLength: 6 }))).toBe('MinimumPasswordLength');
    expect(ruleOf('lowercase', policy({ requireUppercaseCharacters: true }))).toBe('RequireUppercaseCharacters');
    expect(ruleOf('UPPERCASE', policy({ requireLowercaseCharacters: true }))).toBe('RequireLowercaseCharacters');
    expect(ruleOf('noNumbers', policy({ requireNumbers: true }))).toBe('RequireNumbers');
    expect(ruleOf('noSymbols1', policy({ requireSymbols: true }))).toBe('RequireSymbols');
    // Symbols are AWS's list; a space or a tilde is not one of them.
    expect(ruleOf('spaces and ~', policy({ requireSymbols: true }))).toBe('RequireSymbols');
    expect(ruleOf("quoted'aa", policy({ requireSymbols: true }))).toBe('ok');
    expect(ruleOf('Aa1!aaaa', policy({ requireSymbols: true, requireNumbers: true, requireUppercaseCharacters: true, requireLowercaseCharacters: true }))).toBe('ok');
    // With a policy, the three-of-four default no longer applies.
    expect(ruleOf('alllowercase', policy())).toBe('ok');
  });

  it('reuse prevention counts the current password and the history, newest first', async () => {
    const cost = { log2N: 4, r: 1, p: 1 };
    const current = await hashSecret('pw-now', cost);
    const history = [await hashSecret('pw-1', cost), await hashSecret('pw-2', cost)];
    const reuse = (password: string, n: number | null) =>
      checkPasswordReuse(password, policy({ passwordReusePrevention: n }), current, history, 'input.newPassword');
    await expect(reuse('pw-now', 1)).rejects.toMatchObject({ rule: 'PasswordReusePrevention', field: 'input.newPassword' });
    await expect(reuse('pw-1', 1)).resolves.toBeUndefined();
    await expect(reuse('pw-1', 2)).rejects.toMatchObject({ rule: 'PasswordReusePrevention' });
    await expect(reuse('pw-2', 2)).resolves.toBeUndefined();
    await expect(reuse('pw-2', 3)).rejects.toMatchObject({ rule: 'PasswordReusePrevention' });
    await expect(reuse('pw-now', null)).resolves.toBeUndefined();
  });

  it('history keeps the newest hashes up to the deepest policy AWS allows', () => {
    const old = Array.from({ length: PASSWORD_HISTORY_DEPTH }, (_, i) => `h${i}`);
    const next = nextPasswordHistory('current', old);
    expect(next).toHaveLength(PASSWORD_HISTORY_DEPTH);
    expect(next[0]).toBe('current');
    expect(next.at(-1)).toBe(`h${PASSWORD_HISTORY_DEPTH - 2}`);
    expect(nextPasswordHistory(null, ['a'])).toEqual(['a']);
  });

  it('expiry follows MaxPasswordAge in days', () => {
    const changed = new Date('2026-01-01T00:00:00Z');
    expect(passwordExpired(policy({ maxPasswordAge: 30 }), changed, new Date('2026-01-30T00:00:00Z'))).toBe(false);
    expect(passwordExpired(policy({ maxPasswordAge: 30 }), changed, new Date('2026-02-01T00:00:00Z'))).toBe(true);
    expect(passwordExpired(policy(), changed, new Date('2030-01-01T00:00:00Z'))).toBe(false);
    expect(passwordExpired(undefined, changed, new Date('2030-01-01T00:00:00Z'))).toBe(false);
  });
});
