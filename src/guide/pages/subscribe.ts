// The Subscribe form of the watch page (POST /watch/subscribe, no JavaScript) with each problem next to its field and a
// summary at the top, and the page that shows the owner token, webhook secret and private feed address once. Routes:
// src/guide/subscriptions.routes.ts; the form kit: src/guide/forms.ts.
import { languageTag } from '../../i18n/languages.ts';
import type { Bilingual } from '../../domain/types.ts';
import { problemMessage, type Problem } from '../../errors.ts';
import type { Translate } from '../../i18n/messages.ts';
import { CHANGE_KINDS, type Channel, type Digest, type Subscription } from '../../watch/types.ts';
import { copyField } from '../components.ts';
import type { PageContext } from '../context.ts';
import {
  checkboxes,
  described,
  errorSummary,
  parts,
  radios,
  textInput,
  unknownItems,
  type FormErrors,
} from '../forms.ts';
import { html, type SafeHtml } from '../../domain/html.ts';
import { changeKindLabel } from '../i18n.ts';
import { layout } from '../layout.ts';

export interface SubscribeChoices {
  readonly jurisdictions: readonly { readonly code: string; readonly name: Bilingual; readonly depth: number }[];
  readonly topics: readonly { readonly code: string; readonly label: Bilingual }[];
  readonly instruments: readonly { readonly id: string; readonly title: Bilingual }[];
}

/** The form's values as submitted (text as typed), kept when the form is shown again with its errors. */
export interface SubscribeValues {
  readonly channel: string;
  readonly email: string;
  readonly url: string;
  readonly digest: string;
  readonly jurisdictions: readonly string[];
  readonly topics: readonly string[];
  readonly instruments: readonly string[];
  readonly kinds: readonly string[];
  readonly effectiveInDays: string;
  readonly deadlineInDays: string;
  readonly label: string;
  readonly ownerToken: string;
}

export const EMPTY_VALUES: SubscribeValues = {
  channel: 'email',
  email: '',
  url: '',
  digest: 'none',
  jurisdictions: [],
  topics: [],
  instruments: [],
  kinds: [],
  effectiveInDays: '',
  deadlineInDays: '',
  label: '',
  ownerToken: '',
};

/** Kinds the form offers: eligibility changes need a stored profile and its token, which the API takes. */
export const FORM_KINDS = CHANGE_KINDS.filter((k) => k !== 'eligibility-changed');

/** Channels in the order the form lists them. */
const FORM_CHANNELS: readonly Channel[] = ['email', 'webhook', 'atom', 'ical'];

/** What creating a subscription showed once. */
export interface CreatedView {
  readonly subscription: Subscription;
  readonly ownerToken?: string;
  readonly secret?: string;
  readonly feedUrl?: string;
}

export function channelLabel(t: Translate, channel: string): string {
  const labels: Record<Channel, string> = {
    email: t('channelEmail'),
    webhook: t('channelWebhook'),
    atom: t('channelAtom'),
    ical: t('channelIcal'),
  };
  return labels[channel as Channel] ?? channel;
}

/** Where a subscription stands, in words (an unverified webhook with the reason its handshake failed). */
export function statusLabel(t: Translate, s: Subscription): string {
  switch (s.status) {
    case 'active':
      return t('subStatusActive');
    case 'pending':
      return t('subStatusPending');
    case 'unverified':
      return s.verifyError ? t('subStatusUnverifiedBecause', { reason: s.verifyError }) : t('subStatusUnverified');
  }
}

export function digestLabel(t: Translate, digest: string): string {
  const labels: Record<Digest, string> = { none: t('digestNone'), daily: t('digestDaily'), weekly: t('digestWeekly') };
  return labels[digest as Digest] ?? digest;
}

// ---------------------------------------------------------------------------------------------------------------------
// FormErrors: each problem's `where` (url, email, watch.jurisdictions.0 …; the schema's field paths) names a field of the form.

