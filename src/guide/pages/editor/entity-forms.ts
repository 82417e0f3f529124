// The editor's entity forms, one per kind an editor writes by hand — instrument (titles, summaries, kind, issuers,
// jurisdiction, tags, sources, relations, lifecycle events with disputed claims), programme (with its eligibility
// rule), article revision (Markdown in English and Chinese, accurate-up-to date) — and a raw JSON form for any
// entity, the fallback that covers every field. Each form reads back into exactly the bundle's entity shape
// (src/domain/types.ts, src/content/bundle.schema.json), keys in the bundle's order, optional parts left out when
// blank, so whatever is written round-trips through `horizon export`. No rules here: the change-set service validates.
import { html, type SafeHtml } from '../../../domain/html.ts';
import {
  EVENT_TYPES,
  PROGRAMME_KINDS,
  STATUSES,
  TAG_SCHEMES,
  type Bilingual,
  type Lang,
} from '../../../domain/types.ts';
import type { PageContext } from '../../context.ts';
import { relationLabel, statusLabel } from '../../i18n.ts';
import { codeList, FieldSet, rowCount, value, values, type FormBody } from './fields.ts';

/** What the forms offer in their lists, from the store. */
export interface EditorChoices {
  readonly jurisdictions: readonly { readonly code: string; readonly name: Bilingual }[];
  readonly kinds: readonly { readonly code: string; readonly label: Bilingual }[];
  readonly topics: readonly { readonly code: string; readonly label: Bilingual }[];
  readonly eventTypes: readonly { readonly code: string; readonly label: Bilingual }[];
  readonly instruments: readonly { readonly id: string; readonly title: Bilingual }[];
}

/** The kinds of entity with a form of their own; every kind also has the raw JSON form. */
export const FORM_KINDS = ['instrument', 'programme', 'revision'] as const;
export type FormKind = (typeof FORM_KINDS)[number];

const TAG_LABELS = {
  topics: 'tagScheme.topics',
  scenario_categories: 'tagScheme.scenario_categories',
  fields: 'tagScheme.fields',
  demonstration_scenarios: 'tagScheme.demonstration_scenarios',
  supply_elements: 'tagScheme.supply_elements',
  governance_aspects: 'tagScheme.governance_aspects',
} as const;
const PROGRAMME_KIND_LABELS = {
  pilot: 'ed.programmeKind.pilot',
  'scenario-call': 'ed.programmeKind.scenarioCall',
  incentive: 'ed.programmeKind.incentive',
  obligation: 'ed.programmeKind.obligation',
  encouragement: 'ed.programmeKind.encouragement',
} as const;
const RELATION_TYPES = ['implements', 'follows', 'amends', 'supersedes', 'repeals', 'based-on', 'cites'] as const;
const LANGS: readonly Lang[] = ['en', 'zh'];

// ---------------------------------------------------------------------------------------------------------------------
// Reading the JSON of an entity (any shape: it may come from a raw JSON form) without trusting it.

type Json = unknown;

function at(doc: Json, path: string): Json {
  let v: Json = doc;
  for (const key of path.split('.')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = Array.isArray(v) ? (v as Json[])[Number(key)] : (v as Record<string, Json>)[key];
  }
  return v;
}
const str = (doc: Json, path: string): string => {
  const v = at(doc, path);
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
};
const list = (doc: Json, path: string): Json[] => {
  const v = at(doc, path);
  return Array.isArray(v) ? (v as Json[]) : [];
};
const strings = (doc: Json, path: string): string[] =>
  list(doc, path).filter((x): x is string => typeof x === 'string');

/** Citations as text, one a line: `source | locator | note` (locator and note when given). */
export function citationsText(items: readonly Json[]): string {
  return items
    .map((c) => {
      const parts = [str(c, 'source'), str(c, 'locator'), str(c, 'note')];
      while (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
      return parts.join(' | ');
    })
    .join('\n');
}

/** The citations of a text area (see citationsText); blank lines left out. */
export function parseCitations(text: string): Record<string, string>[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line) => {
      const [source = '', locator = '', ...note] = line.split('|').map((x) => x.trim());
      return {
        source,
        ...(locator ? { locator } : {}),
        ...(note.join(' | ') ? { note: note.join(' | ') } : {}),
      };
    });
}

