/**
 * The position-tracking JSON parser: values, keys, paths, line/column, syntax errors,
 * duplicate keys (Access Analyzer "Duplicate keys with different case"), nesting limit.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html
 */
import { describe, expect, test } from 'vitest';
import { parseJson } from '../../../src/policy/parse/index.ts';
import type { JsonNode, ObjectNode } from '../../../src/policy/parse/index.ts';

function obj(node: JsonNode | undefined): ObjectNode {
  if (node?.type !== 'object') throw new Error(`expected an object, got ${node?.type}`);
  return node;
}

describe('parseJson values and positions', () => {
  test('parses every JSON type and keeps number text as written', () => {
    const { root, problems } = parseJson('{"s":"a\\u0041\\n","n":-1.50e2,"t":true,"f":false,"z":null,"a":[1,[2]]}');
    expect(problems).toEqual([]);
    const members = obj(root).members;
    expect(members.map((m) => m.key)).toEqual(['s', 'n', 't', 'f', 'z', 'a']);
    expect(members[0]?.value).toMatchObject({ type: 'string', value: 'aA\n' });
    expect(members[1]?.value).toMatchObject({ type: 'number', raw: '-1.50e2', value: -150 });
    expect(members[2]?.value).toMatchObject({ type: 'boolean', value: true });
    expect(members[4]?.value).toMatchObject({ type: 'null' });
  });

  test('records 1-based line and column of values and keys, across \\n and \\r\\n', () => {
    const text = '{\r\n  "Statement": [\n    { "Effect": "Allow" }\n  ]\n}';
    const root = obj(parseJson(text).root);
    const statement = root.members[0];
    expect(statement?.keyStart).toMatchObject({ line: 2, column: 3 });
    const array = statement?.value;
    if (array?.type !== 'array') throw new Error('expected array');
    const first = obj(array.items[0]);
    expect(first.start).toMatchObject({ line: 3, column: 5 });
    expect(first.end).toMatchObject({ line: 3, column: 26 });
    expect(first.members[0]?.value).toMatchObject({ path: '$.Statement[0].Effect', start: { line: 3, column: 17 } });
  });

  test('uses bracket notation for keys that are not identifiers', () => {
    const root = obj(parseJson('{"Condition":{"StringEquals":{"aws:username":"x","it\'s":"y"}}}').root);
    const op = obj(obj(root.members[0]?.value).members[0]?.value);
    expect(op.members.map((m) => m.value.path)).toEqual([
      "$.Condition.StringEquals['aws:username']",
      "$.Condition.StringEquals['it\\'s']",
    ]);
  });
});

describe('parseJson errors', () => {
  test.each([
    ['', 1, 1],
    ['{', 1, 2],
    ['{"a":1,}', 1, 8],
    ['{"a" 1}', 1, 6],
    ['[1 2]', 1, 4],
    ['{"a":tru}', 1, 6],
    ['{"a":"x\ny"}', 1, 8],
    ['{"a":"\\x"}', 1, 7],
    ['{"a":01}', 1, 7],
    ['{"a":1}\n  x', 2, 3],
    ['{\n  "a": "unterminated', 2, 8],
  ])('reports %j at line %i column %i', (text, line, column) => {
    const { root, problems } = parseJson(text);
    expect(root).toBeUndefined();
    expect(problems[0]).toMatchObject({ kind: 'syntax', position: { line, column } });
  });

  test('stops at the depth limit instead of recursing without bound', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const result = parseJson(deep);
    expect(result.root).toBeUndefined();
    expect(result.problems[0]?.kind).toBe('too-deep');
    expect(parseJson('[[[]]]', { maxDepth: 3 }).problems).toEqual([]);
    expect(parseJson('[[[[]]]]', { maxDepth: 3 }).problems[0]?.kind).toBe('too-deep');
  });
});

describe('parseJson duplicate keys', () => {
  test('flags exact and case-only duplicates at the later key, keeping both members', () => {
    const { root, problems } = parseJson('{"Effect":"Allow",\n"Effect":"Deny","effect":"x"}');
    expect(obj(root).members).toHaveLength(3);
    expect(problems).toMatchObject([
      { kind: 'duplicate-key', path: '$.Effect', position: { line: 2, column: 1 } },
      { kind: 'duplicate-key-case', path: '$.effect', position: { line: 2, column: 17 } },
    ]);
  });

  test('keys in different objects are not duplicates', () => {
    expect(parseJson('[{"a":1},{"a":2}]').problems).toEqual([]);
  });
});
