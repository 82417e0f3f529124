// The rules of change sets, for the API, the editor pages and the worker: draft → in review → approved → published
// (or withdrawn), who may do each step, every save checked by the bundle's own checkers on the bundle as it would be
// after publishing, conflicts with what was published meanwhile, and publication through the import path (one
// transaction: store, change log naming author, reviewer and change set, search index, watch events). No SQL, no HTTP.
import { createHash, randomBytes } from 'node:crypto';
import type { Actor, Scope } from '../accounts/types.ts';
import { HorizonError, errors, problem, type Problem } from '../errors.ts';
import type { Bundle } from '../domain/types.ts';
import { applyBundleIn, type ImportReport } from '../content/import.ts';
import { bundleOfEntities } from '../content/export.ts';
import { bundleData, memoryBundle, type BundleData, type RevisionData } from '../content/memory.ts';
import { validateRawBundle } from '../content/validate.ts';
import type { Database, Queryable } from '../store/database.ts';
import { loadEntities, loadEntitiesByKey, revisionDates, type Entity } from '../store/knowledge.store.ts';
import { LOCKS, lock } from '../store/locks.ts';
import { diffRevisions, type RevisionDiff } from '../watch/diff.ts';
import { recordAudit } from '../accounts/audit.service.ts';
import {
  CHANGESET_STATUSES,
  EDITABLE_KINDS,
  dropEntityRow,
  dueChangesetIds,
  findChangeset,
  insertChangeset,
  insertComment,
  listChangesetRows,
  listCommentRows,
  listEntityRows,
  putEntityRow,
  setEntityColumns,
  updateChangeset,
  type ChangesetEntityRecord,
  type ChangesetRecord,
  type ChangesetStatus,
  type CommentRecord,
  type EditableKind,
  type Person,
} from './changesets.store.ts';
import { diffFields, type FieldChange } from './diff.ts';

export { CHANGESET_STATUSES, EDITABLE_KINDS };
export type { ChangesetEntityRecord, ChangesetRecord, ChangesetStatus, CommentRecord, EditableKind, Person };

/** What the service needs: the database, the deployment's rule on self-approval, and the clock (tests inject one). */
export interface Workspace {
  readonly db: Database;
  /** config editorial.selfApproval: the author may approve and publish his own change set. */
  readonly selfApproval: boolean;
  readonly now?: () => Date;
  /** The client's address, for the audit log (the routes give request.ip; absent for the worker and the CLI). */
  readonly address?: string;
}

/** A change set with its entities and comments. */
export interface ChangesetDetail {
  readonly changeset: ChangesetRecord;
  readonly entities: readonly ChangesetEntityRecord[];
  readonly comments: readonly CommentRecord[];
}

/** How one entity of a change set differs from what is published (or, once published, from what it replaced). */
export interface EntityDiff {
  readonly kind: EditableKind;
  readonly id: string;
  readonly change: 'added' | 'changed' | 'removed' | 'unchanged';
  /** The published entity changed since the set took it up: publishing is refused until the set is rebased. */
  readonly conflict: boolean;
  readonly fields: readonly FieldChange[];
  /** A revision's Markdown, word by word (against the article's previous revision in that language when new). */
  readonly body?: RevisionDiff;
  /** The revision a new revision is compared with (`article/date/lang`). */
  readonly comparedWith?: string;
}

export interface ChangesetDiff {
  readonly changeset: ChangesetRecord;
  readonly entities: readonly EntityDiff[];
  /** `kind:id` of the entities in conflict. */
  readonly conflicts: readonly string[];
}

/** What publishing did. */
export interface PublishOutcome {
  readonly changeset: ChangesetRecord;
  readonly report: ImportReport;
}

const TITLE_MAX = 200;
const COMMENT_MAX = 10_000;
const REVISION_ID = /^([^/]+)\/(\d{4}-\d{2}-\d{2})\/(en|zh)$/;
/** Who records what the worker does on its own (a failed scheduled publication). */
const WORKER: Person = { id: 'worker', email: 'horizon worker' };

const clock = (ws: Workspace) => (ws.now ? ws.now() : new Date());
const personOf = (a: Actor): Person => ({ id: a.accountId, email: a.email });
const key = (kind: string, id: string) => `${kind}:${id}`;

