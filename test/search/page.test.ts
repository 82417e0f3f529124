// The guide's search: the box in every page's header and the /search page, over HTTP, without scripts.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { databaseKinds } from '../support/databases.ts';
import { exactly, has, htmlAttrs, parseHtml, text, withAttrs } from '../support/html.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

const [pglite] = await databaseKinds();

describe('search page', () => {
  let server: TestServer;
  before(async () => {
    if (!pglite) throw new Error('no database');
    server = await startTestServer(pglite);
  });
  after(() => server.close());

  const page = async (path: string) => {
    const res = await fetch(`${server.url}${path}`);
    const doc = parseHtml(await res.text());
    return { status: res.status, doc, csp: res.headers.get('content-security-policy') ?? '' };
  };

  it('puts a search box (GET /search) in the header of every page, keeping language and date', async () => {
    for (const path of ['/', '/jurisdictions', '/instruments/cn-gd-shenzhen-ai-industry-regulations']) {
      const r = await page(path);
      const [form] = withAttrs(r.doc, 'form', {
        class: 'site-search',
        role: 'search',
        method: 'get',
        action: '/search',
      });
      assert.ok(form, path);
      assert.equal(withAttrs(r.doc, 'input', { type: 'search', id: 'site-search-q', name: 'q' }).length, 1, path);
    }
    const zh = await page('/?lang=zh&as_of=2023-01-01');
    exactly(zh.doc, 'input', { type: 'hidden', name: 'lang', value: 'zh' });
    exactly(zh.doc, 'input', { type: 'hidden', name: 'as_of', value: '2023-01-01' });
  });

  it('shows ranked results with highlighted snippets and facet checkboxes, with no script', async () => {
    const r = await page(`/search?q=${encodeURIComponent('深圳')}`);
    assert.equal(r.status, 200);
    assert.match(r.csp, /default-src 'none'/);
    assert.ok(!has(r.doc, 'script'), 'no script');
    assert.ok(has(r.doc, '[href="/instruments/cn-gd-shenzhen-ai-industry-regulations"]'), 'the Shenzhen regulations');
    // <p class="snippet" lang="zh-Hans">text…<mark>深圳</mark>: the first element is the highlight, after text only.
    const snippets = withAttrs(r.doc, 'p', { class: 'snippet', lang: 'zh-Hans' }, { only: true });
    assert.ok(
      snippets.some((p) => {
        const mark = p.firstElementChild;
        const before = mark ? Array.from(p.childNodes).slice(0, Array.from(p.childNodes).indexOf(mark)) : [];
        return (
          mark?.localName === 'mark' &&
          mark.attributes.length === 0 &&
          mark.children.length === 0 &&
          mark.textContent === '深圳' &&
          before.every((n) => n.nodeType === 3)
        );
      }),
      'a snippet highlights 深圳',
    );
    for (const [name, value] of [
      ['type', 'programme'],
      ['jurisdiction', 'cn-gd-shenzhen'],
      ['status', 'in_force'],
    ] as const) {
      assert.ok(withAttrs(r.doc, 'input', { type: 'checkbox', name, value }).length > 0, `${name}=${value}`);
    }
    assert.match(text(r.doc), /\d+ results/);
  });

  it('filters by the checked facets and keeps them across the language switch', async () => {
    const r = await page(`/search?q=${encodeURIComponent('深圳')}&type=programme&lang=zh`);
    assert.equal(r.status, 200);
    assert.ok(
      withAttrs(r.doc, 'input', { type: 'checkbox', name: 'type', value: 'programme', checked: '' }).length > 0,
    );
    assert.ok(!has(r.doc, '[class*="search-hit-instrument"]'), 'no instrument hits');
    assert.ok(has(r.doc, '[class*="search-hit-programme"]'), 'programme hits');
    assert.deepEqual(htmlAttrs(r.doc), { lang: 'zh-Hans' });
    assert.ok(
      has(r.doc, '[hreflang="en"]') || has(r.doc, '[href="/search?q=%E6%B7%B1%E5%9C%B3&type=programme"]'),
      'the language switch keeps the facets',
    );
  });

  it('shows the empty form without a query, and a clear 400 page for a bad one', async () => {
    const empty = await page('/search');
    assert.equal(empty.status, 200);
    assert.equal(withAttrs(empty.doc, 'input', { type: 'search', id: 'search-q', name: 'q', value: '' }).length, 1);
    const long = await page(`/search?q=${'x'.repeat(10_000)}`);
    assert.equal(long.status, 400);
    assert.match(text(long.doc), /q: is 10000 characters long/);
    const punctuation = await page(`/search?q=${encodeURIComponent('?!')}`);
    assert.equal(punctuation.status, 400);
    assert.match(text(punctuation.doc), /no words to search for/);
    const nothing = await page('/search?q=zzzzqqq');
    assert.equal(nothing.status, 200);
    assert.match(text(nothing.doc), /Nothing matches these words/);
  });
});
