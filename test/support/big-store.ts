// A large store for load tests and benchmarks: the shipped content plus N synthetic instruments shaped like it
// (bench/search-corpus.ts's generator), each with a public "new instrument" watch event.
//
// Importing 5,000 instruments through applyBundle takes ~30 s here (search index and change log included) and
// writeEntity one by one ~10 s, so the synthetic rows are written in a few bulk INSERTs instead, with the columns
// store/knowledge.store.ts writes (writeInstrument) and events.store.ts records. What is measured on top — the reads,
// the rendering, the responses — is the same whichever way the rows got there.
import { importBundle } from '../../src/content/import.ts';
import { eventDate, eventDay, firstDay } from '../../src/domain/status.ts';
import { TAG_SCHEMES, type Instrument } from '../../src/domain/types.ts';
import type { Database } from '../../src/store/database.ts';
import type { WatchEvent } from '../../src/watch/types.ts';
import { generateCorpus, shippedBundle } from '../../bench/search-corpus.ts';
import { SHIPPED } from './bundles.ts';

/**
 * Imports the shipped content, then adds `n` synthetic instruments (syn-0 …) and one public event for each. `shape`
 * may change each instrument first (the publishing benchmark gives them a source, so the store passes validation).
 */
export async function fillBigStore(
  db: Database,
  n: number,
  shape: (i: Instrument) => Instrument = (i) => i,
): Promise<Instrument[]> {
  await importBundle(db, SHIPPED);
  const corpus = generateCorpus(n, shippedBundle()).map((i) => shape({ ...i, issuers: [...new Set(i.issuers)] }));
  const instruments: unknown[][] = [[], [], [], [], [], [], [], []];
  const events: unknown[][] = [[], [], [], [], [], [], []];
  const tags: unknown[][] = [[], [], []];
  const issuers: unknown[][] = [[], [], []];
  const push = (columns: unknown[][], row: readonly unknown[]) => row.forEach((v, i) => columns[i]?.push(v));
  for (const inst of corpus) {
    const day = firstDay(inst.events);
    push(instruments, [
      inst.id,
      inst.kind,
      inst.jurisdiction,
      inst.title.en,
      inst.title.zh,
      null,
      day,
      JSON.stringify(inst),
    ]);
    const keys = new Set<string>();
    inst.events.forEach((e, position) => {
      let key = e.key ?? e.type;
      for (let k = 2; keys.has(key); k++) key = `${e.type}-${k}`;
      keys.add(key);
      push(events, [inst.id, key, position, e.type, eventDate(e), eventDay(e), (e.claims?.length ?? 0) > 1]);
    });
    for (const scheme of TAG_SCHEMES) for (const code of inst[scheme] ?? []) push(tags, [inst.id, scheme, code]);
    inst.issuers.forEach((body, position) => push(issuers, [inst.id, body, position]));
  }
  const watch: WatchEvent[] = corpus.map((inst, i) => ({
    kind: 'new-instrument',
    key: `synthetic:${inst.id}`,
    occurredAt: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
    instrument: inst.id,
    jurisdiction: inst.jurisdiction,
    topics: inst.topics ?? [],
    programmes: [],
    title: inst.title,
    summary: inst.summary,
    path: `/instruments/${inst.id}`,
  }));
  await db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO instruments (id, kind, jurisdiction, title_en, title_zh, document_number, first_day, doc)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::date[], $8::text[])`,
      instruments,
    );
    await tx.query(
      `INSERT INTO instrument_events (instrument_id, key, position, type, date_text, day, disputed)
       SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[], $6::date[], $7::boolean[])`,
      events,
    );
    await tx.query(
      'INSERT INTO instrument_tags (instrument_id, scheme, code) SELECT * FROM unnest($1::text[], $2::text[], $3::text[])',
      tags,
    );
    await tx.query(
      'INSERT INTO instrument_issuers (instrument_id, body_id, position) SELECT * FROM unnest($1::text[], $2::text[], $3::int[])',
      issuers,
    );
    await tx.query(
      `INSERT INTO watch_events (dedupe_key, kind, occurred_at, instrument_id, jurisdiction, topics, programmes, doc)
       SELECT k, 'new-instrument', o, i, j, string_to_array(t, ','), '{}', d
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) AS x(k, o, i, j, t, d)`,
      [
        watch.map((e) => e.key),
        watch.map((e) => e.occurredAt),
        watch.map((e) => e.instrument),
        watch.map((e) => e.jurisdiction),
        watch.map((e) => e.topics.join(',')),
        watch.map((e) => JSON.stringify(e)),
      ],
    );
  });
  return corpus;
}