/** Records what was done to a change set in the audit log, in the caller's transaction (accounts/audit.service.ts). */
function audit(
  tx: Queryable,
  ws: Workspace,
  note: { action: string; actor: Person; target: string; detail?: Record<string, unknown> },
): Promise<void> {
  return recordAudit(tx, {
    actor: { accountId: note.actor.id, email: note.actor.email },
    action: note.action,
    subject: note.target,
    address: ws.address ?? null,
    ...(note.detail ? { detail: note.detail } : {}),
  });
}

/** The version of a published entity a change set starts from: sha256 of its document and body; null when absent. */
export function contentHash(e: Entity | undefined): string | null {
  if (!e) return null;
  return createHash('sha256')
    .update(JSON.stringify([e.doc, e.body ?? null]))
    .digest('hex');
}

function forbidden(scope: Scope): HorizonError {
  return new HorizonError('forbidden', { key: 'error.changeset.scope', params: { scope } });
}

function requireScope(actor: Actor, scope: Scope): void {
  if (!actor.scopes.has(scope)) throw forbidden(scope);
}

function requireAuthor(actor: Actor, cs: ChangesetRecord): void {
  if (cs.author.id !== actor.accountId) {
    throw new HorizonError('forbidden', { key: 'error.changeset.notAuthor', params: { id: cs.id } });
  }
}

function requireStatus(cs: ChangesetRecord, allowed: readonly ChangesetStatus[], action: string): void {
  if (!allowed.includes(cs.status)) throw errors.changesetState(cs.id, cs.status, action);
}

function requireOther(ws: Workspace, actor: Actor | Person, cs: ChangesetRecord): void {
  const id = 'accountId' in actor ? actor.accountId : actor.id;
  if (!ws.selfApproval && id === cs.author.id) throw errors.selfApproval();
}

async function lockedChangeset(tx: Queryable, id: string): Promise<ChangesetRecord> {
  const cs = await findChangeset(tx, id, true);
  if (!cs) throw errors.notFound('change set', id);
  return cs;
}

/** One entity of a change set as the bundle's data: a document (or null: deleted) and a revision's body. */
interface Change {
  readonly kind: EditableKind;
  readonly id: string;
  readonly data: unknown;
  readonly body?: string;
}

const changeOfRow = (r: ChangesetEntityRecord): Change => ({
  kind: r.kind,
  id: r.entityId,
  data: r.doc === null ? null : (JSON.parse(r.doc) as unknown),
  ...(r.body === null ? {} : { body: r.body }),
});

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The editor's entity JSON (the bundle's entity shape) as a change: a revision's article, language and body are
 * taken out of its front matter and checked against its id; a source's and a body's id must be the entity id.
 */
function changeOfInput(kind: EditableKind, id: string, input: unknown): { change?: Change; problems: Problem[] } {
  const where = key(kind, id);
  if (!isObject(input)) return { problems: [problem(where, { key: 'error.changeset.notObject' })] };
  if (kind === 'revision') {
    const m = REVISION_ID.exec(id);
    if (!m) return { problems: [problem(where, { key: 'error.changeset.revisionId' })] };
    const [, article = '', date = '', lang = ''] = m;
    const { article: givenArticle, lang: givenLang, body, ...front } = input;
    const problems: Problem[] = [];
    if (givenArticle !== undefined && givenArticle !== article) {
      problems.push(problem(`${where}.article`, { key: 'error.changeset.mismatch', params: { expected: article } }));
    }
    if (givenLang !== undefined && givenLang !== lang) {
      problems.push(problem(`${where}.lang`, { key: 'error.changeset.mismatch', params: { expected: lang } }));
    }
    if (front.accurate_up_to !== undefined && front.accurate_up_to !== date) {
      problems.push(
        problem(`${where}.accurate_up_to`, { key: 'error.changeset.mismatch', params: { expected: date } }),
      );
    }
    if (typeof body !== 'string') problems.push(problem(`${where}.body`, { key: 'error.changeset.body' }));
    if (problems.length) return { problems };
    return { change: { kind, id, data: front, body: (body as string).replace(/\r\n/g, '\n') }, problems };
  }
  if ((kind === 'source' || kind === 'body') && input.id !== id) {
    return { problems: [problem(`${where}.id`, { key: 'error.changeset.mismatch', params: { expected: id } })] };
  }
  return { change: { kind, id, data: input }, problems: [] };
}

