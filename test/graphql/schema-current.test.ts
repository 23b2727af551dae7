import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { printSchemaSdl } from '../../src/graphql/print.ts';

describe('schema/schema.graphql', () => {
  it('matches the schema the code builds', () => {
    const checkedIn = readFileSync(new URL('../../schema/schema.graphql', import.meta.url), 'utf8');
    const current = printSchemaSdl();
    if (checkedIn !== current) {
      expect.fail('schema/schema.graphql is stale: run npm run schema:emit and commit the result');
    }
  });
});
