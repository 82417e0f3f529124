// Watch benchmark, two parts on PostgreSQL (fresh databases, dropped at the end):
// 1. Matching: 1,000,000 synthetic subscriptions (seeded, each with its subscription_log entry), loaded into a worker's
//    in-memory SubscriptionIndex by its first refresh(); then ~500 realistic changes matched by index.match against
//    three anchors measured in the same run: a plain scan of the same subscriptions held in memory (parsed, matches()
//    on each), a plain scan of every subscription read from the database with matches() applied in Node, and the same
//    filter evaluated in SQL over a jsonb copy (no index). Every anchor must return the same subscriptions as Horizon
//    for every change it is measured on. Then dispatch end to end on a sample: changes recorded (recordEvents) and
//    dispatched one per call (dispatchEvents: claim, match, one bulk INSERT of outbox rows and one of digest items).
// 2. Outbox throughput: 3,000 webhook deliveries, queued by recordEvents + dispatchEvents, sent by 1 and 2 workers
//    (deliverDue, batch 8) to a local receiver (its own thread; counts requests, verifies signatures, refuses nothing,
//    notes duplicate idempotency keys), against the receiver's raw capacity: the same signed POSTs from a plain loop
//    with the same concurrency, no database. The same on PGlite (in memory, one worker).
// WATCH_BENCH_SUBS=N changes the number of subscriptions, WATCH_BENCH_SCANS the changes the database anchors are
// measured on, HORIZON_BENCH_DATABASE_URL the server (default the local test database).
import { randomBytes } from 'node:crypto';
import { PerformanceObserver } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import pg from 'pg';
import { DEFAULT_LIMITS, type WatchConfig } from '../src/config/config.ts';
import { seeded, type Random } from '../src/rules/prng.ts';
import { openDatabase, type Database } from '../src/store/database.ts';
import { createMailer } from '../src/watch/deliver/email.ts';
import { signWebhook, WEBHOOK_HEADERS } from '../src/watch/deliver/signature.ts';
import { WEBHOOK_EVENT_CHANGES, WEBHOOK_USER_AGENT, webhookBody } from '../src/watch/deliver/webhook.ts';
import { recordEvents } from '../src/watch/events.store.ts';
import { secretBox } from '../src/watch/secrets.ts';
import { ancestorsFrom } from '../src/domain/jurisdictions.ts';
import { anchorsOf, lookupsOf, matches } from '../src/watch/match.ts';
import { dispatchEvents, idempotencyKey } from '../src/watch/outbox.ts';
import { outboxCounts } from '../src/watch/outbox.store.ts';
import { SubscriptionIndex } from '../src/watch/subscription-index.ts';
import type { ChangeKind, Channel, Digest, StoredEvent, SubscriptionFilter, WatchEvent } from '../src/watch/types.ts';
import { deliverDue } from '../src/watch/worker.ts';
import { fixed, median, now, printTable, ratio, settle } from './harness.ts';

const SUBS = Number(process.env.WATCH_BENCH_SUBS ?? 1_000_000);
const CHANGES = 500;
const SCANS = Number(process.env.WATCH_BENCH_SCANS ?? 10);
const MEMORY_SCANS = 20;
const DISPATCHES = 50;
const BATCH = 20_000;
const DELIVERIES = 3000;
const CONCURRENCY = 8;
const SERVER = process.env.HORIZON_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const GOAL_MEDIAN_MS = 20;
const PUSHED: readonly Channel[] = ['webhook', 'email'];
const SECRET = 'whsec_bench_0123456789abcdef';
/** Webhook secrets are stored sealed (src/watch/secrets.ts): the bench's rows hold them as Horizon would. */
const SECRETS = secretBox(Buffer.alloc(32, 7));
/** When the subscriptions were made: before every change (a subscription hears of nothing older than itself). */
const SUBSCRIBED_AT = '2026-01-01T00:00:00.000Z';

const loud = (message: string): void => {
  console.error(`\n${'!'.repeat(100)}\n!!! ${message}\n${'!'.repeat(100)}\n`);
  process.exitCode = 1;
};
const goal = (ok: boolean): string => (ok ? 'met' : 'MISSED');
const p95 = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(s.length * 0.95) - 1)] ?? 0;
};
const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / Math.max(xs.length, 1);
const mib = (bytes: number): string => `${(bytes / 1048576).toFixed(0)} MiB`;
const thousands = (n: number): string => Math.round(n).toLocaleString('en-US');

// ---- a fresh database on the server --------------------------------------------------------------------------------

interface ServerDb {
  readonly url: string;
  readonly db: Database;
  drop(): Promise<void>;
}

