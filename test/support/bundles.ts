// Helpers to make bundles for tests: a copy of the shipped content that a test may change.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const SHIPPED = path.resolve('content');

const made: string[] = [];
process.on('exit', () => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

/** A fresh temporary folder, removed at process exit. */
export function tempDir(prefix = 'horizon-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** A copy of the shipped bundle in a temporary folder. */
export function copyOfShipped(): string {
  const dir = path.join(tempDir(), 'bundle');
  fs.cpSync(SHIPPED, dir, { recursive: true });
  return dir;
}

/** Replaces `from` with `to` in one file of the bundle; fails if `from` is not there. */
export function edit(dir: string, rel: string, from: string | RegExp, to: string): void {
  const file = path.join(dir, rel);
  const text = fs.readFileSync(file, 'utf8');
  const next = text.replace(from, to);
  if (next === text) throw new Error(`edit: ${String(from)} not found in ${rel}`);
  fs.writeFileSync(file, next);
}

/** Every file of a folder, relative path → content. */
export function readTree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full);
      else out.set(path.relative(dir, full), fs.readFileSync(full, 'utf8'));
    }
  };
  walk(dir);
  return out;
}
