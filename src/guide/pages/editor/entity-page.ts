// The page that edits one entity of a change set: its form (or the raw JSON form), with the problems of the last save
// beside their fields and in a summary at the top, the Markdown previews or the rule view where the kind has them, and
// the Save and Preview buttons. Works without JavaScript: Preview posts the form and the page comes back rendered.
import { html, type SafeHtml } from '../../../domain/html.ts';
import type { Lang } from '../../../domain/types.ts';
import type { Problem } from '../../../errors.ts';
import type { RuleSamples } from '../../../editorial/rule-samples.ts';
import { assetUrl } from '../../assets.ts';
import type { PageContext } from '../../context.ts';
import { NO_ERRORS, errorSummary } from '../../forms.ts';
import { layout } from '../../layout.ts';
import {
  instrumentFields,
  jsonFields,
  programmeFields,
  revisionFields,
  type EditorChoices,
  type RevisionLang,
} from './entity-forms.ts';
import { FieldSet, fieldErrors } from './fields.ts';
import { ruleView } from './rule-view.ts';

/** What the entity form shows, by kind: the document for instrument and programme, the revision's languages, or text. */
export type EntityFormValue =
  | { readonly form: 'instrument'; readonly doc: unknown }
  | { readonly form: 'programme'; readonly doc: unknown; readonly rule: RuleSamples }
  | {
      readonly form: 'revision';
      readonly article: string;
      readonly accurate_up_to: string;
      readonly langs: ReadonlyMap<Lang, RevisionLang>;
      readonly previews: ReadonlyMap<Lang, SafeHtml>;
    }
  | { readonly form: 'json'; readonly kind: string; readonly text: string };

export interface EntityPageInput {
  readonly changeset: { readonly id: string; readonly title: string };
  /** The entity's kind and id; id undefined for a new one (the form's id field names it). */
  readonly kind: string;
  readonly entityId?: string;
  readonly value: EntityFormValue;
  readonly problems: readonly Problem[];
  readonly choices: EditorChoices;
  /** The form's CSRF field (accounts' helper). */
  readonly csrf: SafeHtml;
  /** Where the form posts. */
  readonly action: string;
  /** Links to the other way of editing the same entity (the form, or JSON). */
  readonly alternative?: { readonly href: string; readonly label: string };
}

export const ENTITY_FORM_ID = 'entity-form';

/** The form's fields with the problems placed: rendered once to learn the field paths, then with the errors. */
export function fieldsWithErrors(
  ctx: PageContext,
  problems: readonly Problem[],
  render: (fs: FieldSet) => SafeHtml,
): { readonly fields: SafeHtml; readonly summary: SafeHtml } {
  const probe = new FieldSet(ctx.t, NO_ERRORS);
  render(probe);
  const errors = fieldErrors(problems, probe.paths, ctx.lang, ENTITY_FORM_ID);
  return { fields: render(new FieldSet(ctx.t, errors)), summary: errorSummary(ctx.t, errors) };
}

function renderValue(ctx: PageContext, value: EntityFormValue, choices: EditorChoices, fs: FieldSet): SafeHtml {
  switch (value.form) {
    case 'instrument':
      return instrumentFields(ctx, fs, value.doc, choices);
    case 'programme':
      return programmeFields(ctx, fs, value.doc, choices, ruleView(ctx, value.rule));
    case 'revision':
      return revisionFields(ctx, fs, value, value.previews);
    case 'json':
      return jsonFields(ctx, fs, value.text);
  }
}

/** The editor page of one entity. */
export function entityPage(ctx: PageContext, input: EntityPageInput): string {
  const { t } = ctx;
  const entity =
    input.entityId === undefined ? t('ed.newEntity', { kind: input.kind }) : `${input.kind}:${input.entityId}`;
  const { fields, summary } = fieldsWithErrors(ctx, input.problems, (fs) =>
    renderValue(ctx, input.value, input.choices, fs),
  );
  const canPreview = input.value.form === 'revision' || input.value.form === 'programme';
  const main = html`<article class="editor-page" aria-labelledby="page-title">
    <header class="page-header">
      <p class="eyebrow">
        <a href="${ctx.href(`/workspace/changesets/${input.changeset.id}`)}">${input.changeset.title}</a>
      </p>
      <h1 id="page-title">${entity}</h1>
      ${input.alternative ? html`<p><a href="${input.alternative.href}">${input.alternative.label}</a></p>` : ''}
    </header>
    ${summary}
    <form
      id="${ENTITY_FORM_ID}"
      class="sub-form editor-form"
      method="post"
      action="${input.action}"
      novalidate
      aria-labelledby="page-title"
    >
      ${input.csrf} ${fields}
      <div class="editor-actions">
        <button type="submit" name="_action" value="save">${t('ed.save')}</button>
        ${canPreview ? html`<button type="submit" name="_action" value="preview">${t('ed.preview')}</button>` : ''}
        <a href="${ctx.href(`/workspace/changesets/${input.changeset.id}`)}">${t('ed.backToChangeset')}</a>
      </div>
    </form>
  </article>`;
  return layout(ctx, {
    title: `${entity} · ${input.changeset.title}`,
    main,
    noAsOf: true,
    head: html`<link rel="stylesheet" href="${assetUrl('editor.css')}" />`,
    breadcrumbs: [
      { label: t('ed.workspace'), href: ctx.href('/workspace/changesets') },
      { label: input.changeset.title, href: ctx.href(`/workspace/changesets/${input.changeset.id}`) },
      { label: entity },
    ],
  });
}
