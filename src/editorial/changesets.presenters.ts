// The JSON of change sets, their entities, comments, diffs and publications, for the API (and the pages' --json-like
// needs): snake_case fields, entity documents parsed, people as {id, email}.
import type {
  ChangesetDetail,
  ChangesetDiff,
  ChangesetEntityRecord,
  ChangesetRecord,
  CommentRecord,
  EntityDiff,
  PublishOutcome,
} from './changesets.service.ts';

export function presentChangeset(c: ChangesetRecord) {
  return {
    id: c.id,
    title: c.title,
    status: c.status,
    author: c.author,
    reviewer: c.reviewer,
    publisher: c.publisher,
    created_at: c.createdAt,
    updated_at: c.updatedAt,
    submitted_at: c.submittedAt,
    approved_at: c.approvedAt,
    published_at: c.publishedAt,
    publish_at: c.publishAt,
    published_seq: c.publishedSeq,
    reverts: c.reverts,
  };
}

/** One entity of a set: its document in the bundle's entity shape (a revision with article, lang and body). */
export function presentEntity(e: ChangesetEntityRecord) {
  let entity: unknown = null;
  if (e.doc !== null) {
    const doc = JSON.parse(e.doc) as Record<string, unknown>;
    if (e.kind === 'revision') {
      const [article = '', , lang = ''] = e.entityId.split('/');
      entity = { article, lang, ...doc, body: e.body ?? '' };
    } else entity = doc;
  }
  return {
    kind: e.kind,
    id: e.entityId,
    deleted: e.doc === null,
    base: e.base,
    entity,
    saved_at: e.savedAt,
    saved_by: e.savedBy,
  };
}

export function presentComment(c: CommentRecord) {
  return { id: c.id, author: c.author, kind: c.kind, body: c.body, created_at: c.createdAt };
}

export function presentDetail(d: ChangesetDetail) {
  return {
    ...presentChangeset(d.changeset),
    entities: d.entities.map(presentEntity),
    comments: d.comments.map(presentComment),
  };
}

function presentEntityDiff(e: EntityDiff) {
  return {
    kind: e.kind,
    id: e.id,
    change: e.change,
    conflict: e.conflict,
    fields: e.fields.map((f) => ({
      path: f.path,
      change: f.change,
      ...(f.before === undefined ? {} : { before: f.before }),
      ...(f.after === undefined ? {} : { after: f.after }),
    })),
    ...(e.body ? { body: e.body } : {}),
    ...(e.comparedWith ? { compared_with: e.comparedWith } : {}),
  };
}

export function presentDiff(d: ChangesetDiff) {
  return {
    changeset: presentChangeset(d.changeset),
    conflicts: [...d.conflicts],
    entities: d.entities.map(presentEntityDiff),
  };
}

export function presentPublish(p: PublishOutcome) {
  return {
    changeset: presentChangeset(p.changeset),
    added: [...p.report.added],
    changed: [...p.report.changed],
    removed: [...p.report.removed],
    change_log: { entries: p.report.recorded?.entries ?? 0, first_seq: p.report.recorded?.firstSeq ?? null },
    events: p.report.recorded?.events ?? 0,
  };
}