type FieldKey =
  | 'channel'
  | 'email'
  | 'url'
  | 'digest'
  | 'jurisdictions'
  | 'topics'
  | 'kinds'
  | 'instruments'
  | 'effective_in_days'
  | 'comment_deadline_in_days'
  | 'label'
  | 'owner_token'
  | 'form';

const LIST_FIELDS = ['jurisdictions', 'topics', 'instruments', 'kinds'] as const;
type ListField = (typeof LIST_FIELDS)[number];

function fieldOf(where: string): { key: FieldKey; index?: number } {
  const m = /^(?:watch\.)?([a-z_]+)(?:\.(\d+))?$/.exec(where);
  const name = m?.[1] ?? '';
  const known: readonly string[] = [
    'channel',
    'email',
    'url',
    'digest',
    'label',
    'owner_token',
    'effective_in_days',
    'comment_deadline_in_days',
    ...LIST_FIELDS,
  ];
  if (!known.includes(name)) return { key: 'form' };
  return { key: name as FieldKey, ...(m?.[2] !== undefined ? { index: Number(m[2]) } : {}) };
}

function problemText(ctx: PageContext, p: Problem, values: SubscribeValues): string {
  const { t } = ctx;
  // Rate limits say what was refused and when to try again, whatever field they are by.
  if (p.text?.key.startsWith('error.limit.')) return problemMessage(p, ctx.lang);
  const { key, index } = fieldOf(p.where);
  const listValue = (name: ListField) => (index === undefined ? undefined : values[name][index]);
  switch (key) {
    case 'channel':
      return t('subErrChannel');
    case 'email':
      return values.email === '' ? t('subErrEmailMissing') : t('subErrEmailInvalid');
    case 'url':
      return values.url === '' ? t('subErrUrlMissing') : t('subErrUrlRefused', { reason: problemMessage(p, ctx.lang) });
    case 'digest':
      return t('subErrDigest');
    case 'label':
      return t('subErrLabel');
    case 'owner_token':
      return t('subErrOwnerToken');
    case 'effective_in_days':
    case 'comment_deadline_in_days':
      return t('subErrDays');
    case 'jurisdictions':
    case 'topics':
    case 'instruments':
    case 'kinds': {
      const code = listValue(key);
      if (code === undefined) return t('subErrTooMany');
      const message = {
        jurisdictions: 'subErrJurisdiction',
        topics: 'subErrTopic',
        instruments: 'subErrInstrument',
        kinds: 'subErrKind',
      } as const;
      return t(message[key], { code });
    }
    case 'form':
      return `${p.where}: ${problemMessage(p, ctx.lang)}`;
  }
}

/** The id of the first input of each field group, for the error summary's links. */
function anchors(choices: SubscribeChoices, values: SubscribeValues): Record<FieldKey, string> {
  const first = (prefix: string, codes: readonly string[], fallback: string) =>
    codes[0] !== undefined ? `${prefix}-${codes[0]}` : fallback;
  return {
    channel: `sub-channel-${FORM_CHANNELS[0] ?? 'email'}`,
    email: 'sub-email',
    url: 'sub-url',
    digest: 'sub-digest-none',
    jurisdictions: first(
      'sub-j',
      choices.jurisdictions.map((j) => j.code),
      values.jurisdictions.length ? 'sub-j-unknown-0' : 'subscribe',
    ),
    topics: first(
      'sub-t',
      choices.topics.map((x) => x.code),
      values.topics.length ? 'sub-t-unknown-0' : 'subscribe',
    ),
    kinds: first('sub-k', FORM_KINDS, 'subscribe'),
    instruments: 'sub-instruments',
    effective_in_days: 'sub-effective',
    comment_deadline_in_days: 'sub-deadline',
    label: 'sub-label',
    owner_token: 'sub-owner-token',
    form: 'subscribe',
  };
}

