/**
 * graphql-codegen: TypeScript types for every operation the console sends, from the printed
 * schema. `npm run codegen` writes them to src/web/api/generated/ (gitignored); `typecheck` and
 * `build:web` (so `npm start`) run it first. Operations are written with `graphql(…)` from
 * src/web/api/generated; `request`, `useQuery`, `useResultMutation` and `subscribeLive` take the typed
 * document and infer data and variables from it.
 */
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: 'schema/schema.graphql',
  documents: ['src/web/**/*.{ts,tsx}', '!src/web/api/generated/**'],
  generates: {
    'src/web/api/generated/': {
      preset: 'client',
      presetConfig: {
        // Pages read fragment fields directly; masking would add an unmasking call per use.
        fragmentMasking: false,
      },
      config: {
        // Documents stay strings, so `request()` posts them as they are (no graphql-js parse in
        // the bundle).
        documentMode: 'string',
        // verbatimModuleSyntax: type-only imports must say so.
        useTypeImports: true,
        // Enums as string unions: no runtime objects, and a renamed value is a compile error.
        enumsAsTypes: true,
        // Every scalar must be mapped: a new scalar in the schema fails codegen, not silently `any`.
        strictScalars: true,
        scalars: { ID: 'string', DateTime: 'string' },
      },
    },
  },
  // Quiet when it works (it runs before every typecheck and build); the error in full when it does not.
  silent: true,
  hooks: { onError: (message: string) => console.error(message) },
};

export default config;
