/**
 * The service prefixes a policy text names, so a caller can load just those services of the
 * catalog before validating (`loadCatalogView`, then `parsePolicy(text, kind, { catalog })`):
 * the prefixes of Action and NotAction entries and of service condition keys. Prefixes with
 * wildcards, global `aws:` keys and malformed input are left out; the validator reports those.
 */
import type { JsonNode } from '../parse/json-node.ts';
import { parseJson } from '../parse/json-parser.ts';
import { stringItems } from './json-types.ts';

/** A prefix worth loading: what a service prefix can be (no wildcard, no dots, bounded). */
const PREFIX = /^[A-Za-z0-9-]{1,64}$/;

function prefixOf(name: string): string | undefined {
  const colon = name.indexOf(':');
  if (colon < 1) return undefined;
  const prefix = name.slice(0, colon).toLowerCase();
  return PREFIX.test(prefix) && prefix !== 'aws' ? prefix : undefined;
}

function statementNodes(root: JsonNode): JsonNode[] {
  if (root.type !== 'object') return [];
  const statement = root.members.find((m) => m.key === 'Statement')?.value;
  if (statement === undefined) return [];
  return statement.type === 'array' ? [...statement.items] : [statement];
}

/** The lower-case service prefixes `text` names in actions and condition keys, deduplicated. */
export function servicePrefixesOf(text: string): string[] {
  const prefixes = new Set<string>();
  const root = parseJson(typeof text === 'string' ? text : '').root;
  if (root === undefined) return [];
  for (const statement of statementNodes(root)) {
    if (statement.type !== 'object') continue;
    for (const member of statement.members) {
      if (member.key === 'Action' || member.key === 'NotAction') {
        for (const item of stringItems(member.value)) {
          const prefix = prefixOf(item.value);
          if (prefix !== undefined) prefixes.add(prefix);
        }
      } else if (member.key === 'Condition' && member.value.type === 'object') {
        for (const operator of member.value.members) {
          if (operator.value.type !== 'object') continue;
          for (const key of operator.value.members) {
            const prefix = prefixOf(key.key);
            if (prefix !== undefined) prefixes.add(prefix);
          }
        }
      }
    }
  }
  return [...prefixes];
}
