/** Small helpers for reading the JSON tree without repeating type tests in every check. */
import type { JsonNode, StringNode } from '../parse/json-node.ts';

/** "a number", "an array", ... for messages. */
export function describeType(node: JsonNode): string {
  switch (node.type) {
    case 'object':
      return 'an object';
    case 'array':
      return 'an array';
    case 'string':
      return 'a string';
    case 'number':
      return `the number ${node.raw}`;
    case 'boolean':
      return `the boolean ${node.value}`;
    case 'null':
      return 'null';
  }
}

/** The string nodes of a string-or-array-of-strings element; non-strings are skipped (reported elsewhere). */
export function stringItems(node: JsonNode): StringNode[] {
  if (node.type === 'string') return [node];
  if (node.type === 'array') return node.items.filter((item): item is StringNode => item.type === 'string');
  return [];
}
