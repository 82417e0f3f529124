// `npm run bench [-- filter…]`: imports every bench/*.bench.ts (or those whose file name contains a filter) in name
// order and runs it: a module may do its work on import, or export `run()` (or a default function) to be called.
import fs from 'node:fs';

const dir = new URL('./', import.meta.url);
const filters = process.argv.slice(2);
const files = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
if (files.length === 0) {
  console.error(`No benchmark in bench/ matches ${filters.join(' ') || '*.bench.ts'}`);
  process.exit(1);
}
for (const file of files) {
  console.log(`\n=== ${file} ===`);
  const started = performance.now();
  const mod = (await import(new URL(file, dir).href)) as { run?: () => unknown; default?: () => unknown };
  const entry = typeof mod.run === 'function' ? mod.run : typeof mod.default === 'function' ? mod.default : undefined;
  if (entry !== undefined) await entry();
  console.log(`=== ${file}: ${((performance.now() - started) / 1000).toFixed(1)} s ===`);
}
