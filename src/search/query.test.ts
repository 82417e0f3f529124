// Parsing queries and splitting words: pure functions, no database.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { QueryProblem, canRelax, parseQuery, spellCheckable, tsQueries, withCorrections } from './query.ts';
import { segment, vocabulary } from './segment.ts';
import { snippet } from './snippet.ts';

describe('segmenting words', () => {
  it('splits Chinese without spaces into words and drops punctuation', () => {
    assert.equal(segment('深圳经济特区人工智能产业促进条例。'), '深圳 经济 特区 人工 智能 产业 促进 条例');
    assert.equal(segment('Shenzhen AI条例，ＡＩ！'), 'shenzhen ai 条例 ai');
    assert.equal(segment('People’s Republic'), 'people s republic');
  });

  it('keeps Latin words of three letters or more for the spelling vocabulary', () => {
    assert.deepEqual(vocabulary('shenzhen ai 条例 rules rules 2022'), ['shenzhen', 'rules']);
  });
});

describe('parsing a query', () => {
  it('groups words typed together, keeps quoted phrases and exclusions', () => {
    const q = parseQuery('人工智能 "personal information" -crypto Shenzhen');
    assert.deepEqual(
      q.groups.map((g) => [g.words.map((w) => w.text).join('+'), g.quoted, g.negated]),
      [
        ['人工+智能', false, false],
        ['personal+information', true, false],
        ['crypto', false, true],
        ['shenzhen', false, false],
      ],
    );
    const ts = tsQueries(q);
    assert.equal(ts.match, "(('人工' & '智能') & ('personal' <-> 'information') & 'shenzhen' & !'crypto')");
    assert.equal(ts.phrase, "('人工' <-> '智能' <-> 'personal' <-> 'information' <-> 'shenzhen')");
    assert.equal(tsQueries(parseQuery('智慧港口')).match, "(('智慧' | '智能') & '港口')");
    assert.ok(canRelax(q));
    assert.equal(tsQueries(q, true).match, "(('人工' | '智能' | 'personal' | 'information' | 'shenzhen') & !'crypto')");
  });

  it('treats an unclosed quote as a phrase to the end', () => {
    const q = parseQuery('"deep synthesis');
    assert.equal(q.groups[0]?.quoted, true);
    assert.equal(q.groups[0]?.words.length, 2);
  });

  it('refuses empty, too long, punctuation-only and exclusion-only queries', () => {
    for (const bad of ['', '   ', 'x'.repeat(501), '?!。，', '-crypto']) {
      assert.throws(() => parseQuery(bad), QueryProblem, bad.slice(0, 10));
    }
  });

  it('adds corrected spellings as alternatives of the words they correct', () => {
    const q = withCorrections(parseQuery('Shenzen rules'), new Map([['shenzen', ['shenzhen']]]));
    assert.deepEqual(spellCheckable(q), ['shenzen', 'rules']);
    assert.equal(tsQueries(q).match, "(('shenzen' | 'shenzhen') & 'rules')");
  });
});

describe('snippets', () => {
  const shown = {
    en: { title: 'Shenzhen Regulations', summary: 'The first local regulation on AI, in force in Shenzhen.', body: '' },
    zh: { title: '深圳条例', summary: '我国首部人工智能产业专项地方性法规，在深圳施行。', body: '' },
  };

  it('marks the words in the language that matched, escaping the text', () => {
    const zh = snippet(shown, parseQuery('深圳'), 'en');
    assert.equal(zh.lang, 'zh');
    assert.match(zh.html, /在<mark>深圳<\/mark>施行/);
    const en = snippet(shown, parseQuery('regulations'), 'zh');
    assert.equal(en.lang, 'en');
    assert.match(en.html, /<mark>regulation<\/mark>/);
    const escaped = snippet({ ...shown, en: { ...shown.en, summary: 'AI <b> & regulation' } }, parseQuery('AI'), 'en');
    assert.equal(escaped.html, '<mark>AI</mark> &lt;b&gt; &amp; regulation');
  });
});
