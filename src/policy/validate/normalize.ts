/**
 * Turns a validated policy tree into the normalised `PolicyDocument` the compiler consumes:
 * single values become arrays, condition numbers and booleans become strings, and every
 * statement carries its text span. Only called when validation found no ERROR, but written so
 * that it cannot throw on any tree.
 */
import type { ConditionDocument, PolicyDocument, PolicyVersion, PrincipalDocument, StatementDocument } from '../document.ts';
import type { JsonNode, SourcePosition } from '../parse/json-node.ts';
import type { TextSpan } from '../types.ts';
import { conditionEntries, scalarText } from './condition-entries.ts';
import type { StatementView } from './context.ts';
import { memberOf } from './context.ts';
import { stringItems } from './json-types.ts';

function strings(node: JsonNode | undefined): string[] | undefined {
  return node === undefined ? undefined : stringItems(node).map((n) => n.value);
}

function principal(node: JsonNode | undefined): PrincipalDocument | undefined {
  if (node === undefined) return undefined;
  if (node.type === 'string') return { kind: 'any' };
  if (node.type !== 'object') return undefined;
  const values = (type: string): string[] | undefined => strings(memberOf(node, type)?.value);
  const map: { kind: 'map'; AWS?: string[]; Service?: string[]; Federated?: string[]; CanonicalUser?: string[] } = { kind: 'map' };
  for (const type of ['AWS', 'Service', 'Federated', 'CanonicalUser'] as const) {
    const list = values(type);
    if (list !== undefined) map[type] = list;
  }
  return map;
}

function conditions(st: StatementView): ConditionDocument[] {
  return conditionEntries(st).map((entry) => ({
    operator: entry.operatorMember.key,
    key: entry.keyMember.key,
    values: entry.values.map(scalarText).filter((v): v is string => v !== undefined),
  }));
}

function point(p: SourcePosition): { line: number; column: number } {
  return { line: p.line, column: p.column };
}

/** The statement's span: from its `{` to just past its `}`. */
function span(st: StatementView): TextSpan {
  return { start: point(st.node.start), end: point(st.node.end) };
}

function statement(st: StatementView): StatementDocument {
  const sid = st.member('Sid')?.value;
  const effect = st.member('Effect')?.value;
  const doc: {
    -readonly [K in keyof StatementDocument]: StatementDocument[K];
  } = {
    index: st.index,
    effect: effect?.type === 'string' && effect.value === 'Allow' ? 'Allow' : 'Deny',
    condition: conditions(st),
    span: span(st),
  };
  if (sid?.type === 'string') doc.sid = sid.value;
  const p = principal(st.member('Principal')?.value);
  if (p !== undefined) doc.principal = p;
  const np = principal(st.member('NotPrincipal')?.value);
  if (np !== undefined) doc.notPrincipal = np;
  const lists = [
    ['Action', 'action'],
    ['NotAction', 'notAction'],
    ['Resource', 'resource'],
    ['NotResource', 'notResource'],
  ] as const;
  for (const [element, field] of lists) {
    const list = strings(st.member(element)?.value);
    if (list !== undefined) doc[field] = list;
  }
  return doc;
}

/** Builds the normalised document. `id` is the policy's Id element, when it is a string. */
export function toPolicyDocument(
  statements: readonly StatementView[],
  version: PolicyVersion,
  versionGiven: boolean,
  id: string | undefined,
): PolicyDocument {
  const doc: { -readonly [K in keyof PolicyDocument]: PolicyDocument[K] } = {
    version,
    versionGiven,
    statements: statements.map(statement),
  };
  if (id !== undefined) doc.id = id;
  return doc;
}
