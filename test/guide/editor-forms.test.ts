// The editor's building blocks, rendered and read as a browser would: every shipped instrument and programme goes
// through its form and back unchanged (the bundle's shape and key order), problems land beside their fields, the
// Markdown preview is the guide's sanitized rendering, the rule view says which sample profiles a rule matches, and
// the field-level diff names every changed path with the Markdown compared word by word.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { problem, type Problem } from '../../src/errors.ts';
import type { Bundle, Instrument, Programme } from '../../src/domain/types.ts';
import { html, type SafeHtml } from '../../src/domain/html.ts';
import { validateBundle } from '../../src/content/validate.ts';
import { ruleSamples } from '../../src/editorial/rule-samples.ts';
import { SAMPLE_PROFILES } from '../../src/editorial/sample-profiles.ts';
import { makeContext, type PageContext } from '../../src/guide/context.ts';
import { NO_ERRORS, errorSummary } from '../../src/guide/forms.ts';
import { diffFields as fieldChanges } from '../../src/editorial/diff.ts';
import { entityDiff } from '../../src/guide/pages/editor/diff-view.ts';
import {
  entityFromJson,
  instrumentFields,
  instrumentFromForm,
  programmeFields,
  programmeFromForm,
  revisionFields,
  revisionsFromForm,
  type EditorChoices,
} from '../../src/guide/pages/editor/entity-forms.ts';
import { FieldSet, fieldErrors, fieldId, type FormBody } from '../../src/guide/pages/editor/fields.ts';
import { diffRevisions } from '../../src/watch/diff.ts';
import { markdownPreview } from '../../src/guide/pages/editor/preview.ts';
import { ruleView } from '../../src/guide/pages/editor/rule-view.ts';
import { ProfileValidator } from '../../src/relevance/profile.ts';
import { FACTS } from '../../src/rules/engine.ts';
import { SHIPPED } from '../support/bundles.ts';
import { all, attrOf, has, one, parseHtml, text, textOf } from '../support/html.ts';

const en = makeContext({ lang: 'en', asOf: undefined, path: '/workspace' });
const zh = makeContext({ lang: 'zh', asOf: undefined, path: '/workspace' });

