// The guide's search: the box in every page's header and the /search page, over HTTP, without scripts.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { databaseKinds } from '../support/databases.ts';
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
    return { status: res.status, body: await res.text(), csp: res.headers.get('content-security-policy') ?? '' };
  };

  it('puts a search box (GET /search) in the header of every page, keeping language and date', async () => {
    for (const path of ['/', '/jurisdictions', '/instruments/cn-gd-shenzhen-ai-industry-regulations']) {
      const r = await page(path);
      assert.match(r.body, /<form class="site-search" role="search" method="get" action="\/search"/, path);
      assert.match(r.body, /<input\s+type="search"\s+id="site-search-q"\s+name="q"/, path);
    }
    const zh = await page('/?lang=zh&as_of=2023-01-01');
    assert.match(zh.body, /<input type="hidden" name="lang" value="zh" \/>/);
    assert.match(zh.body, /<input type="hidden" name="as_of" value="2023-01-01" \/>/);
  });

  it('shows ranked results with highlighted snippets and facet checkboxes, with no script', async () => {
    const r = await page(`/search?q=${encodeURIComponent('深圳')}`);
    assert.equal(r.status, 200);
    assert.match(r.csp, /default-src 'none'/);
    assert.doesNotMatch(r.body, /<script/);
    assert.match(r.body, /href="\/instruments\/cn-gd-shenzhen-ai-industry-regulations"/);
    assert.match(r.body, /<p class="snippet" lang="zh-Hans">[^<]*<mark>深圳<\/mark>/);
    assert.match(r.body, /<input type="checkbox" name="type" value="programme"/);
    assert.match(r.body, /<input type="checkbox" name="jurisdiction" value="cn-gd-shenzhen"/);
    assert.match(r.body, /<input type="checkbox" name="status" value="in_force"/);
    assert.match(r.body, /\d+ results/);
  });

  it('filters by the checked facets and keeps them across the language switch', async () => {
    const r = await page(`/search?q=${encodeURIComponent('深圳')}&type=programme&lang=zh`);
    assert.equal(r.status, 200);
    assert.match(r.body, /<input type="checkbox" name="type" value="programme" checked/);
    assert.doesNotMatch(r.body, /search-hit-instrument/);
    assert.match(r.body, /search-hit-programme/);
    assert.match(r.body, /<html lang="zh-Hans">/);
    assert.match(r.body, /hreflang="en"[^>]*>|href="\/search\?q=%E6%B7%B1%E5%9C%B3&amp;type=programme"/);
  });

  it('shows the empty form without a query, and a clear 400 page for a bad one', async () => {
    const empty = await page('/search');
    assert.equal(empty.status, 200);
    assert.match(empty.body, /<input type="search" id="search-q" name="q" value=""/);
    const long = await page(`/search?q=${'x'.repeat(10_000)}`);
    assert.equal(long.status, 400);
    assert.match(long.body, /q: is 10000 characters long/);
    const punctuation = await page(`/search?q=${encodeURIComponent('?!')}`);
    assert.equal(punctuation.status, 400);
    assert.match(punctuation.body, /no words to search for/);
    const nothing = await page('/search?q=zzzzqqq');
    assert.equal(nothing.status, 200);
    assert.match(nothing.body, /Nothing matches these words/);
  });
});
