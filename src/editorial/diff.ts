// Field-level differences between a published entity and a change set's version of it, for reviewers: every JSON
// path added, removed or changed (`events.2.date`), and a revision's Markdown as the word diff of the revisions page
// (watch/diff.ts). Pure: no I/O.
import { isDeepStrictEqual } from 'node:util';

/** One field that differs. Paths are dotted, array items by index (`titles.en`, `events.0.claims.1.date`). */
export interface FieldChange {
  readonly path: string;
  readonly change: 'added' | 'removed' | 'changed';
  readonly before?: unknown;
  readonly after?: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const at = (path: string, key: string | number) => (path === '' ? String(key) : `${path}.${key}`);

/**
 * The fields that differ between two documents, in the newer one's key order (fields only the older one has after
 * them). Objects are compared key by key and arrays item by item; anything else (or a change of type) whole.
 */
export function diffFields(before: unknown, after: unknown, path = ''): FieldChange[] {
  if (isDeepStrictEqual(before, after)) return [];
  if (before === undefined) return [{ path, change: 'added', after }];
  if (after === undefined) return [{ path, change: 'removed', before }];
  if (isObject(before) && isObject(after)) {
    const keys = [...Object.keys(after), ...Object.keys(before).filter((k) => !Object.hasOwn(after, k))];
    return keys.flatMap((k) => diffFields(before[k], after[k], at(path, k)));
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const n = Math.max(before.length, after.length);
    const out: FieldChange[] = [];
    for (let i = 0; i < n; i++) out.push(...diffFields(before[i], after[i], at(path, i)));
    return out;
  }
  return [{ path, change: 'changed', before, after }];
}
