// The guide's building blocks: escaping template, Markdown to safe sections, JSON-LD embedding, parameters, timeline.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HorizonError } from '../../src/errors.ts';
import type { LifecycleEvent, Taxonomy } from '../../src/domain/types.ts';
import { Labels } from '../../src/guide/components.ts';
import { makeContext } from '../../src/guide/context.ts';
import { asOfQueryParam, dayParam, langParam } from '../../src/http/params.ts';
import { html, join, raw } from '../../src/domain/html.ts';
import { jsonLdScript, legalForceStatus } from '../../src/guide/jsonld.ts';
import { instrumentIds, renderSections } from '../../src/guide/markdown.ts';
import { orderEvents, timeline } from '../../src/guide/timeline.ts';

/** Markup without the whitespace between tags (prettier may lay templates out over several lines). */
const tight = (markup: { value: string }) => markup.value.replace(/>\s+/g, '>').replace(/\s+</g, '<');

const link = (id: string) => ({
  href: `/instruments/${id}?as_of=2022-10-01`,
  title: `Title of ${id}`,
  after: '<span class="badge badge-in_force">In force</span>',
});

describe('html template', () => {
  it('escapes interpolated text, keeps safe markup, flattens lists and drops nullish values', () => {
    const evil = `<script>alert("x")</script>&'`;
    assert.equal(
      html`<p title="${evil}">${evil}</p>`.value,
      '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;</p>',
    );
    assert.equal(html`<b>${raw('<i>ok</i>')}</b>`.value, '<b><i>ok</i></b>');
    assert.equal(
      tight(
        html`<ul>
          ${['a', html`<li>b</li>`, null, undefined, false]}
        </ul>`,
      ),
      '<ul>a<li>b</li></ul>',
    );
    assert.equal(html`${0}`.value, '0');
    assert.equal(join(['a', '<b>', ''], html`, `).value, 'a, &lt;b&gt;');
  });
});

describe('article Markdown', () => {
  const body = [
    'Intro with [a link](https://example.org/x) and ![img](https://evil.example/i.png).',
    '',
    '## Latest developments',
    '',
    'The [Guidance](instrument:cn-most-2022-scene-innovation-guidance) <script>alert(1)</script> and [bad](javascript:alert(1)).',
    '',
    '## How could it be relevant for you?',
    '',
    '- item with [Shenzhen](instrument:cn-gd-shenzhen-ai-industry-regulations "own title")',
    '',
    '## Latest developments',
  ].join('\n');

  it('finds the linked instruments once each, in order', () => {
    assert.deepEqual(instrumentIds(body), [
      'cn-most-2022-scene-innovation-guidance',
      'cn-gd-shenzhen-ai-industry-regulations',
    ]);
  });

  it('renders sections per ## heading with unique ids, rewrites instrument: links, and sanitizes', () => {
    const sections = renderSections(body, link);
    assert.deepEqual(
      sections.map((s) => [s.id, s.title]),
      [
        [null, null],
        ['latest-developments', 'Latest developments'],
        ['how-could-it-be-relevant-for-you', 'How could it be relevant for you?'],
        ['latest-developments-2', 'Latest developments'],
      ],
    );
    const all = sections.map((s) => s.html).join('\n');
    assert.ok(!all.includes('instrument:'));
    assert.ok(!all.includes('<script'), 'raw HTML is text, never markup');
    assert.ok(all.includes('&lt;script&gt;'));
    assert.ok(!all.includes('href="javascript:'));
    assert.ok(!all.includes('<img'), 'no images from anywhere');
    assert.match(all, /<a href="https:\/\/example.org\/x" rel="noopener noreferrer" class="external">a link<\/a>/);
    assert.match(
      sections[1]?.html ?? '',
      /<a href="\/instruments\/cn-most-2022-scene-innovation-guidance\?as_of=2022-10-01" class="instrument-link" title="Title of cn-most-2022-scene-innovation-guidance">Guidance<\/a> <span class="badge badge-in_force">In force<\/span>/,
    );
    assert.match(sections[2]?.html ?? '', /title="own title"/, "an author's title is kept");
    assert.match(sections[1]?.html ?? '', /^<h2 id="latest-developments">Latest developments<\/h2>/);
  });

  it('keeps Chinese headings as ids', () => {
    const [s] = renderSections('## 最新进展\n\n文字', link);
    assert.equal(s?.id, '最新进展');
  });
});

