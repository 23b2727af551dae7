// Writes schema/schema.graphql, the SDL clients and reviewers read, from the Pothos schema.
// Run `npm run schema:emit` after changing any GraphQL type; a test fails while it is stale.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { printSchemaSdl } from '../src/graphql/print.ts';

const target = fileURLToPath(new URL('../schema/schema.graphql', import.meta.url));
writeFileSync(target, printSchemaSdl());
process.stdout.write(`wrote ${target}\n`);
