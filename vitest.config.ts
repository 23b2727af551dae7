import { defineConfig } from 'vitest/config';
import SlowFirstSequencer from './test/support/slow-first-sequencer.ts';

export default defineConfig({
  resolve: {
    // graphql 16 ships CJS (`main`) and ESM (`module`). Vite picks `module` for our sources while
    // Node loads `main` for Pothos and Yoga, and graphql refuses two copies in one process. Point
    // our sources at the same CJS entry Node uses.
    alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Test files share one module graph per worker: the app (schema build, PGlite's WASM, the
    // service catalogue) is evaluated once per worker instead of once per file, which was most of
    // the suite's time. Tests therefore keep no mutable module-level state and close what they open.
    isolate: false,
    // The longest suites start first, so none runs alone at the end (see the sequencer).
    sequence: { sequencer: SlowFirstSequencer },
  },
});
