/**
 * Test helpers: build PolicyDocuments from policy JSON written as in the AWS docs (single values
 * or arrays), compile them, and evaluate single conditions — without depending on the validator.
 */
import type { ConditionDocument, PolicyDocument, PrincipalDocument, StatementDocument } from '../../../src/policy/document.ts';
import type { CompiledPolicy, ContextValue, ContextValueType, PolicyKind, RequestContext, RequestPrincipal } from '../../../src/policy/types.ts';
import { compileDocument } from '../../../src/policy/compile/index.ts';
import { compileCondition } from '../../../src/policy/conditions/compile-condition.ts';

type Many = string | readonly string[];
const arr = (v: Many | undefined): readonly string[] | undefined => (v === undefined ? undefined : typeof v === 'string' ? [v] : v);

/** Policy JSON as a test writes it. */
export interface PolicyJson {
  Version?: string;
  Statement: StatementJson | readonly StatementJson[];
}
/** One statement as JSON. */
export interface StatementJson {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal?: '*' | Record<string, Many>;
  NotPrincipal?: '*' | Record<string, Many>;
  Action?: Many;
  NotAction?: Many;
  Resource?: Many;
  NotResource?: Many;
  Condition?: Record<string, Record<string, Many | number | boolean | readonly (string | number | boolean)[]>>;
}

function principalDoc(p: '*' | Record<string, Many> | undefined): PrincipalDocument | undefined {
  if (p === undefined) return undefined;
  if (p === '*') return { kind: 'any' };
  return { kind: 'map', ...Object.fromEntries(Object.entries(p).map(([k, v]) => [k, arr(v)])) };
}

/** Normalise policy JSON into the parsed-document shape. */
export function toDocument(json: PolicyJson): PolicyDocument {
  const list: readonly StatementJson[] = Array.isArray(json.Statement) ? (json.Statement as readonly StatementJson[]) : [json.Statement as StatementJson];
  const statements: StatementDocument[] = list.map((s, index) => {
    const condition: ConditionDocument[] = [];
    for (const [operator, block] of Object.entries(s.Condition ?? {})) {
      for (const [key, v] of Object.entries(block)) {
        const values = (Array.isArray(v) ? v : [v]).map(String);
        condition.push({ operator, key, values });
      }
    }
    const out: Record<string, unknown> = {
      index,
      effect: s.Effect,
      condition,
      span: { start: { line: index + 1, column: 1 }, end: { line: index + 1, column: 2 } },
    };
    if (s.Sid !== undefined) out.sid = s.Sid;
    if (s.Principal !== undefined) out.principal = principalDoc(s.Principal);
    if (s.NotPrincipal !== undefined) out.notPrincipal = principalDoc(s.NotPrincipal);
    if (s.Action !== undefined) out.action = arr(s.Action);
    if (s.NotAction !== undefined) out.notAction = arr(s.NotAction);
    if (s.Resource !== undefined) out.resource = arr(s.Resource);
    if (s.NotResource !== undefined) out.notResource = arr(s.NotResource);
    return out as unknown as StatementDocument;
  });
  const version = json.Version === '2012-10-17' ? '2012-10-17' : '2008-10-17';
  return { version, versionGiven: json.Version !== undefined, statements };
}

/** Compile policy JSON by hand (no validator). */
export function policy(json: PolicyJson, kind: PolicyKind = 'identity', id = 'p1'): CompiledPolicy {
  return compileDocument(toDocument(json), kind, { id }, JSON.stringify(json).length);
}

/** Typed context from plain values (arrays become multivalued). */
export function ctx(entries: Record<string, string | readonly string[]>, type: ContextValueType = 'string'): RequestContext {
  const out: Record<string, ContextValue> = {};
  for (const [k, v] of Object.entries(entries)) {
    out[k] = typeof v === 'string' ? { type, multi: false, values: [v] } : { type, multi: true, values: v };
  }
  return out;
}

/** Evaluate a single condition entry against a context; returns the result and missing keys. */
export function condition(
  operator: string,
  key: string,
  values: Many,
  context: RequestContext = {},
  version: '2012-10-17' | '2008-10-17' = '2012-10-17',
): { result: boolean; missing: string[] } {
  const compiled = compileCondition({ operator, key, values: arr(values)! }, version, '$.Statement[0].Condition');
  const index = new Map(Object.entries(context).map(([k, v]) => [k.toLowerCase(), v]));
  const missing: string[] = [];
  const result = compiled.test({ lookup: (k) => index.get(k), missing: (k) => missing.push(k) });
  return { result, missing };
}

/** Common principals in account 111122223333. */
export const ACCOUNT = '111122223333';
export const OTHER = '444455556666';
export const alice: RequestPrincipal = {
  type: 'User',
  arn: `arn:aws:iam::${ACCOUNT}:user/alice`,
  accountId: ACCOUNT,
  userName: 'alice',
  userId: 'AIDAALICE',
  tags: { team: 'blue' },
};
export const session: RequestPrincipal = {
  type: 'AssumedRole',
  arn: `arn:aws:sts::${ACCOUNT}:assumed-role/Dev/s1`,
  accountId: ACCOUNT,
  roleArn: `arn:aws:iam::${ACCOUNT}:role/Dev`,
  userId: 'AROADEV:s1',
};
export const root: RequestPrincipal = { type: 'Account', arn: `arn:aws:iam::${ACCOUNT}:root`, accountId: ACCOUNT };
export const bob: RequestPrincipal = {
  type: 'User',
  arn: `arn:aws:iam::${OTHER}:user/bob`,
  accountId: OTHER,
  userName: 'bob',
};