function collectErrors(
  ctx: PageContext,
  choices: SubscribeChoices,
  values: SubscribeValues,
  problems: readonly Problem[],
): FormErrors {
  const byField = new Map<FieldKey, string[]>();
  const summary: { anchor: string; text: string }[] = [];
  const to = anchors(choices, values);
  const known = {
    jurisdictions: { prefix: 'sub-j', codes: choices.jurisdictions.map((j) => j.code) },
    topics: { prefix: 'sub-t', codes: choices.topics.map((x) => x.code) },
    kinds: { prefix: 'sub-k', codes: FORM_KINDS as readonly string[] },
  };
  /** The checkbox of a listed code (a known one, or the unknown one kept ticked). */
  const anchorOf = (key: FieldKey, index: number | undefined): string => {
    if (index === undefined || (key !== 'jurisdictions' && key !== 'topics' && key !== 'kinds')) return to[key];
    const value = values[key][index];
    const { prefix, codes } = known[key];
    if (value === undefined) return to[key];
    if (codes.includes(value)) return `${prefix}-${value}`;
    const unknown = values[key].filter((v) => !codes.includes(v)).indexOf(value);
    return unknown >= 0 ? `${prefix}-unknown-${unknown}` : to[key];
  };
  for (const p of problems) {
    const { key, index } = fieldOf(p.where);
    const text = problemText(ctx, p, values);
    const list = byField.get(key) ?? [];
    if (!list.includes(text)) list.push(text);
    byField.set(key, list);
    summary.push({ anchor: anchorOf(key, index), text });
  }
  return { byField, summary };
}

