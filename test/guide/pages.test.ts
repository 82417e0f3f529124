// The guide website over HTTP: the real app on a loopback port with the shipped content, pages fetched as HTML.
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
  one,
  opensWith,
  parseHtml,
  text,
  textOf,
  withAttrs,
  type Root,
} from '../support/html.ts';
import { startServer, type TestServer } from './server.ts';

const ARTICLE = 'ai-initiatives-in-china';
const SHENZHEN = 'cn-gd-shenzhen-ai-industry-regulations';
const GAIGI = 'cn-cac-2023-global-ai-governance-initiative';

interface Page {
  readonly status: number;
  readonly type: string;
  readonly body: string;
  readonly doc: Document;
  readonly headers: Headers;
}

/** The <a> elements with their hrefs (decoded; '' when there is none). */
function anchors(root: Root): { href: string; a: Element }[] {
  return all(root, 'a').map((a) => ({ href: a.getAttribute('href') ?? '', a }));
}

/** Whether the element's href is this path, with or without a query. */
const hrefPath = (e: Element, path: string) => (e.getAttribute('href') ?? '').split('?')[0] === path;

/** Whether some link to href, holding only text, is followed (only white space between) by its status badge. */
function badgeAfter(root: Root, href: string, badgeClass: string, words: string): boolean {
  return all(root, 'a').some((a) => {
    if (a.getAttribute('href') !== href || a.children.length > 0) return false;
    let next = a.nextSibling;
    while (next && next.nodeType === 3 && (next.nodeValue ?? '').trim() === '') next = next.nextSibling;
    const badge = next === a.nextElementSibling ? a.nextElementSibling : null;
    return badge?.localName === 'span' && badge.getAttribute('class') === `badge ${badgeClass}` && isText(badge, words);
  });
}

function jsonLd(doc: Document): Record<string, unknown> {
  const script = exactly(doc, 'script', { type: 'application/ld+json' });
  const json = script.textContent ?? '';
  assert.ok(!json.includes('<'), 'JSON-LD escapes <');
  return JSON.parse(json) as Record<string, unknown>;
}

