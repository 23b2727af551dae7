/** DurationSeconds checks shared by AssumeRole, AssumeRoleWithWebIdentity and GetSessionToken. */
import { ValidationError } from '../errors.ts';
import type { DurationRule } from './issue.ts';

/** The shortest session STS issues. */
export const MIN_SESSION_SECONDS = 900;
/** The default for role sessions, and the cap when a role session assumes a role (role chaining). */
export const ROLE_DEFAULT_SECONDS = 3600;

/** The session length to use: `requested` within the rule, or its default; ValidationError names the rule. */
export function sessionDuration(requested: number | null | undefined, rule: DurationRule, field = 'input.durationSeconds'): number {
  if (requested === undefined || requested === null) return Math.min(rule.fallback, rule.max);
  if (!Number.isInteger(requested) || requested < rule.min) {
    throw new ValidationError(field, 'range', `${field} must be an integer of at least ${rule.min}; got ${requested}`);
  }
  if (requested > rule.max) {
    throw new ValidationError(field, 'range', `${field} ${requested} exceeds the ${rule.max}-second maximum (${rule.maxReason})`);
  }
  return requested;
}
