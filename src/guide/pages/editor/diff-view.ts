// The reviewer's field-level diff: for each entity of a change set, every field (by its JSON path) that was added,
// removed or changed against what is published, old and new value side by side; an article revision's Markdown as
// the word diff the revisions page shows (watch/diff.ts), section by section; and a conflict when the published
// entity changed after the change set started from it.
import { html, type SafeHtml } from '../../../domain/html.ts';
import { diffFields, type FieldChange } from '../../../editorial/diff.ts';
import type { RevisionDiff } from '../../../watch/diff.ts';
import type { PageContext } from '../../context.ts';
import { preformatted, renderParts } from '../revisions.ts';

/**
 * What the reviewer is shown of one entity (the change-set service's EntityDiff): how it changes, whether the
 * published entity changed since the set took it up, its changed fields, and a revision's Markdown compared word by
 * word (with the revision it is compared with, for a new one).
 */
export interface EntityDiffInput {
  readonly kind: string;
  readonly id: string;
  readonly change: 'added' | 'changed' | 'removed' | 'unchanged';
  readonly conflict: boolean;
  readonly fields: readonly FieldChange[];
  readonly body?: RevisionDiff;
  readonly comparedWith?: string;
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

function bodyDiff(ctx: PageContext, input: EntityDiffInput, diff: RevisionDiff, anchor: string): SafeHtml {
  const { t } = ctx;
  const changed = diff.sections.filter((s) => s.status !== 'unchanged');
  const lang = input.id.endsWith('/zh') ? 'zh-Hans' : 'en';
  return html`<div class="diff entity-body-diff" aria-labelledby="${anchor}-body">
    <h4 id="${anchor}-body">${t('ed.diffBody')}</h4>
    ${input.comparedWith ? html`<p class="muted small">${t('ed.diffComparedWith', { id: input.comparedWith })}</p>` : ''}
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
    input.change === 'added'
      ? t('ed.diffNew')
      : input.change === 'removed'
        ? t('ed.diffDeleted')
        : input.change === 'changed'
          ? t('ed.diffEdited')
          : t('ed.diffUnchanged');
  // A new entity is one change of the whole document: shown field by field, as if against an empty one.
  const changes =
    input.change === 'removed'
      ? []
      : input.fields.flatMap((c) => (c.path === '' && c.change === 'added' ? diffFields({}, c.after) : [c]));
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
                    <th scope="row"><code>${c.path || t('ed.diffWhole')}</code></th>
                    <td>${changeLabel(ctx, c.change)}</td>
                    <td>${c.change === 'added' ? shown(undefined) : html`<del>${shown(c.before)}</del>`}</td>
                    <td>${c.change === 'removed' ? shown(undefined) : html`<ins>${shown(c.after)}</ins>`}</td>
                  </tr>`,
              )}
            </tbody>
          </table>`
        : input.change === 'removed'
          ? ''
          : html`<p class="muted">${t('ed.diffNoFieldChanges')}</p>`
    }
    ${input.body ? bodyDiff(ctx, input, input.body, anchor) : ''}
  </section>`;
}
