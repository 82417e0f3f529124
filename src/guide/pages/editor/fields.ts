// The editor forms' fields: every input is named by the JSON path of the value it holds in the bundle's entity shape
// (`title.en`, `events.0.claims.1.date`), so a problem's field path (`instrument:ID.events.0.date`) finds its input,
// and reading a posted form back into an entity is a walk over the same names. Errors go beside the field they
// concern (the nearest field above a path that has no input of its own), and into the GOV.UK-style summary.
import { escapeHtml, html, raw, type SafeHtml } from '../../../domain/html.ts';
import { problemMessage, type Problem } from '../../../errors.ts';
import type { Lang } from '../../../domain/types.ts';
import type { Translate } from '../../../i18n/messages.ts';
import { described, parts, type FormErrors } from '../../forms.ts';

/** A parsed form body (null-prototype object from the strict form parser): names to one or more values. */
export type FormBody = Readonly<Record<string, unknown>>;

/** The id of the input holding the value at `path`. */
export const fieldId = (path: string): string => `f-${path.replace(/[^A-Za-z0-9_-]+/g, '-')}`;

/** The text of one field (the first when repeated), as typed (no trimming of inner text; ends trimmed). */
export function value(form: FormBody, name: string): string {
  const v = Object.prototype.hasOwnProperty.call(form, name) ? form[name] : undefined;
  const first: unknown = Array.isArray(v) ? v[0] : v;
  return typeof first === 'string' ? first.replace(/\r\n/g, '\n').trim() : '';
}

/** Every value of a repeated field (checkboxes), blanks left out, in order, without duplicates. */
export function values(form: FormBody, name: string): string[] {
  const v = Object.prototype.hasOwnProperty.call(form, name) ? form[name] : undefined;
  const list: unknown[] = Array.isArray(v) ? v : v === undefined ? [] : [v];
  return [
    ...new Set(
      list
        .filter((x): x is string => typeof x === 'string')
        .map((x) => x.trim())
        .filter((x) => x !== ''),
    ),
  ];
}

/** Codes typed as a list: separated by commas, spaces or new lines (Chinese commas too). */
export function codeList(text: string): string[] {
  return [...new Set(text.split(/[\s,，、]+/).filter((x) => x !== ''))];
}

/** How many rows of a repeated group the form holds: the largest index N of any `prefix.N.…` name, plus one. */
export function rowCount(form: FormBody, prefix: string): number {
  let n = 0;
  const re = new RegExp(`^${prefix.replace(/[.]/g, '\\.')}\\.(\\d{1,3})\\.`);
  for (const name of Object.keys(form)) {
    const m = re.exec(name);
    if (m) n = Math.max(n, Number(m[1]) + 1);
  }
  return Math.min(n, 500);
}