/** A text area's content as a browser reads it (linkedom leaves its character references as they are). */
const decode = (markup: string) =>
  markup.replace(/&(quot|#39|lt|gt|amp);/g, (_, name: string) =>
    name === 'quot' ? '"' : name === '#39' ? "'" : name === 'lt' ? '<' : name === 'gt' ? '>' : '&',
  );

/** The fields a browser would send for the form in this markup: names in order, repeated names as lists. */
function submit(markup: SafeHtml): FormBody {
  const doc = parseHtml(`<form>${markup.value}</form>`);
  const body: Record<string, string | string[]> = Object.create(null) as Record<string, string | string[]>;
  const put = (name: string, v: string) => {
    const had = body[name];
    body[name] = had === undefined ? v : Array.isArray(had) ? [...had, v] : [had, v];
  };
  for (const el of all(doc, 'input, select, textarea')) {
    const name = el.getAttribute('name');
    if (!name) continue;
    if (el.localName === 'textarea') put(name, decode(el.innerHTML).replace(/^\n/, ''));
    else if (el.localName === 'select') {
      const chosen = el.querySelector('option[selected]') ?? el.querySelector('option');
      put(name, chosen?.getAttribute('value') ?? '');
    } else {
      const type = el.getAttribute('type') ?? 'text';
      if ((type === 'checkbox' || type === 'radio') && !el.hasAttribute('checked')) continue;
      put(name, el.getAttribute('value') ?? '');
    }
  }
  return body;
}

let bundle: Bundle;
let choices: EditorChoices;

before(() => {
  const result = validateBundle(SHIPPED);
  assert.ok(result.bundle, 'the shipped bundle is valid');
  bundle = result.bundle;
  choices = {
    jurisdictions: bundle.jurisdictions,
    kinds: bundle.taxonomy.instrument_kinds,
    topics: bundle.taxonomy.topics,
    eventTypes: bundle.taxonomy.event_types,
    instruments: bundle.instruments.map((i) => ({ id: i.id, title: i.title })),
  };
});

const renderInstrument = (ctx: PageContext, doc: unknown, problems: readonly Problem[] = []) => {
  // Problems are placed by the fields a render records, so the form is rendered once to learn them.
  const probe = new FieldSet(ctx.t, NO_ERRORS);
  instrumentFields(ctx, probe, doc, choices);
  const errors = fieldErrors(problems, probe.paths, ctx.lang, 'entity-form');
  const fs = new FieldSet(ctx.t, errors);
  return { markup: html`${errorSummary(ctx.t, errors)}${instrumentFields(ctx, fs, doc, choices)}`, errors };
};

describe('entity forms', () => {
  it('read every shipped instrument back exactly as it was, disputed claims, relations and notes included', () => {
    assert.ok(
      bundle.instruments.some((i) => i.events.some((e) => e.claims)),
      'some instrument has disputed dates',
    );
    for (const instrument of bundle.instruments) {
      const back = instrumentFromForm(submit(renderInstrument(en, instrument).markup));
      assert.deepEqual(back, instrument, instrument.id);
      assert.equal(JSON.stringify(back), JSON.stringify(instrument), instrument.id);
    }
  });

  it('read every shipped programme back exactly as it was, its rule included', () => {
    for (const programme of bundle.programmes) {
      const fs = new FieldSet(en.t, NO_ERRORS);
      const back = programmeFromForm(submit(programmeFields(en, fs, programme, choices, html``)));
      assert.equal(JSON.stringify(back), JSON.stringify(programme), programme.id);
    }
  });

  it('read a revision in both languages back as one revision per language', () => {
    const article = bundle.articles[0]!;
    const revs = bundle.revisions.filter((r) => r.article === article.id);
    const date = revs[revs.length - 1]!.accurate_up_to;
    const langs = new Map(revs.filter((r) => r.accurate_up_to === date).map((r) => [r.lang, r] as const));
    const fs = new FieldSet(en.t, NO_ERRORS);
    const form = submit(revisionFields(en, fs, { article: article.id, accurate_up_to: date, langs }, new Map()));
    const back = revisionsFromForm(form);
    assert.deepEqual(
      back.map((r) => JSON.stringify(r)),
      ['en', 'zh'].flatMap((l) => {
        const r = langs.get(l as 'en' | 'zh');
        return r ? [JSON.stringify(r)] : [];
      }),
    );
  });

  it('add a new event and relation from the blank rows, and drop rows ticked for removal', () => {
    const instrument: Instrument = bundle.instruments.find((i) => i.events.length >= 2)!;
    const form = { ...submit(renderInstrument(en, instrument).markup) } as Record<string, unknown>;
    const n = instrument.events.length;
    form[`events.${n}.type`] = 'comment-deadline';
    form[`events.${n}.date`] = '2027-01-15';
    form[`events.${n}.sources`] = `${instrument.sources[0]!.source} | art. 3`;
    form['events.0.remove'] = 'true';
    form[`relations.${instrument.relations?.length ?? 0}.type`] = 'cites';
    form[`relations.${instrument.relations?.length ?? 0}.target`] = 'cn-x';
    const back = instrumentFromForm(form) as unknown as Instrument;
    assert.equal(back.events.length, n);
    assert.deepEqual(back.events.at(-1), {
      type: 'comment-deadline',
      date: '2027-01-15',
      sources: [{ source: instrument.sources[0]!.source, locator: 'art. 3' }],
    });
    assert.deepEqual(back.events[0], instrument.events[1]);
    assert.deepEqual(back.relations?.at(-1), { type: 'cites', target: 'cn-x' });
  });

  it('show each problem beside its field, with a summary linking to it, in the reader’s language', () => {
    const instrument = bundle.instruments.find((i) => i.events.some((e) => e.claims))!;
    const disputed = instrument.events.findIndex((e) => e.claims);
    const problems = [
      problem(`instrument:${instrument.id}.events.0.date`, {
        key: 'error.notFound',
        params: { what: 'file', id: 'x' },
      }),
      { where: `instrument:${instrument.id}.events.${disputed}.claims.0.sources.0.source`, message: 'unknown source' },
      { where: `instrument:${instrument.id}.title.zh`, message: 'must not be empty' },
      { where: `instrument:${instrument.id}`, message: 'two instruments share this id' },
    ];
    const { markup } = renderInstrument(zh, instrument, problems);
    const doc = parseHtml(markup.value);
    const dateGroup = one(doc, `#${fieldId('events.0.date')}`).closest('.form-group')!;
    assert.ok(dateGroup.classList.contains('form-group-error'));
    assert.match(text(one(dateGroup, '.field-error')), /没有标识为“x”|x/);
    assert.equal(attrOf(doc, `#${fieldId('events.0.date')}`, 'aria-invalid'), 'true');
    // A path below a text area goes to the text area.
    const claimSources = one(doc, `#${fieldId(`events.${disputed}.claims.0.sources`)}`).closest('.form-group')!;
    assert.match(textOf(claimSources, '.field-error'), /unknown source/);
    const links = all(doc, '.error-summary a').map((a) => a.getAttribute('href'));
    assert.deepEqual(links, [
      `#${fieldId('events.0.date')}`,
      `#${fieldId(`events.${disputed}.claims.0.sources`)}`,
      `#${fieldId('title.zh')}`,
      '#entity-form',
    ]);
    assert.match(text(one(doc, '.error-summary')), /two instruments share this id/);
    assert.equal(textOf(doc, '#error-summary-title'), zh.t('errorSummaryTitle'));
  });

  it('label every input, and keep values that are not among the choices, shown with their error', () => {
    const odd = { ...bundle.instruments[0]!, kind: 'not-a-kind', topics: ['no-such-topic'] };
    const doc = parseHtml(renderInstrument(en, odd).markup.value);
    for (const input of all(doc, 'input:not([type=hidden]), select, textarea')) {
      const id = input.getAttribute('id');
      assert.ok(id && has(doc, `label[for="${id}"]`), `a label for ${id}`);
    }
    assert.equal(attrOf(doc, `#${fieldId('kind')} option[selected]`, 'value'), 'not-a-kind');
    assert.ok(all(doc, 'input[name=topics][checked]').some((i) => i.getAttribute('value') === 'no-such-topic'));
  });

  it('place a JSON syntax error on its line and column', () => {
    const bad = entityFromJson('{"id": "x",\n  "title" "y"}');
    assert.equal(bad.ok, false);
    if (!bad.ok) assert.deepEqual([bad.line, bad.column], [2, 11]);
    assert.deepEqual(entityFromJson('{"a":1}'), { ok: true, entity: { a: 1 } });
  });
});

describe('Markdown preview', () => {
  it('is the guide’s sanitized rendering: no script, no javascript: link, instrument links to their pages', () => {
    const id = bundle.instruments[0]!.id;
    const markdown = [
      '## Latest <script>alert(1)</script>',
      '',
      `See [the plan](instrument:${id}), [a trap](javascript:alert(1)) and [nothing](instrument:cn-nope).`,
      '',
      '<img src=x onerror=alert(1)>',
    ].join('\n');
    const titles = new Map(bundle.instruments.map((i) => [i.id, i.title]));
    const doc = parseHtml(markdownPreview(en, markdown, 'en', titles).value);
    assert.equal(all(doc, 'script, img').length, 0);
    assert.ok(!all(doc, 'a').some((a) => /^javascript:/i.test(a.getAttribute('href') ?? '')));
    assert.equal(attrOf(doc, 'a.instrument-link', 'href'), `/instruments/${id}`);
    assert.match(textOf(doc, 'h2'), /Latest <script>alert\(1\)<\/script>/);
    assert.match(textOf(doc, '.notice'), /cn-nope/);
    assert.match(text(doc), /<img src=x onerror=alert\(1\)>/, 'raw HTML is shown as text');
  });
});

describe('rule view', () => {
  it('shows the rule as conditions and which sample profiles it matches', () => {
    const validator = new ProfileValidator(FACTS);
    for (const s of SAMPLE_PROFILES) assert.equal(validator.check(s.profile).problems, undefined, s.id);
    const programme: Programme = bundle.programmes.find((p) => p.id === 'cn-bj-ai-compute-vouchers')!;
    const tree = new Map(bundle.jurisdictions.map((j) => [j.code, j.parent ?? null]));
    const checked = ruleSamples(programme.rule, tree);
    const doc = parseHtml(ruleView(en, checked).value);
    assert.match(
      text(one(doc, '.rule-tree')),
      /All of these.*Registered in Beijing.*Trains or applies AI models.*Works in a field the plan lists/,
    );
    const outcome = (id: string) => textOf(doc, `tr[data-sample="${id}"] .outcome`);
    assert.equal(outcome('beijing-compute-user'), 'Applies');
    assert.equal(outcome('shanghai-ai-startup'), 'Does not apply');
    assert.match(textOf(doc, 'tr[data-sample="shanghai-ai-startup"] td:last-child'), /Registered in Beijing/);
    assert.equal(all(doc, 'tr.rule-sample').length, SAMPLE_PROFILES.length);
    const zhDoc = parseHtml(ruleView(zh, checked).value);
    assert.equal(textOf(zhDoc, 'tr[data-sample="beijing-compute-user"] .outcome'), zh.t('check.bands.applies'));
    assert.match(text(one(zhDoc, '.rule-tree')), /在北京注册/);
  });

  it('says a rule that may apply depends on which facts, and lists the problems of a rule that cannot run', () => {
    const tree = new Map(bundle.jurisdictions.map((j) => [j.code, j.parent ?? null]));
    const rule = { fact: 'size.annualRevenueCny', op: 'gte', value: 1_000_000 };
    const doc = parseHtml(ruleView(en, ruleSamples(rule, tree)).value);
    assert.equal(textOf(doc, 'tr[data-sample="beijing-compute-user"] .outcome'), 'May apply');
    assert.match(textOf(doc, 'tr[data-sample="beijing-compute-user"] td:last-child'), /Annual revenue/);
    assert.equal(textOf(doc, 'tr[data-sample="shanghai-ai-startup"] .outcome'), 'Applies');
    const bad = parseHtml(
      ruleView(en, ruleSamples({ all: [{ fact: 'size.colour', op: 'eq', value: 1 }] }, tree)).value,
    );
    assert.ok(!has(bad, 'table'));
    assert.match(text(one(bad, '.rule-issues')), /all\[0\]/);
  });
});

describe('field-level diff', () => {
  it('names every added, removed and changed path, and compares Markdown word by word', () => {
    const before = { id: 'x', title: { en: 'Old', zh: '旧' }, events: [{ type: 'adopted', date: '2024' }] };
    const after = {
      id: 'x',
      title: { en: 'New', zh: '旧' },
      events: [
        { type: 'adopted', date: '2024' },
        { type: 'effective', date: '2025-01-01' },
      ],
      notes: { en: 'n' },
    };
    assert.deepEqual(fieldChanges(before, after), [
      { path: 'title.en', change: 'changed', before: 'Old', after: 'New' },
      { path: 'events.1', change: 'added', after: { type: 'effective', date: '2025-01-01' } },
      { path: 'notes', change: 'added', after: { en: 'n' } },
    ]);
    const body = diffRevisions('## One\n\nThe old <b>words</b>.\n', '## One\n\nThe new <b>words</b>.\n', 'en');
    const doc = parseHtml(
      entityDiff(en, {
        kind: 'revision',
        id: 'a/2026-01-01/en',
        change: 'added',
        conflict: true,
        fields: fieldChanges({ accurate_up_to: '2025-01-01' }, { accurate_up_to: '2026-01-01' }),
        body,
        comparedWith: 'a/2025-01-01/en',
      }).value,
    );
    assert.equal(attrOf(doc, 'tr.field-change', 'data-path'), 'accurate_up_to');
    assert.match(textOf(doc, '.entity-body-diff del'), /old/);
    assert.match(textOf(doc, '.entity-body-diff ins'), /new/);
    assert.ok(!has(doc, 'b'), 'Markdown source is shown as text');
    assert.ok(has(doc, '.notice-conflict[role=alert]'));
  });
});
