// The revisions and compare pages over HTTP: the real app on a loopback port with the shipped content.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  all,
  attrs,
  bare,
  exactly,
  has,
  htmlAttrs,
  isText,
  parseHtml,
  text,
  withAttrs,
  type Root,
} from '../support/html.ts';
import { startServer, type TestServer } from './server.ts';

const ARTICLE = 'ai-initiatives-in-china';
const FIRST = '2023-11-27';
const LATEST = '2026-11-29';

function hrefs(root: Root): string[] {
  return all(root, 'a[href]').map((a) => a.getAttribute('href') ?? '');
}

/**
 * The texts of the `<tag><span class="visually-hidden">label</span>text…</tag>` marks (no attributes on tag, the label
 * first, then a run of text): what each says after its label.
 */
function marks(root: Root, tag: 'ins' | 'del', label: string): { text: string; whole: boolean }[] {
  return withAttrs(root, tag, {}, { only: true }).flatMap((mark) => {
    const [first, second] = Array.from(mark.childNodes);
    const span = first?.nodeType === 1 ? (first as Element) : undefined;
    if (span?.localName !== 'span' || !isText(span, label)) return [];
    if (JSON.stringify(attrs(span)) !== JSON.stringify({ class: 'visually-hidden' })) return [];
    if (second?.nodeType !== 3) return [];
    return [{ text: second.nodeValue ?? '', whole: mark.childNodes.length === 2 }];
  });
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
      doc: parseHtml(await res.text()),
    };
  };
  const page = async (path: string): Promise<Document> => {
    const p = await get(path);
    assert.equal(p.status, 200, `${path} → ${p.status}: ${text(p.doc).slice(0, 300)}`);
    assert.match(p.type, /^text\/html/);
    assert.ok(!has(p.doc, 'script'), 'no scripts');
    return p.doc;
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
    exactly(body, 'form', { class: 'compare-form', method: 'get', action: `/articles/${ARTICLE}/compare` });
    assert.ok(bare(body, 'label', { for: 'compare-from' }, 'Older revision'), 'the label of the older revision');
    exactly(body, 'select', { id: 'compare-from', name: 'from' });
    exactly(body, 'option', { value: FIRST, selected: '' });
    exactly(body, 'input', { type: 'hidden', name: 'as_of', value: '2024-05-01' });
  });

  it('the compare page shows changed sections with <ins> and <del>, a summary line and status labels', async () => {
    const body = await page(`/articles/${ARTICLE}/compare?from=${FIRST}&to=${LATEST}`);
    assert.ok(
      marks(body, 'ins', 'added: ').some((m) => m.whole && m.text !== ''),
      'an insertion',
    );
    assert.ok(
      marks(body, 'del', 'removed: ').some((m) => m.whole && m.text !== ''),
      'a deletion',
    );
    const seen = text(body);
    assert.ok(
      seen.includes(
        'From the revision accurate up to 27 November 2023 to the revision accurate up to 29 November 2026',
      ),
      'the two revisions compared',
    );
    assert.match(seen, /Sections: 0 added, 0 removed, 5 changed\. Words: \d+ added, \d+ removed\./);
    assert.equal(
      withAttrs(body, 'span', { class: 'diff-status diff-status-changed' }, { only: true }).filter((e) =>
        isText(e, 'Changed'),
      ).length,
      5,
    );
    const heading = exactly(body, 'h2', { id: 'diff-0' }).firstChild;
    assert.ok(heading?.nodeType === 1, '<h2 id="diff-0"> opens with its heading');
    assert.deepEqual(attrs(heading as Element), { class: 'diff-heading' });
    assert.ok((heading as Element).localName === 'span' && isText(heading as Element, 'Latest developments'));
    // "Points to watch" is new in the 2026 "Next steps".
    assert.ok(
      marks(body, 'ins', 'added: ').some((m) => m.text.includes('Points to watch')),
      'Points to watch is added',
    );
    // Markdown stays text: the page escapes it, links are not followed.
    assert.ok(!hrefs(body).some((h) => h.startsWith('instrument:')));
  });

  it('the compare page in Chinese diffs the Chinese texts word by word', async () => {
    const body = await page(`/articles/${ARTICLE}/compare?from=${FIRST}&to=${LATEST}&lang=zh`);
    assert.deepEqual(htmlAttrs(body), { lang: 'zh-Hans' });
    assert.ok(
      marks(body, 'del', '删除： ').some((m) => m.whole && m.text === '科学技术部（科技部）会同'),
      'the deletion',
    );
    assert.ok(
      marks(body, 'ins', '新增： ').some((m) => m.whole && m.text === '科技部会同'),
      'the insertion',
    );
    // The 2026 Chinese text renames three headings of 2023 (与您有何关系？ → 对企业的影响, 下一步 → 后续动向,
    // 人工智能场景创新要素的供给 → 场景创新要素供给): added and removed; 重大人工智能场景的类别 → 四类重大场景 is matched
    // as the same section renamed.
    assert.match(text(body), /章节：新增3、删除3、修改2。/);
  });

  it('the same revision twice: unchanged sections folded into <details>, nothing inserted or deleted', async () => {
    const body = await page(`/articles/${ARTICLE}/compare?from=${LATEST}&to=${LATEST}`);
    assert.equal(withAttrs(body, 'details', { class: 'diff-section diff-unchanged' }, { only: true }).length, 5);
    assert.ok(!has(body, 'ins, del'), 'nothing inserted or deleted');
    assert.ok(text(body).includes('The two revisions are the same.'));
    assert.ok(text(body).includes('Sections: 0 added, 0 removed, 0 changed. Words: 0 added, 0 removed.'));
  });

  it('keeps from and to in the language switch', async () => {
    const body = await page(`/articles/${ARTICLE}/compare?from=${FIRST}&to=${LATEST}`);
    const switchHref = all(body, 'a[class="lang-switch"]')[0]?.getAttribute('href');
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
      assert.ok(text(p.doc).includes('Not found'), path);
    }
    const bad = await get(`/articles/${ARTICLE}/compare?from=2023-02-30`);
    assert.equal(bad.status, 400);
    assert.ok(text(bad.doc).includes('Parameter from'));
  });
});