async function freshServerDb(tag: string): Promise<ServerDb | null> {
  const name = `horizon_bench_${tag}_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: SERVER, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
  } catch (error) {
    loud(`PostgreSQL at ${SERVER} cannot be used: ${(error as Error).message}`);
    return null;
  } finally {
    await admin.end().catch(() => undefined);
  }
  const url = new URL(SERVER);
  url.pathname = `/${name}`;
  const drop = async () => {
    const c = new pg.Client({ connectionString: SERVER });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.end();
  };
  try {
    const db = await openDatabase({ kind: 'postgres', url: url.toString() });
    return {
      url: url.toString(),
      db,
      async drop() {
        await db.close().catch(() => undefined);
        await drop();
      },
    };
  } catch (error) {
    await drop();
    throw error;
  }
}

// ---- the synthetic world -------------------------------------------------------------------------------------------

const PUBLIC_KINDS: readonly ChangeKind[] = ['new-instrument', 'new-event', 'status-changed', 'text-revised'];
const AHEAD_DAYS = [1, 7, 14, 30, 60, 90] as const;

interface Instrument {
  readonly id: string;
  readonly jurisdiction: string;
  readonly topics: readonly string[];
  readonly programmes: readonly string[];
}

interface World {
  readonly tree: Map<string, string | null>;
  readonly provinces: readonly string[];
  readonly cities: readonly string[];
  readonly districts: readonly string[];
  readonly foreignRoots: readonly string[];
  readonly foreignSubs: readonly string[];
  readonly topics: readonly string[];
  readonly programmes: readonly string[];
  readonly instruments: readonly Instrument[];
  readonly profiles: number;
}

/** An index in [0, n) skewed towards 0: with power p the first 1% of the list gets about 1% ^ (1/p) of the picks. */
const skewed = (rng: Random, n: number, p: number): number => Math.min(n - 1, Math.floor(n * rng.next() ** p));
const pad = (n: number, width: number): string => String(n).padStart(width, '0');

function makeWorld(rng: Random): World {
  const tree = new Map<string, string | null>([['cn', null]]);
  const provinces: string[] = [];
  const cities: string[] = [];
  const districts: string[] = [];
  for (let p = 1; p <= 34; p++) {
    const province = `cn-p${pad(p, 2)}`;
    tree.set(province, 'cn');
    provinces.push(province);
    const n = 4 + rng.int(14); // 4–17 cities, ~360 in all
    for (let c = 1; c <= n; c++) {
      const city = `${province}-c${pad(c, 2)}`;
      tree.set(city, province);
      cities.push(city);
      if (rng.chance(0.3)) {
        const d = 2 + rng.int(4);
        for (let k = 1; k <= d; k++) {
          const district = `${city}-d${k}`;
          tree.set(district, city);
          districts.push(district);
        }
      }
    }
  }
  // Other places: their instruments and subscribers reach no Chinese subscription (and the reverse).
  const foreignRoots = ['eu', 'us', 'uk', 'sg', 'jp'];
  const foreignSubs: string[] = [];
  for (const root of foreignRoots) tree.set(root, null);
  for (let i = 1; i <= 27; i++) foreignSubs.push(`eu-m${pad(i, 2)}`);
  for (let i = 1; i <= 12; i++) foreignSubs.push(`us-s${pad(i, 2)}`);
  for (const s of foreignSubs) tree.set(s, s.slice(0, 2));

  const topics = Array.from({ length: 40 }, (_, i) => `topic-${pad(i + 1, 2)}`);
  const programmes = Array.from({ length: 3000 }, (_, i) => `prog-${pad(i + 1, 4)}`);
  const instruments: Instrument[] = [];
  for (let i = 0; i < 20_000; i++) {
    const r = rng.next();
    const jurisdiction =
      r < 0.15
        ? 'cn'
        : r < 0.45
          ? (provinces[skewed(rng, provinces.length, 1.6)] as string)
          : r < 0.75
            ? (cities[skewed(rng, cities.length, 1.3)] as string)
            : r < 0.8
              ? rng.pick(districts)
              : r < 0.9
                ? rng.pick(foreignRoots)
                : rng.pick(foreignSubs);
    const topicCount = 1 + rng.int(3);
    const ts = new Set<string>();
    while (ts.size < topicCount) ts.add(topics[skewed(rng, topics.length, 1.8)] as string);
    const q = rng.next();
    const progCount = q < 0.7 ? 0 : q < 0.9 ? 1 : 2;
    const ps = new Set<string>();
    while (ps.size < progCount) ps.add(rng.pick(programmes));
    instruments.push({ id: `inst-${pad(i + 1, 5)}`, jurisdiction, topics: [...ts], programmes: [...ps] });
  }
  return {
    tree,
    provinces,
    cities,
    districts,
    foreignRoots,
    foreignSubs,
    topics,
    programmes,
    instruments,
    profiles: 40_000,
  };
}

/** A jurisdiction someone subscribes to. */
function watchedJurisdiction(rng: Random, w: World): string {
  const r = rng.next();
  return r < 0.03
    ? 'cn'
    : r < 0.07
      ? rng.pick(w.foreignRoots)
      : r < 0.13
        ? rng.pick(w.foreignSubs)
        : r < 0.53
          ? (w.provinces[skewed(rng, w.provinces.length, 1.6)] as string)
          : r < 0.93
            ? (w.cities[skewed(rng, w.cities.length, 1.3)] as string)
            : rng.pick(w.districts);
}

const kindsOf = (rng: Random, p: number): ChangeKind[] => (rng.chance(p) ? rng.some(PUBLIC_KINDS, 1 + rng.int(2)) : []);
const distinct = <T>(n: number, pick: () => T): T[] => {
  const out = new Set<T>();
  for (let i = 0; i < n * 4 && out.size < n; i++) out.add(pick());
  return [...out];
};

export const SHAPES = [
  ['instruments', 0.41, '1–3 instruments (popular ones more often), 15% also limited to 1–2 kinds'],
  ['programmes', 0.1, '1–2 programmes, 15% with kinds'],
  [
    'jurisdictions',
    0.25,
    '1–2 jurisdictions (cn 3%, foreign 10%, provinces 40%, cities 40%, districts 7%), 30% with kinds, 10% with "effective in N days"',
  ],
  ['topics', 0.15, '1–3 topics, half of them also in 1 jurisdiction, 20% with kinds'],
  ['profile', 0.05, 'eligibility of one of 40,000 stored profiles'],
  ['dates ahead', 0.025, 'only "effective in N days" or "comment deadline in N days", N ∈ {1, 7, 14, 30, 60, 90}'],
  ['kinds only', 0.014, '1–2 public kinds, nothing else'],
  ['everything', 0.001, 'no filter at all'],
] as const;

/** One subscription's filter, drawn from the shapes above. */
function makeFilter(rng: Random, w: World): SubscriptionFilter {
  const base = {
    jurisdictions: [] as string[],
    topics: [] as string[],
    instruments: [] as string[],
    programmes: [] as string[],
    kinds: [] as ChangeKind[],
  };
  let r = rng.next();
  const shape = SHAPES.find(([, share]) => (r -= share) < 0)?.[0] ?? 'everything';
  switch (shape) {
    case 'instruments':
      return {
        ...base,
        instruments: distinct(
          1 + rng.int(3),
          () => (w.instruments[skewed(rng, w.instruments.length, 2.5)] as Instrument).id,
        ),
        kinds: kindsOf(rng, 0.15),
      };
    case 'programmes':
      return {
        ...base,
        programmes: distinct(1 + rng.int(2), () => w.programmes[skewed(rng, w.programmes.length, 2)] as string),
        kinds: kindsOf(rng, 0.15),
      };
    case 'jurisdictions': {
      const f = {
        ...base,
        jurisdictions: distinct(1 + rng.int(2), () => watchedJurisdiction(rng, w)),
        kinds: kindsOf(rng, 0.3),
      };
      return rng.chance(0.1) ? { ...f, effectiveAhead: rng.pick(AHEAD_DAYS) } : f;
    }
    case 'topics':
      return {
        ...base,
        topics: distinct(1 + rng.int(3), () => w.topics[skewed(rng, w.topics.length, 1.8)] as string),
        jurisdictions: rng.chance(0.5) ? [watchedJurisdiction(rng, w)] : [],
        kinds: kindsOf(rng, 0.2),
      };
    case 'profile':
      return { ...base, profile: `prof-${pad(rng.int(w.profiles), 5)}` };
    case 'dates ahead':
      return rng.chance(0.6)
        ? { ...base, kinds: ['effective-soon'], effectiveAhead: rng.pick(AHEAD_DAYS) }
        : { ...base, kinds: ['comment-deadline-soon'], deadlineAhead: rng.pick(AHEAD_DAYS) };
    case 'kinds only':
      return { ...base, kinds: rng.some(PUBLIC_KINDS, 1 + rng.int(2)) };
    case 'everything':
      return base;
  }
}

function makeChannel(rng: Random): { channel: Channel; digest: Digest } {
  const r = rng.next();
  if (r < 0.35) return { channel: 'webhook', digest: 'none' };
  if (r < 0.9) {
    const d = rng.next();
    return { channel: 'email', digest: d < 0.6 ? 'none' : d < 0.9 ? 'daily' : 'weekly' };
  }
  return { channel: r < 0.97 ? 'atom' : 'ical', digest: 'none' };
}

const EVENT_KINDS: readonly (readonly [ChangeKind, number])[] = [
  ['text-revised', 0.25],
  ['new-event', 0.2],
  ['status-changed', 0.15],
  ['new-instrument', 0.1],
  ['eligibility-changed', 0.1],
  ['effective-soon', 0.12],
  ['comment-deadline-soon', 0.08],
];

/** A change about a random instrument (new instruments: among the newest, hence little watched). */
function makeEvent(rng: Random, w: World, i: number): WatchEvent {
  let r = rng.next();
  const kind = EVENT_KINDS.find(([, share]) => (r -= share) < 0)?.[0] ?? 'text-revised';
  const n = w.instruments.length;
  const inst = (
    kind === 'new-instrument' ? w.instruments[n - 1 - rng.int(n / 20)] : w.instruments[skewed(rng, n, 1.5)]
  ) as Instrument;
  const base = {
    key: `bench:${i}`,
    occurredAt: '2026-11-29T02:00:00.000Z',
    instrument: inst.id,
    jurisdiction: inst.jurisdiction,
    topics: inst.topics,
    programmes: inst.programmes,
    title: { en: `Change ${i} to ${inst.id}`, zh: `${inst.id} 的第 ${i} 项变化` },
    summary: { en: `Something happened to ${inst.id}.`, zh: `${inst.id} 有变化。` },
    path: `/instruments/${inst.id}`,
  };
  if (kind === 'eligibility-changed') {
    const programme = inst.programmes[0] ?? rng.pick(w.programmes);
    return {
      ...base,
      kind,
      profile: `prof-${pad(rng.int(w.profiles), 5)}`,
      programmes: [programme],
      day: '2026-11-29',
    };
  }
  if (kind === 'effective-soon' || kind === 'comment-deadline-soon') {
    return { ...base, kind, aheadDays: rng.pick(AHEAD_DAYS), day: '2026-12-29' };
  }
  return { ...base, kind };
}

// ---- part 1: matching ----------------------------------------------------------------------------------------------

const base64url = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const randomId = (rng: Random): string => {
  let s = 's_';
  for (let i = 0; i < 12; i++) s += base64url[rng.int(64)];
  return s;
};

interface SubscriptionRows {
  ids: string[];
  filters: string[];
  channels: Channel[];
  targets: (string | null)[];
  secrets: (string | null)[];
  digests: string[];
  effective: (number | null)[];
  deadline: (number | null)[];
}

function subscriptionBatch(rng: Random, w: World, size: number, target: (i: number) => string): SubscriptionRows {
  const rows: SubscriptionRows = {
    ids: [],
    filters: [],
    channels: [],
    targets: [],
    secrets: [],
    digests: [],
    effective: [],
    deadline: [],
  };
  for (let i = 0; i < size; i++) {
    const id = randomId(rng);
    const filter = makeFilter(rng, w);
    const { channel, digest } = makeChannel(rng);
    rows.ids.push(id);
    rows.filters.push(JSON.stringify(filter));
    rows.channels.push(channel);
    rows.targets.push(channel === 'webhook' ? target(i) : channel === 'email' ? `u${i}@example.com` : null);
    rows.secrets.push(channel === 'webhook' ? SECRETS.seal(SECRET, id) : null);
    rows.digests.push(digest);
    rows.effective.push(filter.effectiveAhead ?? null);
    rows.deadline.push(filter.deadlineAhead ?? null);
  }
  return rows;
}

/** Subscriptions and their subscription_log entries ('created'), one transaction per batch. */
async function insertSubscriptions(db: Database, rows: SubscriptionRows): Promise<void> {
  await db.transaction(async (tx) => {
    if (db.dialect === 'postgres') await tx.query('SET LOCAL synchronous_commit = off');
    await tx.query(
      `INSERT INTO subscriptions (id, owner_hash, filter, channel, target, secret, digest, effective_ahead, deadline_ahead,
         created_at, status, activated_at)
       SELECT i, $1, f, c, t, s, d, e, dl, $10::timestamptz, 'active', $10::timestamptz
       FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::int[], $9::int[])
         AS u(i, f, c, t, s, d, e, dl)`,
      [
        'bench-owner',
        rows.ids,
        rows.filters,
        rows.channels,
        rows.targets,
        rows.secrets,
        rows.digests,
        rows.effective,
        rows.deadline,
        SUBSCRIBED_AT,
      ],
    );
    await tx.query(
      `INSERT INTO subscription_log (subscription_id, op) SELECT i, 'created' FROM unnest($1::text[]) AS i`,
      [rows.ids],
    );
  });
}

/** The world's jurisdiction tree in `jurisdictions` (dispatchEvents reads the ancestors from there). */
async function insertJurisdictions(db: Database, w: World): Promise<void> {
  const codes = [...w.tree.keys()];
  await db.query(
    `INSERT INTO jurisdictions (code, parent, name_en, name_zh, position, doc)
     SELECT c, p, c, c, n, '{}' FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS u(c, p, n)`,
    [codes, codes.map((c) => w.tree.get(c) ?? null)],
  );
}

/** The plain scan: every pushed subscription read (in pages, by id) and checked with matches(). */
async function scanMatches(
  db: Database,
  e: WatchEvent,
  ancestors: (code: string) => readonly string[],
): Promise<string[]> {
  const out: string[] = [];
  let after = '';
  for (;;) {
    const rows = await db.query<{ id: string; channel: Channel; digest: Digest; filter: string }>(
      'SELECT id, channel, digest, filter FROM subscriptions WHERE channel = ANY($1) AND id > $2 ORDER BY id LIMIT 50000',
      [PUSHED, after],
    );
    for (const r of rows) if (matches(JSON.parse(r.filter) as SubscriptionFilter, e, ancestors)) out.push(r.id);
    if (rows.length < 50_000) break;
    after = (rows[rows.length - 1] as { id: string }).id;
  }
  return out;
}

/** matches() written in SQL over a jsonb copy of the filters (sequential scan, no index). */
const SQL_MATCH = `
  SELECT id FROM subscription_jsonb
  WHERE channel = ANY($1)
    AND CASE
      WHEN f ? 'profile' OR $2::text IS NOT NULL THEN f->>'profile' IS NOT DISTINCT FROM $2 AND $3 = 'eligibility-changed'
      WHEN $3 = 'effective-soon' THEN (f->>'effectiveAhead')::int IS NOT DISTINCT FROM $4::int
      WHEN $3 = 'comment-deadline-soon' THEN (f->>'deadlineAhead')::int IS NOT DISTINCT FROM $4::int
      ELSE f->'kinds' = '[]' OR f->'kinds' ? $3
    END
    AND (f->'instruments' = '[]' OR f->'instruments' ? $5)
    AND (f->'programmes' = '[]' OR f->'programmes' ?| $6::text[])
    AND (f->'topics' = '[]' OR f->'topics' ?| $7::text[])
    AND (f->'jurisdictions' = '[]' OR f->'jurisdictions' ?| $8::text[])`;

async function sqlMatches(db: Database, e: WatchEvent, ancestors: (code: string) => readonly string[]) {
  const rows = await db.query<{ id: string }>(SQL_MATCH, [
    PUSHED,
    e.profile ?? null,
    e.kind,
    e.aheadDays ?? null,
    e.instrument ?? null,
    e.programmes,
    e.topics,
    e.jurisdiction === undefined ? [] : ancestors(e.jurisdiction),
  ]);
  return rows.map((r) => r.id);
}

/** A subscription as the in-memory plain scan holds it. */
interface Held {
  readonly id: string;
  readonly channel: Channel;
  readonly filter: SubscriptionFilter;
}

/** The in-memory plain scan: matches() over every subscription, already parsed and in an array (no database). */
function memoryScan(all: readonly Held[], e: WatchEvent, ancestors: (code: string) => readonly string[]): string[] {
  const out: string[] = [];
  for (const s of all) {
    if ((s.channel === 'webhook' || s.channel === 'email') && matches(s.filter, e, ancestors)) out.push(s.id);
  }
  return out;
}

const sameSet = (a: readonly string[], b: readonly string[]): boolean => {
  if (a.length !== b.length) return false;
  const s = new Set(a);
  return b.every((x) => s.has(x));
};

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t = now();
  const out = await fn();
  return [out, now() - t];
}

/** A ratio below 1 as well: two significant digits. */
const times = (x: number): string => (x >= 0.995 ? ratio(x) : `${x.toPrecision(2)}×`);

async function benchMatching(): Promise<void> {
  const server = await freshServerDb('match');
  if (!server) return;
  try {
    const { db } = server;
    const rng = seeded(20261129);
    const world = makeWorld(rng);
    const ancestors = ancestorsFrom(world.tree);
    console.log(
      `world: ${world.tree.size} jurisdictions (1 + ${world.provinces.length} provinces + ${world.cities.length} cities + ` +
        `${world.districts.length} districts in cn; ${world.foreignRoots.length} other countries, ${world.foreignSubs.length} ` +
        `subdivisions), ${world.topics.length} topics, ${thousands(world.instruments.length)} instruments, ` +
        `${thousands(world.programmes.length)} programmes, ${thousands(world.profiles)} profiles`,
    );
    await insertJurisdictions(db, world);

    // Load: batches of BATCH rows (and their subscription_log entries) through unnest; generating the next batch
    // overlaps inserting this one. The filters are kept as JSON text for the in-memory plain scan (parsed later).
    let t = now();
    let pending: Promise<void> = Promise.resolve();
    const shapeCount = new Map<string, number>();
    /** Postings per anchor code (what the index files each subscription under), to count the entries a change visits. */
    const postings = new Map<string, number>();
    let anchors = 0;
    const held = { ids: [] as string[], channels: [] as Channel[], filters: [] as string[] };
    for (let done = 0; done < SUBS; done += BATCH) {
      const rows = subscriptionBatch(
        rng,
        world,
        Math.min(BATCH, SUBS - done),
        (i) => `https://hooks.example.com/h/${done + i}`,
      );
      for (const f of rows.filters) {
        const as = anchorsOf(JSON.parse(f) as SubscriptionFilter);
        const a = as[0]?.dim ?? 'all';
        shapeCount.set(a, (shapeCount.get(a) ?? 0) + 1);
        for (const x of as) postings.set(`${x.dim}\u0000${x.code}`, (postings.get(`${x.dim}\u0000${x.code}`) ?? 0) + 1);
        anchors += as.length;
      }
      held.ids.push(...rows.ids);
      held.channels.push(...rows.channels);
      held.filters.push(...rows.filters);
      await pending;
      pending = insertSubscriptions(db, rows);
      if ((done / BATCH) % 10 === 9) {
        console.log(`  … ${thousands(done + BATCH)} subscriptions, ${fixed((now() - t) / 1000)} s`);
      }
    }
    await pending;
    const loadMs = now() - t;
    t = now();
    await db.exec('VACUUM ANALYZE subscriptions');
    await db.exec('VACUUM ANALYZE subscription_log');
    const analyzeMs = now() - t;
    const [size] = await db.query<{ subs: number; log: number }>(
      `SELECT pg_total_relation_size('subscriptions')::float8 AS subs,
              pg_total_relation_size('subscription_log')::float8 AS log`,
    );
    console.log(
      `loaded ${thousands(SUBS)} subscriptions (and as many subscription_log rows) in ${fixed(loadMs / 1000)} s, ` +
        `VACUUM ANALYZE ${fixed(analyzeMs / 1000)} s; tables ${mib(size?.subs ?? 0)} + ${mib(size?.log ?? 0)} with indexes`,
    );
    console.log(
      `filed under: ${[...shapeCount].map(([dim, n]) => `${dim} ${fixed((n / SUBS) * 100, 1)}%`).join(', ')}; ` +
        `${thousands(anchors)} postings entries under ${thousands(postings.size)} codes`,
    );

    // The SQL anchor's jsonb copy (not timed as part of anything).
    t = now();
    await db.exec('CREATE TABLE subscription_jsonb AS SELECT id, channel, filter::jsonb AS f FROM subscriptions');
    await db.exec('VACUUM ANALYZE subscription_jsonb');
    console.log(`jsonb copy for the SQL anchor: ${fixed((now() - t) / 1000)} s`);

    // Horizon: the worker's in-memory index, loaded from the database as a worker loads it on its first refresh.
    settle();
    const before = process.memoryUsage();
    t = now();
    const index = new SubscriptionIndex();
    const loaded = await index.refresh(db);
    const refreshMs = now() - t;
    settle();
    const after = process.memoryUsage();
    console.log(
      `SubscriptionIndex.refresh: ${thousands(loaded)} subscriptions in ${fixed(refreshMs / 1000)} s ` +
        `(pages of 20,000, JSON.parse of each filter); heap used ${mib(before.heapUsed)} → ${mib(after.heapUsed)} ` +
        `(index: ${mib(after.heapUsed - before.heapUsed)}), rss ${mib(before.rss)} → ${mib(after.rss)}`,
    );
    if (index.size !== SUBS) loud(`the index holds ${index.size} subscriptions, not ${SUBS}`);

    const events = Array.from({ length: CHANGES }, (_, i) => makeEvent(rng, world, i));
    // Warm-up: 30 changes (JIT, the index's seen-array), not counted.
    for (const e of events.slice(0, 30)) index.match(e, ancestors, PUSHED);
    settle();
    // Diagnostic: garbage collection during the timed loop (entries arrive after it: the loop is synchronous).
    const gc = { ms: 0, count: 0 };
    const observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        gc.ms += entry.duration;
        gc.count++;
      }
    });
    observer.observe({ entryTypes: ['gc'] });
    const horizonMs: number[] = [];
    const found: string[][] = [];
    const byKind = new Map<string, number[]>();
    for (const e of events) {
      const t0 = now();
      const m = index.match(e, ancestors, PUSHED);
      const ms = now() - t0;
      horizonMs.push(ms);
      found.push(m.map((s) => s.id));
      byKind.set(e.kind, [...(byKind.get(e.kind) ?? []), ms]);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    observer.disconnect();
    const counts = found.map((f) => f.length);
    const visited = events.map((e) =>
      lookupsOf(e, ancestors).reduce((n, l) => n + (postings.get(`${l.dim}\u0000${l.code}`) ?? 0), 0),
    );
    const med = median(horizonMs);
    console.log(
      `SubscriptionIndex.match: median ${fixed(med, 2)} ms, p95 ${fixed(p95(horizonMs), 2)} ms, ` +
        `max ${fixed(Math.max(...horizonMs), 1)} ms over ${CHANGES} changes ` +
        `(garbage collection during them: ${gc.count} pauses, ${fixed(gc.ms, 0)} ms of ` +
        `${fixed(
          horizonMs.reduce((a, b) => a + b, 0),
          0,
        )} ms)`,
    );

    // The anchors, on SCANS changes spread over the list.
    const step = Math.max(1, Math.floor(CHANGES / SCANS));
    const sample = Array.from({ length: Math.min(SCANS, CHANGES) }, (_, k) => k * step);
    const scanMs: number[] = [];
    const sqlMs: number[] = [];
    let disagreements = 0;
    await scanMatches(db, events[0] as WatchEvent, ancestors); // warm the page cache
    for (const k of sample) {
      const e = events[k] as WatchEvent;
      const [scan, ms] = await timed(() => scanMatches(db, e, ancestors));
      scanMs.push(ms);
      const [sql, ms2] = await timed(() => sqlMatches(db, e, ancestors));
      sqlMs.push(ms2);
      const ours = found[k] as string[];
      if (!sameSet(ours, scan)) {
        disagreements++;
        loud(`change ${k} (${e.kind}): index.match found ${ours.length}, the plain scan ${scan.length}`);
      }
      if (!sameSet(ours, sql)) {
        disagreements++;
        loud(`change ${k} (${e.kind}): index.match found ${ours.length}, the SQL scan ${sql.length}`);
      }
      console.log(
        `  change ${k} (${e.kind}, ${e.jurisdiction}): ${ours.length} matches; Horizon ${fixed(horizonMs[k] ?? 0, 2)} ms, ` +
          `scan ${fixed(ms, 0)} ms, SQL ${fixed(ms2, 0)} ms`,
      );
    }

    // The in-memory plain scan of the same subscriptions (parsed now, outside every timing above).
    const all: Held[] = held.ids.map((id, i) => ({
      id,
      channel: held.channels[i] as Channel,
      filter: JSON.parse(held.filters[i] as string) as SubscriptionFilter,
    }));
    held.filters.length = 0;
    const memSample = Array.from({ length: Math.min(MEMORY_SCANS, CHANGES) }, (_, k) =>
      Math.floor((k * CHANGES) / MEMORY_SCANS),
    );
    memoryScan(all, events[0] as WatchEvent, ancestors); // warm-up
    settle();
    const memMs: number[] = [];
    for (const k of memSample) {
      const e = events[k] as WatchEvent;
      const t0 = now();
      const ids = memoryScan(all, e, ancestors);
      memMs.push(now() - t0);
      if (!sameSet(found[k] as string[], ids)) {
        disagreements++;
        loud(`change ${k} (${e.kind}): index.match found ${found[k]?.length}, the in-memory scan ${ids.length}`);
      }
    }
    console.log(`in-memory plain scan on ${memSample.length} changes: median ${fixed(median(memMs), 1)} ms`);

    // Dispatch end to end: DISPATCHES changes recorded, then dispatchEvents(db, index, 1) per change (claim, match,
    // one bulk INSERT of outbox rows and one of digest items, mark dispatched; one transaction). Two not counted.
    const dispatchSample = Array.from({ length: DISPATCHES + 2 }, (_, k) =>
      Math.floor((k * CHANGES) / (DISPATCHES + 2)),
    );
    const recorded = await recordEvents(
      db,
      dispatchSample.map((k) => ({ ...(events[k] as WatchEvent), key: `dispatch:${k}` })),
    );
    await db.exec('VACUUM ANALYZE watch_events');
    settle();
    const dispatchMs: number[] = [];
    const dispatchRows: number[] = [];
    for (const [n, k] of dispatchSample.entries()) {
      const [r, ms] = await timed(() => dispatchEvents(db, index, 1));
      const expected = found[k]?.length ?? 0;
      if (r.events !== 1 || r.deliveries + r.digestItems !== expected) {
        loud(
          `dispatch of change ${k}: ${r.events} events, ${r.deliveries} deliveries + ${r.digestItems} digest items, ` +
            `index.match found ${expected}`,
        );
      }
      if (n < 2) continue;
      dispatchMs.push(ms);
      dispatchRows.push(r.deliveries + r.digestItems);
    }
    const [queued] = await db.query<{ outbox: number; items: number; left: number }>(
      `SELECT (SELECT count(*) FROM outbox)::int AS outbox, (SELECT count(*) FROM digest_items)::int AS items,
              (SELECT count(*) FROM watch_events WHERE dispatched_at IS NULL)::int AS left`,
    );
    if (recorded.length !== dispatchSample.length || (queued?.left ?? 1) !== 0) {
      loud(`dispatch: ${recorded.length} recorded, ${queued?.left} left undispatched`);
    }
    const rowsPerSecond = (dispatchRows.reduce((a, b) => a + b, 0) / dispatchMs.reduce((a, b) => a + b, 0)) * 1000;
    console.log(
      `dispatchEvents(db, index, 1) on ${dispatchMs.length} changes: median ${fixed(median(dispatchMs), 0)} ms, ` +
        `p95 ${fixed(p95(dispatchMs), 0)} ms, max ${fixed(Math.max(...dispatchMs), 0)} ms; rows queued per change: ` +
        `median ${fixed(median(dispatchRows), 0)}, max ${thousands(Math.max(...dispatchRows))}; ` +
        `${thousands(rowsPerSecond)} rows/s overall (${thousands(queued?.outbox ?? 0)} outbox rows, ` +
        `${thousands(queued?.items ?? 0)} digest items in all)`,
    );
    // Cleaned up (and written out) so that nothing of it is left for part 2.
    await db.exec('TRUNCATE outbox, digest_items, watch_events');
    await db.exec('CHECKPOINT').catch(() => undefined);

    console.log(
      `\nMatching ${CHANGES} changes against ${thousands(SUBS)} subscriptions (ms; anchors on ${sample.length} / ` +
        `${memSample.length} of them, ` +
        `${disagreements === 0 ? 'same subscriptions as Horizon on every one' : `${disagreements} DISAGREEMENTS`})\n`,
    );
    const sampleMed = median(sample.map((k) => horizonMs[k] ?? 0));
    const memSampleMed = median(memSample.map((k) => horizonMs[k] ?? 0));
    printTable(
      ['matcher', 'changes', 'median', 'p95', 'max', 'Horizon ÷ anchor (median)', 'goal'],
      [
        [
          'Horizon SubscriptionIndex.match (in memory)',
          String(CHANGES),
          fixed(med, 2),
          fixed(p95(horizonMs), 2),
          fixed(Math.max(...horizonMs), 1),
          '',
          `median ≤ ${GOAL_MEDIAN_MS}: ${goal(med <= GOAL_MEDIAN_MS)}`,
        ],
        [
          `plain scan in memory (${thousands(SUBS)} parsed filters, matches())`,
          String(memSample.length),
          fixed(median(memMs), 1),
          '',
          fixed(Math.max(...memMs), 1),
          times(med / median(memMs)),
          'anchor',
        ],
        [
          'plain scan + matches() in Node (from the DB)',
          String(sample.length),
          fixed(median(scanMs), 0),
          '',
          fixed(Math.max(...scanMs), 0),
          times(med / median(scanMs)),
          'anchor',
        ],
        [
          'same filter in SQL over jsonb (seq scan)',
          String(sample.length),
          fixed(median(sqlMs), 0),
          '',
          fixed(Math.max(...sqlMs), 0),
          times(med / median(sqlMs)),
          'anchor',
        ],
        [
          'dispatchEvents(db, index, 1): claim, match, bulk INSERT',
          String(dispatchMs.length),
          fixed(median(dispatchMs), 0),
          fixed(p95(dispatchMs), 0),
          fixed(Math.max(...dispatchMs), 0),
          '',
          `${thousands(rowsPerSecond)} rows/s`,
        ],
      ],
    );
    console.log(
      `(on the same changes Horizon's median is ${fixed(sampleMed, 2)} ms on the ${sample.length}, ` +
        `${fixed(memSampleMed, 2)} ms on the ${memSample.length}: Horizon ÷ anchor ${times(memSampleMed / median(memMs))} ` +
        `in memory, ${times(sampleMed / median(scanMs))} / ${times(sampleMed / median(sqlMs))} from the DB / in SQL; ` +
        `faster by ${ratio(median(memMs) / memSampleMed)}, ${ratio(median(scanMs) / sampleMed)}, ${ratio(median(sqlMs) / sampleMed)})`,
    );
    console.log(
      `\nmatches per change: mean ${fixed(mean(counts), 0)}, median ${fixed(median(counts), 0)}, max ${thousands(Math.max(...counts))}; ` +
        `postings entries visited (all channels, a subscription filed under two of the codes counted twice): ` +
        `mean ${fixed(mean(visited), 0)}, median ${fixed(median(visited), 0)}, max ${thousands(Math.max(...visited))}`,
    );
    console.log('\nBy kind of change:\n');
    printTable(
      ['kind', 'changes', 'mean matches', 'mean postings visited', 'median ms', 'p95 ms', 'max ms'],
      [...byKind].map(([kind, ms]) => {
        const idx = events.flatMap((e, i) => (e.kind === kind ? [i] : []));
        return [
          kind,
          String(ms.length),
          fixed(mean(idx.map((i) => counts[i] ?? 0)), 0),
          fixed(mean(idx.map((i) => visited[i] ?? 0)), 0),
          fixed(median(ms), 2),
          fixed(p95(ms), 2),
          fixed(Math.max(...ms), 2),
        ];
      }),
    );
    if (med > GOAL_MEDIAN_MS) loud(`index.match median ${fixed(med, 1)} ms misses the goal of ${GOAL_MEDIAN_MS} ms`);
    if (disagreements > 0) loud(`the anchors disagree with index.match on ${disagreements} comparisons`);
  } finally {
    await server.drop();
  }
}