/** The path of a problem inside its entity: `instrument:cn-x.events.0.date` → `events.0.date`. */
export function entityPath(where: string): string {
  const m = /^(?:instrument|programme|article|revision|source|body|jurisdiction|chapter):[^.]*(?:\.(.*))?$/.exec(where);
  if (m) return m[1] ?? '';
  return where.replace(/^\//, '').replace(/\//g, '.');
}

/**
 * Problems as the form's errors: each by the nearest field at or above its path (`events.0.sources.1.source` goes to
 * the `events.0.sources` text area), those with no field at all by `form`; the summary links each to its input.
 */
export function fieldErrors(
  problems: readonly Problem[],
  fields: ReadonlySet<string>,
  lang: Lang,
  formAnchor: string,
): FormErrors {
  const byField = new Map<string, string[]>();
  const summary: { anchor: string; text: string }[] = [];
  for (const p of problems) {
    const path = entityPath(p.where);
    let key = path;
    while (key !== '' && !fields.has(key)) key = key.includes('.') ? key.slice(0, key.lastIndexOf('.')) : '';
    const message = problemMessage(p, lang);
    const field = key === '' ? 'form' : key;
    const text = field === 'form' && path !== '' ? `${path}: ${message}` : message;
    const list = byField.get(field) ?? [];
    if (!list.includes(text)) list.push(text);
    byField.set(field, list);
    summary.push({ anchor: field === 'form' ? formAnchor : fieldId(field), text });
  }
  return { byField, summary };
}

/** What a field needs: its path (name, id and error key), its label, its value and an optional hint. */
export interface FieldSpec {
  readonly path: string;
  readonly label: string;
  readonly value: string;
  readonly hint?: string;
  readonly lang?: Lang;
  readonly extra?: SafeHtml;
}

const langAttr = (lang: Lang | undefined): SafeHtml =>
  lang === undefined ? html`` : html` lang="${lang === 'zh' ? 'zh-Hans' : 'en'}"`;

/**
 * A text area built without a template around its content, so that no formatting of the source adds white space to
 * the text (the line break after the start tag is the one HTML drops).
 */
function textarea(attributes: SafeHtml, text: string): SafeHtml {
  return raw(`<textarea ${attributes.value.replace(/\s+/g, ' ').trim()}>\n${escapeHtml(text)}</textarea>`);
}

/** Records the paths of the fields a form renders, so problems can be placed beside them. */
export class FieldSet {
  readonly paths = new Set<string>();
  constructor(
    readonly t: Translate,
    readonly errors: FormErrors,
  ) {}

  private parts(spec: { path: string; hint?: string }) {
    this.paths.add(spec.path);
    return parts(this.t, this.errors, spec.path, fieldId(spec.path), spec.hint);
  }

  /** A one-line text input (dates too: they may have month or year precision, so not type=date). */
  text(spec: FieldSpec): SafeHtml {
    const p = this.parts(spec);
    return html`<div class="${p.groupClass}">
      <label for="${fieldId(spec.path)}">${spec.label}</label>
      ${p.message}
      <input
        type="text"
        id="${fieldId(spec.path)}"
        name="${spec.path}"
        value="${spec.value}"
        ${langAttr(spec.lang)}
        ${described(p)}
        ${spec.extra ?? ''}
      />
    </div>`;
  }

  /** A text area; `rows` lines high. */
  area(spec: FieldSpec & { readonly rows?: number; readonly code?: boolean }): SafeHtml {
    const p = this.parts(spec);
    return html`<div class="${p.groupClass}">
      <label for="${fieldId(spec.path)}">${spec.label}</label>
      ${p.message}
      ${textarea(
        html`id="${fieldId(spec.path)}" name="${spec.path}" rows="${spec.rows ?? 3}"
        class="${spec.code ? 'editor-code' : 'editor-text'}" spellcheck="${spec.code ? 'false' : 'true'}"
        ${langAttr(spec.lang)} ${described(p)}`,
        spec.value,
      )}
    </div>`;
  }

  /** A drop-down list; a value not among the options is kept as one of its own, so it is shown with its error. */
  select(
    spec: FieldSpec & { readonly options: readonly { readonly value: string; readonly label: string }[] },
  ): SafeHtml {
    const p = this.parts(spec);
    const known = spec.options.some((o) => o.value === spec.value);
    const options =
      known || spec.value === '' ? spec.options : [...spec.options, { value: spec.value, label: spec.value }];
    return html`<div class="${p.groupClass}">
      <label for="${fieldId(spec.path)}">${spec.label}</label>
      ${p.message}
      <select id="${fieldId(spec.path)}" name="${spec.path}" ${described(p)}>
        <option value="" ${spec.value === '' ? html`selected` : ''}>—</option>
        ${options.map(
          (o) => html`<option value="${o.value}" ${o.value === spec.value ? html`selected` : ''}>${o.label}</option>`,
        )}
      </select>
    </div>`;
  }

  /** One checkbox (value "true"). */
  check(spec: { readonly path: string; readonly label: string; readonly checked: boolean }): SafeHtml {
    const p = this.parts(spec);
    return html`<div class="${p.groupClass} editor-check">
      ${p.message}
      <input
        type="checkbox"
        id="${fieldId(spec.path)}"
        name="${spec.path}"
        value="true"
        ${spec.checked ? html`checked` : ''}
        ${described(p)}
      />
      <label for="${fieldId(spec.path)}">${spec.label}</label>
    </div>`;
  }

  /** Checkboxes of codes in a fieldset; codes not offered are kept, ticked. */
  choices(spec: {
    readonly path: string;
    readonly legend: string;
    readonly hint?: string;
    readonly options: readonly { readonly value: string; readonly label: string }[];
    readonly checked: readonly string[];
  }): SafeHtml {
    const p = this.parts(spec);
    // The ticked codes come first, in their own order (the order the entity keeps), then the others.
    const byValue = new Map(spec.options.map((o) => [o.value, o]));
    const checked = new Set(spec.checked);
    const options = [
      ...spec.checked.map((c) => byValue.get(c) ?? { value: c, label: `${c} (${this.t('unknownChoice')})` }),
      ...spec.options.filter((o) => !checked.has(o.value)),
    ];
    return html`<fieldset class="${p.groupClass}" id="${fieldId(spec.path)}" ${described(p)}>
      <legend>${spec.legend}</legend>
      ${p.message}
      <ul class="check-list editor-choices">
        ${options.map((o, i) => {
          const id = `${fieldId(spec.path)}-${i}`;
          return html`<li class="check-item">
            <input
              type="checkbox"
              id="${id}"
              name="${spec.path}"
              value="${o.value}"
              ${checked.has(o.value) ? html`checked` : ''}
            />
            <label for="${id}">${o.label} <code class="muted small">${o.value}</code></label>
          </li>`;
        })}
      </ul>
    </fieldset>`;
  }
}
