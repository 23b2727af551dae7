/**
 * The layer rules of src/ (README "Map of src/"), checked by `npm run lint:deps` in `npm test`.
 * Each layer may import only from the layers listed before it; nothing may form a cycle.
 */
const base = ['src/policy/', 'src/errors\\.ts$', 'src/config\\.ts$', 'src/logger\\.ts$', 'src/clock\\.ts$'];

/** Each layer, bottom to top, with the paths it may import besides its own. */
const layers = [
  { name: 'policy', path: '^src/policy/', may: ['src/policy/'] },
  { name: 'errors', path: '^src/errors\\.ts$', may: ['src/policy/'] },
  { name: 'config', path: '^src/config\\.ts$', may: ['src/policy/'] },
  { name: 'logger', path: '^src/logger\\.ts$', may: ['src/config\\.ts$'] },
  { name: 'clock', path: '^src/clock\\.ts$', may: ['src/clock\\.ts$'] },
  { name: 'db', path: '^src/db/', may: [...base, 'src/db/'] },
  { name: 'changes', path: '^src/changes/', may: [...base, 'src/db/', 'src/changes/'] },
  { name: 'iam', path: '^src/iam/', may: [...base, 'src/db/', 'src/changes/', 'src/iam/'] },
  { name: 'authz', path: '^src/authz/', may: [...base, 'src/db/', 'src/changes/', 'src/iam/', 'src/authz/'] },
  { name: 'sts', path: '^src/sts/', may: [...base, 'src/db/', 'src/changes/', 'src/iam/', 'src/authz/', 'src/sts/'] },
  { name: 'live', path: '^src/live/', may: [...base, 'src/db/', 'src/changes/', 'src/iam/', 'src/authz/', 'src/live/'] },
  {
    name: 'graphql',
    path: '^src/graphql/',
    may: [...base, 'src/db/', 'src/changes/', 'src/iam/', 'src/authz/', 'src/sts/', 'src/live/', 'src/graphql/'],
  },
  {
    name: 'authzen',
    path: '^src/authzen/',
    may: [...base, 'src/db/', 'src/changes/', 'src/iam/', 'src/authz/', 'src/sts/', 'src/live/', 'src/authzen/'],
  },
  { name: 'web', path: '^src/web/', may: ['src/web/'] },
];

/** A path pattern that matches any of `paths` (each anchored at the start). */
const anyOf = (paths) => `^(${paths.join('|')})`;

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No cycle between files (and so none between folders) under src/.',
      from: { path: '^src/' },
      to: { circular: true },
    },
    ...layers.map((layer) => ({
      name: `layer-${layer.name}`,
      severity: 'error',
      comment: `${layer.name} imports only from the layers below it (see README, "Map of src/").`,
      from: { path: layer.path },
      to: { path: '^src/', pathNot: anyOf(layer.may) },
    })),
    {
      name: 'server-on-top',
      severity: 'error',
      comment: 'Nothing under src/ imports the server, and the server never imports the console source.',
      from: { path: '^src/', pathNot: '^src/server/' },
      to: { path: '^src/server/' },
    },
    {
      name: 'server-not-web',
      severity: 'error',
      comment: 'The console is built by Vite and served as static files; the server never imports its source.',
      from: { path: '^src/server/' },
      to: { path: '^src/web/' },
    },
    {
      name: 'wire-packages-on-the-wire',
      severity: 'error',
      comment: 'Below graphql/ (and beside it, in authzen/) nothing knows GraphQL: domain errors are plain classes, streams plain async iterators.',
      from: { path: '^src/(policy|db|changes|iam|authz|sts|live|authzen)/|^src/(errors|config|logger|clock)\\.ts$' },
      to: { path: 'node_modules/(graphql|graphql-yoga|graphql-ws|@pothos/[^/]+|@envelop/[^/]+)/' },
    },
    {
      name: 'policy-is-pure',
      severity: 'error',
      comment: 'The engine does no I/O: no Node built-ins and no packages, only its own files.',
      from: { path: '^src/policy/' },
      to: { dependencyTypesNot: ['local', 'type-only', 'aliased-subpath-import'], pathNot: '^src/policy/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