/** The bundle's data with the changes put in: replaced, added (root lists: at the end) or removed (data null). */
function withChanges(base: BundleData, changes: readonly Change[]): BundleData {
  const instruments = new Map(base.instruments);
  const programmes = new Map(base.programmes);
  const articles = new Map(base.articles);
  const revisions = new Map<string, RevisionData>(base.revisions);
  let sources = [...base.sources];
  let bodies = [...base.bodies];
  const inList = (list: unknown[], c: Change): unknown[] => {
    const at = list.findIndex((x) => isObject(x) && x.id === c.id);
    if (c.data === null) return at < 0 ? list : list.filter((_, i) => i !== at);
    if (at < 0) return [...list, c.data];
    const copy = [...list];
    copy[at] = c.data;
    return copy;
  };
  const inMap = (map: Map<string, unknown>, c: Change) => {
    if (c.data === null) map.delete(c.id);
    else map.set(c.id, c.data);
  };
  for (const c of changes) {
    switch (c.kind) {
      case 'instrument':
        inMap(instruments, c);
        break;
      case 'programme':
        inMap(programmes, c);
        break;
      case 'article':
        inMap(articles, c);
        break;
      case 'revision':
        if (c.data === null) revisions.delete(c.id);
        else revisions.set(c.id, { front: c.data, body: c.body ?? '' });
        break;
      case 'source':
        sources = inList(sources, c);
        break;
      case 'body':
        bodies = inList(bodies, c);
        break;
    }
  }
  return { ...base, instruments, programmes, articles, revisions, sources, bodies };
}

/** The store's bundle with the changes put in, validated by the bundle's checkers; throws invalid_entity. */
function validatedBundle(store: Bundle, changes: readonly Change[]): Bundle {
  const result = validateRawBundle(memoryBundle(withChanges(bundleData(store), changes)));
  if (!result.bundle) throw errors.invalidEntity(result.problems);
  return result.bundle;
}

/** An entity of a valid bundle in the store's form (canonical document; a revision's front matter and body). */
function entityIn(b: Bundle, kind: EditableKind, id: string): { doc: string; body?: string } | undefined {
  const doc = (v: unknown) => (v === undefined ? undefined : { doc: JSON.stringify(v) });
  switch (kind) {
    case 'instrument':
      return doc(b.instruments.find((x) => x.id === id));
    case 'programme':
      return doc(b.programmes.find((x) => x.id === id));
    case 'article':
      return doc(b.articles.find((x) => x.id === id));
    case 'source':
      return doc(b.sources.find((x) => x.id === id));
    case 'body':
      return doc(b.bodies.find((x) => x.id === id));
    case 'revision': {
      const r = b.revisions.find((x) => `${x.article}/${x.accurate_up_to}/${x.lang}` === id);
      if (!r) return undefined;
      const { article, lang, body, ...front } = r;
      void article;
      void lang;
      return { doc: JSON.stringify(front), body };
    }
  }
}

/** The store's bundle and entities, read in the caller's transaction. */
async function storeState(tx: Queryable): Promise<{ loaded: Map<string, Entity>; bundle: Bundle }> {
  const loaded = await loadEntities(tx);
  return { loaded, bundle: bundleOfEntities(loaded.values()) };
}

// ————— reading —————

/** Change sets, newest change first: of one status, or one author's, when asked. */
export async function listChangesets(
  ws: Workspace,
  filter: { readonly status?: ChangesetStatus; readonly authorId?: string; readonly limit?: number } = {},
): Promise<ChangesetRecord[]> {
  return listChangesetRows(ws.db, {
    ...(filter.status ? { status: filter.status } : {}),
    ...(filter.authorId ? { authorId: filter.authorId } : {}),
    limit: Math.min(Math.max(filter.limit ?? 100, 1), 500),
  });
}

/** One change set with its entities and comments; throws not_found. */
export async function getChangeset(ws: Workspace, id: string): Promise<ChangesetDetail> {
  const changeset = await findChangeset(ws.db, id);
  if (!changeset) throw errors.notFound('change set', id);
  const [entities, comments] = [await listEntityRows(ws.db, id), await listCommentRows(ws.db, id)];
  return { changeset, entities, comments };
}

