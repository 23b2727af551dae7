/**
 * Resource / NotResource entries: constant patterns are compiled once; patterns with policy
 * variables are resolved per request and their matchers cached by the substituted values.
 */
import { compileResourcePattern } from '../match/resource-pattern.ts';
import type { StringMatcher } from '../match/glob.ts';
import type { PolicyVersion } from '../document.ts';
import { compileTemplate, resolveTemplate } from '../variables.ts';
import type { ConditionEnv } from '../conditions/compile-condition.ts';

/** Tests one requested resource ARN. */
export type ResourceTest = (resource: string, env: ConditionEnv) => boolean;

const CACHE_LIMIT = 64;

/** Compile one Resource entry. */
export function compileResource(text: string, version: PolicyVersion): ResourceTest {
  const template = compileTemplate(text, version);
  if (template.constant !== undefined) {
    const matcher = compileResourcePattern(template.constant);
    return (resource) => matcher(resource);
  }
  const cache = new Map<string, StringMatcher>();
  return (resource, env) => {
    const parts = resolveTemplate(template, env.lookup, env.missing);
    if (parts === undefined) return false; // a variable without a value: the entry does not match
    let key = '';
    for (const p of parts) key += (p.literal ? '\u0001' : '\u0002') + p.text;
    let matcher = cache.get(key);
    if (matcher === undefined) {
      matcher = compileResourcePattern(parts);
      if (cache.size >= CACHE_LIMIT) cache.clear();
      cache.set(key, matcher);
    }
    return matcher(resource);
  };
}
