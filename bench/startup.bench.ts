// Start-up benchmark: how long the built `horizon` takes to be useful, against anchors measured in the same run, the
// cases interleaved (A, B, C … A, B, C …) so that noise from other work on the machine falls on all of them:
//   horizon --help                     ÷ node -e 0                                             goal ≤ 3×
//   horizon instruments --json         ÷ a bare script that opens the same data folder, one query   goal ≤ 1.5×
//   horizon serve to the first 200 (/) ÷ the same bare open                                   goal ≤ 2×
// on a PGlite data folder filled with the shipped content once, before timing. STARTUP_BENCH_ROUNDS=N sets the rounds
// (default 7); STARTUP_BENCH_BEFORE=DIR also times the same commands of another checkout (e.g. one running tsx),
// interleaved with the rest, to print before/after in one run.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fixed, median, now, printTable, ratio } from './harness.ts';

const ROUNDS = Number(process.env.STARTUP_BENCH_ROUNDS ?? 7);
const BEFORE = process.env.STARTUP_BENCH_BEFORE;
const ROOT = path.resolve(import.meta.dirname, '..');
const GOALS = { help: 3, instruments: 1.5, serve: 2 } as const;

const loud = (message: string): void => {
  console.error(`\n${'!'.repeat(100)}\n!!! ${message}\n${'!'.repeat(100)}\n`);
  process.exitCode = 1;
};

/** Runs a command to its end; resolves with the milliseconds it took. Fails on a non-zero exit. */
function timed(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = now();
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: '', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = now() - t0;
      if (code === 0) resolve(ms);
      else reject(new Error(`${args.join(' ')} exited with ${code}:\n${stderr}`));
    });
  });
}

/** Starts `horizon serve` and resolves with the milliseconds to the first 200 of the home page; stops the server. */
function timedServe(bin: string, dataDir: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = now();
    const child = spawn(process.execPath, [bin, 'serve', '--port', '0', '--data', dataDir], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let done = false;
    const finish = (result: number | Error): void => {
      if (done) return;
      done = true;
      child.once('close', () => (typeof result === 'number' ? resolve(result) : reject(result)));
      child.kill('SIGTERM');
    };
    const onData = (d: Buffer): void => {
      output += d.toString();
      const url = /serving on (http:\/\/\S+)/.exec(output)?.[1];
      if (url === undefined || done) return;
      output = '';
      fetch(`${url}/`)
        .then(async (res) => {
          await res.arrayBuffer();
          finish(res.status === 200 ? now() - t0 : new Error(`GET / answered ${res.status}`));
        })
        .catch((error: unknown) => finish(error as Error));
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('exit', (code) => {
      if (!done) reject(new Error(`serve exited with ${code}:\n${output}`));
    });
  });
}

interface Case {
  readonly name: string;
  readonly run: () => Promise<number>;
  readonly times: number[];
}

export async function run(): Promise<void> {
  await timed(['scripts/build.js']); // what is timed is the built code, brought up to date first
  const bin = path.join(ROOT, 'bin', 'horizon.js');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'horizon-startup-'));
  try {
    console.log(`Filling ${dataDir} with the shipped content …`);
    await timed([bin, 'import', 'content', '--data', dataDir]);
    const cases: Case[] = [];
    const add = (name: string, fn: () => Promise<number>): void => void cases.push({ name, run: fn, times: [] });
    add('node -e 0', () => timed(['-e', '0']));
    add('horizon --help', () => timed([bin, '--help']));
    add('bare open + 1 query', () => timed(['bench/bare-open.js', dataDir]));
    add('horizon instruments --json', () => timed([bin, 'instruments', '--json', '--data', dataDir]));
    add('horizon serve → first 200', () => timedServe(bin, dataDir));
    if (BEFORE !== undefined) {
      const old = path.join(path.resolve(BEFORE), 'bin', 'horizon.js');
      add('before: horizon --help', () => timed([old, '--help']));
      add('before: horizon instruments --json', () => timed([old, 'instruments', '--json', '--data', dataDir]));
      add('before: horizon serve → first 200', () => timedServe(old, dataDir));
    }
    for (const c of cases) await c.run(); // warm the file cache, once each
    for (let round = 0; round < ROUNDS; round++) {
      for (const c of cases) c.times.push(await c.run());
    }
    const med = (name: string): number => median(cases.find((c) => c.name === name)?.times ?? [NaN]);
    console.log(`\nMedians of ${ROUNDS} interleaved rounds (ms):\n`);
    printTable(
      ['case', 'median', 'min', 'max'],
      cases.map((c) => [
        c.name,
        fixed(median(c.times), 0),
        fixed(Math.min(...c.times), 0),
        fixed(Math.max(...c.times), 0),
      ]),
    );
    const bare = med('bare open + 1 query');
    const rows: [string, number, number][] = [
      ['horizon --help ÷ node -e 0', med('horizon --help') / med('node -e 0'), GOALS.help],
      ['horizon instruments --json ÷ bare open', med('horizon instruments --json') / bare, GOALS.instruments],
      ['horizon serve → first 200 ÷ bare open', med('horizon serve → first 200') / bare, GOALS.serve],
    ];
    if (BEFORE !== undefined) {
      rows.push(
        ['before: horizon --help ÷ node -e 0', med('before: horizon --help') / med('node -e 0'), GOALS.help],
        ['before: instruments --json ÷ bare open', med('before: horizon instruments --json') / bare, GOALS.instruments],
        ['before: serve → first 200 ÷ bare open', med('before: horizon serve → first 200') / bare, GOALS.serve],
      );
    }
    console.log('');
    printTable(
      ['ratio', 'measured', 'goal'],
      rows.map(([name, r, g]) => [name, ratio(r), `≤ ${g}× — ${r <= g ? 'met' : 'MISSED'}`]),
    );
    for (const [name, r, g] of rows) if (!name.startsWith('before') && r > g) loud(`${name}: ${ratio(r)} > ${g}×`);
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
