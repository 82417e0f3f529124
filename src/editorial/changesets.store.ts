// Rows of change sets, their entities and comments (migration 0009): typed records in and out, no rules (those are
// changesets.service.ts). Accounts are named by id and e-mail, copied in, never joined.
import type { Queryable } from '../store/database.ts';

export const CHANGESET_STATUSES = ['draft', 'in_review', 'approved', 'published', 'withdrawn'] as const;
export type ChangesetStatus = (typeof CHANGESET_STATUSES)[number];

/** The kinds of entity a change set may hold (the bundle's; documents, jurisdictions and chapters are not edited). */
export const EDITABLE_KINDS = ['instrument', 'programme', 'article', 'revision', 'source', 'body'] as const;
export type EditableKind = (typeof EDITABLE_KINDS)[number];

/** Someone named on a change set. */
export interface Person {
  readonly id: string;
  readonly email: string;
}

export interface ChangesetRecord {
  readonly id: string;
  readonly title: string;
  readonly status: ChangesetStatus;
  readonly author: Person;
  /** Who approved it (null before approval, and again after a return). */
  readonly reviewer: Person | null;
  readonly publisher: Person | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly submittedAt: string | null;
  readonly approvedAt: string | null;
  readonly publishedAt: string | null;
  /** When the worker publishes it (approved sets only). */
  readonly publishAt: string | null;
  /** The first change-log entry its publication wrote. */
  readonly publishedSeq: number | null;
  /** The published change set this one reverts. */
  readonly reverts: string | null;
}

/** One entity of a change set. */
export interface ChangesetEntityRecord {
  readonly kind: EditableKind;
  readonly entityId: string;
  /** sha256 of the published entity's content when the set took it up; null when it was not published. */
  readonly base: string | null;
  /** The new canonical document (JSON text); null when the set deletes the entity. */
  readonly doc: string | null;
  /** A revision's Markdown. */
  readonly body: string | null;
  /** After publication: what was published before (the change log's content), null when the entity was new. */
  readonly previous: string | null;
  readonly savedAt: string;
  readonly savedBy: string;
}

export interface CommentRecord {
  readonly id: number;
  readonly author: Person;
  readonly kind: 'comment' | 'return' | 'approve';
  readonly body: string;
  readonly createdAt: string;
}

interface Row {
  id: string;
  title: string;
  status: ChangesetStatus;
  author_id: string;
  author_email: string;
  reviewer_id: string | null;
  reviewer_email: string | null;
  publisher_id: string | null;
  publisher_email: string | null;
  created_at: Date | string;
  updated_at: Date | string;
  submitted_at: Date | string | null;
  approved_at: Date | string | null;
  published_at: Date | string | null;
  publish_at: Date | string | null;
  published_seq: number | string | null;
  reverts: string | null;
}

const iso = (v: Date | string): string => (v instanceof Date ? v : new Date(v)).toISOString();
const isoOrNull = (v: Date | string | null): string | null => (v === null ? null : iso(v));
const person = (id: string | null, email: string | null): Person | null =>
  id === null ? null : { id, email: email ?? '' };

function toRecord(r: Row): ChangesetRecord {
  return {
    id: r.id,
    title: r.title,
    status: r.status,
    author: { id: r.author_id, email: r.author_email },
    reviewer: person(r.reviewer_id, r.reviewer_email),
    publisher: person(r.publisher_id, r.publisher_email),
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
    submittedAt: isoOrNull(r.submitted_at),
    approvedAt: isoOrNull(r.approved_at),
    publishedAt: isoOrNull(r.published_at),
    publishAt: isoOrNull(r.publish_at),
    publishedSeq: r.published_seq === null ? null : Number(r.published_seq),
    reverts: r.reverts,
  };
}

/** Inserts a new draft. */
export async function insertChangeset(
  q: Queryable,
  c: { id: string; title: string; author: Person; reverts: string | null; now: string },
): Promise<ChangesetRecord> {
  const [row] = await q.query<Row>(
    `INSERT INTO changesets (id, title, status, author_id, author_email, created_at, updated_at, reverts)
     VALUES ($1, $2, 'draft', $3, $4, $5, $5, $6) RETURNING *`,
    [c.id, c.title, c.author.id, c.author.email, c.now, c.reverts],
  );
  if (!row) throw new Error('INSERT … RETURNING gave no row');
  return toRecord(row);
}

