// `npm run build` (and `npm install` / `npm ci`, through `prepare`): compiles src/ to dist/, a tree that mirrors src/,
// so that `npm start` and bin/horizon.js run JavaScript rather than TypeScript through tsx. Four steps, none of which
// needs a list of files: esbuild transpiles every module of src/ except tests, one output file per source file, its
// relative imports rewritten from .ts to .js and every import left external (type errors are the typecheck's business,
// not the build's; docs/ARCHITECTURE.md says why esbuild rather than tsc); every other file under src/ (migrations,
// JSON Schema, CSS, SVG …) is copied beside them, since the code reads them relative to import.meta.url; files whose
// source is gone are removed; the browser scripts are bundled into dist/guide/scripts/. Last, dist/.built marks the
// build complete.
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { ROOT, STAMP } from './dist-state.js';

const SRC = path.join(ROOT, 'src');
const DIST = path.join(ROOT, 'dist');
/** Files under dist/ that have no source file of the same path: the scripts' bundles and the build's stamp. */
const GENERATED = [path.join(DIST, 'guide', 'scripts'), STAMP];

const isTest = (name) => name.includes('.test.');
const isSource = (name) => name.endsWith('.ts') && !name.endsWith('.d.ts');

function* files(dir) {
  if (!fs.existsSync(dir)) return;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* files(full);
    else yield full;
  }
}

/** Keeps every import as it is written, but for relative .ts imports, which name the .js file emitted beside it. */
const perFile = {
  name: 'per-file',
  setup(build) {
    build.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind === 'entry-point') return undefined;
      // JSON modules are inlined: esbuild drops the `with { type: 'json' }` attribute Node needs on an external import.
      if (args.path.endsWith('.json')) return undefined;
      return { path: args.path.startsWith('.') ? args.path.replace(/\.ts$/, '.js') : args.path, external: true };
    });
  },
};

const started = performance.now();
const startedAt = new Date();
fs.rmSync(STAMP, { force: true });

const entryPoints = [...files(SRC)].filter((f) => isSource(path.basename(f)) && !isTest(path.basename(f)));
await esbuild.build({
  entryPoints,
  outdir: DIST,
  outbase: SRC,
  bundle: true, // with every import external (perFile): one output per module, imports resolved by Node at run time
  plugins: [perFile],
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'warning',
});

let copied = 0;
for (const file of files(SRC)) {
  const name = path.basename(file);
  if (isSource(name) || isTest(name)) continue;
  const target = path.join(DIST, path.relative(SRC, file));
  const from = fs.statSync(file);
  const to = fs.statSync(target, { throwIfNoEntry: false });
  if (to && to.size === from.size && to.mtimeMs >= from.mtimeMs) continue;
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.copyFileSync(file, target);
  copied++;
}

let removed = 0;
for (const file of [...files(DIST)]) {
  if (GENERATED.some((g) => file === g || file.startsWith(g + path.sep))) continue;
  const rel = path.relative(DIST, file);
  const sources = [path.join(SRC, rel), ...(rel.endsWith('.js') ? [path.join(SRC, rel.replace(/\.js$/, '.ts'))] : [])];
  if (!sources.some((source) => fs.existsSync(source) && !isTest(path.basename(source)))) {
    fs.rmSync(file);
    removed++;
  }
}

const { bundleScripts } = await import(pathToFileURL(path.join(DIST, 'guide', 'bundle-scripts.js')).href);
const scripts = await bundleScripts(SRC, path.join(DIST, 'guide', 'scripts'));

fs.writeFileSync(STAMP, `${startedAt.toISOString()}\n`);
fs.utimesSync(STAMP, startedAt, startedAt); // a source saved while the build ran is newer than the build
const ms = Math.round(performance.now() - started);
console.log(
  `build: dist/ up to date in ${ms} ms (${entryPoints.length} modules, ${copied} files copied, ${removed} removed, browser scripts ${scripts.join(', ')})`,
);