const parsed = (doc: string | null): unknown => (doc === null ? undefined : (JSON.parse(doc) as unknown));

/**
 * Every entity of a change set against what is published now (once published: against what it replaced), field by
 * field, with conflicts named. A new revision's Markdown is compared with the article's previous one in its language.
 */
export async function changesetDiff(ws: Workspace, id: string): Promise<ChangesetDiff> {
  const { changeset, entities } = await getChangeset(ws, id);
  const published = changeset.status === 'published';
  const current = await loadEntitiesByKey(
    ws.db,
    entities.map((e) => ({ kind: e.kind, id: e.entityId })),
  );
  const out: EntityDiff[] = [];
  const conflicts: string[] = [];
  for (const e of entities) {
    const now = current.get(key(e.kind, e.entityId));
    let before: { doc: string; body?: string } | undefined = now;
    if (published) {
      const prev = e.previous === null ? null : (JSON.parse(e.previous) as { doc: unknown; body?: string });
      before = prev
        ? { doc: JSON.stringify(prev.doc), ...(prev.body === undefined ? {} : { body: prev.body }) }
        : undefined;
    }
    const conflict = !published && contentHash(now) !== e.base;
    if (conflict) conflicts.push(key(e.kind, e.entityId));
    const fields = diffFields(parsed(before?.doc ?? null), parsed(e.doc));
    const change =
      e.doc === null
        ? 'removed'
        : before === undefined
          ? 'added'
          : fields.length || before.body !== (e.body ?? undefined)
            ? 'changed'
            : 'unchanged';
    let body: RevisionDiff | undefined;
    let comparedWith: string | undefined;
    if (e.kind === 'revision') {
      const [article = '', date = '', lang = 'en'] = e.entityId.split('/');
      let older = before?.body;
      if (before === undefined && e.doc !== null) {
        const earlier = (await revisionDates(ws.db, article, lang)).filter((d) => d < date).at(-1);
        if (earlier) {
          comparedWith = `${article}/${earlier}/${lang}`;
          older = (await loadEntitiesByKey(ws.db, [{ kind: 'revision', id: comparedWith }])).get(
            key('revision', comparedWith),
          )?.body;
        }
      }
      body = diffRevisions(older ?? '', e.body ?? '', lang === 'zh' ? 'zh' : 'en');
    }
    out.push({
      kind: e.kind,
      id: e.entityId,
      change,
      conflict,
      fields,
      ...(body ? { body } : {}),
      ...(comparedWith ? { comparedWith } : {}),
    });
  }
  return { changeset, entities: out, conflicts };
}

// ————— editing —————

/** Opens a new draft change set (scope drafts:write). */
export async function createChangeset(ws: Workspace, actor: Actor, input: { title: string }): Promise<ChangesetRecord> {
  requireScope(actor, 'drafts:write');
  const title = input.title.trim();
  if (title.length === 0 || title.length > TITLE_MAX) {
    throw errors.invalidEntity([problem('title', { key: 'error.changeset.title', params: { max: TITLE_MAX } })]);
  }
  const now = clock(ws).toISOString();
  return ws.db.transaction(async (tx) => {
    const cs = await insertChangeset(tx, {
      id: `cs_${randomBytes(9).toString('base64url')}`,
      title,
      author: personOf(actor),
      reverts: null,
      now,
    });
    await audit(tx, ws, { action: 'changeset.created', actor: personOf(actor), target: cs.id, detail: { title } });
    return cs;
  });
}

