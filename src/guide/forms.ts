// The guide's form kit (forms that work without JavaScript, GOV.UK style): text inputs, checkboxes and radios with
// their hints and errors next to each field, and the error summary at the top that links to them. Hidden inputs carry
// only what the form itself needs (an owner token in the body, never in an address). The watch forms need no CSRF
// token (they change nothing without the owner token they send); every form of a signed-in page carries the
// session's, from csrfField(request) in accounts/auth.ts (ctx.account.csrf), which the policy hook checks.
import type { Translate } from '../i18n/messages.ts';
import { html, type SafeHtml } from '../domain/html.ts';

/** A form's problems: the messages of each field (by its key) and the summary's links to them. */
export interface FormErrors {
  readonly byField: ReadonlyMap<string, readonly string[]>;
  readonly summary: readonly { readonly anchor: string; readonly text: string }[];
}

/** A form shown for the first time. */
export const NO_ERRORS: FormErrors = { byField: new Map(), summary: [] };

/** The GOV.UK-style summary at the top of a form that failed: each problem links to its field. */
export function errorSummary(t: Translate, errors: FormErrors): SafeHtml {
  if (errors.summary.length === 0) return html``;
  return html`<div
    class="error-summary"
    id="error-summary"
    role="alert"
    tabindex="-1"
    aria-labelledby="error-summary-title"
  >
    <h2 id="error-summary-title">${t('errorSummaryTitle')}</h2>
    <ul class="error-summary-list">
      ${errors.summary.map((e) => html`<li><a href="#${e.anchor}">${e.text}</a></li>`)}
    </ul>
  </div>`;
}

export interface FieldParts {
  readonly invalid: boolean;
  readonly describedBy: string;
  readonly message: SafeHtml;
  readonly groupClass: string;
}

/** The error message (if any) and hint of one field, and what its input should say of them. */
export function parts(t: Translate, errors: FormErrors, key: string, id: string, hint?: string): FieldParts {
  const messages = errors.byField.get(key) ?? [];
  const ids = [hint ? `${id}-hint` : '', messages.length ? `${id}-error` : ''].filter((x) => x).join(' ');
  return {
    invalid: messages.length > 0,
    describedBy: ids,
    groupClass: messages.length ? 'form-group form-group-error' : 'form-group',
    message: html`${hint ? html`<p class="hint" id="${id}-hint">${hint}</p>` : ''}${
      messages.length
        ? html`<p class="field-error" id="${id}-error">
            ${messages.map((m) => html`<span class="field-error-line"><strong class="error-prefix">${t('errorPrefix')}</strong> ${m}</span>`)}
          </p>`
        : ''
    }`,
  };
}

/** `aria-describedby` and `aria-invalid` for an input. */
export function described(p: FieldParts): SafeHtml {
  return html`${p.describedBy ? html` aria-describedby="${p.describedBy}"` : ''}${p.invalid ? html` aria-invalid="true"` : ''}`;
}

export function textInput(
  t: Translate,
  errors: FormErrors,
  key: string,
  spec: {
    readonly id: string;
    readonly name: string;
    readonly label: string;
    readonly value: string;
    readonly type: 'text' | 'email' | 'url' | 'number' | 'password';
    readonly hint?: string;
    readonly extra?: SafeHtml;
  },
): SafeHtml {
  const p = parts(t, errors, key, spec.id, spec.hint);
  return html`<div class="${p.groupClass}">
    <label for="${spec.id}">${spec.label}</label>
    ${p.message}
    <input
      type="${spec.type}"
      id="${spec.id}"
      name="${spec.name}"
      value="${spec.value}"
      ${described(p)}
      ${spec.extra ?? ''}
    />
  </div>`;
}

export interface CheckItem {
  readonly id: string;
  readonly value: string;
  readonly label: string;
  readonly depth?: number;
  readonly code?: string;
}

/** The legend, hint and error of a group of choices (checkboxes or radios). */
interface ChoiceGroupSpec {
  readonly id: string;
  readonly name: string;
  readonly legend: string;
  readonly hint?: string;
}

/** A fieldset of checkboxes or radios: each item a list entry with its input and label. */
function choiceGroup(
  t: Translate,
  errors: FormErrors,
  key: string,
  spec: ChoiceGroupSpec,
  type: 'checkbox' | 'radio',
  items: readonly CheckItem[],
  isChecked: (value: string) => boolean,
): SafeHtml {
  const p = parts(t, errors, key, spec.id, spec.hint);
  return html`<fieldset class="${p.groupClass}" id="${spec.id}" ${described(p)}>
    <legend>${spec.legend}</legend>
    ${p.message}
    <ul class="check-list">
      ${items.map(
        (item) =>
          html`<li
            class="check-item${type === 'checkbox' ? ` check-depth-${String(Math.min(item.depth ?? 0, 4))}` : ''}"
          >
            <input
              type="${type}"
              id="${item.id}"
              name="${spec.name}"
              value="${item.value}"
              ${isChecked(item.value) ? html`checked` : ''}
            />
            <label for="${item.id}"
              >${item.label}${item.code ? html` <code class="muted small">${item.code}</code>` : ''}</label
            >
          </li>`,
      )}
    </ul>
  </fieldset>`;
}

export function checkboxes(
  t: Translate,
  errors: FormErrors,
  key: string,
  spec: ChoiceGroupSpec & { readonly items: readonly CheckItem[]; readonly checked: readonly string[] },
): SafeHtml {
  const checked = new Set(spec.checked);
  return choiceGroup(t, errors, key, spec, 'checkbox', spec.items, (v) => checked.has(v));
}

/** Submitted codes the lists do not know, kept (ticked) so that the form shows them next to their error. */
export function unknownItems(
  t: Translate,
  prefix: string,
  known: readonly string[],
  submitted: readonly string[],
): CheckItem[] {
  const set = new Set(known);
  return submitted
    .filter((v) => !set.has(v))
    .map((v, i) => ({ id: `${prefix}-unknown-${i}`, value: v, label: `${v} (${t('unknownChoice')})` }));
}

export function radios(
  t: Translate,
  errors: FormErrors,
  key: string,
  spec: ChoiceGroupSpec & {
    readonly items: readonly { readonly value: string; readonly label: string }[];
    readonly value: string;
  },
): SafeHtml {
  const items = spec.items.map((item) => ({ ...item, id: `${spec.id}-${item.value}` }));
  return choiceGroup(t, errors, key, spec, 'radio', items, (v) => v === spec.value);
}
