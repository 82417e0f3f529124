// importBundle: validates a bundle, then makes the store equal to it in one transaction (all or nothing).
import { errors } from '../errors.ts';
import type { Bundle } from '../domain/types.ts';
import type { Database, Queryable } from '../store/database.ts';
import { syncSearchIndex } from '../search/search-index.store.ts';
import { bundleEntities, deleteEntity, loadEntities, writeEntity, type Entity } from '../store/knowledge.store.ts';
import { recordWrite, type WriteRecord } from '../watch/record.ts';
import type { Action, ChangeItem } from '../watch/changelog.store.ts';
import { validateBundle } from './validate.ts';
import { LOCKS, lock } from '../store/locks.ts';

/** What an import changed (or, with dryRun, would change): entity keys `kind:id`. */
export interface ImportReport {
  readonly dryRun: boolean;
  readonly added: readonly string[];
  readonly changed: readonly string[];
  readonly removed: readonly string[];
  readonly unchanged: number;
  /** What the change log and the watch service recorded (absent on a dry run). */
  readonly recorded?: WriteRecord;
}

export interface ImportOptions {
  /** Compute the changes without writing them. */
  readonly dryRun?: boolean;
  /** Who makes the write, for the change log (default "unknown"). */
  readonly actor?: string;
  /** The kind of write, for the change log (default import). */
  readonly action?: Action;
  /** The change set being published, for the change log. */
  readonly changeset?: string;
}

/** An entity's content as the change log keeps it: its place, canonical document and (revisions) Markdown body. */
function content(e: Entity): string {
  return JSON.stringify({
    position: e.position,
    doc: JSON.parse(e.doc) as unknown,
    ...(e.body === undefined ? {} : { body: e.body }),
  });
}

/** Validates the bundle in dir and applies it; throws invalid_bundle (changing nothing) when it is not valid. */
export async function importBundle(db: Database, dir: string, options: ImportOptions = {}): Promise<ImportReport> {
  const result = validateBundle(dir);
  if (!result.bundle) throw errors.invalidBundle(result.problems);
  return applyBundle(db, result.bundle, options);
}

const ORDERED = new Set(['jurisdiction', 'chapter', 'source', 'body', 'article', 'document']);

function same(a: Entity, b: Entity): boolean {
  return (
    a.doc === b.doc && (a.body ?? null) === (b.body ?? null) && (!ORDERED.has(a.kind) || a.position === b.position)
  );
}

/**
 * Makes the store hold exactly the bundle: adds what is new, rewrites what differs, removes what the bundle no longer
 * has. Entities that did not change are not touched, so applying the same bundle twice writes nothing.
 */
export async function applyBundle(db: Database, bundle: Bundle, options: ImportOptions = {}): Promise<ImportReport> {
  return db.transaction(async (tx) => {
    await lock(tx, LOCKS.import);
    return applyBundleIn(tx, bundle, await loadEntities(tx), options);
  });
}

/**
 * applyBundle inside the caller's transaction, which already holds the import lock and has read `loaded` (the store's
 * entities, as loadEntities gives them; the map is used up). Publishing a change set writes through here, so its
 * change log entries, search index and watch events are exactly an import's.
 */
export async function applyBundleIn(
  tx: Queryable,
  bundle: Bundle,
  loaded: Map<string, Entity>,
  options: ImportOptions = {},
): Promise<ImportReport> {
  const wanted = bundleEntities(bundle);
  const current = loaded;
  const added: string[] = [];
  const changed: string[] = [];
  const writes: Entity[] = [];
  const before = new Map<string, Entity>();
  let unchanged = 0;
  for (const e of wanted) {
    const key = `${e.kind}:${e.id}`;
    const now = current.get(key);
    current.delete(key);
    if (!now) added.push(key);
    else if (!same(now, e)) {
      changed.push(key);
      before.set(key, now);
    } else {
      unchanged++;
      continue;
    }
    writes.push(e);
  }
  const removed = [...current.values()];
  let recorded: WriteRecord | undefined;
  if (!options.dryRun) {
    for (const e of removed) await deleteEntity(tx, e.kind, e.id);
    for (const e of writes) await writeEntity(tx, e);
    await syncSearchIndex(tx, [...added, ...changed, ...removed.map((e) => `${e.kind}:${e.id}`)]);
    const items: ChangeItem[] = [
      ...removed.map((e) => ({
        kind: e.kind,
        id: e.id,
        change: 'removed' as const,
        before: content(e),
        after: null,
      })),
      ...writes.map((e) => {
        const old = before.get(`${e.kind}:${e.id}`);
        return old
          ? { kind: e.kind, id: e.id, change: 'changed' as const, before: content(old), after: content(e) }
          : { kind: e.kind, id: e.id, change: 'added' as const, before: null, after: content(e) };
      }),
    ];
    recorded = await recordWrite(
      tx,
      items,
      {
        actor: options.actor ?? 'unknown',
        action: options.action ?? 'import',
        ...(options.changeset === undefined ? {} : { changeset: options.changeset }),
      },
      bundle,
    );
  }
  return {
    ...(recorded ? { recorded } : {}),
    dryRun: options.dryRun === true,
    added,
    changed,
    removed: removed.map((e) => `${e.kind}:${e.id}`),
    unchanged,
  };
}
