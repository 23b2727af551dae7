/**
 * ARN condition matching (`ArnEquals`, `ArnLike` and their negations). Per the "Condition
 * operators" page, "each of the six colon-delimited components of the ARN is checked separately
 * and each can include multi-character match wildcards (*) or single-character match wildcards (?)".
 * The sixth component (the resource) keeps any further colons.
 */
import { compileGlob, type PatternPart, type StringMatcher } from './glob.ts';

/** Number of components in `arn:partition:service:region:account:resource`. */
const COMPONENTS = 6;

/** Split text into at most six components without allocating for the common case beyond the result. */
export function splitArn(text: string): string[] | undefined {
  const out: string[] = [];
  let start = 0;
  for (let i = 0; i < COMPONENTS - 1; i++) {
    const c = text.indexOf(':', start);
    if (c < 0) return undefined;
    out.push(text.slice(start, c));
    start = c + 1;
  }
  out.push(text.slice(start));
  return out;
}

/** Split resolved pattern parts into six component pattern lists (colons inside literal parts included). */
function splitParts(parts: readonly PatternPart[]): PatternPart[][] | undefined {
  const comps: PatternPart[][] = [[]];
  for (const part of parts) {
    let rest = part.text;
    let c = rest.indexOf(':');
    while (c >= 0 && comps.length < COMPONENTS) {
      comps[comps.length - 1]!.push({ text: rest.slice(0, c), literal: part.literal });
      comps.push([]);
      rest = rest.slice(c + 1);
      c = rest.indexOf(':');
    }
    comps[comps.length - 1]!.push({ text: rest, literal: part.literal });
  }
  return comps.length === COMPONENTS ? comps : undefined;
}

/** A compiled ARN pattern: one matcher per component, or `undefined` when the value is no ARN. */
export type ArnMatcher = readonly StringMatcher[];

/** Compile an ARN pattern; a value without six components compiles to `undefined` (never matches). */
export function compileArnPattern(parts: readonly PatternPart[]): ArnMatcher | undefined {
  const comps = splitParts(parts);
  return comps?.map((c) => compileGlob(c, false));
}

/** Test split ARN components against a compiled ARN pattern. */
export function matchArn(matcher: ArnMatcher, components: readonly string[]): boolean {
  for (let i = 0; i < COMPONENTS; i++) if (!matcher[i]!(components[i]!)) return false;
  return true;
}
