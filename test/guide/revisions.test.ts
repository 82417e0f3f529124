// The revisions and compare pages over HTTP: the real app on a loopback port with the shipped content.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from './server.ts';

const ARTICLE = 'ai-initiatives-in-china';
const FIRST = '2023-11-27';
const LATEST = '2026-11-29';

/** What a reader sees: tags dropped, entities decoded, spaces collapsed. */
function text(markup: string): string {
  return markup
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/\s+/g, ' ');
}

function hrefs(markup: string): string[] {
  return [...markup.matchAll(/<a\b[^>]*\bhref="([^"]*)"/g)].map((m) => (m[1] ?? '').replace(/&amp;/g, '&'));
}

describe('revisions and compare pages', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  const get = async (path: string) => {
    const res = await fetch(`${server.url}${path}`);
    return {
      status: res.status,
      type: res.headers.get('content-type') ?? '',
      csp: res.headers,
      body: await res.text(),
    };
  };
  const page = async (path: string): Promise<string> => {
    const p = await get(path);
    assert.equal(p.status, 200, `${path} → ${p.status}: ${text(p.body).slice(0, 300)}`);
    assert.match(p.type, /^text\/html/);
    assert.ok(!/<script\b/i.test(p.body), 'no scripts');
    return p.body;
  };

  it('the article page links to its revisions and changes', async () => {
    const body = await page(`/articles/${ARTICLE}`);
    assert.ok(hrefs(body).includes(`/articles/${ARTICLE}/revisions`));
    assert.ok(text(body).includes('Revisions and changes'));
    const zh = await page(`/articles/${ARTICLE}?lang=zh`);
    assert.ok(hrefs(zh).includes(`/articles/${ARTICLE}/revisions?lang=zh`));
    assert.ok(text(zh).includes('版本与修改'));
  });

  it('the list links both revisions, the comparison with the previous one, and has a GET form to compare two', async () => {
    const body = await page(`/articles/${ARTICLE}/revisions?as_of=2024-05-01`);
    const links = hrefs(body);
    assert.ok(links.includes(`/articles/${ARTICLE}?revision=${LATEST}&as_of=2024-05-01`), links.join('\n'));
    assert.ok(links.includes(`/articles/${ARTICLE}?revision=${FIRST}&as_of=2024-05-01`));
    assert.ok(links.includes(`/articles/${ARTICLE}/compare?from=${FIRST}&to=${LATEST}&as_of=2024-05-01`));
    assert.ok(text(body).includes('Revision accurate up to 29 November 2026 (latest)'));
    assert.ok(text(body).includes('First edition'), 'change notes are shown');
    assert.match(body, new RegExp(`<form class="compare-form" method="get" action="/articles/${ARTICLE}/compare">`));
    assert.match(body, /<label for="compare-from">Older revision<\/label>/);
    assert.match(body, /<select id="compare-from" name="from">/);
    assert.match(body, new RegExp(`<option value="${FIRST}"\\s+selected>`));
    assert.match(body, /<input type="hidden" name="as_of" value="2024-05-01" \/>/);
  });

  it('the compare page shows changed sections with <ins> and <del>, a summary line and status labels', async () => {
    const body = await page(`/articles/${ARTICLE}/compare?from=${FIRST}&to=${LATEST}`);
    assert.match(body, /<ins><span class="visually-hidden">added: <\/span>[^<]+<\/ins>/);
    assert.match(body, /<del><span class="visually-hidden">removed: <\/span>[^<]+<\/del>/);
    const seen = text(body);
    assert.ok(
      seen.includes(
        'From the revision accurate up to 27 November 2023 to the revision accurate up to 29 November 2026',
      ),
      'the two revisions compared',
    );
    assert.match(seen, /Sections: 0 added, 0 removed, 5 changed\. Words: \d+ added, \d+ removed\./);
    assert.equal([...body.matchAll(/<span class="diff-status diff-status-changed">Changed<\/span>/g)].length, 5);
    assert.match(body, /<h2 id="diff-0"><span class="diff-heading"\s*>Latest developments<\/span>/);
    // "Points to watch" is new in the 2026 "Next steps".
    assert.match(body, /<ins><span class="visually-hidden">added: <\/span>[^<]*Points to watch/);
    // Markdown stays text: the page escapes it, links are not followed.
    assert.ok(!hrefs(body).some((h) => h.startsWith('instrument:')));
  });

  it('the compare page in Chinese diffs the Chinese texts word by word', async () => {
    const body = await page(`/articles/${ARTICLE}/compare?from=${FIRST}&to=${LATEST}&lang=zh`);
    assert.match(body, /<html lang="zh-Hans">/);
    assert.ok(body.includes('<del><span class="visually-hidden">删除： </span>科学技术部（科技部）会同</del>'));
    assert.ok(body.includes('<ins><span class="visually-hidden">新增： </span>科技部会同</ins>'));
    assert.match(text(body), /章节：新增0、删除0、修改5。/);
  });

  it('the same revision twice: unchanged sections folded into <details>, nothing inserted or deleted', async () => {
    const body = await page(`/articles/${ARTICLE}/compare?from=${LATEST}&to=${LATEST}`);
    assert.equal([...body.matchAll(/<details class="diff-section diff-unchanged">/g)].length, 5);
    assert.ok(!body.includes('<ins>') && !body.includes('<del>'));
    assert.ok(text(body).includes('The two revisions are the same.'));
    assert.ok(text(body).includes('Sections: 0 added, 0 removed, 0 changed. Words: 0 added, 0 removed.'));
  });

  it('keeps from and to in the language switch', async () => {
    const body = await page(`/articles/${ARTICLE}/compare?from=${FIRST}&to=${LATEST}`);
    const switchHref = /<a\s+class="lang-switch"\s+href="([^"]*)"/.exec(body)?.[1]?.replace(/&amp;/g, '&');
    assert.equal(switchHref, `/articles/${ARTICLE}/compare?from=${FIRST}&to=${LATEST}&lang=zh`);
  });

  it('answers a 404 page for an unknown article or revision, a 400 page for a bad date', async () => {
    for (const path of [
      '/articles/no-such-article/revisions',
      '/articles/no-such-article/compare',
      `/articles/${ARTICLE}/compare?from=2020-01-01&to=${LATEST}`,
    ]) {
      const p = await get(path);
      assert.equal(p.status, 404, path);
      assert.match(p.type, /^text\/html/);
      assert.ok(text(p.body).includes('Not found'), path);
    }
    const bad = await get(`/articles/${ARTICLE}/compare?from=2023-02-30`);
    assert.equal(bad.status, 400);
    assert.ok(text(bad.body).includes('Parameter from'));
  });
});
