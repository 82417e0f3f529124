// The reviewer's field-level diff: for each entity of a change set, every field (by its JSON path) that was added,
// removed or changed against what is published, old and new value side by side; an article revision's Markdown as
// the word diff the revisions page shows (watch/diff.ts), section by section; and a conflict when the published
// entity changed after the change set started from it.
import { html, type SafeHtml } from '../../../domain/html.ts';
import type { Lang } from '../../../domain/types.ts';
import { diffRevisionsCached } from '../../../watch/diff.ts';
import type { PageContext } from '../../context.ts';
import { preformatted, renderParts } from '../revisions.ts';

/** One field that differs: its path in the entity (`events.1.date`) and its values before and after. */
export interface FieldChange {
  readonly path: string;
  readonly change: 'added' | 'removed' | 'changed';
  readonly before?: unknown;
  readonly after?: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Every leaf field that differs between two entity documents (objects by key, lists by position). */
export function fieldChanges(before: unknown, after: unknown, path = ''): FieldChange[] {
  const join = (key: string | number) => (path === '' ? String(key) : `${path}.${key}`);
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((k) => fieldChanges(before[k], after[k], join(k)));
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const n = Math.max(before.length, after.length);
    return Array.from({ length: n }, (_, i) => fieldChanges(before[i], after[i], join(i))).flat();
  }
  if (before === undefined && after === undefined) return [];
  if (before === undefined) return [{ path, change: 'added', after }];
  if (after === undefined) return [{ path, change: 'removed', before }];
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [{ path, change: 'changed', before, after }];
}

/** What the reviewer is shown of one entity. */
export interface EntityDiffInput {
  readonly kind: string;
  readonly id: string;
  /** The published document (undefined: the change set adds the entity). */
  readonly before: unknown;
  /** The document in the change set (undefined: the change set deletes the entity). */
  readonly after: unknown;
  /** Revisions: the Markdown bodies, compared word by word. */
  readonly body?: { readonly before: string; readonly after: string; readonly lang: Lang };
  /** The published entity changed since the change set took it as its base. */
  readonly conflict?: boolean;
}

function shown(v: unknown): SafeHtml {
  if (v === undefined) return html`<span class="muted">—</span>`;
  const text = typeof v === 'string' ? v : JSON.stringify(v, null, 1);
  return html`<code class="diff-value">${text}</code>`;
}

function changeLabel(ctx: PageContext, change: FieldChange['change']): string {
  switch (change) {
    case 'added':
      return ctx.t('diffAdded');
    case 'removed':
      return ctx.t('diffRemoved');
    case 'changed':
      return ctx.t('diffChanged');
  }
}

function bodyDiff(ctx: PageContext, body: NonNullable<EntityDiffInput['body']>, anchor: string): SafeHtml {
  const { t } = ctx;
  const diff = diffRevisionsCached(body.before, body.after, body.lang);
  const changed = diff.sections.filter((s) => s.status !== 'unchanged');
  const lang = body.lang === 'zh' ? 'zh-Hans' : 'en';
  return html`<div class="diff entity-body-diff" aria-labelledby="${anchor}-body">
    <h4 id="${anchor}-body">${t('ed.diffBody')}</h4>
    <p class="diff-summary">
      ${t('compareSummary', {
        sa: diff.stats.sectionsAdded,
        sr: diff.stats.sectionsRemoved,
        sc: diff.stats.sectionsChanged,
        wa: diff.stats.wordsAdded,
        wr: diff.stats.wordsRemoved,
      })}
    </p>
    ${changed.map(
      (s) =>
        html`<section class="diff-section diff-${s.status}">
          <h5>
            <span lang="${lang}">${s.heading ?? t('introduction')}</span>
            <span class="diff-status diff-status-${s.status}"
              >${s.status === 'added' ? t('diffAdded') : s.status === 'removed' ? t('diffRemoved') : t('diffChanged')}</span
            >
          </h5>
          ${preformatted(lang, renderParts(ctx, s.parts ?? []))}
        </section>`,
    )}
  </div>`;
}

/** One entity's diff: its state (new, deleted, changed, in conflict) and a table of its changed fields. */
export function entityDiff(ctx: PageContext, input: EntityDiffInput): SafeHtml {
  const { t } = ctx;
  const anchor = `diff-${input.kind}-${input.id.replace(/[^A-Za-z0-9_-]+/g, '-')}`;
  const state =
    input.before === undefined ? t('ed.diffNew') : input.after === undefined ? t('ed.diffDeleted') : t('ed.diffEdited');
  const changes = input.after === undefined ? [] : fieldChanges(input.before ?? {}, input.after);
  return html`<section
    class="entity-diff${input.conflict ? ' entity-diff-conflict' : ''}"
    id="${anchor}"
    aria-labelledby="${anchor}-h"
  >
    <h3 id="${anchor}-h"><code>${input.kind}:${input.id}</code> <span class="diff-state">${state}</span></h3>
    ${input.conflict ? html`<p class="notice notice-conflict" role="alert">${t('ed.diffConflict')}</p>` : ''}
    ${
      changes.length > 0
        ? html`<table class="field-diff">
            <caption class="visually-hidden">
              ${t('ed.diffCaption', { entity: `${input.kind}:${input.id}` })}
            </caption>
            <thead>
              <tr>
                <th scope="col">${t('ed.diffField')}</th>
                <th scope="col">${t('ed.diffChange')}</th>
                <th scope="col">${t('ed.diffBefore')}</th>
                <th scope="col">${t('ed.diffAfter')}</th>
              </tr>
            </thead>
            <tbody>
              ${changes.map(
                (c) =>
                  html`<tr class="field-change field-${c.change}" data-path="${c.path}">
                    <th scope="row"><code>${c.path}</code></th>
                    <td>${changeLabel(ctx, c.change)}</td>
                    <td>${c.change === 'added' ? shown(undefined) : html`<del>${shown(c.before)}</del>`}</td>
                    <td>${c.change === 'removed' ? shown(undefined) : html`<ins>${shown(c.after)}</ins>`}</td>
                  </tr>`,
              )}
            </tbody>
          </table>`
        : input.after === undefined
          ? ''
          : html`<p class="muted">${t('ed.diffNoFieldChanges')}</p>`
    }
    ${input.body ? bodyDiff(ctx, input.body, anchor) : ''}
  </section>`;
}
