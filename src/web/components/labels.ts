/**
 * How the console words the API's enum values for people. The API spells them UPPER_SNAKE
 * (`ALLOW`, `POLICY_ATTACHED`); pages show `Allow`, `Policy attached`. The tables are typed by the
 * generated enums, so a value added to the schema fails `tsc` here until it has a label.
 */
import type { AccessLevel, ChangeKind, SourcePolicyType, StatementEffect } from '../api/generated/graphql.ts';

/** A statement's Effect as written in policy documents. */
export const EFFECT_LABELS: Readonly<Record<StatementEffect, string>> = {
  ALLOW: 'Allow',
  DENY: 'Deny',
};

/** Where a matched statement comes from (AWS SourcePolicyType), in the console's words. */
export const SOURCE_POLICY_LABELS: Readonly<Record<SourcePolicyType, string>> = {
  USER: 'user inline policy',
  GROUP: 'group inline policy',
  ROLE: 'role inline policy',
  AWS_MANAGED: 'built-in managed policy',
  USER_MANAGED: 'customer managed policy',
  RESOURCE: 'resource-based policy',
  PERMISSIONS_BOUNDARY: 'permissions boundary',
  SESSION: 'session policy',
  GUARDRAIL: 'service control policy',
  RESOURCE_GUARDRAIL: 'resource control policy',
  NONE: 'other policy',
};

/** An action's access level, as the Service Authorization Reference words it. */
export const ACCESS_LEVEL_LABELS: Readonly<Record<AccessLevel, string>> = {
  LIST: 'List',
  READ: 'Read',
  WRITE: 'Write',
  PERMISSIONS_MANAGEMENT: 'Permissions management',
  TAGGING: 'Tagging',
};

// Words that stay upper case when an enum value is read out.
const ACRONYMS = new Set(['MFA', 'ID', 'OIDC', 'AWS']);

/** A change kind as a phrase: `POLICY_ATTACHED` → `Policy attached`, `MFA_DEVICE_ENABLED` → `MFA device enabled`. */
export function changeKindLabel(kind: ChangeKind): string {
  const words = kind.split('_').map((word) => (ACRONYMS.has(word) ? word : word.toLowerCase()));
  const [first = '', ...rest] = words;
  return [first.charAt(0).toUpperCase() + first.slice(1), ...rest].join(' ');
}

/** A duration in seconds as people say it: "1 hour", "12 hours", "1.5 hours", "45 minutes". */
export function formatDuration(seconds: number): string {
  if (seconds < 3600) {
    const minutes = Math.round(seconds / 60);
    return `${minutes} ${minutes === 1 ? 'minute' : 'minutes'}`;
  }
  const hours = Math.round(seconds / 360) / 10;
  return `${hours} ${hours === 1 ? 'hour' : 'hours'}`;
}