// ---- part 2: outbox throughput -------------------------------------------------------------------------------------

/** The receiver, in its own thread: 200 to every POST, signatures checked, idempotency keys counted. */
const RECEIVER = `
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const { createHmac } = require('node:crypto');
let requests = 0, badSignatures = 0, duplicates = 0;
let seen = new Set();
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    requests++;
    const body = Buffer.concat(chunks).toString('utf8');
    const key = req.headers['idempotency-key'];
    if (seen.has(key)) duplicates++;
    else seen.add(key);
    const m = /^t=(\\d+),v1=([0-9a-f]{64})$/.exec(req.headers['horizon-signature'] || '');
    if (!m || createHmac('sha256', workerData.secret).update(m[1] + '.' + body).digest('hex') !== m[2]) badSignatures++;
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('ok');
  });
});
server.keepAliveTimeout = 30000;
server.listen(0, '127.0.0.1', () => parentPort.postMessage({ port: server.address().port }));
parentPort.on('message', (m) => {
  if (m === 'reset') { requests = 0; badSignatures = 0; duplicates = 0; seen = new Set(); }
  if (m === 'close') { server.close(); server.closeAllConnections(); parentPort.close(); return; }
  parentPort.postMessage({ requests, unique: seen.size, badSignatures, duplicates });
});
`;

