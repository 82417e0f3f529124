// The change log on PGlite and PostgreSQL: every import appends hashed entries, re-imports append none, the chain
// verifies, and a tampered or missing entry is named by verify (library, API and CLI).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { importBundle } from '../../src/content/import.ts';
import { listChanges, verifyChain } from '../../src/watch/changelog.store.ts';
import { listPublicEvents } from '../../src/watch/events.store.ts';
import { copyOfShipped, edit } from '../support/bundles.ts';
import { databaseKinds } from '../support/databases.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

const PIONEER = 'instruments/cn-gd-shenzhen-2024-ai-pioneer-city-measures.yaml';

/** The shipped bundle with one more event (repealed on 1 Jan 2026, made up for the test) for the Shenzhen pioneer-city measures. */
function withNewEvent(): string {
  const dir = copyOfShipped();
  edit(
    dir,
    PIONEER,
    "  - type: published\n    date: '2024-12-18'\n    sources: [{ source: dutenews-8581793 }]",
    "  - type: published\n    date: '2024-12-18'\n    sources: [{ source: dutenews-8581793 }]\n  - type: repealed\n    date: '2026-01-01'\n    sources: [{ source: dutenews-8581793 }]",
  );
  return dir;
}

for (const kind of await databaseKinds()) {
  describe(`change log on ${kind.name}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(kind);
    });
    after(() => server.close());

    it('records every entity of the first import, by whom and when, and the chain holds', async () => {
      const page = await listChanges(server.db, { limit: 1000 });
      assert.ok(page.entries.length > 100, `only ${page.entries.length} entries`);
      assert.ok(page.entries.every((e) => e.change === 'added' && e.before === null && e.after !== null));
      assert.deepEqual(
        page.entries.map((e) => e.seq),
        page.entries.map((_, i) => i + 1),
      );
      assert.equal(page.entries[0]?.prevHash, '0'.repeat(64));
      assert.equal(page.entries[1]?.prevHash, page.entries[0]?.hash);
      const report = await verifyChain(server.db);
      assert.equal(report.firstBad, null);
      assert.equal(report.entries, page.entries.length);
    });

    it('appends nothing when the same bundle is imported again', async () => {
      const before = (await verifyChain(server.db)).entries;
      const report = await importBundle(server.db, copyOfShipped(), { actor: 'again' });
      assert.equal(report.recorded?.entries ?? 0, 0);
      assert.equal((await verifyChain(server.db)).entries, before);
    });

    it('records an edit with its content before and after, and derives a new-event and a status change', async () => {
      const head = (await verifyChain(server.db)).head?.seq ?? 0;
      const report = await importBundle(server.db, withNewEvent(), { actor: 'editor@example', action: 'edit' });
      assert.equal(report.recorded?.entries, 1);
      const [entry] = (await listChanges(server.db, { since: head })).entries;
      assert.equal(entry?.kind, 'instrument');
      assert.equal(entry?.id, 'cn-gd-shenzhen-2024-ai-pioneer-city-measures');
      assert.equal(entry?.change, 'changed');
      assert.equal(entry?.actor, 'editor@example');
      assert.equal(entry?.action, 'edit');
      assert.doesNotMatch(entry?.before ?? '', /2026-01-01/);
      assert.match(entry?.after ?? '', /2026-01-01/);
      const events = await listPublicEvents(server.db, {
        instruments: ['cn-gd-shenzhen-2024-ai-pioneer-city-measures'],
      });
      const kinds = events.filter((e) => e.changeSeq === entry?.seq).map((e) => e.kind);
      assert.deepEqual(kinds.sort(), ['new-event', 'status-changed']);
      assert.equal((await verifyChain(server.db)).firstBad, null);
    });

    it('refuses to update or delete an entry (append-only)', async () => {
      await assert.rejects(server.db.query("UPDATE change_log SET actor = 'mallory' WHERE seq = 3"), /append-only/);
      await assert.rejects(server.db.query('DELETE FROM change_log WHERE seq = 3'), /append-only/);
    });

    it('pages through the log over HTTP and verifies it', async () => {
      const first = (await (await fetch(`${server.url}/api/v1/changes?limit=5`)).json()) as {
        entries: { seq: number; hash: string; prev_hash: string; entity: { kind: string } }[];
        next: string | null;
      };
      assert.deepEqual(
        first.entries.map((e) => e.seq),
        [1, 2, 3, 4, 5],
      );
      assert.ok(first.next);
      const second = (await (await fetch(`${server.url}${first.next}`)).json()) as typeof first;
      assert.equal(second.entries[0]?.seq, 6);
      assert.equal(second.entries[0]?.prev_hash, first.entries[4]?.hash);
      const bad = await fetch(`${server.url}/api/v1/changes?since=-1`);
      assert.equal(bad.status, 400);
      assert.match(((await bad.json()) as { error: { message: string } }).error.message, /since/);
      const verify = (await (await fetch(`${server.url}/api/v1/changes/verify`)).json()) as { ok: boolean };
      assert.equal(verify.ok, true);
      const doc = (await (await fetch(`${server.url}/api/openapi.json`)).json()) as { paths: Record<string, unknown> };
      for (const path of [
        '/api/v1/changes',
        '/api/v1/changes/verify',
        '/api/v1/subscriptions',
        '/api/v1/subscriptions/{id}/deliveries',
      ]) {
        assert.ok(doc.paths[path], `${path} is in the OpenAPI document`);
      }
    });

    it('names the first tampered entry, and a missing one', async () => {
      await server.db.query('ALTER TABLE change_log DISABLE TRIGGER change_log_append_only');
      try {
        await server.db.query("UPDATE change_log SET actor = 'mallory' WHERE seq = 40");
        const report = await verifyChain(server.db);
        assert.equal(report.firstBad?.seq, 40);
        assert.match(report.firstBad?.reason ?? '', /altered/);
        assert.equal(report.entries, 39);
        const http = (await (await fetch(`${server.url}/api/v1/changes/verify`)).json()) as {
          ok: boolean;
          first_bad: { seq: number };
        };
        assert.equal(http.ok, false);
        assert.equal(http.first_bad.seq, 40);
        // Re-hashing the altered entry does not help: the next entry's link breaks instead.
        const [row] = await server.db.query<{ hash: string }>('SELECT hash FROM change_log WHERE seq = 40');
        await server.db.query('UPDATE change_log SET hash = $1 WHERE seq = 40', [`${row?.hash.slice(0, 63)}0`]);
        assert.equal((await verifyChain(server.db)).firstBad?.seq, 40);
        await server.db.query('DELETE FROM change_log WHERE seq = 20');
        const gap = await verifyChain(server.db);
        assert.equal(gap.firstBad?.seq, 21);
        assert.match(gap.firstBad?.reason ?? '', /entry 20 is missing/);
      } finally {
        await server.db.query('ALTER TABLE change_log ENABLE TRIGGER change_log_append_only');
      }
    });
  });
}
