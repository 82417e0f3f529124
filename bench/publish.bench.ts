// Publishing benchmark (`npm run bench -- publish`): a store holding the shipped content plus 10,000 synthetic
// instruments (test/support/big-store.ts, each given a source so the store passes validation), on PGlite (a data
// folder) and on PostgreSQL (a fresh database, dropped at the end). For a change of 1 and of 500 instruments (their
// summaries rewritten), measured in the same run and interleaved round by round:
//   - publishChangeset: an approved change set of those entities published (conflict check, the whole bundle checked in
//     memory by the bundle's checkers, applyBundleIn: store, change log, search index, watch events; one transaction);
//   - importBundle: `horizon import` of a folder holding the same change (read, validate, apply) — the anchor, goal
//     publish ≤ 1.5× of it;
//   - applyBundle: the same change as a bundle already validated in memory (the import's write path alone).
// Also: one saveEntity into a change set on this store (the editor's save: the whole bundle is checked each time).
// PUBLISH_BENCH_RUNS=N rounds (default 5), PUBLISH_BENCH_INSTRUMENTS=N synthetic instruments (default 10,000),
// HORIZON_BENCH_DATABASE_URL the PostgreSQL server (default the local test database).
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { ROLE_SCOPES, type Actor, type Role } from '../src/accounts/types.ts';
import { bundleFiles, exportBundle, readStoreBundle } from '../src/content/export.ts';
import { applyBundle, importBundle } from '../src/content/import.ts';
import type { Bundle, Instrument } from '../src/domain/types.ts';
import {
  contentHash,
  createChangeset,
  publishChangeset,
  saveEntity,
  type Workspace,
} from '../src/editorial/changesets.service.ts';
import { putEntityRow, updateChangeset } from '../src/editorial/changesets.store.ts';
import { openDatabase, type Database } from '../src/store/database.ts';
import { loadEntitiesByKey } from '../src/store/knowledge.store.ts';
import { fillBigStore } from '../test/support/big-store.ts';
import { fixed, median, now, printTable, ratio, settle } from './harness.ts';

const RUNS = Number(process.env.PUBLISH_BENCH_RUNS ?? 5);
const INSTRUMENTS = Number(process.env.PUBLISH_BENCH_INSTRUMENTS ?? 10_000);
const SIZES = [1, 500] as const;
const SAVES = 5;
const GOAL = 1.5;
const SERVER = process.env.HORIZON_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const p95 = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(s.length * 0.95) - 1)] ?? 0;
};

const actor = (role: Role, name: string): Actor => ({
  accountId: `acc_${name}`,
  email: `${name}@bench.example`,
  name,
  role,
  scopes: new Set(ROLE_SCOPES.get(role) ?? []),
  via: 'session',
});
const EDITOR = actor('editor', 'editor');
const REVIEWER = actor('reviewer', 'reviewer');

/** Synthetic instruments cite a shipped source (and so do their events), as the bundle's checks require. */
const cited = (i: Instrument): Instrument => ({
  ...i,
  sources: [{ source: 'elxm-1547' }],
  events: i.events.map((e) => ({ ...e, sources: e.sources?.length ? e.sources : [{ source: 'elxm-1547' }] })),
});

interface Target {
  readonly name: 'pglite' | 'postgres';
  readonly db: Database;
  close(): Promise<void>;
}