interface ReceiverStats {
  readonly requests: number;
  readonly unique: number;
  readonly badSignatures: number;
  readonly duplicates: number;
}

async function startReceiver() {
  const worker = new Worker(RECEIVER, { eval: true, workerData: { secret: SECRET } });
  const port = await new Promise<number>((resolve, reject) => {
    worker.once('message', (m: { port: number }) => resolve(m.port));
    worker.once('error', reject);
  });
  const ask = (m: string) =>
    new Promise<ReceiverStats>((resolve) => {
      worker.once('message', (s: ReceiverStats) => resolve(s));
      worker.postMessage(m);
    });
  return {
    port,
    reset: () => ask('reset'),
    stats: () => ask('stats'),
    close: async () => {
      worker.postMessage('close');
      await worker.terminate();
    },
  };
}

const CONFIG: WatchConfig = {
  publicUrl: 'http://127.0.0.1',
  publicUrlConfigured: true,
  mailFrom: 'x@y',
  allowPrivateWebhooks: true,
  webhookTimeoutMs: 5000,
  maxAttempts: 3,
  retryBaseMs: 1000,
  leaseMs: 60_000,
  timezone: 'Asia/Shanghai',
  limits: DEFAULT_LIMITS,
};

/**
 * Fills an empty database through the real flow: 300 public changes about 300 different instruments recorded
 * (recordEvents), DELIVERIES webhook subscriptions to the receiver each watching the instruments of 1–3 of them, then
 * one dispatchEvents over the 300 (index loaded on the way): one delivery per subscription carrying its 1–3 events.
 */
