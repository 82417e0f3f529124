// Stall benchmark: a PGlite store of 5,000 synthetic instruments (test/support/big-store.ts), a real server on a
// loopback port in this process. For each large response — the calendar, pages of the instrument list, the Atom feeds
// — how big it is, how long it takes, how long the event loop was blocked meanwhile (monitorEventLoopDelay, 10 ms)
// and how slow /healthz, asked every 10 ms on another connection, got. Anchors measured in the same run:
//   idle        the event loop of this process doing nothing for 300 ms (what the shared machine costs by itself)
//   8 MiB hash  sha256 of 8 MiB in one synchronous piece (~20 ms of CPU on a quiet core): fixed work, so that a block
//               can be read against it when other processes stretch every block's wall time
//   whole list  what GET /api/v1/instruments did before pages: every instrument in one read and one JSON body
//   all dates   every dated event in one query (the calendar's read before the cap and the batches; it is then
//               rendered in slices, so the block measured is the query's)
// Each case runs STALL_BENCH_ROUNDS times (default 5), interleaved; the table gives medians and the worst.
import { createHash } from 'node:crypto';
import os from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { buildApp } from '../src/server.ts';
import { presentInstrumentList } from '../src/http/presenters.ts';
import { KnowledgeRepository } from '../src/store/knowledge.repository.ts';
import { loadCalendarItems } from '../src/watch/feeds/feeds.service.ts';
import { renderCalendar } from '../src/watch/feeds/ical.ts';
import { fillBigStore } from '../test/support/big-store.ts';
import { pglite } from '../test/support/databases.ts';
import { measureStall } from '../test/support/stall.ts';
import { TEST_SECRETS } from '../test/support/server.ts';
import { fixed, median, now, printTable, ratio } from './harness.ts';

const INSTRUMENTS = 5000;
const ROUNDS = Number(process.env.STALL_BENCH_ROUNDS ?? 5);
const PATHS = [
  '/calendar.ics',
  '/calendar.ics?jurisdiction=cn-sh&lang=zh',
  '/api/v1/instruments',
  '/api/v1/instruments?limit=500',
  '/api/v1/instruments?limit=500&status=in_force',
  '/feeds/all.atom',
  '/feeds/jurisdictions/cn.atom?lang=zh',
] as const;

const EIGHT_MIB = Buffer.alloc(8 * 1024 * 1024, 7);
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The longest the event loop was blocked while `work` ran (sampled every 10 ms, read after a last tick). */
async function blocked(work: () => Promise<unknown>): Promise<{ ms: number; blockMs: number }> {
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  await wait(20);
  const t0 = now();
  await work();
  const ms = now() - t0;
  await wait(30);
  h.disable();
  return { ms, blockMs: h.max / 1e6 };
}

interface Row {
  bytes: number;
  ms: number[];
  block: number[];
  healthz: number[];
}

export async function run(): Promise<void> {
  const load0 = os.loadavg();
  const db = await pglite.open();
  let t = now();
  await fillBigStore(db, INSTRUMENTS);
  console.log(`store: shipped content + ${INSTRUMENTS} synthetic instruments in ${fixed((now() - t) / 1000)} s`);
  const app = await buildApp({ db, logLevel: 'silent', secrets: TEST_SECRETS });
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  const repo = new KnowledgeRepository(db);
  for (const p of ['/calendar.ics?instrument=syn-1', '/api/v1/instruments?limit=1', '/feeds/all.atom?kind=new-event']) {
    await (await fetch(`${base}${p}`)).text(); // each route compiles its validator and serializer on first use
  }
  const rows = new Map<string, Row>();
  const anchors = new Map<string, Row>();
  const add = (map: Map<string, Row>, name: string, bytes: number, ms: number, block: number, healthz: number) => {
    const r = map.get(name) ?? { bytes, ms: [], block: [], healthz: [] };
    r.ms.push(ms);
    r.block.push(block);
    r.healthz.push(healthz);
    map.set(name, r);
  };
  t = now();
  for (let round = 0; round < ROUNDS; round++) {
    for (const path of PATHS) {
      const f = await measureStall(base, path);
      if (f.status !== 200) throw new Error(`${path} answered ${f.status}`);
      add(rows, path, f.bytes, f.ms, f.maxBlockMs, f.healthzWorstMs);
    }
    const idle = await blocked(() => wait(300));
    add(anchors, 'idle (300 ms)', 0, idle.ms, idle.blockMs, 0);
    const hash = await blocked(() => Promise.resolve(createHash('sha256').update(EIGHT_MIB).digest()));
    add(anchors, 'sha256 of 8 MiB, one piece', EIGHT_MIB.length, hash.ms, hash.blockMs, 0);
    let body = '';
    const list = await blocked(async () => {
      const asOf = new Date().toISOString().slice(0, 10);
      body = JSON.stringify(presentInstrumentList(await repo.instruments({ asOf }), asOf));
    });
    add(anchors, 'whole list: one read, one body', Buffer.byteLength(body), list.ms, list.blockMs, 0);
    const cal = await blocked(async () => {
      const items = await loadCalendarItems(db);
      body = await renderCalendar(items, { name: 'Horizon', lang: 'en', publicUrl: base });
    });
    add(anchors, 'all dated events: one query', Buffer.byteLength(body), cal.ms, cal.blockMs, 0);
  }
  const took = (now() - t) / 1000;
  await app.close();
  await db.close();

  const idleBlock = median(anchors.get('idle (300 ms)')?.block ?? [1]);
  const hashBlock = median(anchors.get('sha256 of 8 MiB, one piece')?.block ?? [1]);
  const wholeList = median(anchors.get('whole list: one read, one body')?.block ?? [1]);
  const wholeCal = median(anchors.get('all dated events: one query')?.block ?? [1]);
  const cells = (r: Row) => [
    r.bytes.toLocaleString('en'),
    fixed(median(r.ms), 0),
    `${fixed(median(r.block), 0)} (${fixed(Math.max(...r.block), 0)})`,
    r.healthz.some((h) => h > 0) ? `${fixed(median(r.healthz), 0)} (${fixed(Math.max(...r.healthz), 0)})` : '–',
  ];
  console.log(
    `\n${ROUNDS} rounds in ${fixed(took)} s; load average ${load0.map((x) => fixed(x)).join(' ')} before, ` +
      `${os
        .loadavg()
        .map((x) => fixed(x))
        .join(' ')} after; ${os.cpus().length} cores, Node ${process.version}\n`,
  );
  printTable(
    [
      'response',
      'bytes',
      'ms',
      'loop blocked, median (worst)',
      '/healthz ms, median (worst)',
      '÷ idle',
      '÷ 8 MiB hash',
      '÷ one-piece anchor',
    ],
    [
      ...[...rows].map(([path, r]) => {
        const anchor = path.startsWith('/calendar') ? wholeCal : path.startsWith('/api') ? wholeList : undefined;
        const block = median(r.block);
        return [
          path,
          ...cells(r),
          ratio(block / idleBlock),
          ratio(block / hashBlock),
          anchor ? ratio(block / anchor) : '–',
        ];
      }),
      ...[...anchors].map(([name, r]) => [
        `anchor: ${name}`,
        ...cells(r),
        ratio(median(r.block) / idleBlock),
        ratio(median(r.block) / hashBlock),
        '–',
      ]),
    ],
  );
}
