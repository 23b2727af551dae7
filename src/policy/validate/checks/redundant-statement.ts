/**
 * Statements identical to an earlier one (ignoring Sid, element order, list order, and the
 * single-value vs one-item-array spelling) add nothing: REDUNDANT_STATEMENT.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html
 */
import type { JsonNode } from '../../parse/json-node.ts';
import type { PolicyCheck } from '../check.ts';
import type { StatementView } from '../context.ts';

/** Canonical text of a value: object keys sorted, arrays sorted (order never matters in a policy). */
function canonical(node: JsonNode, wrapScalar: boolean): string {
  switch (node.type) {
    case 'object':
      return `{${[...node.members]
        .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
        .map((m) => `${JSON.stringify(m.key)}:${canonical(m.value, false)}`)
        .join(',')}}`;
    case 'array':
      return `[${[...new Set(node.items.map((i) => canonical(i, false)))].sort().join(',')}]`;
    case 'string':
      return wrapScalar ? `[${JSON.stringify(node.value)}]` : JSON.stringify(node.value);
    case 'number':
      return wrapScalar ? `[${node.raw}]` : node.raw;
    case 'boolean':
      return wrapScalar ? `[${node.value}]` : String(node.value);
    case 'null':
      return 'null';
  }
}

const LIST_ELEMENTS = new Set(['Action', 'NotAction', 'Resource', 'NotResource']);

/** Canonical text of a statement without its Sid. */
function statementKey(st: StatementView): string {
  const parts: string[] = [];
  for (const m of st.node.members) {
    if (m.key === 'Sid') continue;
    let text: string;
    if (m.key === 'Condition' && m.value.type === 'object') {
      // Condition values may be a scalar or a list: wrap them like list elements.
      text = m.value.members
        .map((op) => `${JSON.stringify(op.key)}:${op.value.type === 'object' ? op.value.members.map((k) => `${JSON.stringify(k.key)}:${canonical(k.value, true)}`).sort().join(',') : canonical(op.value, false)}`)
        .sort()
        .join(';');
    } else if ((m.key === 'Principal' || m.key === 'NotPrincipal') && m.value.type === 'object') {
      text = m.value.members.map((t) => `${JSON.stringify(t.key)}:${canonical(t.value, true)}`).sort().join(',');
    } else {
      text = canonical(m.value, LIST_ELEMENTS.has(m.key));
    }
    parts.push(`${m.key}=${text}`);
  }
  return parts.sort().join('|');
}

/** Reports statements that repeat an earlier statement. */
export const redundantStatementCheck: PolicyCheck = {
  name: 'redundant statement',
  run(ctx) {
    const seen = new Map<string, number>();
    for (const st of ctx.statements) {
      const key = statementKey(st);
      const earlier = seen.get(key);
      if (earlier === undefined) {
        seen.set(key, st.index);
      } else {
        ctx.report('REDUNDANT_STATEMENT', st.node, `the statement repeats statement ${earlier} (ignoring "Sid"); remove one of them`);
      }
    }
  },
};
