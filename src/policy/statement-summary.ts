/**
 * What a compiled policy's statements grant, read from their documents without evaluating: the
 * (action, resource) patterns of its Allow statements, and whether a trust policy can admit an
 * AWS principal (a user, role or account) at all. Analyses that compare what two principals may
 * do use the patterns as witnesses, each then decided by `evaluate` like any request.
 */
import { programOf } from './compile/index.ts';
import type { CompiledPolicy } from './types.ts';

/** One Allow statement's action and resource, as written (wildcards and variables kept). */
export interface GrantPattern {
  readonly action: string;
  readonly resource: string;
}

/**
 * The (action, resource) pairs of `policy`'s Allow statements, in statement order, at most
 * `limit`. A `NotAction` statement contributes the action `*` and a `NotResource` one the
 * resource `*` (the broadest request it may allow).
 */
export function grantPatterns(policy: CompiledPolicy, limit = 64): GrantPattern[] {
  const out: GrantPattern[] = [];
  for (const statement of programOf(policy).statements) {
    const doc = statement.doc;
    if (doc.effect !== 'Allow') continue;
    const actions = doc.notAction !== undefined ? ['*'] : (doc.action ?? []);
    const resources = doc.notResource !== undefined || doc.resource === undefined ? ['*'] : doc.resource;
    for (const action of actions) {
      for (const resource of resources) {
        if (out.length >= limit) return out;
        out.push({ action, resource });
      }
    }
  }
  return out;
}

/**
 * Whether some Allow statement of a trust (or other resource) policy can name an AWS principal:
 * `"Principal": "*"`, a `Principal` with an `AWS` entry, or a `NotPrincipal`. False for a policy
 * that trusts only services or identity providers, which no user or role can satisfy.
 */
export function admitsAwsPrincipals(policy: CompiledPolicy): boolean {
  for (const statement of programOf(policy).statements) {
    const doc = statement.doc;
    if (doc.effect !== 'Allow') continue;
    if (doc.notPrincipal !== undefined) return true;
    const principal = doc.principal;
    if (principal === undefined) continue;
    if (principal.kind === 'any' || (principal.AWS !== undefined && principal.AWS.length > 0)) return true;
  }
  return false;
}

/**
 * The AWS principals the Allow statements of a trust (or other resource) policy name, as written
 * (ARNs or account ids); `any` when one could admit principals it does not spell out (`"*"`, a
 * wildcard, or `NotPrincipal`).
 */
export function namedAwsPrincipals(policy: CompiledPolicy): readonly string[] | 'any' {
  const out: string[] = [];
  for (const statement of programOf(policy).statements) {
    const doc = statement.doc;
    if (doc.effect !== 'Allow') continue;
    if (doc.notPrincipal !== undefined || doc.principal?.kind === 'any') return 'any';
    for (const name of (doc.principal?.kind === 'map' ? doc.principal.AWS : undefined) ?? []) {
      if (name.includes('*') || name.includes('?')) return 'any';
      out.push(name);
    }
  }
  return out;
}
