/** The "Switch role" form's checks before anything is sent, and what a valid form becomes (ARN, session name, display name). */
import { describe, expect, it } from 'vitest';
import { defaultDisplayName, roleArnOf, roleSessionNameFor, validateSwitchRole } from '../../src/web/api/switch-role-form.ts';

const form = { account: '444455556666', roleName: 'CrossAccountAdmin', displayName: '', colour: 'red' as const };

describe('validateSwitchRole', () => {
  it('accepts a 12-digit account and a role name, defaulting the display name as AWS does', () => {
    expect(validateSwitchRole(form)).toEqual({
      choice: { accountId: '444455556666', roleName: 'CrossAccountAdmin', displayName: 'CrossAccountAdmin @ 444455556666', colour: 'red' },
    });
  });

  it('trims, keeps a path in the role name and a chosen display name', () => {
    const checked = validateSwitchRole({ ...form, account: ' 444455556666 ', roleName: '/ops/Deploy', displayName: ' Prod ' });
    expect(checked).toEqual({ choice: { accountId: '444455556666', roleName: 'ops/Deploy', displayName: 'Prod', colour: 'red' } });
    expect(roleArnOf({ accountId: '444455556666', roleName: 'ops/Deploy', displayName: 'Prod', colour: 'red' })).toBe('arn:aws:iam::444455556666:role/ops/Deploy');
  });

  it('names each wrong field and the rule, quoting the input', () => {
    const checked = validateSwitchRole({ ...form, account: '12345', roleName: 'Bad name!', displayName: 'x'.repeat(65) });
    expect(checked).toEqual({
      errors: {
        account: '“12345” is not an account ID: it must be exactly 12 digits.',
        roleName: '“Bad name!” is not a role name: at most 64 letters, digits and + = , . @ _ - (after an optional path such as team/).',
        displayName: 'The display name is 65 characters; at most 64.',
      },
    });
  });

  it('asks for missing fields and says an alias cannot name another account here', () => {
    expect(validateSwitchRole({ ...form, account: '', roleName: ' ' })).toEqual({
      errors: { account: 'Enter the account ID (12 digits) of the role’s account.', roleName: 'Enter the name of the role to switch to.' },
    });
    const alias = validateSwitchRole({ ...form, account: 'prod-team' });
    expect('errors' in alias && alias.errors.account).toContain('looks like an account alias');
  });

  it('refuses a role name longer than 64 characters', () => {
    expect(validateSwitchRole({ ...form, roleName: 'r'.repeat(65) })).toHaveProperty('errors.roleName');
  });
});

describe('role session names and display names', () => {
  it('uses the signed-in principal’s own name, within STS’s characters and length', () => {
    expect(roleSessionNameFor('arn:aws:iam::111122223333:user/team/alice')).toBe('alice');
    expect(roleSessionNameFor('arn:aws:sts::111122223333:assumed-role/Reader/bob@example.com')).toBe('bob@example.com');
    expect(roleSessionNameFor('arn:aws:iam::111122223333:user/a')).toBe('a-console');
    expect(roleSessionNameFor(`arn:aws:iam::111122223333:user/${'n'.repeat(70)}`)).toHaveLength(64);
    expect(roleSessionNameFor('arn:aws:sts::1:assumed-role/R/name with space')).toBe('name-with-space');
  });

  it('defaults a display name to the role’s last path segment and the account', () => {
    expect(defaultDisplayName('444455556666', 'ops/Deploy')).toBe('Deploy @ 444455556666');
  });
});
