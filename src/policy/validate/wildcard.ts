/**
 * Wildcard containment for redundancy checks: does pattern A match everything pattern B matches?
 * `*` matches any run of characters and `?` exactly one, as in Action and Resource elements.
 */

/**
 * True when every string `subject` (itself a pattern) matches is also matched by `pattern`.
 * The subject's wildcards are treated as what they stand for: a `*` in the subject can only be
 * covered by a `*` in the pattern, a `?` by a `?` or `*`. Iterative, so no input can blow the stack.
 */
export function patternCovers(pattern: string, subject: string, ignoreCase: boolean): boolean {
  const p = ignoreCase ? pattern.toLowerCase() : pattern;
  const s = ignoreCase ? subject.toLowerCase() : subject;
  let pi = 0;
  let si = 0;
  let starP = -1;
  let starS = 0;
  while (si < s.length) {
    const pc = p[pi];
    const sc = s[si];
    if (pc === '*') {
      starP = pi++;
      starS = si;
    } else if (pc !== undefined && (pc === '?' ? sc !== '*' : pc === sc && sc !== '*' && sc !== '?')) {
      pi++;
      si++;
    } else if (starP >= 0) {
      pi = starP + 1;
      si = ++starS;
    } else {
      return false;
    }
  }
  while (p[pi] === '*') pi++;
  return pi === p.length;
}

/**
 * Indexes of the entries that another entry already covers (later duplicates included;
 * of two identical entries the first is kept). Lists longer than `limit` are skipped because the
 * check is quadratic and such lists only occur in hostile input.
 */
export function redundantEntries(values: readonly string[], ignoreCase: boolean, limit = 500): number[] {
  if (values.length > limit) return [];
  const redundant: number[] = [];
  const norm = values.map((v) => (ignoreCase ? v.toLowerCase() : v));
  for (let i = 0; i < values.length; i++) {
    const subject = values[i] ?? '';
    for (let j = 0; j < values.length; j++) {
      if (i === j) continue;
      const pattern = values[j] ?? '';
      if (pattern.includes('${')) continue; // a variable's value is unknown until request time
      const identical = norm[i] === norm[j];
      if (identical ? j < i : patternCovers(pattern, subject, ignoreCase)) {
        redundant.push(i);
        break;
      }
    }
  }
  return redundant;
}