/** A draft's entity saved, replaced or removed, checked with the rest of the set against the store. */
async function editEntity(
  ws: Workspace,
  actor: Actor,
  id: string,
  kind: EditableKind,
  entityId: string,
  edit: { readonly input: unknown } | { readonly remove: true } | { readonly discard: true },
): Promise<ChangesetEntityRecord | null> {
  requireScope(actor, 'drafts:write');
  const now = clock(ws).toISOString();
  return ws.db.transaction(async (tx) => {
    const cs = await lockedChangeset(tx, id);
    requireAuthor(actor, cs);
    requireStatus(cs, ['draft'], 'edit');
    const rows = await listEntityRows(tx, id);
    const others = rows.filter((r) => !(r.kind === kind && r.entityId === entityId));
    const existing = rows.find((r) => r.kind === kind && r.entityId === entityId);
    const { loaded, bundle } = await storeState(tx);
    const published = loaded.get(key(kind, entityId));
    let change: Change | undefined;
    if ('input' in edit) {
      const made = changeOfInput(kind, entityId, edit.input);
      if (!made.change) throw errors.invalidEntity(made.problems);
      change = made.change;
    } else if ('remove' in edit) {
      if (!published) {
        throw errors.invalidEntity([
          problem(key(kind, entityId), { key: 'error.changeset.notPublished', params: { kind, id: entityId } }),
        ]);
      }
      change = { kind, id: entityId, data: null };
    } else if (!existing) {
      throw errors.notFound('change set entity', key(kind, entityId));
    }
    const changes = [...others.map(changeOfRow), ...(change ? [change] : [])];
    const after = validatedBundle(bundle, changes);
    let record: ChangesetEntityRecord | null = null;
    if (change) {
      const stored = change.data === null ? undefined : entityIn(after, kind, entityId);
      record = {
        kind,
        entityId,
        base: existing ? existing.base : contentHash(published),
        doc: stored?.doc ?? null,
        body: stored?.body ?? null,
        previous: null,
        savedAt: now,
        savedBy: actor.accountId,
      };
      await putEntityRow(tx, id, record);
    } else {
      await dropEntityRow(tx, id, kind, entityId);
    }
    await updateChangeset(tx, id, {}, now);
    await audit(tx, ws, {
      action: 'changeset.saved',
      actor: personOf(actor),
      target: id,
      detail: { entity: key(kind, entityId), op: 'input' in edit ? 'save' : 'remove' in edit ? 'delete' : 'discard' },
    });
    return record;
  });
}

/**
 * Saves an entity (the bundle's entity shape) into a draft: checked with the rest of the set by the bundle's checkers
 * (invalid_entity, problems at `kind:id.field`; nothing is saved then). Its base is the published version the first
 * time the set takes the entity up. Returns the entity as stored (canonical).
 */
export async function saveEntity(
  ws: Workspace,
  actor: Actor,
  id: string,
  kind: EditableKind,
  entityId: string,
  input: unknown,
): Promise<ChangesetEntityRecord> {
  const saved = await editEntity(ws, actor, id, kind, entityId, { input });
  if (!saved) throw new Error('a save stores an entity');
  return saved;
}

/** Marks a published entity for deletion in a draft (checked like a save: what still refers to it is named). */
export async function deleteEntity(
  ws: Workspace,
  actor: Actor,
  id: string,
  kind: EditableKind,
  entityId: string,
): Promise<ChangesetEntityRecord> {
  const saved = await editEntity(ws, actor, id, kind, entityId, { remove: true });
  if (!saved) throw new Error('a deletion stores an entity');
  return saved;
}

/** Drops an entity's edit (or deletion) from a draft, as if it had never been taken up. */
export async function discardEntity(
  ws: Workspace,
  actor: Actor,
  id: string,
  kind: EditableKind,
  entityId: string,
): Promise<void> {
  await editEntity(ws, actor, id, kind, entityId, { discard: true });
}

// ————— transitions —————

/** Submits a draft for review (its author; the set must hold an entity and still be valid against the store). */
export async function submitChangeset(ws: Workspace, actor: Actor, id: string): Promise<ChangesetRecord> {
  requireScope(actor, 'drafts:write');
  const now = clock(ws).toISOString();
  return ws.db.transaction(async (tx) => {
    const cs = await lockedChangeset(tx, id);
    requireAuthor(actor, cs);
    requireStatus(cs, ['draft'], 'submit');
    const rows = await listEntityRows(tx, id);
    if (rows.length === 0) {
      throw new HorizonError('changeset_state', { key: 'error.changeset.empty', params: { id } });
    }
    validatedBundle((await storeState(tx)).bundle, rows.map(changeOfRow));
    const out = await updateChangeset(tx, id, { status: 'in_review', submittedAt: now }, now);
    await audit(tx, ws, { action: 'changeset.submitted', actor: personOf(actor), target: id });
    return out;
  });
}