// ---------------------------------------------------------------------------------------------------------------------
// Form → entity.

/** Both languages, kept even when blank (required text: the validator names the empty one). */
const bilingual = (form: FormBody, path: string) => ({ en: value(form, `${path}.en`), zh: value(form, `${path}.zh`) });

/** One or both languages, or nothing when both are blank. */
function partial(form: FormBody, path: string): { en?: string; zh?: string } | undefined {
  const en = value(form, `${path}.en`);
  const zh = value(form, `${path}.zh`);
  if (en === '' && zh === '') return undefined;
  return { ...(en ? { en } : {}), ...(zh ? { zh } : {}) };
}

const optional = <K extends string, V>(key: K, v: V | undefined): { [P in K]?: V } =>
  (v === undefined || v === '' || (Array.isArray(v) && v.length === 0) ? {} : { [key]: v }) as { [P in K]?: V };

const removed = (form: FormBody, prefix: string) => value(form, `${prefix}.remove`) === 'true';

function claimFromForm(form: FormBody, prefix: string): Record<string, unknown> | undefined {
  const date = value(form, `${prefix}.date`);
  const sources = parseCitations(value(form, `${prefix}.sources`));
  const note = partial(form, `${prefix}.note`);
  const preferred = value(form, `${prefix}.preferred`) === 'true';
  if (removed(form, prefix) || (date === '' && sources.length === 0 && !note && !preferred)) return undefined;
  return { date, ...(preferred ? { preferred: true } : {}), sources, ...optional('note', note) };
}

function eventFromForm(form: FormBody, prefix: string): Record<string, unknown> | undefined {
  const key = value(form, `${prefix}.key`);
  const type = value(form, `${prefix}.type`);
  const date = value(form, `${prefix}.date`);
  const approximate = value(form, `${prefix}.approximate`) === 'true';
  const claims = Array.from({ length: rowCount(form, `${prefix}.claims`) }, (_, j) =>
    claimFromForm(form, `${prefix}.claims.${j}`),
  ).filter((c) => c !== undefined);
  const sources = parseCitations(value(form, `${prefix}.sources`));
  const note = partial(form, `${prefix}.note`);
  const blank = key === '' && type === '' && date === '' && claims.length === 0 && sources.length === 0 && !note;
  if (removed(form, prefix) || blank) return undefined;
  return {
    ...optional('key', key),
    type,
    ...(claims.length > 0 ? (date === '' ? {} : { date }) : { date: date === '' ? null : date }),
    ...(approximate ? { approximate: true } : {}),
    ...(claims.length > 0 ? { claims } : {}),
    ...optional('sources', sources),
    ...optional('note', note),
  };
}

function relationFromForm(form: FormBody, prefix: string): Record<string, unknown> | undefined {
  const type = value(form, `${prefix}.type`);
  const target = value(form, `${prefix}.target`);
  const note = partial(form, `${prefix}.note`);
  if (removed(form, prefix) || (type === '' && target === '' && !note)) return undefined;
  return { type, target, ...optional('note', note) };
}

function rows<T>(form: FormBody, prefix: string, read: (form: FormBody, prefix: string) => T | undefined): T[] {
  return Array.from({ length: rowCount(form, prefix) }, (_, i) => read(form, `${prefix}.${i}`)).filter(
    (x): x is T => x !== undefined,
  );
}

/** The instrument a posted instrument form describes, in the bundle's shape and key order. */
export function instrumentFromForm(form: FormBody): Record<string, unknown> {
  const tags = (scheme: string) => (scheme === 'topics' ? values(form, scheme) : codeList(value(form, scheme)));
  return {
    id: value(form, 'id'),
    title: bilingual(form, 'title'),
    ...optional('short_title', partial(form, 'short_title')),
    ...optional('document_number', value(form, 'document_number')),
    kind: value(form, 'kind'),
    ...optional('legal_force', value(form, 'legal_force')),
    jurisdiction: value(form, 'jurisdiction'),
    issuers: codeList(value(form, 'issuers')),
    ...Object.fromEntries(TAG_SCHEMES.map((s) => [s, tags(s)] as const).filter(([, codes]) => codes.length > 0)),
    summary: bilingual(form, 'summary'),
    ...optional('notes', partial(form, 'notes')),
    sources: parseCitations(value(form, 'sources')),
    ...optional('relations', rows(form, 'relations', relationFromForm)),
    events: rows(form, 'events', eventFromForm),
  };
}

