/**
 * The forced password change: shown instead of every page when sign-in reported that the
 * password must be changed (ChangePassword under the account's password policy).
 */
import { useState } from 'react';
import type { FormEvent } from 'react';
import { graphql } from '../api/generated/gql.ts';
import { passwordChanged } from '../api/session.ts';
import { useQuery } from '../api/use-query.ts';
import { useResultMutation } from '../api/use-result-mutation.ts';
import { TextField } from '../components/field.tsx';
import { ErrorNotice } from '../components/notice.tsx';
import { ResultErrorNotice } from '../components/result-error.tsx';

const CHANGE_PASSWORD = graphql(`
  mutation ChangePassword($input: ChangePasswordInput!) {
    changePassword(input: $input) {
      __typename
      ... on ChangePasswordSuccess {
        revision
      }
      ...ResultErrorFields
    }
  }
`);

// The account's rules, readable by such a session (the grant of src/authz/password-self-service.ts).
const PASSWORD_RULES = graphql(`
  query PasswordRules {
    accountPasswordPolicy {
      minimumPasswordLength
      requireSymbols
      requireNumbers
      requireUppercaseCharacters
      requireLowercaseCharacters
      passwordReusePrevention
    }
  }
`);

/** The symbols IAM counts as the symbol character class. */
const SYMBOLS = "! @ # $ % ^ & * ( ) _ + - = [ ] { } | '";

/**
 * What the new password must be, as the account's policy says (AWS's default without one), so the
 * rules are known before the server refuses a password for breaking one. Nothing when they cannot
 * be read: the server still names the rule a refused password broke.
 */
function PasswordRules() {
  const rules = useQuery(PASSWORD_RULES, {});
  if (rules.data === undefined || rules.error !== undefined || (rules.errors?.length ?? 0) > 0) return null;
  const policy = rules.data.accountPasswordPolicy;
  const items =
    policy == null
      ? ['at least 8 characters', 'at least three of: an uppercase letter (A-Z), a lowercase letter (a-z), a number (0-9), a symbol']
      : [
          `at least ${policy.minimumPasswordLength} characters`,
          ...(policy.requireUppercaseCharacters ? ['an uppercase letter (A-Z)'] : []),
          ...(policy.requireLowercaseCharacters ? ['a lowercase letter (a-z)'] : []),
          ...(policy.requireNumbers ? ['a number (0-9)'] : []),
          ...(policy.requireSymbols ? [`a symbol (${SYMBOLS})`] : []),
          ...(policy.passwordReusePrevention == null ? [] : [`not one of your last ${policy.passwordReusePrevention} passwords`]),
        ];
  return (
    <section aria-label="Password requirements">
      <p>Requirements for the new password:</p>
      <ul>
        {items.map((item) => (
          <li key={item}>{item}</li>
        ))}
      </ul>
    </section>
  );
}

/** The change-password form. */
export function ChangePasswordPage() {
  const [oldPassword, setOldPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const change = useResultMutation(CHANGE_PASSWORD, 'changePassword', ['oldPassword', 'newPassword']);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setMismatch(newPassword !== repeat);
    if (newPassword !== repeat) return;
    if ((await change.submit({ input: { oldPassword, newPassword } })) !== undefined) passwordChanged();
  };

  return (
    <>
      <h1>Change your password</h1>
      <p>Your password must be changed before you continue.</p>
      <PasswordRules />
      <form className="panel" onSubmit={submit} aria-label="Change password" noValidate style={{ maxWidth: 420 }}>
        <TextField label="Current password" type="password" value={oldPassword} onChange={setOldPassword} error={change.errors.fields.oldPassword} autoComplete="current-password" />
        <TextField label="New password" type="password" value={newPassword} onChange={setNewPassword} error={change.errors.fields.newPassword} autoComplete="new-password" />
        <TextField
          label="Repeat the new password"
          type="password"
          value={repeat}
          onChange={setRepeat}
          error={mismatch ? 'the two new passwords differ' : undefined}
          autoComplete="new-password"
        />
        <ResultErrorNotice error={change.errors.general} />
        <ErrorNotice error={change.failure} />
        <button className="primary" type="submit" disabled={change.busy}>
          Change password
        </button>
      </form>
    </>
  );
}