/** The GOV.UK-style summary at the top of a form that failed: each problem links to its field. */
export function subscribeForm(
  ctx: PageContext,
  choices: SubscribeChoices,
  values: SubscribeValues,
  errors: FormErrors,
  headingLevel: 2 | 3,
): SafeHtml {
  const { t } = ctx;
  const heading =
    headingLevel === 2
      ? html`<h2 id="subscribe-heading">${t('subFormHeading')}</h2>`
      : html`<h3 id="subscribe-heading">${t('subFormHeading')}</h3>`;
  const instruments = [...choices.instruments].sort((a, b) =>
    ctx.text(a.title).localeCompare(ctx.text(b.title), languageTag(ctx.lang)),
  );
  const knownInstruments = new Set(instruments.map((i) => i.id));
  const selected = new Set(values.instruments);
  const ip = parts(t, errors, 'instruments', 'sub-instruments', t('subInstrumentsHint'));
  const days = { extra: html`min="1" max="366" step="1" inputmode="numeric"` };
  return html`<form
    id="subscribe"
    class="sub-form"
    method="post"
    action="${ctx.href('/watch/subscribe')}"
    novalidate
    aria-labelledby="subscribe-heading"
  >
    ${heading}
    <fieldset class="form-section">
      <legend>${t('subHow')}</legend>
      ${radios(t, errors, 'channel', {
        id: 'sub-channel',
        name: 'channel',
        legend: t('subChannel'),
        items: FORM_CHANNELS.map((c) => ({ value: c, label: channelLabel(t, c) })),
        value: values.channel,
      })}
      ${textInput(t, errors, 'email', {
        id: 'sub-email',
        name: 'email',
        label: t('subEmail'),
        value: values.email,
        type: 'email',
        hint: t('subEmailHint'),
        extra: html`autocomplete="email" spellcheck="false" maxlength="254"`,
      })}
      ${textInput(t, errors, 'url', {
        id: 'sub-url',
        name: 'url',
        label: t('subUrl'),
        value: values.url,
        type: 'url',
        hint: t('subUrlHint'),
        extra: html`autocomplete="url" spellcheck="false" placeholder="https://"`,
      })}
      ${radios(t, errors, 'digest', {
        id: 'sub-digest',
        name: 'digest',
        legend: t('subDigest'),
        items: ['none', 'daily', 'weekly'].map((d) => ({ value: d, label: digestLabel(t, d) })),
        value: values.digest,
      })}
    </fieldset>
    <fieldset class="form-section">
      <legend>${t('subWhat')}</legend>
      <p class="hint">${t('subWhatHint')}</p>
      ${checkboxes(t, errors, 'jurisdictions', {
        id: 'sub-jurisdictions',
        name: 'jurisdictions',
        legend: t('subJurisdictions'),
        hint: t('subJurisdictionsHint'),
        items: [
          ...choices.jurisdictions.map((j) => ({
            id: `sub-j-${j.code}`,
            value: j.code,
            label: ctx.text(j.name),
            depth: j.depth,
          })),
          ...unknownItems(
            t,
            'sub-j',
            choices.jurisdictions.map((j) => j.code),
            values.jurisdictions,
          ),
        ],
        checked: values.jurisdictions,
      })}
      ${checkboxes(t, errors, 'topics', {
        id: 'sub-topics',
        name: 'topics',
        legend: t('subTopics'),
        items: [
          ...choices.topics.map((x) => ({ id: `sub-t-${x.code}`, value: x.code, label: ctx.text(x.label) })),
          ...unknownItems(
            t,
            'sub-t',
            choices.topics.map((x) => x.code),
            values.topics,
          ),
        ],
        checked: values.topics,
      })}
      ${checkboxes(t, errors, 'kinds', {
        id: 'sub-kinds',
        name: 'kinds',
        legend: t('subKinds'),
        hint: t('subKindsHint'),
        items: [
          ...FORM_KINDS.map((k) => ({ id: `sub-k-${k}`, value: k, label: changeKindLabel(k, ctx.lang), code: k })),
          ...unknownItems(t, 'sub-k', FORM_KINDS, values.kinds),
        ],
        checked: values.kinds,
      })}
      <div class="${ip.groupClass}">
        <label for="sub-instruments">${t('subInstruments')}</label>
        ${ip.message}
        <select id="sub-instruments" name="instruments" multiple size="8" ${described(ip)}>
          ${instruments.map(
            (i) =>
              html`<option value="${i.id}" ${selected.has(i.id) ? html`selected` : ''}>${ctx.text(i.title)}</option>`,
          )}
          ${values.instruments
            .filter((v) => !knownInstruments.has(v))
            .map((v) => html`<option value="${v}" selected>${v} (${t('unknownChoice')})</option>`)}
        </select>
      </div>
      ${textInput(t, errors, 'effective_in_days', {
        id: 'sub-effective',
        name: 'effective_in_days',
        label: t('subEffective'),
        value: values.effectiveInDays,
        type: 'number',
        hint: t('subDaysHint'),
        ...days,
      })}
      ${textInput(t, errors, 'comment_deadline_in_days', {
        id: 'sub-deadline',
        name: 'comment_deadline_in_days',
        label: t('subDeadline'),
        value: values.deadlineInDays,
        type: 'number',
        hint: t('subDaysHint'),
        ...days,
      })}
    </fieldset>
    <fieldset class="form-section">
      <legend>${t('subAbout')}</legend>
      ${textInput(t, errors, 'label', {
        id: 'sub-label',
        name: 'label',
        label: t('subLabel'),
        value: values.label,
        type: 'text',
        hint: t('subLabelHint'),
        extra: html`maxlength="200" autocomplete="off"`,
      })}
      ${textInput(t, errors, 'owner_token', {
        id: 'sub-owner-token',
        name: 'owner_token',
        label: t('subOwnerToken'),
        value: values.ownerToken,
        type: 'password',
        hint: t('subOwnerTokenHint'),
        extra: html`autocomplete="off" spellcheck="false"`,
      })}
    </fieldset>
    ${
      errors.byField.has('form')
        ? html`<p class="field-error">
            ${(errors.byField.get('form') ?? []).map(
              (m) =>
                html`<span class="field-error-line"
                  ><strong class="error-prefix">${t('errorPrefix')}</strong> ${m}</span
                >`,
            )}
          </p>`
        : ''
    }
    <button type="submit" class="button-primary">${t('subSubmit')}</button>
  </form>`;
}