async function pgliteTarget(): Promise<Target> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'horizon-publish-bench-'));
  const db = await openDatabase({ kind: 'pglite', dataDir: path.join(dir, 'data') });
  return {
    name: 'pglite',
    db,
    async close() {
      await db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function postgresTarget(): Promise<Target | null> {
  const name = `horizon_bench_publish_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: SERVER, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
  } catch (error) {
    console.error(`!!! PostgreSQL at ${SERVER} cannot be used, its part is NOT run: ${(error as Error).message}`);
    process.exitCode = 1;
    return null;
  } finally {
    await admin.end().catch(() => undefined);
  }
  const url = new URL(SERVER);
  url.pathname = `/${name}`;
  const db = await openDatabase({ kind: 'postgres', url: url.toString() });
  return {
    name: 'postgres',
    db,
    async close() {
      await db.close().catch(() => undefined);
      const c = new pg.Client({ connectionString: SERVER });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** The instruments with their English summary rewritten for one round of one method (so every round changes them). */
function rewritten(bundle: Bundle, ids: ReadonlySet<string>, tag: string): Instrument[] {
  return bundle.instruments
    .filter((i) => ids.has(i.id))
    .map((i) => ({
      ...i,
      summary: { ...i.summary, en: `${i.summary.en.replace(/ \[bench [^\]]*\]$/, '')} [bench ${tag}]` },
    }));
}

const withInstruments = (bundle: Bundle, changed: readonly Instrument[]): Bundle => {
  const by = new Map(changed.map((i) => [i.id, i]));
  return { ...bundle, instruments: bundle.instruments.map((i) => by.get(i.id) ?? i) };
};

interface Timings {
  publish: number[];
  importBundle: number[];
  applyBundle: number[];
}

/** One timed call, after a full collection so set-up garbage is not collected inside it. */
async function timed(fn: () => Promise<unknown>): Promise<number> {
  settle();
  const t0 = now();
  await fn();
  return now() - t0;
}

async function measure(target: Target): Promise<{ rows: string[][]; saves: number[] }> {
  const { db } = target;
  const ws: Workspace = { db, selfApproval: false };
  let t0 = now();
  await fillBigStore(db, INSTRUMENTS, cited);
  console.log(
    `${target.name}: store filled (shipped content + ${INSTRUMENTS} instruments) in ${fixed((now() - t0) / 1000)} s`,
  );
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'horizon-publish-bundle-'));
  t0 = now();
  await exportBundle(db, folder, true);
  console.log(`${target.name}: exported to a folder in ${fixed((now() - t0) / 1000)} s`);

  // The editor's save on this store: one entity, the whole bundle checked.
  const saves: number[] = [];
  const draft = await createChangeset(ws, EDITOR, { title: 'bench: saves' });
  for (let s = 0; s < SAVES; s++) {
    const [one] = rewritten(await readStoreBundle(db), new Set(['syn-1']), `save ${s}`);
    saves.push(await timed(() => saveEntity(ws, EDITOR, draft.id, 'instrument', 'syn-1', one)));
  }

  const rows: string[][] = [];
  for (const size of SIZES) {
    const ids = new Set(Array.from({ length: size }, (_, i) => `syn-${i * Math.floor(INSTRUMENTS / size)}`));
    const t: Timings = { publish: [], importBundle: [], applyBundle: [] };
    for (let round = 0; round < RUNS; round++) {
      // Publish: an approved change set of the changed instruments (set up through the store: saving 500 entities
      // one by one would check the whole bundle 500 times), then published by a reviewer.
      {
        const bundle = await readStoreBundle(db);
        const changed = rewritten(bundle, ids, `publish ${size} ${round}`);
        const cs = await createChangeset(ws, EDITOR, { title: `bench: ${size} entities, round ${round}` });
        const current = await loadEntitiesByKey(
          db,
          changed.map((i) => ({ kind: 'instrument' as const, id: i.id })),
        );
        const at = new Date().toISOString();
        await db.transaction(async (tx) => {
          for (const i of changed) {
            await putEntityRow(tx, cs.id, {
              kind: 'instrument',
              entityId: i.id,
              base: contentHash(current.get(`instrument:${i.id}`)),
              doc: JSON.stringify(i),
              body: null,
              savedAt: at,
              savedBy: EDITOR.accountId,
            });
          }
          await updateChangeset(
            tx,
            cs.id,
            { status: 'approved', reviewer: { id: REVIEWER.accountId, email: REVIEWER.email }, approvedAt: at },
            at,
          );
        });
        t.publish.push(
          await timed(async () => {
            const { report } = await publishChangeset(ws, REVIEWER, cs.id);
            if (report.changed.length !== size) throw new Error(`published ${report.changed.length}, not ${size}`);
          }),
        );
      }
      // importBundle: the folder with the same change written into it.
      {
        const bundle = await readStoreBundle(db);
        const after = withInstruments(bundle, rewritten(bundle, ids, `import ${size} ${round}`));
        const files = bundleFiles(after);
        for (const id of ids) {
          const rel = `instruments/${id}.yaml`;
          fs.writeFileSync(path.join(folder, rel), files.get(rel) ?? '');
        }
        t.importBundle.push(
          await timed(async () => {
            const report = await importBundle(db, folder, { actor: 'bench' });
            if (report.changed.length !== size) throw new Error(`imported ${report.changed.length}, not ${size}`);
          }),
        );
      }
      // applyBundle: the same change as a bundle in memory.
      {
        const bundle = await readStoreBundle(db);
        const after = withInstruments(bundle, rewritten(bundle, ids, `apply ${size} ${round}`));
        t.applyBundle.push(
          await timed(async () => {
            const report = await applyBundle(db, after, { actor: 'bench' });
            if (report.changed.length !== size) throw new Error(`applied ${report.changed.length}, not ${size}`);
          }),
        );
      }
    }
    const mp = median(t.publish);
    const mi = median(t.importBundle);
    const ma = median(t.applyBundle);
    rows.push([
      `${target.name}, ${size} ${size === 1 ? 'entity' : 'entities'}`,
      `${fixed(mp, 0)} / ${fixed(p95(t.publish), 0)}`,
      `${fixed(mi, 0)} / ${fixed(p95(t.importBundle), 0)}`,
      `${fixed(ma, 0)} / ${fixed(p95(t.applyBundle), 0)}`,
      `${ratio(mp / mi)} ${mp / mi <= GOAL ? '(goal ≤ 1.5×: met)' : '(goal ≤ 1.5×: MISSED)'}`,
      ratio(mp / ma),
    ]);
  }
  fs.rmSync(folder, { recursive: true, force: true });
  return { rows, saves };
}

export async function run(): Promise<void> {
  console.log(
    `Publishing a change set vs importing the same change; shipped content + ${INSTRUMENTS} instruments; ${RUNS} rounds ` +
      'interleaved (publish, import, apply); milliseconds, median / p95.',
  );
  const rows: string[][] = [];
  const saves: string[][] = [];
  for (const make of [pgliteTarget, postgresTarget]) {
    const target = await make();
    if (!target) continue;
    try {
      const out = await measure(target);
      rows.push(...out.rows);
      saves.push([target.name, `${fixed(median(out.saves), 0)} / ${fixed(p95(out.saves), 0)}`]);
    } finally {
      await target.close();
    }
  }
  printTable(
    [
      'database, change',
      'publishChangeset',
      'importBundle (folder)',
      'applyBundle (memory)',
      'publish ÷ import',
      'publish ÷ apply',
    ],
    rows,
  );
  console.log('');
  printTable(['saveEntity (1 instrument, whole bundle checked)', 'ms median / p95'], saves);
}
