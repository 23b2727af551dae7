/** Walks a statement's Condition block as (operator, key, values) entries. */
import type { JsonNode, ObjectMember } from '../parse/json-node.ts';
import type { StatementView } from './context.ts';
import { parseConditionOperator, type ParsedOperator } from './operators.ts';

/** One `operator: { key: values }` pair, with the nodes to point findings at. */
export interface ConditionEntry {
  readonly operatorMember: ObjectMember;
  /** Undefined when the operator is unknown. */
  readonly operator: ParsedOperator | undefined;
  readonly keyMember: ObjectMember;
  /** The value nodes: the array's items, or the single value. */
  readonly values: readonly JsonNode[];
}

/** All condition entries of `st` whose operator and key blocks are objects. */
export function conditionEntries(st: StatementView): ConditionEntry[] {
  const condition = st.member('Condition')?.value;
  if (condition?.type !== 'object') return [];
  const entries: ConditionEntry[] = [];
  for (const operatorMember of condition.members) {
    if (operatorMember.value.type !== 'object') continue;
    const operator = parseConditionOperator(operatorMember.key);
    for (const keyMember of operatorMember.value.members) {
      const values = keyMember.value.type === 'array' ? keyMember.value.items : [keyMember.value];
      entries.push({ operatorMember, operator, keyMember, values });
    }
  }
  return entries;
}

/** A condition value as AWS compares it: strings as is, numbers as written, booleans as words. */
export function scalarText(node: JsonNode): string | undefined {
  switch (node.type) {
    case 'string':
      return node.value;
    case 'number':
      return node.raw;
    case 'boolean':
      return node.value ? 'true' : 'false';
    default:
      return undefined;
  }
}
