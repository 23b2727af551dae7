/**
 * Action patterns: `service:Action`, case-insensitive, with `*` and `?` (User Guide: "IAM JSON
 * policy elements: Action"). Each pattern is classified for the statement index: an exact action,
 * a wildcard within one service, or a wildcard over services.
 */
import { compileGlob, wildParts, type StringMatcher } from '../match/glob.ts';

/** A classified, compiled action pattern. */
export interface ActionPattern {
  /** Lower-cased pattern text. */
  readonly lower: string;
  /** Exact (wildcard-free) pattern. */
  readonly exact: boolean;
  /** The lower-cased service prefix when it contains no wildcard. */
  readonly service?: string;
  readonly test: StringMatcher;
}

/**
 * Compiled patterns by their text, shared by every policy that writes the same one (patterns are
 * immutable). A principal's own inline policy is compiled for that principal alone, so without
 * this each cached principal would hold its own copy of `s3:*`. Bounded: it starts afresh when
 * full (sharing, not correctness, depends on it).
 */
const SHARED_LIMIT = 10_000;
let shared = new Map<string, ActionPattern>();

/** Compile one action pattern (the shared instance for a pattern already compiled). */
export function compileAction(text: string): ActionPattern {
  let pattern = shared.get(text);
  if (pattern === undefined) {
    if (shared.size >= SHARED_LIMIT) shared = new Map();
    pattern = Object.freeze(compileActionPattern(text));
    shared.set(text, pattern);
  }
  return pattern;
}

function compileActionPattern(text: string): ActionPattern {
  const lower = text.toLowerCase();
  const exact = !lower.includes('*') && !lower.includes('?');
  const colon = lower.indexOf(':');
  const service = colon > 0 ? lower.slice(0, colon) : undefined;
  const fixedService = service !== undefined && !service.includes('*') && !service.includes('?') ? service : undefined;
  return { lower, exact, ...(fixedService !== undefined ? { service: fixedService } : {}), test: compileGlob(wildParts(lower), false) };
}

/** The service prefix of a lower-cased request action (`s3` of `s3:getobject`). */
export function serviceOf(lowerAction: string): string {
  const colon = lowerAction.indexOf(':');
  return colon < 0 ? lowerAction : lowerAction.slice(0, colon);
}
