/**
 * Input rules of AWS Organizations' API reference (AccountName, Email, Name, Description), checked
 * before anything reaches the database. Failures are ValidationErrors naming the field and rule.
 */
import { organizationLimits } from '../../db/schema/organizations.ts';
import { ValidationError } from '../../errors.ts';

/** Quote user input in messages, bounded. */
function quote(value: string): string {
  return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
}

/** `value` within `min`-`max` characters and matching `pattern`, else a ValidationError on `field`. */
function checkText(field: string, value: string, min: number, max: number, pattern: RegExp, what: string): string {
  if (value.length < min || value.length > max) {
    throw new ValidationError(field, 'length', `${field} must be ${min}-${max} characters long; got ${value.length} for ${quote(value)}`);
  }
  if (!pattern.test(value)) throw new ValidationError(field, 'pattern', `${field} ${quote(value)} is not a valid ${what}`);
  return value;
}

/** CreateAccount AccountName: 1-50 printable ASCII characters. */
export function validateAccountName(value: string, field = 'input.accountName'): string {
  return checkText(field, value, 1, organizationLimits.accountNameMaxLength, /^[\u0020-\u007E]+$/, 'account name (printable ASCII)');
}

/** CreateAccount Email: 6-64 characters, `local@domain.tld`. */
export function validateEmail(value: string, field = 'input.email'): string {
  return checkText(field, value, 6, 64, /^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'email address');
}

/** OU names: 1-128 characters. */
export function validateOrganizationalUnitName(value: string, field = 'input.name'): string {
  return checkText(field, value, 1, organizationLimits.ouNameMaxLength, /^[\s\S]+$/, 'OU name');
}

/** Policy names: 1-128 characters. */
export function validatePolicyName(value: string, field = 'input.name'): string {
  return checkText(field, value, 1, organizationLimits.policyNameMaxLength, /^[\s\S]+$/, 'policy name');
}

/** Policy descriptions: 0-512 characters. */
export function validatePolicyDescription(value: string | null | undefined, field = 'input.description'): string {
  if (value === undefined || value === null) return '';
  return checkText(field, value, 0, organizationLimits.policyDescriptionMaxLength, /^[\s\S]*$/, 'description');
}