/** One change set, or null; `forUpdate` locks its row to the end of the transaction. */
export async function findChangeset(q: Queryable, id: string, forUpdate = false): Promise<ChangesetRecord | null> {
  const [row] = await q.query<Row>(`SELECT * FROM changesets WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`, [id]);
  return row ? toRecord(row) : null;
}

/** Change sets, newest change first; of one status when given, of one author when given. */
export async function listChangesetRows(
  q: Queryable,
  filter: { status?: ChangesetStatus; authorId?: string; limit: number; longestWaiting?: boolean },
): Promise<ChangesetRecord[]> {
  const params: unknown[] = [];
  const where: string[] = [];
  if (filter.status) {
    params.push(filter.status);
    where.push(`status = $${params.length}`);
  }
  if (filter.authorId) {
    params.push(filter.authorId);
    where.push(`author_id = $${params.length}`);
  }
  params.push(filter.limit);
  const rows = await q.query<Row>(
    `SELECT * FROM changesets ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY ${filter.longestWaiting ? 'coalesce(submitted_at, updated_at), id' : 'updated_at DESC, id'}
     LIMIT $${params.length}`,
    params,
  );
  return rows.map(toRecord);
}

/** How many change sets have this status. */
export async function countChangesets(q: Queryable, status: ChangesetStatus): Promise<number> {
  const [row] = await q.query<{ n: number }>('SELECT count(*)::int AS n FROM changesets WHERE status = $1', [status]);
  return Number(row?.n ?? 0);
}

/** What a transition changes on a change set's row. */
export interface ChangesetPatch {
  readonly status?: ChangesetStatus;
  readonly reviewer?: Person | null;
  readonly publisher?: Person | null;
  readonly submittedAt?: string | null;
  readonly approvedAt?: string | null;
  readonly publishedAt?: string | null;
  readonly publishAt?: string | null;
  readonly publishedSeq?: number | null;
}

/** Applies a patch and touches updated_at. */
export async function updateChangeset(
  q: Queryable,
  id: string,
  patch: ChangesetPatch,
  now: string,
): Promise<ChangesetRecord> {
  const sets: string[] = [];
  const params: unknown[] = [id, now];
  const set = (column: string, value: unknown) => {
    params.push(value);
    sets.push(`${column} = $${params.length}`);
  };
  if (patch.status !== undefined) set('status', patch.status);
  if (patch.reviewer !== undefined) {
    set('reviewer_id', patch.reviewer?.id ?? null);
    set('reviewer_email', patch.reviewer?.email ?? null);
  }
  if (patch.publisher !== undefined) {
    set('publisher_id', patch.publisher?.id ?? null);
    set('publisher_email', patch.publisher?.email ?? null);
  }
  if (patch.submittedAt !== undefined) set('submitted_at', patch.submittedAt);
  if (patch.approvedAt !== undefined) set('approved_at', patch.approvedAt);
  if (patch.publishedAt !== undefined) set('published_at', patch.publishedAt);
  if (patch.publishAt !== undefined) set('publish_at', patch.publishAt);
  if (patch.publishedSeq !== undefined) set('published_seq', patch.publishedSeq);
  const [row] = await q.query<Row>(
    `UPDATE changesets SET updated_at = $2${sets.map((s) => `, ${s}`).join('')} WHERE id = $1 RETURNING *`,
    params,
  );
  if (!row) throw new Error(`no change set ${id}`);
  return toRecord(row);
}

interface EntityRow {
  kind: EditableKind;
  entity_id: string;
  base: string | null;
  doc: string | null;
  body: string | null;
  previous: string | null;
  saved_at: Date | string;
  saved_by: string;
}

const toEntity = (r: EntityRow): ChangesetEntityRecord => ({
  kind: r.kind,
  entityId: r.entity_id,
  base: r.base,
  doc: r.doc,
  body: r.body,
  previous: r.previous,
  savedAt: iso(r.saved_at),
  savedBy: r.saved_by,
});

