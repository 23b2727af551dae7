/**
 * Resource / NotResource entries: constant patterns are compiled once; patterns with policy
 * variables are resolved per request and their matchers cached by the substituted values.
 */
import { compileResourcePattern } from '../match/resource-pattern.ts';
import type { StringMatcher } from '../match/glob.ts';
import type { PolicyVersion } from '../document.ts';
import { compileTemplate, resolveTemplate, type Template } from '../variables.ts';
import type { ConditionEnv } from '../conditions/compile-condition.ts';

/** Tests one requested resource ARN. */
export type ResourceTest = (resource: string, env: ConditionEnv) => boolean;

const CACHE_LIMIT = 64;

/** Compile one Resource entry. */
export function compileResource(text: string, version: PolicyVersion): ResourceTest {
  return compileResourceTemplate(compileTemplate(text, version));
}

/** Compile one parsed Resource entry. */
export function compileResourceTemplate(template: Template): ResourceTest {
  // The matcher ignores the second argument; returning it directly saves a call per test.
  if (template.constant !== undefined) return compileResourcePattern(template.constant);
  const vars = template.parts.filter((p) => p.kind === 'var');
  if (vars.length === 1) return compileOneVariable(template);
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

/**
 * The common case of one variable (`…/${aws:username}/*`): matchers are cached by the substituted
 * value itself, a string the context already holds, so a warm lookup builds nothing.
 */
function compileOneVariable(template: Template): ResourceTest {
  const v = template.parts.find((p) => p.kind === 'var')!;
  if (v.kind !== 'var') throw new Error('unreachable');
  const cache = new Map<string, StringMatcher>();
  const build = (value: string): StringMatcher =>
    compileResourcePattern(
      template.parts.map((p) => (p.kind === 'var' ? { text: value, literal: true } : { text: p.text, literal: p.kind === 'literal' })),
    );
  return (resource, env) => {
    const cv = env.lookup(v.keyLower, v.key);
    let value: string;
    if (cv !== undefined && cv.values.length === 1) value = cv.values[0]!;
    else if (v.fallback !== undefined) value = v.fallback;
    else {
      if (cv === undefined) env.missing(v.key);
      return false; // no value and no default: the entry does not match
    }
    let matcher = cache.get(value);
    if (matcher === undefined) {
      matcher = build(value);
      if (cache.size >= CACHE_LIMIT) cache.clear();
      cache.set(value, matcher);
    }
    return matcher(resource);
  };
}
