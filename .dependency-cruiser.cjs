// The layers of src/ as rules (docs/ARCHITECTURE.md, "Layers"); `npm run lint` runs them. Type-only imports count
// (a layer may not even name another's types where a rule forbids the import), except for cycles.
/** Repository modules: the only ones that may run SQL (scripts/check-sql.js checks the text). */
const REPOSITORY = '(^src/store/|\\.(repository|store)\\.ts$)';
/** Edges: HTTP routes, guide pages, the CLI. */
const EDGE = '(^src/(api|guide|cli)/|\\.routes\\.ts$)';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import cycles (a port and its adapters may name each other’s types).',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment: 'domain/ imports nothing of ours outside domain/.',
      from: { path: '^src/domain/' },
      to: { path: '^src/', pathNot: '^src/domain/' },
    },
    {
      name: 'rules-stand-alone',
      severity: 'error',
      comment: 'rules/ (also bundled for the browser) imports nothing of ours outside rules/.',
      from: { path: '^src/rules/' },
      to: { path: '^src/', pathNot: '^src/rules/' },
    },
    {
      name: 'i18n-stands-alone',
      severity: 'error',
      comment: 'i18n/ (the message catalogue, browser-safe) uses only domain/ and the locales.',
      from: { path: '^src/i18n/' },
      to: { path: '^src/', pathNot: '^src/(i18n|domain|locales)/' },
    },
    {
      name: 'drivers-in-adapters',
      severity: 'error',
      comment: 'Only the store (its adapters) talks to the database drivers; everything else goes through the port.',
      from: { path: '^src/', pathNot: '^src/store/' },
      to: { path: 'node_modules/(pg|@electric-sql/pglite)/' },
    },
    {
      name: 'edges-apart',
      severity: 'error',
      comment: 'api/, guide/ and cli/ never import each other (each calls services).',
      from: { path: '^src/(api|guide|cli)/' },
      to: { path: '^src/(api|guide|cli)/', pathNot: '^src/$1/' },
    },
    {
      name: 'routes-apart',
      severity: 'error',
      comment: 'A routes module is registered by src/server.ts (or a routes module of its own folder), no one else.',
      from: { path: '^src/([^/]+)/' },
      to: { path: '\\.routes\\.ts$', pathNot: '^src/$1/[^/]+\\.routes\\.ts$' },
    },
    {
      name: 'services-below-edges',
      severity: 'error',
      comment: 'Services, repositories and shared HTTP pieces never import an edge or the composition root.',
      from: { path: '^src/', pathNot: `${EDGE}|^src/server\\.ts$` },
      to: { path: `${EDGE}|^src/server\\.ts$` },
    },
    {
      name: 'only-serve-builds-the-app',
      severity: 'error',
      comment: 'The composition root src/server.ts is imported by the serve command only.',
      from: { path: '^src/', pathNot: '^src/cli/commands/serve\\.ts$' },
      to: { path: '^src/server\\.ts$' },
    },
    {
      name: 'http-is-shared',
      severity: 'error',
      comment: 'src/http/ (what edges share) may use domain/, errors and the store’s types only.',
      from: { path: '^src/http/' },
      to: { path: '^src/', pathNot: '^src/(http|domain|store)/|^src/errors\\.ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.test\\.ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
// REPOSITORY is documented here for readers; the SQL check that uses it is scripts/check-sql.js.
void REPOSITORY;