/** The entities of a change set, by kind and id. */
export async function listEntityRows(q: Queryable, changesetId: string): Promise<ChangesetEntityRecord[]> {
  const rows = await q.query<EntityRow>(
    'SELECT * FROM changeset_entities WHERE changeset_id = $1 ORDER BY kind, entity_id',
    [changesetId],
  );
  return rows.map(toEntity);
}

/** Inserts or replaces one entity of a change set (its base is kept when it is already there). */
export async function putEntityRow(
  q: Queryable,
  changesetId: string,
  e: Omit<ChangesetEntityRecord, 'previous'>,
): Promise<void> {
  await q.query(
    `INSERT INTO changeset_entities (changeset_id, kind, entity_id, base, doc, body, saved_at, saved_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (changeset_id, kind, entity_id)
     DO UPDATE SET doc = EXCLUDED.doc, body = EXCLUDED.body, saved_at = EXCLUDED.saved_at, saved_by = EXCLUDED.saved_by`,
    [changesetId, e.kind, e.entityId, e.base, e.doc, e.body, e.savedAt, e.savedBy],
  );
}

/** Drops one entity from a change set; true when it was there. */
export async function dropEntityRow(q: Queryable, changesetId: string, kind: string, id: string): Promise<boolean> {
  const rows = await q.query(
    'DELETE FROM changeset_entities WHERE changeset_id = $1 AND kind = $2 AND entity_id = $3 RETURNING kind',
    [changesetId, kind, id],
  );
  return rows.length > 0;
}

/** Sets an entity's base (rebase) or, at publication, what was published before it. */
export async function setEntityColumns(
  q: Queryable,
  changesetId: string,
  kind: string,
  id: string,
  columns: { base?: string | null; previous?: string | null },
): Promise<void> {
  if (columns.base !== undefined) {
    await q.query('UPDATE changeset_entities SET base = $4 WHERE changeset_id = $1 AND kind = $2 AND entity_id = $3', [
      changesetId,
      kind,
      id,
      columns.base,
    ]);
  }
  if (columns.previous !== undefined) {
    await q.query(
      'UPDATE changeset_entities SET previous = $4 WHERE changeset_id = $1 AND kind = $2 AND entity_id = $3',
      [changesetId, kind, id, columns.previous],
    );
  }
}

interface CommentRow {
  id: number | string;
  author_id: string;
  author_email: string;
  kind: CommentRecord['kind'];
  body: string;
  created_at: Date | string;
}

/** Adds a comment (or the note of a return or an approval). */
export async function insertComment(
  q: Queryable,
  changesetId: string,
  c: { author: Person; kind: CommentRecord['kind']; body: string; now: string },
): Promise<CommentRecord> {
  const [row] = await q.query<CommentRow>(
    `INSERT INTO changeset_comments (changeset_id, author_id, author_email, kind, body, created_at)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
    [changesetId, c.author.id, c.author.email, c.kind, c.body, c.now],
  );
  if (!row) throw new Error('INSERT … RETURNING gave no row');
  return toComment(row);
}

const toComment = (r: CommentRow): CommentRecord => ({
  id: Number(r.id),
  author: { id: r.author_id, email: r.author_email },
  kind: r.kind,
  body: r.body,
  createdAt: iso(r.created_at),
});

/** A change set's comments, oldest first. */
export async function listCommentRows(q: Queryable, changesetId: string): Promise<CommentRecord[]> {
  const rows = await q.query<CommentRow>('SELECT * FROM changeset_comments WHERE changeset_id = $1 ORDER BY id', [
    changesetId,
  ]);
  return rows.map(toComment);
}

/** Approved change sets whose publish_at has come, oldest first. */
export async function dueChangesetIds(q: Queryable, now: string, limit = 20): Promise<string[]> {
  const rows = await q.query<{ id: string }>(
    `SELECT id FROM changesets WHERE status = 'approved' AND publish_at IS NOT NULL AND publish_at <= $1
     ORDER BY publish_at, id LIMIT $2`,
    [now, limit],
  );
  return rows.map((r) => r.id);
}