export function summaryRows(ctx: PageContext, choices: SubscribeChoices, s: Subscription): SafeHtml {
  const { t } = ctx;
  const names = <T extends { readonly code?: string; readonly id?: string }>(
    codes: readonly string[],
    list: readonly T[],
    key: (x: T) => string,
    text: (x: T) => string,
  ) => {
    if (codes.length === 0) return html`<span class="muted">${t('subEverything')}</span>`;
    const byKey = new Map(list.map((x) => [key(x), text(x)]));
    return html`<ul class="plain-list">
      ${codes.map((c) => html`<li>${byKey.get(c) ?? c}</li>`)}
    </ul>`;
  };
  const f = s.filter;
  const row = (term: string, value: SafeHtml | string) =>
    html`<dt>${term}</dt>
      <dd>${value}</dd>`;
  return html`<dl class="sub-summary">
    ${row(t('subStatus'), html`<span class="sub-status" data-status="${s.status}">${statusLabel(t, s)}</span>`)}
    ${row(t('subChannel'), channelLabel(t, s.channel))}
    ${s.target ? row(t('subSentTo'), html`<code>${s.target}</code>`) : ''}
    ${s.channel === 'email' ? row(t('subDigest'), digestLabel(t, s.digest)) : ''}
    ${row(
      t('subJurisdictions'),
      names(
        f.jurisdictions,
        choices.jurisdictions,
        (j) => j.code,
        (j) => ctx.text(j.name),
      ),
    )}
    ${row(
      t('subTopics'),
      names(
        f.topics,
        choices.topics,
        (x) => x.code,
        (x) => ctx.text(x.label),
      ),
    )}
    ${row(
      t('subInstruments'),
      names(
        f.instruments,
        choices.instruments,
        (i) => i.id,
        (i) => ctx.text(i.title),
      ),
    )}
    ${row(
      t('subKinds'),
      f.kinds.length
        ? html`<ul class="plain-list">
            ${f.kinds.map((k) => html`<li>${changeKindLabel(k, ctx.lang)}</li>`)}
          </ul>`
        : html`<span class="muted">${t('subEverything')}</span>`,
    )}
    ${f.effectiveAhead !== undefined ? row(t('subEffective'), t('subDaysBefore', { n: f.effectiveAhead })) : ''}
    ${f.deadlineAhead !== undefined ? row(t('subDeadline'), t('subDaysBefore', { n: f.deadlineAhead })) : ''}
    ${row(t('subCreated'), html`<time datetime="${s.createdAt}">${when(s.createdAt)}</time>`)}
  </dl>`;
}

/** An instant as "2026-01-02 08:30 UTC". */
export function when(iso: string): string {
  return `${iso.slice(0, 16).replace('T', ' ')} UTC`;
}

export function crumbs(ctx: PageContext, label: string) {
  const { t } = ctx;
  return [{ label: t('home'), href: ctx.href('/') }, { label: t('watchTitle'), href: ctx.href('/watch') }, { label }];
}

/** The Subscribe form again, with the submitted values and every problem next to its field (status 400). */
export function subscribeFormPage(
  ctx: PageContext,
  choices: SubscribeChoices,
  values: SubscribeValues,
  problems: readonly Problem[],
): string {
  const { t } = ctx;
  const errors = collectErrors(ctx, choices, values, problems);
  return layout(ctx, {
    title: `${errors.summary.length ? `${t('errorPrefix')} ` : ''}${t('subFormHeading')}`,
    noAsOf: true,
    breadcrumbs: crumbs(ctx, t('subFormHeading')),
    main: html`<article class="watch-page sub-page">
      ${errorSummary(t, errors)} ${subscribeForm(ctx, choices, values, errors, 2)}
    </article>`,
  });
}