async function fillOutbox(db: Database, port: number): Promise<{ events: StoredEvent[]; dispatchMs: number }> {
  const rng = seeded(7);
  const world = makeWorld(seeded(20261129));
  const changes: WatchEvent[] = [];
  const about = new Set<string>();
  for (let i = 0; changes.length < 300; i++) {
    const e = makeEvent(rng, world, i);
    if (!PUBLIC_KINDS.includes(e.kind) || e.instrument === undefined || about.has(e.instrument)) continue;
    about.add(e.instrument);
    changes.push(e);
  }
  const events = await recordEvents(db, changes);
  const rows = subscriptionBatch(rng, world, DELIVERIES, (i) => `http://127.0.0.1:${port}/hooks/${i}`);
  const picks = rows.ids.map(() => distinct(1 + rng.int(3), () => rng.int(events.length)).sort((a, b) => a - b));
  rows.filters = picks.map((p) =>
    JSON.stringify({
      jurisdictions: [],
      topics: [],
      instruments: p.map((k) => (events[k] as StoredEvent).instrument as string),
      programmes: [],
      kinds: [],
    } satisfies SubscriptionFilter),
  );
  rows.channels.fill('webhook');
  rows.targets = rows.ids.map((_, i) => `http://127.0.0.1:${port}/hooks/${i}`);
  rows.secrets = rows.ids.map((id) => SECRETS.seal(SECRET, id));
  rows.digests.fill('none');
  rows.effective.fill(null);
  rows.deadline.fill(null);
  await insertSubscriptions(db, rows);
  const t = now();
  const r = await dispatchEvents(db, new SubscriptionIndex(), events.length);
  const dispatchMs = now() - t;
  const expected = new Set(
    rows.ids.map((id, i) =>
      idempotencyKey(
        id,
        (picks[i] as number[]).map((k) => (events[k] as StoredEvent).id),
      ),
    ),
  );
  const keys = await db.query<{ k: string }>('SELECT idempotency_key AS k FROM outbox');
  if (
    r.events !== events.length ||
    r.deliveries !== DELIVERIES ||
    !sameSet(
      [...expected],
      keys.map((x) => x.k),
    )
  ) {
    loud(`dispatching the outbox: ${JSON.stringify(r)}, ${keys.length} rows, not the ${DELIVERIES} expected`);
  }
  return { events, dispatchMs };
}

