// `npm run build` (and `npm install` / `npm ci`, through `prepare`): compiles src/ to dist/, a tree that mirrors src/,
// so that `npm start` and bin/horizon.js run JavaScript rather than TypeScript through tsx. Four steps, none of which
// needs a list of files: tsc emits every module of src/ except tests (tsconfig.build.json; incremental; type errors
// are the typecheck's business, not the build's); every other file under src/ (migrations, JSON Schema, CSS, SVG …)
// is copied beside them, since the code reads them relative to import.meta.url; files whose source is gone are
// removed; the browser scripts are bundled into dist/guide/scripts/. Last, dist/.built marks the build complete.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { ROOT, STAMP } from './dist-state.js';

const SRC = path.join(ROOT, 'src');
const DIST = path.join(ROOT, 'dist');
/** Files under dist/ that have no source file of the same path: the scripts' bundles and the build's own. */
const GENERATED = [path.join(DIST, 'guide', 'scripts'), path.join(DIST, '.tsbuildinfo'), STAMP];

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

const started = performance.now();
fs.rmSync(STAMP, { force: true });

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const compiled = spawnSync(process.execPath, [tsc, '-p', path.join(ROOT, 'tsconfig.build.json')], {
  stdio: 'inherit',
  cwd: ROOT,
});
if (compiled.status !== 0) {
  console.error('build: tsc failed (see above)');
  process.exit(compiled.status ?? 1);
}

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
  const source = rel.endsWith('.js') ? path.join(SRC, rel.replace(/\.js$/, '.ts')) : path.join(SRC, rel);
  if (!fs.existsSync(source) || isTest(path.basename(source))) {
    fs.rmSync(file);
    removed++;
  }
}

const { bundleScripts } = await import(pathToFileURL(path.join(DIST, 'guide', 'bundle-scripts.js')).href);
const scripts = await bundleScripts(SRC, path.join(DIST, 'guide', 'scripts'));

fs.writeFileSync(STAMP, `${new Date().toISOString()}\n`);
const ms = Math.round(performance.now() - started);
console.log(
  `build: dist/ up to date in ${ms} ms (${copied} files copied, ${removed} removed, browser scripts ${scripts.join(', ')})`,
);