describe('guide pages', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  const get = async (path: string, init?: RequestInit): Promise<Page> => {
    const res = await fetch(`${server.url}${path}`, init);
    const body = await res.text();
    return {
      status: res.status,
      type: res.headers.get('content-type') ?? '',
      body,
      doc: parseHtml(body),
      headers: res.headers,
    };
  };
  const page = async (path: string): Promise<Document> => {
    const p = await get(path);
    assert.equal(p.status, 200, `${path} → ${p.status}: ${text(p.doc).slice(0, 300)}`);
    assert.match(p.type, /^text\/html/);
    return p.doc;
  };

  it('home lists the five chapters in order, with their articles, and the jurisdictions', async () => {
    const body = await page('/');
    assert.deepEqual(htmlAttrs(body), { lang: 'en' });
    // Each card opens with <h3><a href="/chapters/…">.
    const cards = withAttrs(body, 'li', { class: 'chapter-card' }, { only: true });
    const chapterOf = (card: Element) => {
      const h3 = card.firstElementChild;
      if (h3?.localName !== 'h3' || h3.attributes.length > 0 || !opensWith(h3)) return undefined;
      const a = h3.firstElementChild;
      if (!a || h3.firstChild !== a || a.localName !== 'a') return undefined;
      return /^\/chapters\/([^?]+)/.exec(a.getAttribute('href') ?? '')?.[1];
    };
    const chapters = cards.map(chapterOf);
    assert.deepEqual(chapters, [
      'data-as-a-key-digital-asset',
      'crypto-assets',
      'ai-as-a-digital-asset',
      'privacy-and-data-protection',
      'digital-identity-and-trust-services',
    ]);
    for (const title of [
      'Data as a key digital asset',
      'Crypto assets',
      'AI as a digital asset',
      'Privacy & Data Protection',
      'Digital Identity and Trust Services',
    ]) {
      assert.ok(text(body).includes(title), title);
    }
    const ai = cards.find((card) => chapterOf(card) === 'ai-as-a-digital-asset');
    assert.ok(ai && has(ai, `a[href="/articles/${ARTICLE}"]`), 'the AI chapter lists the China article');
    assert.ok(has(body, 'a[href="/jurisdictions/cn-gd-shenzhen"]'), 'jurisdictions are listed');
  });

  it('every page has the shared layout: lang, header navigation, the as-of statement and form, a language switch', async () => {
    const body = await page(`/instruments/${SHENZHEN}?as_of=2022-10-01`);
    assert.deepEqual(htmlAttrs(body), { lang: 'en' });
    exactly(body, 'header', { class: 'site-header' });
    exactly(body, 'nav', { class: 'site-nav', 'aria-label': 'Site' });
    assert.ok(bare(body, 'a', { href: '/api/openapi.json' }, 'API'), 'the API link');
    assert.equal(withAttrs(body, 'main', { id: 'main' }).length, 1);
    exactly(body, 'footer', { class: 'site-footer' });
    assert.ok(text(body).includes('Status as of 1 October 2022'));
    const [form] = withAttrs(body, 'form', {
      class: 'asof-form',
      method: 'get',
      action: '/instruments/cn-gd-shenzhen-ai-industry-regulations',
    });
    assert.ok(form, 'the as-of form');
    assert.ok(bare(form, 'label', { for: 'as-of' }, 'As of'), 'the as-of label');
    assert.equal(withAttrs(form, 'input', { type: 'date', id: 'as-of', name: 'as_of', value: '2022-10-01' }).length, 1);
    exactly(form, 'button', { type: 'submit' });
    const switchLink = anchors(body).find(({ a }) => a.classList.contains('lang-switch'));
    assert.equal(switchLink?.href, `/instruments/${SHENZHEN}?as_of=2022-10-01&lang=zh`);
  });

  it('the China AI article follows the seed page: breadcrumbs, sections, accuracy, revisions, further sections, chapters', async () => {
    const body = await page(`/articles/${ARTICLE}`);
    const crumbs = one(body, 'nav[class^="breadcrumbs"][aria-label="Breadcrumb"]');
    assert.deepEqual(Object.keys(attrs(crumbs)).sort(), ['aria-label', 'class']);
    assert.deepEqual(
      all(crumbs, 'li').map((li) => text(li)),
      ['AI as a digital asset', 'China (national)', 'AI initiatives in China'],
    );
    assert.ok(bare(body, 'h1', { id: 'article-title' }, 'AI initiatives in China'), 'the title');
    // Each <section class="article-section" aria-labelledby="x"> opens with its <h2 id="x">.
    const sections = withAttrs(body, 'section', { class: 'article-section' }).map((section) => {
      const label = section.getAttribute('aria-labelledby') ?? '';
      assert.equal(section.attributes.length, 2, 'class and aria-labelledby');
      const h2 = section.firstElementChild;
      assert.ok(h2?.localName === 'h2' && opensWith(h2), 'the section opens with <h2>');
      assert.deepEqual(attrs(h2), { id: label });
      assert.equal(h2.children.length, 0);
      return h2.textContent;
    });
    assert.deepEqual(sections, [
      'Latest developments',
      'Categories of major AI scenarios',
      'Supply of the elements of AI scenario innovation',
      'How could it be relevant for you?',
      'Next steps',
    ]);
    assert.ok(text(body).includes('Information is accurate up to 29 November 2026'));
    const earlier = anchors(body).find((a) => a.href === `/articles/${ARTICLE}?revision=2023-11-27`);
    assert.ok(earlier, 'links to the 27 November 2023 revision');
    assert.ok(text(body).includes('Earlier revision: accurate up to 27 November 2023'));
    assert.ok(text(body).includes('AI as a digital asset — Explore further sections'));
    assert.ok(text(body).includes('Explore other chapters in the guide'));
    assert.equal(all(exactly(body, 'ul', { class: 'chapter-links' }), 'a').length, 5, 'all five chapters');
  });

  it('rewrites every instrument: link to its page and shows its status as of the page date', async () => {
    for (const path of [
      `/articles/${ARTICLE}`,
      `/articles/${ARTICLE}?revision=2023-11-27`,
      `/articles/${ARTICLE}?lang=zh`,
    ]) {
      const r = await get(path);
      assert.equal(r.status, 200, path);
      assert.ok(!has(r.doc, '[href^="instrument:"]'), `${path}: no instrument: href left`);
      // Nowhere in the answer at all — text, attributes, comments.
      assert.ok(!r.body.includes('instrument:'), `${path}: no instrument: text left`);
      const links = anchors(r.doc).filter(({ a }) => a.classList.contains('instrument-link'));
      assert.ok(links.length >= 3, `${path}: instrument links`);
      for (const l of links) assert.match(l.href, /^\/instruments\/[a-z0-9-]+(\?|$)/);
    }
    const old = await page(`/articles/${ARTICLE}?revision=2023-11-27&as_of=2022-10-01`);
    assert.ok(
      badgeAfter(old, `/instruments/${SHENZHEN}?as_of=2022-10-01`, 'badge-adopted', 'Adopted, not yet in force'),
      'the Shenzhen link keeps as_of and carries its status as of that date',
    );
    assert.ok(
      badgeAfter(old, `/instruments/${GAIGI}?as_of=2022-10-01`, 'badge-not-yet', 'Not yet issued'),
      'an instrument that did not exist yet says so',
    );
  });

  it('an earlier revision says it is not the latest and links to the latest', async () => {
    const body = await page(`/articles/${ARTICLE}?revision=2023-11-27`);
    assert.ok(text(body).includes('Information is accurate up to 27 November 2023'));
    assert.ok(
      text(body).includes('You are reading an earlier revision of this article, accurate up to 27 November 2023'),
    );
    assert.ok(anchors(body).some((a) => a.href === `/articles/${ARTICLE}`));
    assert.ok(text(body).includes('Latest revision: accurate up to 29 November 2026'));
    assert.ok(
      has(one(body, 'form.asof-form'), 'input[type="hidden"][name="revision"][value="2023-11-27"]'),
      'the as-of form keeps the revision',
    );
    const missing = await get(`/articles/${ARTICLE}?revision=2020-01-01`);
    assert.equal(missing.status, 404);
    const bad = await get(`/articles/${ARTICLE}?revision=2023-02-30`);
    assert.equal(bad.status, 400);
    assert.ok(text(bad.doc).includes('revision'));
  });

  it('in Chinese the article uses the .zh revision and links keep lang and as_of', async () => {
    const body = await page(`/articles/${ARTICLE}?lang=zh&as_of=2023-12-01`);
    assert.deepEqual(htmlAttrs(body), { lang: 'zh-Hans' });
    assert.ok(text(body).includes('状态截至 2023年12月1日'));
    const internal = anchors(body).filter(
      (a) => a.href.startsWith('/') && !a.href.startsWith('/api/') && !a.href.startsWith('/static/'),
    );
    assert.ok(internal.length > 10);
    for (const a of internal) {
      if (a.a.classList.contains('lang-switch') || a.a.classList.contains('asof-reset')) continue;
      assert.ok(a.href.includes('as_of=2023-12-01') && a.href.includes('lang=zh'), `${a.href} keeps as_of and lang`);
    }
    assert.ok(has(body, 'input[type="hidden"][name="lang"][value="zh"]'));
  });

  it('Shenzhen regulations: adopted, not yet in force on 1 October 2022; in force on 1 November 2022', async () => {
    const before = await page(`/instruments/${SHENZHEN}?as_of=2022-10-01`);
    assert.ok(text(before).includes('Adopted, not yet in force'));
    assert.equal(textOf(before, '.status-words'), 'Adopted, not yet in force');
    assert.ok(textOf(before, '.status-next').includes('1 November 2022'));
    const future = exactly(before, 'li', { class: 'tl-event tl-future' });
    assert.ok(text(future).includes('Takes effect'), 'the effective date is after the as-of date');
    assert.ok(text(future).includes('after the as-of date'));
    assert.ok(has(before, 'li[class="tl-asof"]'), 'the as-of date is marked on the timeline');

    const after = await page(`/instruments/${SHENZHEN}?as_of=2022-11-01`);
    assert.equal(textOf(after, '.status-words'), 'In force');
    assert.ok(!text(after).includes('Adopted, not yet in force'));
    assert.ok(!has(after, '[class*="tl-future"]'), 'no event after 1 November 2022');
  });

  it('Shenzhen regulations: the disputed announcement date shows both dates and both sources', async () => {
    const body = await page(`/instruments/${SHENZHEN}?as_of=2022-11-01`);
    const block = exactly(body, 'div', { class: 'disputed' });
    assert.match(text(block), /disputed/i);
    assert.ok(text(block).includes('shown as 5 September 2022 (preferred)'));
    assert.ok(text(block).includes('5 September 2022'));
    assert.ok(text(block).includes('6 September 2022'));
    const api = (await (await fetch(`${server.url}/api/v1/instruments/${SHENZHEN}`)).json()) as {
      instrument: {
        events: {
          disputed: boolean;
          claims?: { date: string; sources: { url: string | null; title: string | null }[] }[];
        }[];
      };
    };
    const claims = api.instrument.events.find((e) => e.disputed)?.claims ?? [];
    assert.equal(claims.length, 2);
    for (const claim of claims) {
      for (const s of claim.sources) {
        assert.ok(
          s.url && all(block, '[href]').some((e) => e.getAttribute('href') === s.url),
          `claim ${claim.date} links ${s.url}`,
        );
      }
    }
    // Sources section: kind, title, link with rel, read-on date.
    const sources = exactly(body, 'ol', { class: 'sources' });
    assert.ok(has(sources, '[class~="kind-secondary"]'));
    assert.ok(text(sources).includes('read on 29 November 2026'));
    assert.ok(has(sources, 'a'), 'sources are linked');
    for (const { a } of anchors(sources)) assert.equal(a.getAttribute('rel'), 'noopener noreferrer');
    // Facts.
    assert.ok(text(body).includes('深圳经济特区人工智能产业促进条例'));
    assert.ok(text(body).includes('Announcement No. 64'));
    assert.ok(text(body).includes('Local regulation'));
    assert.ok(text(body).includes('Binding'));
    assert.ok(text(body).includes('AI industry promotion'));
    assert.ok(has(body, `a[href="/articles/${ARTICLE}?as_of=2022-11-01"]`), 'the citing article is linked');
  });

  it('Global AI Governance Initiative: not yet issued on 17 October 2023, issued on 18 October 2023', async () => {
    const before = await get(`/instruments/${GAIGI}?as_of=2023-10-17`);
    assert.equal(before.status, 200);
    assert.equal(textOf(before.doc, '.status-words'), 'Not yet issued as of 17 October 2023');
    const after = await page(`/instruments/${GAIGI}?as_of=2023-10-18`);
    assert.equal(textOf(after, '.status-words'), 'Issued');
    // <dt>Document number</dt><dd><em>unknown</em></dd>
    const number = all(after, 'dl.facts dt').find((dt) => text(dt) === 'Document number');
    const dd = number?.nextElementSibling;
    assert.ok(dd?.localName === 'dd', 'the document number is given');
    assert.equal(text(dd), 'unknown');
    // Relations in both directions.
    const relations = exactly(after, 'ul', { class: 'relations' });
    assert.ok(text(relations).includes('Followed by Global AI Governance Action Plan'));
    assert.ok(has(relations, 'a[href="/instruments/cn-2025-global-ai-governance-action-plan?as_of=2023-10-18"]'));
    const plan = await page('/instruments/cn-2025-global-ai-governance-action-plan');
    assert.ok(text(exactly(plan, 'ul', { class: 'relations' })).includes('Follows Global AI Governance Initiative'));
  });

  it('instrument pages carry schema.org Legislation JSON-LD', async () => {
    const before = jsonLd(await page(`/instruments/${SHENZHEN}?as_of=2022-10-01`));
    assert.equal(before['@context'], 'https://schema.org');
    assert.equal(before['@type'], 'Legislation');
    assert.equal(before.name, 'Shenzhen Special Economic Zone AI Industry Promotion Regulations');
    assert.equal(before.alternateName, '深圳经济特区人工智能产业促进条例');
    assert.equal(before.legislationIdentifier, 'Announcement No. 64');
    assert.equal(before.legislationType, 'Local regulation');
    assert.equal(before.legislationDate, '2022-08-30');
    assert.equal(before.datePublished, '2022-09-05');
    assert.equal(before.legislationLegalForce, 'https://schema.org/NotInForce');
    assert.equal(before.legislationJurisdiction, 'Shenzhen (Special Economic Zone)');
    assert.deepEqual(before.legislationPassedBy, [
      { '@type': 'Organization', name: "Standing Committee of the Shenzhen Municipal People's Congress" },
    ]);
    assert.equal(before.url, `${server.url}/instruments/${SHENZHEN}`);
    assert.equal(before.inLanguage, 'en');
    const after = jsonLd(await page(`/instruments/${SHENZHEN}?as_of=2022-11-01`));
    assert.equal(after.legislationLegalForce, 'https://schema.org/InForce');
    const gaigi = jsonLd(await page(`/instruments/${GAIGI}?as_of=2023-10-18`));
    assert.equal(gaigi.legislationIdentifier, undefined);
  });

  it('jurisdiction pages group instruments, descendants included, by status as of the date', async () => {
    const body = await page('/jurisdictions/cn-gd?as_of=2022-10-01');
    assert.ok(text(body).includes('Guangdong Province'));
    assert.ok(has(body, 'a[href="/jurisdictions/cn?as_of=2022-10-01"]'), 'parent');
    assert.ok(has(body, 'a[href="/jurisdictions/cn-gd-shenzhen?as_of=2022-10-01"]'), 'child');
    const adopted = one(body, 'section[class="status-group status-group-adopted"]');
    assert.ok(
      all(adopted, 'a').some((a) => hrefPath(a, `/instruments/${SHENZHEN}`)),
      'Shenzhen regulations under adopted',
    );
    const notYet = one(body, 'section[class="status-group status-group-not-yet"]');
    assert.ok(
      all(notYet, 'a').some((a) => hrefPath(a, '/instruments/cn-gd-shenzhen-2024-ai-pioneer-city-measures')),
      '2024 measures not yet issued',
    );
    assert.equal((await get('/jurisdictions/xx')).status, 404);
    assert.ok(has(await page('/jurisdictions'), 'a[href="/jurisdictions/cn-zj-hangzhou"]'));
  });

  it('chapter pages list their articles by jurisdiction; unknown chapters are 404 pages', async () => {
    const body = await page('/chapters/ai-as-a-digital-asset');
    assert.ok(has(body, `a[href="/articles/${ARTICLE}"]`));
    assert.ok(text(body).includes('China (national)'));
    const missing = await get('/chapters/nope');
    assert.equal(missing.status, 404);
    assert.match(missing.type, /^text\/html/);
  });

  it('a bad as_of, lang or revision is a 400 HTML page naming the parameter', async () => {
    for (const [path, name] of [
      ['/?as_of=2024-13-01', 'as_of'],
      [`/instruments/${SHENZHEN}?as_of=2024-13-01`, 'as_of'],
      [`/articles/${ARTICLE}?as_of=yesterday`, 'as_of'],
      ['/?lang=fr', 'lang'],
      ['/?as_of=2024-01-01&as_of=2024-01-02', 'as_of'],
    ] as const) {
      const r = await get(path);
      assert.equal(r.status, 400, path);
      assert.match(r.type, /^text\/html/, path);
      assert.deepEqual(htmlAttrs(r.doc), { lang: 'en' });
      assert.ok(bare(r.doc, 'code', {}, name), `${path} names ${name}`);
      assert.ok(text(r.doc).includes('A parameter is not valid'));
    }
  });

  it('an unknown instrument is a 404 HTML page', async () => {
    const r = await get('/instruments/no-such-instrument?lang=zh');
    assert.equal(r.status, 404);
    assert.match(r.type, /^text\/html/);
    assert.deepEqual(htmlAttrs(r.doc), { lang: 'zh-Hans' });
    assert.ok(text(r.doc).includes('no-such-instrument'));
    const article = await get('/articles/no-such-article');
    assert.equal(article.status, 404);
    assert.match(article.type, /^text\/html/);
  });

  it('a Chinese error page gives the server’s message in Chinese', async () => {
    const missing = await get('/instruments/no-such-instrument?lang=zh');
    assert.ok(text(missing.doc).includes('没有编号为“no-such-instrument”的文件'));
    assert.ok(!text(missing.doc).includes('No instrument with id'));
    const nowhere = await get('/no/such/page?lang=zh');
    assert.equal(nowhere.status, 404);
    assert.ok(text(nowhere.doc).includes('/no/such/page 处没有页面。'));
    const bad = await get('/?lang=zh&as_of=2024-02-30');
    assert.equal(bad.status, 400);
    assert.ok(text(bad.doc).includes('“2024-02-30”不是按 YYYY-MM-DD 书写的真实日期'));
    assert.ok(!text(bad.doc).includes('is not a real date'));
  });

  it('serves the stylesheet with caching headers', async () => {
    const home = await page('/');
    const href = one(home, 'link[rel="stylesheet"]').getAttribute('href') ?? '';
    assert.match(href, /^\/static\/guide\.css\?v=[0-9a-f]+$/);
    const css = await get(href);
    assert.equal(css.status, 200);
    assert.match(css.type, /^text\/css/);
    assert.match(css.headers.get('cache-control') ?? '', /max-age=31536000/);
    const etag = css.headers.get('etag') ?? '';
    assert.ok(etag);
    const again = await fetch(`${server.url}${href}`, { headers: { 'if-none-match': etag } });
    assert.equal(again.status, 304);
    assert.match((await get('/static/guide.css')).headers.get('cache-control') ?? '', /max-age=\d+/);
    assert.equal((await get('/static/nope.css')).status, 404);
  });

  it('no page loads anything from another host', async () => {
    const seen = new Set<string>();
    const queue = [
      '/',
      '/?lang=zh',
      `/articles/${ARTICLE}`,
      `/articles/${ARTICLE}?revision=2023-11-27&lang=zh`,
      '/jurisdictions/cn',
    ];
    const origin = new URL(server.url);
    while (queue.length > 0 && seen.size < 80) {
      const path = queue.shift() ?? '/';
      if (seen.has(path)) continue;
      seen.add(path);
      const r = await get(path);
      assert.equal(r.status, 200, path);
      const lang = htmlAttrs(r.doc);
      assert.ok(
        Object.keys(lang).length === 1 && (lang.lang === 'en' || lang.lang === 'zh-Hans'),
        `${path} has <html lang>`,
      );
      for (const e of all(r.doc, 'script, link, img, iframe, source, video, audio, embed, object')) {
        // src, href, srcset, data — and prefixed ones such as data-src or xlink:href.
        for (const attr of Array.from(e.attributes).filter((a) => /(^|\W)(src|href|srcset|data)$/i.test(a.name))) {
          const url = new URL(attr.value, server.url);
          assert.equal(
            url.host,
            origin.host,
            `${path}: <${e.localName} ${attr.name}="${attr.value}"> stays on this host`,
          );
        }
      }
      // Anywhere in the answer: <style>, style attributes and all.
      assert.ok(!/@import|url\(\s*["']?https?:/i.test(r.body), `${path}: no external CSS`);
      for (const a of anchors(r.doc)) {
        if (/^\/(articles|instruments|chapters|jurisdictions)\//.test(a.href) && !seen.has(a.href)) queue.push(a.href);
      }
    }
    assert.ok(seen.size > 20, `crawled ${seen.size} pages`);
    const css = await get('/static/guide.css');
    assert.ok(!/@import|url\(\s*["']?(https?:)?\/\//i.test(css.body), 'the stylesheet loads nothing');
    assert.ok(!/@font-face/.test(css.body), 'no web fonts');
  });

  it('guide pages are not listed in the OpenAPI description', async () => {
    const doc = (await (await fetch(`${server.url}/api/openapi.json`)).json()) as { paths: Record<string, unknown> };
    assert.ok(
      !Object.keys(doc.paths).some((p) => p.startsWith('/instruments') || p.startsWith('/articles') || p === '/'),
    );
  });
});