async function resetOutbox(db: Database): Promise<void> {
  await db.query(
    `UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_at = now(), lease_until = NULL,
       claim_token = NULL, last_error = NULL, delivered_at = NULL`,
  );
  await db.exec('VACUUM ANALYZE outbox');
}

/** Runs `workers` loops of deliverDue (one Database each) until nothing is due; deliveries per second. */
async function drain(dbs: readonly Database[], receiver: Awaited<ReturnType<typeof startReceiver>>, label: string) {
  const mailer = createMailer({ mailFrom: CONFIG.mailFrom });
  await receiver.reset();
  const rounds: number[] = dbs.map(() => 0);
  const t = now();
  await Promise.all(
    dbs.map(async (db, w) => {
      for (;;) {
        const n = await deliverDue(db, { config: CONFIG, secrets: SECRETS, batch: CONCURRENCY }, mailer);
        if (n === 0) break;
        rounds[w] = (rounds[w] ?? 0) + 1;
      }
    }),
  );
  const ms = now() - t;
  const counts = await outboxCounts(dbs[0] as Database);
  const [tries] = await (dbs[0] as Database).query<{ n: number }>('SELECT max(attempts)::int AS n FROM outbox');
  const stats = await receiver.stats();
  if (counts.delivered !== DELIVERIES || counts.pending + counts.sending + counts.dead > 0) {
    loud(`${label}: not every delivery was delivered: ${JSON.stringify(counts)}`);
  }
  if (stats.duplicates > 0 || stats.requests !== DELIVERIES) {
    loud(`${label}: the receiver got ${stats.requests} requests, ${stats.duplicates} duplicate idempotency keys`);
  }
  if (stats.badSignatures > 0) loud(`${label}: ${stats.badSignatures} requests with a bad signature`);
  if ((tries?.n ?? 0) > 1) loud(`${label}: some deliveries needed more than one try`);
  return { perSecond: (DELIVERIES / ms) * 1000, ms, stats, rounds };
}