/** Withdraws a change set that is not published (its author). */
export async function withdrawChangeset(ws: Workspace, actor: Actor, id: string): Promise<ChangesetRecord> {
  requireScope(actor, 'drafts:write');
  const now = clock(ws).toISOString();
  return ws.db.transaction(async (tx) => {
    const cs = await lockedChangeset(tx, id);
    requireAuthor(actor, cs);
    requireStatus(cs, ['draft', 'in_review', 'approved'], 'withdraw');
    const out = await updateChangeset(tx, id, { status: 'withdrawn', publishAt: null }, now);
    await audit(tx, ws, { action: 'changeset.withdrawn', actor: personOf(actor), target: id });
    return out;
  });
}

function commentText(text: string): string {
  const body = text.trim();
  if (body.length === 0 || body.length > COMMENT_MAX) {
    throw errors.invalidParameter('body', { key: 'error.changeset.commentEmpty' });
  }
  return body;
}

/** Comments on a change set (a reviewer, or its author answering). */
export async function commentOnChangeset(
  ws: Workspace,
  actor: Actor,
  id: string,
  text: string,
): Promise<CommentRecord> {
  const body = commentText(text);
  const now = clock(ws).toISOString();
  return ws.db.transaction(async (tx) => {
    const cs = await lockedChangeset(tx, id);
    if (cs.author.id !== actor.accountId) requireScope(actor, 'review');
    requireStatus(cs, ['draft', 'in_review', 'approved'], 'comment');
    const out = await insertComment(tx, id, { author: personOf(actor), kind: 'comment', body, now });
    await audit(tx, ws, {
      action: 'changeset.commented',
      actor: personOf(actor),
      target: id,
      detail: { comment: out.id },
    });
    return out;
  });
}

/** Approves a change set in review (scope review; never its author unless self-approval is on). */
export async function approveChangeset(
  ws: Workspace,
  actor: Actor,
  id: string,
  note?: string,
): Promise<ChangesetRecord> {
  requireScope(actor, 'review');
  const now = clock(ws).toISOString();
  return ws.db.transaction(async (tx) => {
    const cs = await lockedChangeset(tx, id);
    requireStatus(cs, ['in_review'], 'approve');
    requireOther(ws, actor, cs);
    if (note !== undefined && note.trim() !== '') {
      await insertComment(tx, id, { author: personOf(actor), kind: 'approve', body: commentText(note), now });
    }
    const out = await updateChangeset(tx, id, { status: 'approved', reviewer: personOf(actor), approvedAt: now }, now);
    await audit(tx, ws, { action: 'changeset.approved', actor: personOf(actor), target: id });
    return out;
  });
}

/** Sends a change set in review (or approved) back to its author as a draft, with a comment saying why. */
export async function returnChangeset(
  ws: Workspace,
  actor: Actor,
  id: string,
  comment: string,
): Promise<ChangesetRecord> {
  requireScope(actor, 'review');
  const body = commentText(comment);
  const now = clock(ws).toISOString();
  return ws.db.transaction(async (tx) => {
    const cs = await lockedChangeset(tx, id);
    requireStatus(cs, ['in_review', 'approved'], 'return');
    await insertComment(tx, id, { author: personOf(actor), kind: 'return', body, now });
    const out = await updateChangeset(
      tx,
      id,
      { status: 'draft', reviewer: null, approvedAt: null, publishAt: null },
      now,
    );
    await audit(tx, ws, { action: 'changeset.returned', actor: personOf(actor), target: id });
    return out;
  });
}

/**
 * Takes the current published version of every entity as the set's new base, keeping the set's own versions (the
 * diff then shows them against what is published now). Allowed to its author before publication; an approved set
 * goes back to review, since what was approved is no longer what would be published.
 */
