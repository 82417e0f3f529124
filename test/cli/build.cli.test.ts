// What users run is the build in dist/: bin/horizon.js refuses a missing or stale one, naming the fix, and the built
// server serves the browser scripts bundled at build time.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../support/bundles.ts';
import { startServer, stop } from '../support/cli.ts';

/** A project folder holding only the entry point, its build check and one source file. */
function project(): string {
  const root = tempDir();
  for (const file of ['bin/horizon.js', 'scripts/dist-state.js']) {
    fs.mkdirSync(path.join(root, path.dirname(file)), { recursive: true });
    fs.copyFileSync(file, path.join(root, file));
  }
  fs.mkdirSync(path.join(root, 'src'));
  fs.writeFileSync(path.join(root, 'src', 'a.ts'), 'export {};\n');
  return root;
}

const run = (root: string) => spawnSync(process.execPath, [path.join(root, 'bin', 'horizon.js'), '--help']);

describe('the built command', () => {
  it('refuses to run without a build, naming the command that makes one (exit 70, no stack trace)', () => {
    const r = run(project());
    assert.equal(r.status, 70);
    assert.equal(
      r.stderr.toString(),
      'horizon: dist/ (the built JavaScript) is missing or unfinished: run "npm run build" first\n',
    );
  });

  it('refuses a build older than a source file, naming the file', () => {
    const root = project();
    fs.mkdirSync(path.join(root, 'dist'));
    const stamp = path.join(root, 'dist', '.built');
    fs.writeFileSync(stamp, '');
    const past = (seconds: number) => new Date(Date.now() - seconds * 1000);
    fs.utimesSync(path.join(root, 'src'), past(120), past(120)); // the folder, older than the build
    fs.utimesSync(stamp, past(60), past(60)); // the build, older than src/a.ts
    const r = run(root);
    assert.equal(r.status, 70);
    assert.equal(
      r.stderr.toString(),
      `horizon: dist/ is older than ${path.join('src', 'a.ts')}: run "npm run build" first\n`,
    );
  });

  it('serves the browser scripts from dist/guide/scripts/, as built', async () => {
    const { child, url } = await startServer(['--services', 'web', '--data', path.join(tempDir(), 'data')]);
    try {
      for (const name of ['check.js', 'watch.js']) {
        const page = await (await fetch(`${url}/${name === 'check.js' ? 'check' : 'watch'}`)).text();
        const src = new RegExp(`/static/${name.replace('.', '\\.')}\\?v=[0-9a-f]{12}`).exec(page)?.[0];
        assert.ok(src, `the page links ${name}`);
        const res = await fetch(`${url}${src}`);
        assert.equal(res.status, 200);
        assert.match(res.headers.get('content-type') ?? '', /javascript/);
        assert.deepEqual(Buffer.from(await res.arrayBuffer()), fs.readFileSync(`dist/guide/scripts/${name}`));
      }
    } finally {
      await stop(child);
    }
  });
});
