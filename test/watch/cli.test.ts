// The watch commands as a user runs them: import records who changed what, `horizon changes` lists it, `horizon
// verify` exits 0 on a sound chain and 1 naming the first tampered entry; deliveries and worker report plainly.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { openDatabase } from '../../src/store/database.ts';
import { tempDir } from '../support/bundles.ts';
import { horizon } from '../support/cli.ts';

describe('watch commands', () => {
  const data = path.join(tempDir(), 'data');

  it('imports with --by and --action, and lists the entries', async () => {
    const bad = await horizon(['import', 'content', '--data', data, '--action', 'rewrite']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--action must be one of import, edit, publish/);
    const r = await horizon(['import', 'content', '--data', data, '--by', 'alice@example.org', '--action', 'publish']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Change log: \d+ entries from #1/);
    const list = await horizon(['changes', '--data', data, '--limit', '2']);
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, /alice@example\.org\s+publish\s+added\s+document:bundle/);
    assert.match(list.stdout, /More: horizon changes --since 2/);
    const json = JSON.parse(
      (await horizon(['changes', '--data', data, '--since', '2', '--limit', '1', '--json'])).stdout,
    ) as {
      entries: { seq: number }[];
    };
    assert.equal(json.entries[0]?.seq, 3);
  });

  it('verifies the chain, then names the first tampered entry and exits 1', async () => {
    const ok = await horizon(['verify', '--data', data]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /The change log holds: \d+ entries, head #\d+ [0-9a-f]{64}/);
    const db = await openDatabase({ kind: 'pglite', dataDir: data });
    try {
      await db.query('ALTER TABLE change_log DISABLE TRIGGER change_log_append_only');
      await db.query(
        "UPDATE change_log SET after = replace(after, 'Shenzhen', 'Shenzen') WHERE seq = (SELECT min(seq) FROM change_log WHERE after LIKE '%Shenzhen%')",
      );
    } finally {
      await db.close();
    }
    const bad = await horizon(['verify', '--data', data]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /Entry #\d+ is bad: its content does not match its hash/);
    const json = await horizon(['verify', '--json', '--data', data]);
    assert.equal(json.code, 1);
    const report = JSON.parse(json.stdout) as { ok: boolean; first_bad: { seq: number; reason: string } | null };
    assert.equal(report.ok, false, 'the same shape as GET /api/v1/changes/verify');
    assert.match(report.first_bad?.reason ?? '', /does not match its hash/);
  });

  it('lists deliveries with counts and refuses a bad state or a retry of a delivery that is not dead', async () => {
    const list = await horizon(['deliveries', '--data', data]);
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, /pending: 0, sending: 0, delivered: 0, dead: 0/);
    const state = await horizon(['deliveries', '--data', data, '--state', 'lost']);
    assert.equal(state.code, 2);
    assert.match(state.stderr, /--state must be one of pending, sending, delivered, dead/);
    const retry = await horizon(['deliveries', '--data', data, '--retry', '42']);
    assert.equal(retry.code, 2);
    assert.match(retry.stderr, /delivery 42 is not a dead delivery/);
  });

  it('runs the worker once', async () => {
    const r = await horizon(['worker', '--once', '--data', data]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stdout,
      /Scheduler: \d+ events, 0 digests\. Dispatched \d+ events \(0 deliveries queued\)\. Deliveries attempted: 0\./,
    );
  });
});