export async function rebaseChangeset(ws: Workspace, actor: Actor, id: string): Promise<ChangesetRecord> {
  requireScope(actor, 'drafts:write');
  const now = clock(ws).toISOString();
  return ws.db.transaction(async (tx) => {
    const cs = await lockedChangeset(tx, id);
    requireAuthor(actor, cs);
    requireStatus(cs, ['draft', 'in_review', 'approved'], 'rebase');
    const rows = await listEntityRows(tx, id);
    const { loaded, bundle } = await storeState(tx);
    validatedBundle(bundle, rows.map(changeOfRow));
    const moved: string[] = [];
    for (const r of rows) {
      const base = contentHash(loaded.get(key(r.kind, r.entityId)));
      if (base === r.base) continue;
      moved.push(key(r.kind, r.entityId));
      await setEntityColumns(tx, id, r.kind, r.entityId, { base });
    }
    const patch =
      cs.status === 'approved'
        ? { status: 'in_review' as const, reviewer: null, approvedAt: null, publishAt: null }
        : {};
    const out = await updateChangeset(tx, id, patch, now);
    await audit(tx, ws, {
      action: 'changeset.rebased',
      actor: personOf(actor),
      target: id,
      detail: { entities: moved },
    });
    return out;
  });
}

/** Sets (or, with null, clears) the time the worker publishes an approved change set. */
export async function scheduleChangeset(
  ws: Workspace,
  actor: Actor,
  id: string,
  publishAt: string | null,
): Promise<ChangesetRecord> {
  requireScope(actor, 'review');
  const now = clock(ws);
  let at: string | null = null;
  if (publishAt !== null) {
    const when = /(?:Z|[+-]\d{2}:\d{2})$/.test(publishAt) ? new Date(publishAt) : new Date(Number.NaN);
    if (Number.isNaN(when.getTime()) || when.getTime() <= now.getTime()) {
      throw errors.invalidParameter('publish_at', { key: 'error.changeset.publishAt' });
    }
    at = when.toISOString();
  }
  return ws.db.transaction(async (tx) => {
    const cs = await lockedChangeset(tx, id);
    requireStatus(cs, ['approved'], 'schedule');
    requireOther(ws, actor, cs);
    const out = await updateChangeset(tx, id, { publishAt: at }, now.toISOString());
    await audit(tx, ws, {
      action: 'changeset.scheduled',
      actor: personOf(actor),
      target: id,
      detail: { publish_at: at },
    });
    return out;
  });
}

/** The change log's actor: the author and the reviewer (and the publisher when another person). */
function logActor(cs: ChangesetRecord, publisher: Person): string {
  const names = [`${cs.author.email} (author)`, `${cs.reviewer?.email ?? publisher.email} (reviewer)`];
  if (cs.reviewer && cs.reviewer.id !== publisher.id) names.push(`${publisher.email} (publisher)`);
  return names.join(', ');
}

/** Publishes a locked, approved change set in the caller's transaction: all or nothing. */
async function publishIn(
  tx: Queryable,
  ws: Workspace,
  cs: ChangesetRecord,
  publisher: Person,
  now: string,
): Promise<PublishOutcome> {
  await lock(tx, LOCKS.import);
  const rows = await listEntityRows(tx, cs.id);
  const { loaded, bundle } = await storeState(tx);
  const conflicts = rows.filter((r) => contentHash(loaded.get(key(r.kind, r.entityId))) !== r.base);
  if (conflicts.length)
    throw errors.changesetConflict(
      cs.id,
      conflicts.map((r) => key(r.kind, r.entityId)),
    );
  const after = validatedBundle(bundle, rows.map(changeOfRow));
  for (const r of rows) {
    const was = loaded.get(key(r.kind, r.entityId));
    const previous = was
      ? JSON.stringify({ doc: JSON.parse(was.doc) as unknown, ...(was.body === undefined ? {} : { body: was.body }) })
      : null;
    await setEntityColumns(tx, cs.id, r.kind, r.entityId, { previous });
  }
  const report = await applyBundleIn(tx, after, loaded, {
    actor: logActor(cs, publisher),
    action: 'publish',
    changeset: cs.id,
  });
  const changeset = await updateChangeset(
    tx,
    cs.id,
    {
      status: 'published',
      publisher,
      publishedAt: now,
      publishAt: null,
      publishedSeq: report.recorded?.firstSeq ?? null,
    },
    now,
  );
  await audit(tx, ws, {
    action: 'changeset.published',
    actor: publisher,
    target: cs.id,
    detail: { added: report.added, changed: report.changed, removed: report.removed },
  });
  return { changeset, report };
}

