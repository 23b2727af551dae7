/**
 * Whether a principal's policies grant an action at all, as IAM access advisor and IAM Access
 * Analyzer's unused-access analysis count "services and actions granted": some identity-based
 * Allow statement applies to the action (on some resource, possibly under conditions), the
 * permissions boundary (when there is one) allows it too, and no Deny in either removes it on
 * every resource without condition. Resource-based policies and guardrails are not the
 * principal's grants and are not read. Pure: a function of the compiled policies only.
 */
import type { CompiledPolicy } from '../types.ts';
import { programOf } from '../compile/index.ts';
import type { CompiledStatement } from '../compile/statement.ts';

/** The policies that grant a principal its permissions. */
export interface GrantingPolicies {
  readonly identity: readonly CompiledPolicy[];
  /** Present when the principal has a permissions boundary. */
  readonly boundary?: readonly CompiledPolicy[] | undefined;
}

/** Whether `lowerAction` (lower case, `service:action`) is granted by `set` on some resource. */
export function isActionGranted(set: GrantingPolicies, lowerAction: string): boolean {
  if (!layerAllows(set.identity, lowerAction)) return false;
  return set.boundary === undefined || layerAllows(set.boundary, lowerAction);
}

/** Some Allow applies to the action and no unconditional Deny on every resource does. */
function layerAllows(policies: readonly CompiledPolicy[], lowerAction: string): boolean {
  let allowed = false;
  for (const policy of policies) {
    for (const statement of programOf(policy).statements) {
      if (!statement.appliesToAction(lowerAction)) continue;
      if (statement.allow) allowed = true;
      else if (deniesEverywhere(statement)) return false;
    }
  }
  return allowed;
}

/** A Deny on `Resource: "*"` with no condition removes the action whatever the resource. */
function deniesEverywhere(statement: CompiledStatement): boolean {
  return !statement.notResource && statement.conditions.length === 0 && (statement.doc.resource?.includes('*') ?? false);
}

/**
 * The service prefixes (lower case) whose actions the identity policies' Allow statements may
 * name, or `'any'` when a statement names actions of every service (a wildcard prefix, or NotAction).
 */
export function allowedServicePrefixes(set: GrantingPolicies): ReadonlySet<string> | 'any' {
  const prefixes = new Set<string>();
  for (const policy of set.identity) {
    for (const statement of programOf(policy).statements) {
      if (!statement.allow) continue;
      if (statement.notAction) return 'any';
      for (const pattern of statement.actions) {
        if (pattern.service === undefined) return 'any';
        prefixes.add(pattern.service);
      }
    }
  }
  return prefixes;
}