/** The anchor: the same signed POSTs (body built, signed) from a plain loop with `concurrency` in flight. */
async function rawLoop(
  events: readonly StoredEvent[],
  port: number,
  concurrency: number,
  receiver: Awaited<ReturnType<typeof startReceiver>>,
) {
  await receiver.reset();
  let next = 0;
  const t = now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < DELIVERIES; i = next++) {
        const body = webhookBody(`s_raw${i}`, [events[i % events.length] as StoredEvent], CONFIG.publicUrl);
        const res = await fetch(`http://127.0.0.1:${port}/hooks/${i}`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'user-agent': WEBHOOK_USER_AGENT,
            [WEBHOOK_HEADERS.signature]: signWebhook(SECRET, Math.floor(Date.now() / 1000), body),
            [WEBHOOK_HEADERS.idempotencyKey]: `raw_${i}`,
            [WEBHOOK_HEADERS.event]: WEBHOOK_EVENT_CHANGES,
          },
          body,
          redirect: 'manual',
        });
        await res.body?.cancel();
        if (res.status !== 200) throw new Error(`receiver answered ${res.status}`);
      }
    }),
  );
  const ms = now() - t;
  const stats = await receiver.stats();
  if (stats.requests !== DELIVERIES || stats.badSignatures > 0) loud(`raw loop: ${JSON.stringify(stats)}`);
  return (DELIVERIES / ms) * 1000;
}