/**
 * Publishes an approved change set now (scope review; not its author unless self-approval is on), through the
 * import path in one transaction. Refused while any entity's published version changed since the set took it up
 * (changeset_conflict, naming them), or when the bundle it makes is not valid (invalid_entity).
 */
export async function publishChangeset(ws: Workspace, actor: Actor, id: string): Promise<PublishOutcome> {
  requireScope(actor, 'review');
  const now = clock(ws).toISOString();
  return ws.db.transaction(async (tx) => {
    const cs = await lockedChangeset(tx, id);
    requireStatus(cs, ['approved'], 'publish');
    requireOther(ws, actor, cs);
    return publishIn(tx, ws, cs, personOf(actor), now);
  });
}

/** The worker's timer task (watch/worker.ts TimerTask): publishes the change sets due at `now`. */
export function publishScheduled(db: Database, now: Date): ReturnType<typeof publishDueChangesets> {
  return publishDueChangesets({ db, selfApproval: false, now: () => now });
}

/**
 * The worker's timer: publishes every approved change set whose time has come, as the reviewer who approved it. One
 * that cannot be published (a conflict, a problem) loses its time and gets a comment saying why.
 */
export async function publishDueChangesets(
  ws: Workspace,
): Promise<{ published: string[]; failed: { id: string; error: string }[] }> {
  const now = clock(ws).toISOString();
  const published: string[] = [];
  const failed: { id: string; error: string }[] = [];
  for (const id of await dueChangesetIds(ws.db, now)) {
    try {
      const done = await ws.db.transaction(async (tx) => {
        const cs = await lockedChangeset(tx, id);
        if (cs.status !== 'approved' || cs.publishAt === null || cs.publishAt > now || !cs.reviewer) return false;
        await publishIn(tx, ws, cs, cs.reviewer, now);
        return true;
      });
      if (done) published.push(id);
    } catch (error) {
      if (!(error instanceof HorizonError)) throw error;
      failed.push({ id, error: error.message });
      await ws.db.transaction(async (tx) => {
        await updateChangeset(tx, id, { publishAt: null }, now);
        await insertComment(tx, id, {
          author: WORKER,
          kind: 'comment',
          body: `Scheduled publication failed: ${error.message}`,
          now,
        });
      });
    }
  }
  return { published, failed };
}

/**
 * Opens a change set (scope admin) that restores what a published change set replaced: its entities as they were
 * before, new ones deleted. It is a draft of the admin's, reviewed like any other.
 */
export async function revertChangeset(ws: Workspace, actor: Actor, id: string): Promise<ChangesetRecord> {
  requireScope(actor, 'admin');
  const now = clock(ws).toISOString();
  return ws.db.transaction(async (tx) => {
    const source = await lockedChangeset(tx, id);
    requireStatus(source, ['published'], 'revert');
    const rows = await listEntityRows(tx, id);
    const { loaded, bundle } = await storeState(tx);
    const changes: Change[] = [];
    for (const r of rows) {
      if (r.previous === null) {
        if (loaded.has(key(r.kind, r.entityId))) changes.push({ kind: r.kind, id: r.entityId, data: null });
        continue;
      }
      const prev = JSON.parse(r.previous) as { doc: unknown; body?: string };
      changes.push({
        kind: r.kind,
        id: r.entityId,
        data: prev.doc,
        ...(prev.body === undefined ? {} : { body: prev.body }),
      });
    }
    const after = validatedBundle(bundle, changes);
    const cs = await insertChangeset(tx, {
      id: `cs_${randomBytes(9).toString('base64url')}`,
      title: `Revert: ${source.title}`.slice(0, TITLE_MAX),
      author: personOf(actor),
      reverts: id,
      now,
    });
    for (const c of changes) {
      const stored = c.data === null ? undefined : entityIn(after, c.kind, c.id);
      await putEntityRow(tx, cs.id, {
        kind: c.kind,
        entityId: c.id,
        base: contentHash(loaded.get(key(c.kind, c.id))),
        doc: stored?.doc ?? null,
        body: stored?.body ?? null,
        savedAt: now,
        savedBy: actor.accountId,
      });
    }
    await audit(tx, ws, {
      action: 'changeset.reverted',
      actor: personOf(actor),
      target: cs.id,
      detail: { reverts: id },
    });
    return cs;
  });
}
