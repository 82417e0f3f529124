// `npm test`: runs every *.test.ts under src/ and test/ with Node's test runner (TypeScript through tsx), several files
// at once (each file is its own process with its own databases; HORIZON_TEST_CONCURRENCY overrides how many).
// A group narrows the run — `unit` (src/, no database), `integration` (test/ but the browser), `e2e` (test/browser) —
// and so do paths: `npm test -- test/api` runs only the files under test/api.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { distProblem } from './dist-state.js';

// The CLI tests run bin/horizon.js, which runs dist/: rebuild it first when it is missing or older than src/.
if (distProblem() !== undefined) {
  const build = spawnSync(process.execPath, ['scripts/build.js'], { stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const BROWSER = path.join('test', 'browser') + path.sep;
const GROUPS = {
  unit: (f) => f.startsWith('src' + path.sep),
  integration: (f) => f.startsWith('test' + path.sep) && !f.startsWith(BROWSER),
  e2e: (f) => f.startsWith(BROWSER),
};

function collect(dir, out) {
  if (!fs.existsSync(dir)) return out;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== 'node_modules') collect(full, out);
    else if (entry.name.endsWith('.test.ts')) out.push(full);
  }
  return out;
}

const args = process.argv.slice(2);
const groups = args.filter((a) => a in GROUPS).map((a) => GROUPS[a]);
const filters = args.filter((a) => !(a in GROUPS));
const files = [...collect('src', []), ...collect('test', [])]
  .filter((f) => groups.length === 0 || groups.some((g) => g(f)))
  .filter((f) => filters.length === 0 || filters.some((x) => f.startsWith(path.normalize(x))))
  .sort();
if (files.length === 0) {
  console.error(`No test files match ${args.join(' ') || 'src/ and test/'}`);
  process.exit(1);
}
const concurrency = Number(process.env.HORIZON_TEST_CONCURRENCY) || Math.max(2, os.availableParallelism());
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-reporter', 'spec', ...files],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);
