/**
 * A least-privilege policy draft from observed use, as IAM Access Analyzer's policy generation
 * writes one: one statement per service and resource set, the actions seen (as first spelled),
 * the resources seen. Pure: a function of the allowed uses.
 *
 * It never grants more than was seen without saying so. Two generalisations are made, each
 * reported as a widening with what it replaces:
 * - uses counted under the folded resource `*` (more distinct resources in one flush than the
 *   recorder keeps) can only be written as `*`;
 * - more than MAX_SIBLINGS resources of one action under the same ARN parent (`…/reports/a`,
 *   `…/reports/b`, …) become `…/reports/*`, the way an engineer would write them; the parent is
 *   never shortened further, and ARNs without a `/` or `:` path are never collapsed.
 */
import type { AllowedUse } from './usage-reads.ts';
import { FOLDED_RESOURCE } from '../action-usage.ts';
import { compareCodeUnits } from '../code-unit-order.ts';

/** One place the draft allows more than was seen. */
export interface Widening {
  /** The resource pattern written. */
  readonly resource: string;
  /** The actions it is written for. */
  readonly actions: readonly string[];
  /** How many distinct resources seen it replaces (0 for the folded `*`). */
  readonly replaces: number;
  readonly reason: 'FOLDED_RESOURCES' | 'SIBLING_RESOURCES';
  /** Why, in words. */
  readonly message: string;
}

/** The draft and what it says about itself. */
export interface PolicyDraft {
  /** The policy document, JSON text (pretty-printed). */
  readonly policyDocument: string;
  readonly statementCount: number;
  /** Distinct actions granted. */
  readonly actions: readonly string[];
  readonly widenings: readonly Widening[];
  /** Whether every allowed use of the window was read (false when there were more than the reader returns). */
  readonly isComplete: boolean;
}

/** Resources of one action under one parent beyond which they are written as `parent*`. */
export const MAX_SIBLINGS = 10;

/** Builds the draft from `uses` (one per action and resource); `complete` says whether they are all of them. */
export function draftPolicy(uses: readonly AllowedUse[], complete: boolean): PolicyDraft {
  // The action's spelling as first seen, and its resources.
  const spelling = new Map<string, string>();
  const resourcesOf = new Map<string, Set<string>>();
  for (const use of uses) {
    if (!spelling.has(use.actionKey)) spelling.set(use.actionKey, use.action);
    let set = resourcesOf.get(use.actionKey);
    if (set === undefined) resourcesOf.set(use.actionKey, (set = new Set()));
    set.add(use.resourceArn);
  }
  const widenings = new Map<string, { resource: string; actions: string[]; replaces: number; reason: Widening['reason'] }>();
  const written = new Map<string, string[]>();
  for (const [key, seen] of resourcesOf) {
    const action = spelling.get(key)!;
    const resources = generalise(seen, (resource, replaces, reason) => {
      const id = `${reason}\u0000${resource}`;
      const w = widenings.get(id) ?? { resource, actions: [], replaces, reason };
      w.actions.push(action);
      w.replaces = Math.max(w.replaces, replaces);
      widenings.set(id, w);
    });
    written.set(key, resources);
  }
  // One statement per service and identical resource list.
  const statements = new Map<string, { service: string; actions: string[]; resources: string[] }>();
  for (const [key, resources] of written) {
    const service = key.slice(0, key.indexOf(':'));
    const id = `${service}\u0000${resources.join('\u0001')}`;
    const s = statements.get(id) ?? { service, actions: [], resources };
    s.actions.push(spelling.get(key)!);
    statements.set(id, s);
  }
  const ordered = [...statements.values()].sort((a, b) => compareCodeUnits(a.service, b.service) || compareCodeUnits(a.resources.join(','), b.resources.join(',')));
  const perService = new Map<string, number>();
  const document = {
    Version: '2012-10-17',
    Statement: ordered.map((s) => {
      const n = (perService.get(s.service) ?? 0) + 1;
      perService.set(s.service, n);
      const actions = s.actions.sort(cmpLower);
      return {
        Sid: sidOf(s.service, n),
        Effect: 'Allow',
        Action: actions.length === 1 ? actions[0] : actions,
        Resource: s.resources.length === 1 ? s.resources[0] : s.resources,
      };
    }),
  };
  return {
    policyDocument: JSON.stringify(document, null, 2),
    statementCount: ordered.length,
    actions: [...spelling.values()].sort(cmpLower),
    widenings: [...widenings.values()].map((w) => ({ ...w, actions: w.actions.sort(cmpLower), message: messageOf(w) })).sort((a, b) => compareCodeUnits(a.resource, b.resource)),
    isComplete: complete,
  };
}

/** The resources to write for one action's `seen` set, reporting each generalisation. */
function generalise(seen: ReadonlySet<string>, widened: (resource: string, replaces: number, reason: Widening['reason']) => void): string[] {
  if (seen.has(FOLDED_RESOURCE)) {
    // `*` was seen itself: it covers the rest without widening anything.
    if (!seen.has('*')) widened('*', seen.size - 1, 'FOLDED_RESOURCES');
    return ['*'];
  }
  if (seen.has('*')) return ['*'];
  const byParent = new Map<string, string[]>();
  for (const arn of seen) {
    const parent = parentOf(arn);
    const key = parent ?? `\u0000${arn}`;
    const list = byParent.get(key) ?? [];
    list.push(arn);
    byParent.set(key, list);
  }
  const out: string[] = [];
  for (const [parent, arns] of byParent) {
    if (!parent.startsWith('\u0000') && arns.length > MAX_SIBLINGS) {
      const pattern = `${parent}*`;
      widened(pattern, arns.length, 'SIBLING_RESOURCES');
      out.push(pattern);
    } else out.push(...arns);
  }
  return out.sort(compareCodeUnits);
}

/**
 * The ARN up to and including the last `/` of its resource part (`arn:aws:s3:::b/reports/`), or
 * undefined when the resource part has no path (`arn:aws:s3:::bucket`, `*`): those are never collapsed.
 */
function parentOf(arn: string): string | undefined {
  if (!arn.startsWith('arn:')) return undefined;
  let colon = -1;
  for (let i = 0; i < 5; i++) {
    colon = arn.indexOf(':', colon + 1);
    if (colon < 0) return undefined;
  }
  const slash = arn.lastIndexOf('/');
  if (slash <= colon || arn.slice(slash + 1).length === 0) return undefined;
  const parent = arn.slice(0, slash + 1);
  // Wildcards already in the parent would widen further than the siblings seen.
  return parent.includes('*') || parent.includes('?') ? undefined : parent;
}

function messageOf(w: { resource: string; actions: readonly string[]; replaces: number; reason: Widening['reason'] }): string {
  if (w.reason === 'FOLDED_RESOURCES') {
    return `"*" is written for ${w.actions.length} action(s) because more distinct resources were used than usage tracking keeps per action; the ${w.replaces} resource(s) recorded by name are included in it`;
  }
  return `"${w.resource}" replaces ${w.replaces} resources used under the same path; it also allows any other resource under that path`;
}

function sidOf(service: string, n: number): string {
  const base = service.replace(/[^A-Za-z0-9]/g, '').replace(/^./, (c) => c.toUpperCase()) || 'Service';
  return n === 1 ? `${base}Used` : `${base}Used${n}`;
}


function cmpLower(a: string, b: string): number {
  return compareCodeUnits(a.toLowerCase(), b.toLowerCase());
}
