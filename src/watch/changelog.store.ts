// The change log: every write to the knowledge base appends one entry per entity, chained by hashes so that history
// cannot be rewritten unnoticed. Appends are serialised by an advisory lock held to the end of the writer's transaction.
import { createHash } from 'node:crypto';
import type { Queryable } from '../store/database.ts';
import { LOCKS, lock } from '../store/locks.ts';

export const ACTIONS = ['import', 'edit', 'publish'] as const;
export type Action = (typeof ACTIONS)[number];
export type ChangeType = 'added' | 'changed' | 'removed';

/** The hash the first entry points back to. */
export const GENESIS = '0'.repeat(64);

/** One entry of the log. `before`/`after` are the entity's canonical content (JSON text), null when absent. */
export interface ChangeEntry {
  readonly seq: number;
  readonly recordedAt: string;
  readonly actor: string;
  readonly action: Action;
  readonly kind: string;
  readonly id: string;
  readonly change: ChangeType;
  readonly before: string | null;
  readonly after: string | null;
  readonly prevHash: string;
  readonly hash: string;
  /** The change set whose publication wrote the entry (absent for imports). */
  readonly changeset?: string;
}

/** What a writer hands the log: one entity's change. */
export interface ChangeItem {
  readonly kind: string;
  readonly id: string;
  readonly change: ChangeType;
  readonly before: string | null;
  readonly after: string | null;
}

/**
 * The hash of an entry: sha256 over its fields in a fixed order, the predecessor's hash included. The change set is
 * hashed after them only when there is one, so entries written before change sets existed verify unchanged.
 */
