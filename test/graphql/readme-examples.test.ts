/**
 * The README's API tour is copied into shells and scripts, so every operation it shows must be
 * valid against the schema the server builds: a renamed field or type fails here, not in a
 * reader's terminal. Operations are taken from the `"query":"…"` bodies of its curl examples and
 * the `query:` template of its JavaScript example.
 */
import { readFileSync } from 'node:fs';
import { parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from '../../src/graphql/schema.ts';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** The operations of the README: curl `-d` JSON bodies and `query: \`…\`` templates. */
function readmeOperations(): string[] {
  const operations: string[] = [];
  for (const [, body] of readme.matchAll(/-d '(\{"query":.*\})'/g)) {
    operations.push((JSON.parse(body!) as { query: string }).query);
  }
  for (const [, template] of readme.matchAll(/query: `([^`]*)`/g)) operations.push(template!);
  return operations;
}

describe('README API tour', () => {
  const operations = readmeOperations();

  it('shows operations (the extraction still finds them)', () => {
    expect(operations.length).toBeGreaterThanOrEqual(15);
  });

  it.each(operations.map((operation) => [operation.slice(0, 70), operation]))('is valid against the schema: %s', (_, operation) => {
    const errors = validate(schema, parse(operation!));
    expect(errors.map((error) => error.message)).toEqual([]);
  });
});