/** A secret in a read-only input with a Copy button (shown by watch.js). */
function secretField(ctx: PageContext, id: string, label: string, value: string, use: SafeHtml | string): SafeHtml {
  const { t } = ctx;
  return html`<div class="secret-field">
    <label for="${id}" id="${id}-label">${label}</label>
    <p class="hint" id="${id}-hint">${use}</p>
    ${copyField(t, id, value, `${id}-hint`)}
  </div>`;
}

/** What happens next: an e-mail to confirm, a webhook verified or not (and what to do then). */
function statusNote(ctx: PageContext, s: Subscription): SafeHtml | string {
  const { t } = ctx;
  if (s.status === 'pending') {
    return html`<div class="flash flash-warn" id="status-note" role="status">
      <p>${t('subPendingNote', { email: s.target ?? '' })}</p>
    </div>`;
  }
  if (s.channel !== 'webhook') return '';
  if (s.status === 'active') {
    return html`<div class="flash flash-ok" id="status-note" role="status"><p>${t('subVerifiedNote')}</p></div>`;
  }
  return html`<div class="flash flash-warn" id="status-note" role="status">
    <p>
      ${t('subUnverifiedNote', { reason: s.verifyError ?? '' })}
      <a href="${ctx.href('/watch')}#webhooks">${t('subVerifyLink')}</a>
    </p>
  </div>`;
}

/** After subscribing: the summary, and the owner token, signing secret and private feed address, shown once. */
export function subscribedPage(
  ctx: PageContext,
  choices: SubscribeChoices,
  created: CreatedView,
  script: string,
): string {
  const { t } = ctx;
  const s = created.subscription;
  const secrets = [
    created.ownerToken
      ? secretField(ctx, 'owner-token', t('subOwnerTokenShown'), created.ownerToken, t('subOwnerTokenUse'))
      : undefined,
    created.secret
      ? secretField(
          ctx,
          'webhook-secret',
          t('subSecret'),
          created.secret,
          html`${t('subSecretUse')} <a href="${ctx.href('/watch')}#webhooks">${t('subVerifyLink')}</a>`,
        )
      : undefined,
    created.feedUrl ? secretField(ctx, 'feed-url', t('subFeedUrl'), created.feedUrl, t('subFeedUse')) : undefined,
  ].filter((x): x is SafeHtml => x !== undefined);
  const title = s.status === 'pending' ? t('subPendingTitle') : t('subDoneTitle');
  return layout(ctx, {
    title,
    noAsOf: true,
    head: html`<script type="module" src="${script}"></script>`,
    breadcrumbs: crumbs(ctx, title),
    main: html`<article class="watch-page sub-page" aria-labelledby="done-title">
      <header class="page-header">
        <h1 id="done-title">${title}</h1>
        <p class="lede">${t('subDoneIntro')} ${t('subId')} <code>${s.id}</code>${s.label ? html` — ${s.label}` : ''}</p>
      </header>
      ${statusNote(ctx, s)}
      ${
        secrets.length
          ? html`<section class="keep-secrets" aria-labelledby="keep-title">
              <h2 id="keep-title"><span aria-hidden="true">⚠ </span>${t('subKeepWarning')}</h2>
              ${secrets}
            </section>`
          : ''
      }
      ${created.ownerToken ? '' : html`<p class="flash flash-ok">${t('subOwnerTokenKept')}</p>`}
      <section aria-labelledby="summary-title">
        <h2 id="summary-title">${t('subSummary')}</h2>
        ${summaryRows(ctx, choices, s)}
      </section>
      <p>
        <a href="${ctx.href('/watch')}#subscribe">${t('subAddAnother')}</a> ·
        <a href="${ctx.href('/watch')}#manage">${t('manageHeading')}</a>
      </p>
      <p id="copy-status" class="visually-hidden" role="status" aria-live="polite"></p>
    </article>`,
  });
}