export function entryHash(e: Omit<ChangeEntry, 'hash'>): string {
  const canonical = JSON.stringify([
    e.seq,
    e.recordedAt,
    e.actor,
    e.action,
    e.kind,
    e.id,
    e.change,
    e.before,
    e.after,
    e.prevHash,
    ...(e.changeset === undefined ? [] : [e.changeset]),
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

/**
 * Appends the items (in order) inside the caller's transaction; returns the entries written. Call it in the same
 * transaction as the writes it records, so the log and the store commit or roll back together.
 */
export async function appendChanges(
  tx: Queryable,
  items: readonly ChangeItem[],
  meta: {
    readonly actor: string;
    readonly action: Action;
    readonly recordedAt?: string;
    /** The change set being published, recorded and hashed with each entry. */
    readonly changeset?: string;
  },
): Promise<ChangeEntry[]> {
  if (items.length === 0) return [];
  await lock(tx, LOCKS.changeLog);
  const [last] = await tx.query<{ seq: number; hash: string }>(
    'SELECT seq, hash FROM change_log ORDER BY seq DESC LIMIT 1',
  );
  let seq = last ? Number(last.seq) : 0;
  let prevHash = last?.hash ?? GENESIS;
  const recordedAt = meta.recordedAt ?? new Date().toISOString();
  const out: ChangeEntry[] = [];
  for (const item of items) {
    seq++;
    const unhashed = {
      seq,
      recordedAt,
      actor: meta.actor,
      action: meta.action,
      prevHash,
      ...item,
      ...(meta.changeset === undefined ? {} : { changeset: meta.changeset }),
    };
    const entry: ChangeEntry = { ...unhashed, hash: entryHash(unhashed) };
    await tx.query(
      `INSERT INTO change_log (seq, recorded_at, actor, action, entity_kind, entity_id, change, before, after,
         prev_hash, hash, changeset) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [
        entry.seq,
        entry.recordedAt,
        entry.actor,
        entry.action,
        entry.kind,
        entry.id,
        entry.change,
        entry.before,
        entry.after,
        entry.prevHash,
        entry.hash,
        entry.changeset ?? null,
      ],
    );
    out.push(entry);
    prevHash = entry.hash;
  }
  return out;
}

interface Row {
  seq: number;
  recorded_at: string;
  actor: string;
  action: Action;
  entity_kind: string;
  entity_id: string;
  change: ChangeType;
  before: string | null;
  after: string | null;
  prev_hash: string;
  hash: string;
  changeset: string | null;
}

function toEntry(r: Row): ChangeEntry {
  return {
    seq: Number(r.seq),
    recordedAt: r.recorded_at,
    actor: r.actor,
    action: r.action,
    kind: r.entity_kind,
    id: r.entity_id,
    change: r.change,
    before: r.before,
    after: r.after,
    prevHash: r.prev_hash,
    hash: r.hash,
    ...(r.changeset === null || r.changeset === undefined ? {} : { changeset: r.changeset }),
  };
}

/** Entries after `since` (a seq; 0 for the start), oldest first, and the cursor for the next page (null at the end). */
export async function listChanges(
  q: Queryable,
  options: { readonly since?: number; readonly limit?: number; readonly kind?: string; readonly id?: string } = {},
): Promise<{ entries: ChangeEntry[]; next: number | null; head: { seq: number; hash: string } | null }> {
  const limit = Math.min(Math.max(options.limit ?? 100, 1), 1000);
  const params: unknown[] = [options.since ?? 0];
  let where = 'seq > $1';
  if (options.kind) {
    params.push(options.kind);
    where += ` AND entity_kind = $${params.length}`;
  }
  if (options.id) {
    params.push(options.id);
    where += ` AND entity_id = $${params.length}`;
  }
  params.push(limit + 1);
  const rows = await q.query<Row>(
    `SELECT * FROM change_log WHERE ${where} ORDER BY seq LIMIT $${params.length}`,
    params,
  );
  const entries = rows.slice(0, limit).map(toEntry);
  const [head] = await q.query<{ seq: number; hash: string }>(
    'SELECT seq, hash FROM change_log ORDER BY seq DESC LIMIT 1',
  );
  return {
    entries,
    next: rows.length > limit ? (entries.at(-1)?.seq ?? null) : null,
    head: head ? { seq: Number(head.seq), hash: head.hash } : null,
  };
}

/** The outcome of checking the chain: how many entries, the head, and the first entry that does not hold. */
export interface VerifyReport {
  readonly entries: number;
  readonly head: { readonly seq: number; readonly hash: string } | null;
  readonly firstBad: { readonly seq: number; readonly reason: string } | null;
}

/** Checks every entry: sequence without gaps, link to the predecessor, and its own hash. Stops at the first bad one. */
export async function verifyChain(
  q: Queryable,
  onProgress?: (checked: number, total: number) => void,
): Promise<VerifyReport> {
  const [count] = await q.query<{ n: number }>('SELECT count(*)::int AS n FROM change_log');
  const total = Number(count?.n ?? 0);
  let expectedSeq = 1;
  let prevHash = GENESIS;
  let checked = 0;
  let head: VerifyReport['head'] = null;
  for (;;) {
    const rows = await q.query<Row>('SELECT * FROM change_log WHERE seq >= $1 ORDER BY seq LIMIT 2000', [expectedSeq]);
    if (rows.length === 0) break;
    for (const row of rows) {
      const e = toEntry(row);
      const bad = (reason: string): VerifyReport => ({ entries: checked, head, firstBad: { seq: e.seq, reason } });
      if (e.seq !== expectedSeq) return bad(`entry ${expectedSeq} is missing (the next entry is ${e.seq})`);
      if (e.prevHash !== prevHash) return bad("its prev_hash does not match the previous entry's hash");
      const { hash, ...rest } = e;
      if (entryHash(rest) !== hash) return bad('its content does not match its hash (the entry was altered)');
      checked++;
      expectedSeq++;
      prevHash = hash;
      head = { seq: e.seq, hash };
    }
    onProgress?.(checked, total);
  }
  if (checked < total) {
    return {
      entries: checked,
      head,
      firstBad: { seq: expectedSeq, reason: 'entries below seq 1 or duplicates exist' },
    };
  }
  return { entries: checked, head, firstBad: null };
}