async function benchOutbox(): Promise<void> {
  const receiver = await startReceiver();
  const server = await freshServerDb('outbox');
  try {
    if (!server) return;
    const { events, dispatchMs } = await fillOutbox(server.db, receiver.port);
    console.log(
      `  queued by recordEvents + dispatchEvents: 300 events → ${DELIVERIES} deliveries in one dispatch, ` +
        `${fixed(dispatchMs, 0)} ms (index load included)`,
    );
    const second = await openDatabase({ kind: 'postgres', url: server.url });
    const first = await openDatabase({ kind: 'postgres', url: server.url });
    const results: { label: string; perSecond: number }[] = [];
    try {
      // Two rounds of each, alternating, against the noise; the anchor measured between them.
      for (let round = 1; round <= 2; round++) {
        for (const workers of [1, 2]) {
          await resetOutbox(server.db);
          settle();
          const label = `PostgreSQL, ${workers} worker${workers > 1 ? 's' : ''}`;
          const r = await drain(workers === 1 ? [first] : [first, second], receiver, label);
          results.push({ label, perSecond: r.perSecond });
          console.log(
            `  ${label}, round ${round}: ${DELIVERIES} deliveries in ${fixed(r.ms / 1000, 2)} s = ${fixed(r.perSecond, 0)}/s ` +
              `(rounds per worker ${r.rounds.join(' + ')}; receiver ${r.stats.requests} requests, ${r.stats.duplicates} duplicates)`,
          );
        }
        for (const c of [CONCURRENCY, 2 * CONCURRENCY]) {
          const perSecond = await rawLoop(events, receiver.port, c, receiver);
          results.push({ label: `raw loop, concurrency ${c}`, perSecond });
          console.log(`  raw loop, concurrency ${c}, round ${round}: ${fixed(perSecond, 0)}/s`);
        }
      }
    } finally {
      await first.close();
      await second.close();
    }
    // Diagnostic: the same with commits not waiting for the disk (where does the time go?).
    await server.db.exec(`ALTER DATABASE ${new URL(server.url).pathname.slice(1)} SET synchronous_commit = off`);
    const async1 = await openDatabase({ kind: 'postgres', url: server.url });
    const async2 = await openDatabase({ kind: 'postgres', url: server.url });
    try {
      for (const workers of [1, 2]) {
        await resetOutbox(server.db);
        settle();
        const label = `PostgreSQL, ${workers} worker${workers > 1 ? 's' : ''}, synchronous_commit off`;
        const r = await drain(workers === 1 ? [async1] : [async1, async2], receiver, label);
        results.push({ label, perSecond: r.perSecond });
        console.log(`  ${label}: ${fixed(r.perSecond, 0)}/s`);
      }
    } finally {
      await async1.close();
      await async2.close();
    }

    // PGlite, in memory, one worker (one process, one connection).
    const lite = await openDatabase({ kind: 'pglite', dataDir: ':memory:' });
    try {
      const filled = await fillOutbox(lite, receiver.port);
      console.log(`  PGlite: queued by one dispatchEvents in ${fixed(filled.dispatchMs, 0)} ms`);
      for (let round = 1; round <= 2; round++) {
        await resetOutbox(lite);
        settle();
        const r = await drain([lite], receiver, 'PGlite, 1 worker');
        results.push({ label: 'PGlite, 1 worker', perSecond: r.perSecond });
        console.log(`  PGlite, 1 worker, round ${round}: ${fixed(r.perSecond, 0)}/s`);
      }
    } finally {
      await lite.close();
    }

    const best = (label: string) => median(results.filter((r) => r.label === label).map((r) => r.perSecond));
    const one = best('PostgreSQL, 1 worker');
    const two = best('PostgreSQL, 2 workers');
    const raw8 = best(`raw loop, concurrency ${CONCURRENCY}`);
    const raw16 = best(`raw loop, concurrency ${2 * CONCURRENCY}`);
    const liteRate = best('PGlite, 1 worker');
    console.log(
      `\nOutbox: ${DELIVERIES} webhook deliveries (1–3 events each) to a local receiver, batch ${CONCURRENCY}; ` +
        `deliveries/s, median of 2 rounds; every delivery delivered once, no duplicate key, signatures valid\n`,
    );
    printTable(
      ['sender', 'deliveries/s', '÷ raw loop (8 in flight)', '÷ raw loop (16 in flight)'],
      [
        ['Horizon, PostgreSQL, 1 worker (8 in flight)', fixed(one, 0), ratio(one / raw8), ''],
        ['Horizon, PostgreSQL, 2 workers (16 in flight)', fixed(two, 0), ratio(two / raw8), ratio(two / raw16)],
        [
          'diagnostic: PostgreSQL, 1 / 2 workers, synchronous_commit off',
          `${fixed(best('PostgreSQL, 1 worker, synchronous_commit off'), 0)} / ${fixed(best('PostgreSQL, 2 workers, synchronous_commit off'), 0)}`,
          '',
          '',
        ],
        ['Horizon, PGlite, 1 worker (8 in flight)', fixed(liteRate, 0), ratio(liteRate / raw8), ''],
        [`raw loop, ${CONCURRENCY} in flight (anchor)`, fixed(raw8, 0), '1×', ''],
        [`raw loop, ${2 * CONCURRENCY} in flight`, fixed(raw16, 0), ratio(raw16 / raw8), '1×'],
      ],
    );
    console.log(`\n2 workers ÷ 1 worker: ${ratio(two / one)}`);
  } finally {
    await receiver.close();
    await server?.drop();
  }
}

export async function run(): Promise<void> {
  const started = now();
  await benchMatching();
  await benchOutbox();
  console.log(`\nwatch bench: ${fixed((now() - started) / 1000)} s`);
}