describe('JSON-LD', () => {
  it('escapes < so that the script cannot be closed early', () => {
    const out = jsonLdScript({ name: '</script><script>alert(1)</script>' }).value;
    assert.equal((out.match(/<\/script>/g) ?? []).length, 1);
    const json = out.replace(/^<script type="application\/ld\+json">/, '').replace(/<\/script>$/, '');
    assert.deepEqual(JSON.parse(json), { name: '</script><script>alert(1)</script>' });
  });
  it('maps status to schema.org legal force', () => {
    assert.equal(legalForceStatus('in_force'), 'https://schema.org/InForce');
    assert.equal(legalForceStatus('adopted'), 'https://schema.org/NotInForce');
    assert.equal(legalForceStatus(null), 'https://schema.org/NotInForce');
  });
});

describe('page parameters', () => {
  const problem = (fn: () => unknown) => {
    try {
      fn();
    } catch (error) {
      assert.ok(error instanceof HorizonError);
      assert.equal(error.status, 400);
      return error.problems[0]?.where;
    }
    assert.fail('expected an error');
  };
  it('accepts real days and the two languages, refusing the rest with the parameter named', () => {
    assert.equal(asOfQueryParam({ as_of: '2024-02-29' }), '2024-02-29');
    assert.equal(asOfQueryParam({}), undefined);
    assert.equal(
      problem(() => asOfQueryParam({ as_of: '2024-13-01' })),
      'as_of',
    );
    assert.equal(
      problem(() => asOfQueryParam({ as_of: '2023-02-29' })),
      'as_of',
    );
    assert.equal(
      problem(() => asOfQueryParam({ as_of: ['2024-01-01', '2024-01-02'] })),
      'as_of',
    );
    assert.equal(langParam({}), 'en');
    assert.equal(langParam({ lang: 'zh' }), 'zh');
    assert.equal(
      problem(() => langParam({ lang: 'de' })),
      'lang',
    );
    assert.equal(
      problem(() => dayParam({ revision: 'latest' }, 'revision')),
      'revision',
    );
  });
  it('links keep as_of when it was given and lang when it is not English', () => {
    const ctx = makeContext({
      lang: 'zh',
      asOf: '2022-10-01',
      path: '/x',
      pageParams: { revision: '2023-11-27' },
      now: '2026-11-29',
    });
    assert.equal(ctx.href('/instruments/a'), '/instruments/a?as_of=2022-10-01&lang=zh');
    assert.equal(ctx.langSwitchHref(), '/x?revision=2023-11-27&as_of=2022-10-01');
    const today = makeContext({ lang: 'en', asOf: undefined, path: '/', now: '2026-11-29' });
    assert.equal(today.asOf, '2026-11-29');
    assert.equal(today.href('/chapters/c'), '/chapters/c');
    assert.equal(today.date('2022-09'), 'September 2022');
  });
});

describe('timeline', () => {
  const taxonomy = {
    topics: [],
    scenario_categories: [],
    demonstration_scenarios: [],
    supply_elements: [],
    governance_aspects: [],
    instrument_kinds: [],
    event_types: [{ code: 'effective', label: { en: 'Takes effect', zh: '施行' } }],
    statuses: [],
  } as Taxonomy;
  const events: LifecycleEvent[] = [
    { type: 'effective', date: '2022-11-01' },
    { type: 'repealed', date: null },
    { type: 'published', date: '2022-09', approximate: true },
    {
      type: 'announced',
      claims: [
        { date: '2022-09-06', sources: [{ source: 's2' }] },
        { date: '2022-09-05', preferred: true, sources: [{ source: 's1' }] },
      ],
    },
  ];

  it('orders events by date, unknown dates last', () => {
    assert.deepEqual(
      orderEvents(events).map((p) => p.event.type),
      ['published', 'announced', 'effective', 'repealed'],
    );
  });

  it('marks the as-of date between past and future events, dims the future, shows disputes and precision', () => {
    const ctx = makeContext({ lang: 'en', asOf: '2022-10-01', path: '/' });
    const out = timeline(
      ctx,
      events,
      new Labels(taxonomy, 'en'),
      new Map([['s1', { id: 's1', kind: 'official', title: 'One', url: 'https://one.example/' }]]),
    ).value;
    const order = [...out.matchAll(/<li class="(tl-[^"]+)"/g)].map((m) => m[1]);
    assert.deepEqual(order, [
      'tl-event tl-past',
      'tl-event tl-past tl-disputed',
      'tl-asof',
      'tl-event tl-future',
      'tl-event tl-unknown',
    ]);
    assert.ok(out.includes('Takes effect'));
    assert.ok(out.includes('after the as-of date'));
    assert.ok(out.includes('(month only)'));
    assert.ok(out.includes('approximate'));
    assert.ok(out.includes('date unknown'));
    assert.ok(out.includes('Date disputed'));
    assert.match(out, /<a\s+href="https:\/\/one\.example\/"\s+rel="noopener noreferrer"\s*>One<\/a\s*>/);
    assert.ok(out.includes('6 September 2022'));
  });
});