/** The rule of a programme form: the JSON as typed, or the text itself when it is not JSON (the check names it). */
function ruleFromForm(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** The programme a posted programme form describes. */
export function programmeFromForm(form: FormBody): Record<string, unknown> {
  return {
    id: value(form, 'id'),
    kind: value(form, 'kind'),
    instrument: value(form, 'instrument'),
    ...optional('provision', partial(form, 'provision')),
    title: bilingual(form, 'title'),
    description: bilingual(form, 'description'),
    effect: bilingual(form, 'effect'),
    ...optional('valid_while', values(form, 'valid_while')),
    rule: ruleFromForm(value(form, 'rule')),
    sources: parseCitations(value(form, 'sources')),
    ...optional('notes', partial(form, 'notes')),
  };
}

/** The revisions (one per language with a body) a posted revision form describes, each in the bundle's shape. */
export function revisionsFromForm(form: FormBody): Record<string, unknown>[] {
  const article = value(form, 'article');
  const date = value(form, 'accurate_up_to');
  // The front matter's fields first, as a revision file holds them, then what the file's name and text give.
  return LANGS.filter((lang) => value(form, `${lang}.body`) !== '').map((lang) => ({
    accurate_up_to: date,
    ...optional('title', value(form, `${lang}.title`)),
    ...optional('change_note', value(form, `${lang}.change_note`)),
    ...optional('sources', parseCitations(value(form, `${lang}.sources`))),
    article,
    lang,
    body: `${value(form, `${lang}.body`)}\n`,
  }));
}

// ---------------------------------------------------------------------------------------------------------------------
// Entity → form.

/** Inputs of one text in both languages: `path` names them in the form, `doc` is the object holding the text. */
function bilingualFields(fs: FieldSet, doc: Json, path: string, label: string, area: boolean, rows = 3): SafeHtml {
  const t = fs.t;
  const key = path.slice(path.lastIndexOf('.') + 1);
  return html`<div class="editor-pair">
    ${LANGS.map((lang) => {
      const spec = {
        path: `${path}.${lang}`,
        label: `${label} (${lang === 'en' ? t('ed.inEnglish') : t('ed.inChinese')})`,
        value: str(doc, `${key}.${lang}`),
        lang,
      };
      return area ? fs.area({ ...spec, rows }) : fs.text(spec);
    })}
  </div>`;
}

/** The Sources section of an entity's form: its citations, one a line (and what follows them, e.g. notes). */
function sourcesSection(t: PageContext['t'], fs: FieldSet, doc: Json, after: SafeHtml = html``): SafeHtml {
  return html`<fieldset class="form-section">
    <legend>${t('ed.sectionSources')}</legend>
    ${fs.area({
      path: 'sources',
      label: t('ed.citations'),
      value: citationsText(list(doc, 'sources')),
      hint: t('ed.citationsHint'),
      rows: 3,
      code: true,
    })}
    ${after}
  </fieldset>`;
}

function removeBox(fs: FieldSet, prefix: string, label: string): SafeHtml {
  return fs.check({ path: `${prefix}.remove`, label, checked: false });
}

function claimRow(ctx: PageContext, fs: FieldSet, claim: Json, prefix: string, n: number): SafeHtml {
  const { t } = ctx;
  return html`<fieldset class="editor-row editor-claim">
    <legend>${claim === undefined ? t('ed.claimNew') : t('ed.claimN', { n })}</legend>
    ${fs.text({ path: `${prefix}.date`, label: t('ed.date'), value: str(claim, 'date'), hint: t('ed.dateHint') })}
    ${fs.check({ path: `${prefix}.preferred`, label: t('ed.claimPreferred'), checked: at(claim, 'preferred') === true })}
    ${fs.area({
      path: `${prefix}.sources`,
      label: t('ed.citations'),
      value: citationsText(list(claim, 'sources')),
      hint: t('ed.citationsHint'),
      rows: 2,
      code: true,
    })}
    ${bilingualFields(fs, claim, `${prefix}.note`, t('ed.note'), false)}
    ${claim === undefined ? '' : removeBox(fs, prefix, t('ed.removeClaim'))}
  </fieldset>`;
}

function eventRow(ctx: PageContext, fs: FieldSet, choices: EditorChoices, event: Json, prefix: string, n: number) {
  const { t } = ctx;
  const claims = list(event, 'claims');
  const types = EVENT_TYPES.map((code) => {
    const label = choices.eventTypes.find((e) => e.code === code)?.label;
    return { value: code, label: label ? ctx.text(label) : code };
  });
  return html`<fieldset class="editor-row editor-event">
    <legend>${event === undefined ? t('ed.eventNew') : t('ed.eventN', { n })}</legend>
    <div class="editor-inline">
      ${fs.select({ path: `${prefix}.type`, label: t('ed.eventType'), value: str(event, 'type'), options: types })}
      ${fs.text({ path: `${prefix}.date`, label: t('ed.date'), value: str(event, 'date'), hint: t('ed.eventDateHint') })}
      ${fs.check({ path: `${prefix}.approximate`, label: t('ed.approximate'), checked: at(event, 'approximate') === true })}
      ${fs.text({ path: `${prefix}.key`, label: t('ed.eventKey'), value: str(event, 'key'), hint: t('ed.eventKeyHint') })}
    </div>
    ${fs.area({
      path: `${prefix}.sources`,
      label: t('ed.citations'),
      value: citationsText(list(event, 'sources')),
      hint: t('ed.citationsHint'),
      rows: 2,
      code: true,
    })}
    ${bilingualFields(fs, event, `${prefix}.note`, t('ed.note'), false)}
    <div class="editor-claims">
      <p class="hint">${t('ed.claimsHint')}</p>
      ${[...claims, ...(event === undefined ? [] : [undefined])].map((c, j) =>
        claimRow(ctx, fs, c, `${prefix}.claims.${j}`, j + 1),
      )}
    </div>
    ${event === undefined ? '' : removeBox(fs, prefix, t('ed.removeEvent'))}
  </fieldset>`;
}

function relationRow(ctx: PageContext, fs: FieldSet, relation: Json, prefix: string, n: number): SafeHtml {
  const { t } = ctx;
  return html`<fieldset class="editor-row editor-relation">
    <legend>${relation === undefined ? t('ed.relationNew') : t('ed.relationN', { n })}</legend>
    <div class="editor-inline">
      ${fs.select({
        path: `${prefix}.type`,
        label: t('ed.relationType'),
        value: str(relation, 'type'),
        options: RELATION_TYPES.map((r) => ({ value: r, label: relationLabel(r, 'outgoing', ctx.lang) })),
      })}
      ${fs.text({
        path: `${prefix}.target`,
        label: t('ed.relationTarget'),
        value: str(relation, 'target'),
        extra: html`list="editor-instrument-ids" spellcheck="false"`,
      })}
    </div>
    ${bilingualFields(fs, relation, `${prefix}.note`, t('ed.note'), false)}
    ${relation === undefined ? '' : removeBox(fs, prefix, t('ed.removeRelation'))}
  </fieldset>`;
}

/** The ids of known instruments for the inputs that name one (a datalist: typing suggests them). */
function instrumentList(ctx: PageContext, choices: EditorChoices): SafeHtml {
  return html`<datalist id="editor-instrument-ids">
    ${choices.instruments.map((i) => html`<option value="${i.id}">${ctx.text(i.title)}</option>`)}
  </datalist>`;
}

/** The instrument form's fields (inside the change set page's form). */
export function instrumentFields(ctx: PageContext, fs: FieldSet, doc: Json, choices: EditorChoices): SafeHtml {
  const { t } = ctx;
  const events = list(doc, 'events');
  const relations = list(doc, 'relations');
  return html`${instrumentList(ctx, choices)}
    <fieldset class="form-section">
      <legend>${t('ed.sectionIdentity')}</legend>
      ${fs.text({ path: 'id', label: t('ed.id'), value: str(doc, 'id'), hint: t('ed.idHint'), extra: html`spellcheck="false"` })}
      ${bilingualFields(fs, doc, 'title', t('ed.title'), false)}
      ${bilingualFields(fs, doc, 'short_title', t('ed.shortTitle'), false)}
      ${fs.text({ path: 'document_number', label: t('ed.documentNumber'), value: str(doc, 'document_number') })}
      <div class="editor-inline">
        ${fs.select({
          path: 'kind',
          label: t('ed.kind'),
          value: str(doc, 'kind'),
          options: choices.kinds.map((k) => ({ value: k.code, label: ctx.text(k.label) })),
        })}
        ${fs.select({
          path: 'legal_force',
          label: t('ed.legalForce'),
          value: str(doc, 'legal_force'),
          hint: t('ed.legalForceHint'),
          options: [
            { value: 'binding', label: t('ed.binding') },
            { value: 'non-binding', label: t('ed.nonBinding') },
          ],
        })}
        ${fs.select({
          path: 'jurisdiction',
          label: t('ed.jurisdiction'),
          value: str(doc, 'jurisdiction'),
          options: choices.jurisdictions.map((j) => ({ value: j.code, label: ctx.text(j.name) })),
        })}
      </div>
      ${fs.text({
        path: 'issuers',
        label: t('ed.issuers'),
        value: strings(doc, 'issuers').join(', '),
        hint: t('ed.codesHint'),
        extra: html`spellcheck="false"`,
      })}
      ${bilingualFields(fs, doc, 'summary', t('ed.summary'), true, 4)}
      ${bilingualFields(fs, doc, 'notes', t('ed.notes'), true, 3)}
    </fieldset>
    <fieldset class="form-section">
      <legend>${t('ed.sectionTags')}</legend>
      ${fs.choices({
        path: 'topics',
        legend: t('ed.topics'),
        options: choices.topics.map((x) => ({ value: x.code, label: ctx.text(x.label) })),
        checked: strings(doc, 'topics'),
      })}
      ${TAG_SCHEMES.filter((s) => s !== 'topics').map((scheme) =>
        fs.text({
          path: scheme,
          label: t(TAG_LABELS[scheme]),
          value: strings(doc, scheme).join(', '),
          hint: t('ed.codesHint'),
          extra: html`spellcheck="false"`,
        }),
      )}
    </fieldset>
    ${sourcesSection(t, fs, doc)}
    <fieldset class="form-section">
      <legend>${t('ed.sectionRelations')}</legend>
      ${[...relations, undefined].map((r, i) => relationRow(ctx, fs, r, `relations.${i}`, i + 1))}
    </fieldset>
    <fieldset class="form-section">
      <legend>${t('ed.sectionEvents')}</legend>
      <p class="hint">${t('ed.eventsHint')}</p>
      ${[...events, undefined].map((e, i) => eventRow(ctx, fs, choices, e, `events.${i}`, i + 1))}
    </fieldset>`;
}

/** The programme form's fields; the rule view (rule-view.ts) is shown beside the rule. */
export function programmeFields(
  ctx: PageContext,
  fs: FieldSet,
  doc: Json,
  choices: EditorChoices,
  ruleView: SafeHtml,
): SafeHtml {
  const { t } = ctx;
  const rule = at(doc, 'rule');
  const ruleText = typeof rule === 'string' ? rule : rule === undefined ? '' : JSON.stringify(rule, null, 2);
  return html`${instrumentList(ctx, choices)}
    <fieldset class="form-section">
      <legend>${t('ed.sectionIdentity')}</legend>
      ${fs.text({ path: 'id', label: t('ed.id'), value: str(doc, 'id'), hint: t('ed.idHint'), extra: html`spellcheck="false"` })}
      <div class="editor-inline">
        ${fs.select({
          path: 'kind',
          label: t('ed.programmeKind'),
          value: str(doc, 'kind'),
          options: PROGRAMME_KINDS.map((k) => ({ value: k, label: t(PROGRAMME_KIND_LABELS[k]) })),
        })}
        ${fs.text({
          path: 'instrument',
          label: t('ed.programmeInstrument'),
          value: str(doc, 'instrument'),
          extra: html`list="editor-instrument-ids" spellcheck="false"`,
        })}
      </div>
      ${bilingualFields(fs, doc, 'title', t('ed.title'), false)}
      ${bilingualFields(fs, doc, 'provision', t('ed.provision'), false)}
      ${bilingualFields(fs, doc, 'description', t('ed.description'), true)}
      ${bilingualFields(fs, doc, 'effect', t('ed.effect'), true)}
      ${fs.choices({
        path: 'valid_while',
        legend: t('ed.validWhile'),
        hint: t('ed.validWhileHint'),
        options: STATUSES.map((s) => ({ value: s, label: statusLabel(s, ctx.lang) })),
        checked: strings(doc, 'valid_while'),
      })}
    </fieldset>
    <fieldset class="form-section">
      <legend>${t('ed.sectionRule')}</legend>
      <div class="editor-rule">
        <div class="editor-rule-source">
          ${fs.area({ path: 'rule', label: t('ed.rule'), value: ruleText, hint: t('ed.ruleHint'), rows: 16, code: true })}
        </div>
        <div class="editor-rule-view">${ruleView}</div>
      </div>
    </fieldset>
    ${sourcesSection(t, fs, doc, bilingualFields(fs, doc, 'notes', t('ed.notes'), true))}`;
}

/** One language of a revision, as the revision form shows it. */
export interface RevisionLang {
  readonly title?: string;
  readonly change_note?: string;
  readonly sources?: readonly Json[];
  readonly body: string;
}

/**
 * The revision form's fields: the article, the accurate-up-to date, and for each language its title, change note,
 * sources and Markdown body; `previews` (rendered by preview.ts) go under each body when asked for.
 */
export function revisionFields(
  ctx: PageContext,
  fs: FieldSet,
  revision: {
    readonly article: string;
    readonly accurate_up_to: string;
    readonly langs: ReadonlyMap<Lang, RevisionLang>;
  },
  previews: ReadonlyMap<Lang, SafeHtml>,
): SafeHtml {
  const { t } = ctx;
  return html`<fieldset class="form-section">
      <legend>${t('ed.sectionRevision')}</legend>
      ${fs.text({ path: 'article', label: t('ed.article'), value: revision.article, extra: html`spellcheck="false"` })}
      ${fs.text({
        path: 'accurate_up_to',
        label: t('ed.accurateUpTo'),
        value: revision.accurate_up_to,
        hint: t('ed.dayHint'),
        extra: html`inputmode="numeric" spellcheck="false"`,
      })}
    </fieldset>
    ${LANGS.map((lang) => {
      const r = revision.langs.get(lang);
      const preview = previews.get(lang);
      return html`<fieldset class="form-section editor-revision-lang">
        <legend>${lang === 'en' ? t('ed.revisionEnglish') : t('ed.revisionChinese')}</legend>
        ${fs.text({ path: `${lang}.title`, label: t('ed.revisionTitle'), value: r?.title ?? '', lang })}
        ${fs.text({ path: `${lang}.change_note`, label: t('ed.changeNote'), value: r?.change_note ?? '', lang })}
        ${fs.area({
          path: `${lang}.sources`,
          label: t('ed.citations'),
          value: citationsText(r?.sources ?? []),
          hint: t('ed.citationsHint'),
          rows: 2,
          code: true,
        })}
        ${fs.area({
          path: `${lang}.body`,
          label: t('ed.markdown'),
          value: (r?.body ?? '').replace(/\n$/, ''),
          hint: t('ed.markdownHint'),
          rows: 20,
          lang,
        })}
        ${preview ?? ''}
      </fieldset>`;
    })}`;
}

/** The raw JSON form's one field: the entity as JSON, for any kind and every field. */
export function jsonFields(ctx: PageContext, fs: FieldSet, text: string): SafeHtml {
  const { t } = ctx;
  return fs.area({ path: 'json', label: t('ed.json'), value: text, hint: t('ed.jsonHint'), rows: 24, code: true });
}

/** The entity of a raw JSON form, or the problem with its line and column when it is not JSON. */
export function entityFromJson(
  text: string,
):
  | { readonly ok: true; readonly entity: unknown }
  | { readonly ok: false; readonly line: number; readonly column: number; readonly reason: string } {
  try {
    return { ok: true, entity: JSON.parse(text) as unknown };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const pos = /position (\d+)/.exec(reason);
    const offset = pos ? Number(pos[1]) : text.length;
    const before = text.slice(0, offset).split('\n');
    return { ok: false, line: before.length, column: (before[before.length - 1]?.length ?? 0) + 1, reason };
  }
}
