// Whether dist/ (the built JavaScript) is there and newer than the sources it was built from. Used by bin/horizon.js
// (which refuses to run a missing or stale build, naming the fix) and by `npm test` (which rebuilds first).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root (the folder holding src/ and dist/). */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Written last by a successful build: its modification time is when dist/ was complete. */
export const STAMP = path.join(ROOT, 'dist', '.built');

/**
 * The newest modification time (ms) under dir, of the files that go into the build (tests do not) and of the folders
 * (a folder's time changes when a file in it is added, removed or renamed), and which one it is.
 */
function newest(dir, best) {
  const own = fs.statSync(dir).mtimeMs;
  if (own > best.mtime) Object.assign(best, { mtime: own, file: dir });
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest(full, best);
    else if (!entry.name.includes('.test.')) {
      const mtime = fs.statSync(full).mtimeMs;
      if (mtime > best.mtime) Object.assign(best, { mtime, file: full });
    }
  }
  return best;
}

/**
 * Why dist/ cannot be used as it is — missing, unfinished, or older than a file under src/ — or undefined when it is
 * up to date. Without src/ (an installed copy holding only dist/) a finished build is taken as it is.
 */
export function distProblem(root = ROOT) {
  const stamp = path.join(root, 'dist', '.built');
  let built;
  try {
    built = fs.statSync(stamp).mtimeMs;
  } catch {
    return 'dist/ (the built JavaScript) is missing or unfinished';
  }
  const src = path.join(root, 'src');
  if (!fs.existsSync(src)) return undefined;
  const latest = newest(src, { mtime: 0, file: src });
  if (latest.mtime > built) return `dist/ is older than ${path.relative(root, latest.file)}`;
  return undefined;
}
