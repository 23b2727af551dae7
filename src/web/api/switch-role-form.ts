/**
 * The "Switch role" form's rules, as AWS's console applies them before asking anything: a 12-digit
 * account id, a role name (with its optional path), a display name of at most 64 characters (by
 * default `<role> @ <account>`) and one of AWS's five colours; and what the form becomes: the
 * role's ARN and the session name (the signed-in principal's own name). Pure: no browser state.
 */

/** The display colours AWS's console offers for a switched role. */
export const ROLE_COLOURS = ['red', 'orange', 'yellow', 'green', 'blue'] as const;
/** One of them. */
export type RoleColour = (typeof ROLE_COLOURS)[number];

/** A role to switch to, as the form and the recent-roles list describe it (no secret). */
export interface RoleChoice {
  readonly accountId: string;
  /** The role's name, with its path when it has one (`path/Name`). */
  readonly roleName: string;
  readonly displayName: string;
  readonly colour: RoleColour;
}

/** The form as typed. */
export interface SwitchRoleForm {
  readonly account: string;
  readonly roleName: string;
  readonly displayName: string;
  readonly colour: RoleColour;
}

/** Form fields with what is wrong with each (empty when all are fine). */
export type SwitchRoleFieldErrors = Partial<Record<'account' | 'roleName' | 'displayName', string>>;

/** A 12-digit account id. */
const ACCOUNT_ID = /^\d{12}$/;
/** An account alias (lowercase letters, digits and single hyphens), which names an account in sign-in only. */
const ACCOUNT_ALIAS = /^[a-z0-9]([a-z0-9]|-[a-z0-9])*$/;
/** A role name (1-64 of IAM's name characters), optionally after its path (`team/ops/Name`). */
const ROLE_NAME = /^(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/;
/** AWS's limit for a display name. */
const DISPLAY_NAME_MAX = 64;

/** What AWS's console shows when no display name is given: `<role>@<account>`. */
export function defaultDisplayName(accountId: string, roleName: string): string {
  return `${roleName.split('/').pop() ?? roleName} @ ${accountId}`.slice(0, DISPLAY_NAME_MAX);
}

/** Checks the form; a choice to switch to, or what is wrong with which field. */
export function validateSwitchRole(form: SwitchRoleForm): { choice: RoleChoice } | { errors: SwitchRoleFieldErrors } {
  const errors: SwitchRoleFieldErrors = {};
  const account = form.account.trim();
  const roleName = form.roleName.trim().replace(/^\/+/, '');
  const displayName = form.displayName.trim();
  if (account === '') errors.account = 'Enter the account ID (12 digits) of the role’s account.';
  else if (!ACCOUNT_ID.test(account)) {
    errors.account =
      account.length >= 3 && /[a-z-]/.test(account) && ACCOUNT_ALIAS.test(account)
        ? `“${account}” looks like an account alias; this server names other accounts only by their 12-digit ID, so enter the ID.`
        : `“${account}” is not an account ID: it must be exactly 12 digits.`;
  }
  if (roleName === '') errors.roleName = 'Enter the name of the role to switch to.';
  else if (!ROLE_NAME.test(roleName)) {
    errors.roleName = `“${roleName}” is not a role name: at most 64 letters, digits and + = , . @ _ - (after an optional path such as team/).`;
  }
  if (displayName.length > DISPLAY_NAME_MAX) errors.displayName = `The display name is ${displayName.length} characters; at most ${DISPLAY_NAME_MAX}.`;
  if (Object.keys(errors).length > 0) return { errors };
  const colour = ROLE_COLOURS.includes(form.colour) ? form.colour : 'blue';
  return { choice: { accountId: account, roleName, displayName: displayName === '' ? defaultDisplayName(account, roleName) : displayName, colour } };
}

/** The ARN of the role a choice names. */
export function roleArnOf(choice: RoleChoice): string {
  return `arn:aws:iam::${choice.accountId}:role/${choice.roleName}`;
}

/** The role session's name: the signed-in principal's own name, as AWS's console uses it (STS's 2-64 of `[\w+=,.@-]`). */
export function roleSessionNameFor(arn: string): string {
  const name = (arn.split('/').pop() ?? 'console').replace(/[^\w+=,.@-]/g, '-').slice(0, 64);
  return name.length >= 2 ? name : `${name}-console`;
}

