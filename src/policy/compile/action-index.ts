/**
 * Statements of one policy indexed by action, so a request touches only statements that can
 * match: exact lower-cased actions in a map, wildcard patterns grouped by their service prefix,
 * cross-service wildcards and NotAction statements in short lists. The merged, verified list
 * for each action seen is memoised (bounded), making the lookup one Map get on the hot path.
 */
import type { CompiledStatement } from './statement.ts';
import { serviceOf } from './action.ts';

const MEMO_LIMIT = 4096;
const NONE: readonly CompiledStatement[] = Object.freeze([]);

/** How many distinct actions get a small integer id (beyond that, memos fall back to a Map). */
const ACTION_ID_LIMIT = 2048;
const actionIds = new Map<string, number>();

/** A request action, lower-cased and interned once, then used against every policy. */
export interface ActionKey {
  readonly lower: string;
  /** Dense id for array-indexed memos, or -1 once the id space is used up. */
  readonly id: number;
  /** The service prefix of `lower` (`s3` of `s3:getobject`). */
  readonly service: string;
}

/** Intern a lower-cased action. */
export function actionKey(lower: string): ActionKey {
  let id = actionIds.get(lower);
  if (id === undefined) {
    id = actionIds.size < ACTION_ID_LIMIT ? actionIds.size : -1;
    if (id >= 0) actionIds.set(lower, id);
  }
  return { lower, id, service: serviceOf(lower) };
}

/**
 * A memo by interned action id: an array lookup instead of a string-keyed Map lookup. The first
 * action seen sits in a slot of its own: most memos (a principal asked about once, a policy met
 * for one action) never hold a second, and a dense array up to a large id would be paid per
 * cached principal. From the second action on, a dense array (holes would make V8 fall back to
 * slow elements). Actions without an id are not held.
 */
export class ActionIdMemo<T> {
  private firstId = -1;
  private first: T | undefined;
  private byId: (T | undefined)[] | undefined;

  get(key: Pick<ActionKey, 'id'>): T | undefined {
    if (key.id === this.firstId) return this.first;
    const byId = this.byId;
    return byId !== undefined && key.id >= 0 && key.id < byId.length ? byId[key.id] : undefined;
  }

  set(key: Pick<ActionKey, 'id'>, value: T): void {
    if (key.id < 0) return;
    if (this.firstId === -1 || this.firstId === key.id) {
      this.firstId = key.id;
      this.first = value;
      return;
    }
    const byId = (this.byId ??= []);
    while (byId.length <= key.id) byId.push(undefined);
    byId[key.id] = value;
  }
}

/** An action index over one policy's statements. */
export class ActionIndex {
  // Created when first needed: most policies use only some of them, and a principal's inline
  // policy is compiled for that principal alone, so empty maps would be paid per cached principal.
  private exact: Map<string, CompiledStatement[]> | undefined;
  /**
   * Wildcard statements of the first service seen sit in a slot of their own, without a Map:
   * most policies, and nearly every principal's own inline policy, name one service.
   */
  private service: string | undefined;
  private serviceStatements: CompiledStatement[] | undefined;
  /** Wildcard statements of every other service, by service prefix. */
  private byService: Map<string, CompiledStatement[]> | undefined;
  private crossService: CompiledStatement[] | undefined;
  private notAction: CompiledStatement[] | undefined;
  private memo: Map<string, readonly CompiledStatement[]> | undefined;
  /** Memo by action id: an array lookup instead of a string-keyed Map lookup per policy. */
  private readonly byId = new ActionIdMemo<readonly CompiledStatement[]>();

  constructor(private readonly statements: readonly CompiledStatement[]) {
    for (const s of statements) {
      if (s.notAction) {
        (this.notAction ??= []).push(s);
        continue;
      }
      for (const a of s.actions) {
        if (a.exact) push((this.exact ??= new Map()), a.lower, s);
        else if (a.service !== undefined) this.addServiceWildcard(a.service, s);
        else if (!(this.crossService ??= []).includes(s)) this.crossService.push(s);
      }
    }
  }

  private addServiceWildcard(service: string, s: CompiledStatement): void {
    this.service ??= service;
    if (service !== this.service) push((this.byService ??= new Map()), service, s);
    else if (this.serviceStatements === undefined) this.serviceStatements = [s];
    else if (!this.serviceStatements.includes(s)) this.serviceStatements.push(s);
  }

  /** Wildcard statements of `service`. */
  private ofService(service: string): readonly CompiledStatement[] {
    if (service === this.service) return this.serviceStatements!;
    return this.byService?.get(service) ?? NONE;
  }

  /** Statements that apply to an interned action, in document order. */
  candidatesFor(key: Pick<ActionKey, 'lower' | 'id'>): readonly CompiledStatement[] {
    if (key.id < 0) return this.candidates(key.lower);
    const hit = this.byId.get(key);
    if (hit !== undefined) return hit;
    // Memoised by id only: a second, string-keyed memo would be one more map per compiled policy.
    const list = this.collect(key.lower);
    this.byId.set(key, list);
    return list;
  }

  /** Statements that apply to `lowerAction`, in document order. */
  candidates(lowerAction: string): readonly CompiledStatement[] {
    // An interned action has its list in the id memo; only actions past the id space use this one.
    const id = actionIds.get(lowerAction);
    if (id !== undefined) return this.candidatesFor({ lower: lowerAction, id });
    const memo = (this.memo ??= new Map());
    const hit = memo.get(lowerAction);
    if (hit !== undefined) return hit;
    const list = this.collect(lowerAction);
    if (memo.size >= MEMO_LIMIT) memo.clear();
    memo.set(lowerAction, list);
    return list;
  }

  /** Every statement that applies to `lowerAction`, in document order (not memoised). */
  private collect(lowerAction: string): readonly CompiledStatement[] {
    const found = new Set<CompiledStatement>();
    for (const s of this.exact?.get(lowerAction) ?? NONE) found.add(s);
    for (const s of this.ofService(serviceOf(lowerAction))) if (s.appliesToAction(lowerAction)) found.add(s);
    for (const s of this.crossService ?? NONE) if (s.appliesToAction(lowerAction)) found.add(s);
    for (const s of this.notAction ?? NONE) if (s.appliesToAction(lowerAction)) found.add(s);
    return found.size === 0 ? NONE : Object.freeze(this.statements.filter((s) => found.has(s)));
  }
}

function push(map: Map<string, CompiledStatement[]>, key: string, s: CompiledStatement): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [s]);
  else if (!list.includes(s)) list.push(s);
}
