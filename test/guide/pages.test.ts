// The guide website over HTTP: the real app on a loopback port with the shipped content, pages fetched as HTML.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from './server.ts';

const ARTICLE = 'ai-initiatives-in-china';
const SHENZHEN = 'cn-gd-shenzhen-ai-industry-regulations';
const GAIGI = 'cn-cac-2023-global-ai-governance-initiative';

interface Page {
  readonly status: number;
  readonly type: string;
  readonly body: string;
  readonly headers: Headers;
}

/** Text of the page without tags and with entities decoded, spaces collapsed (what a reader sees). */
function text(markup: string): string {
  return markup
    .replace(/<script[\s\S]*?<\/script>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/\s+/g, ' ');
}

/** The text of the first element with the given class. */
function byClass(markup: string, cls: string): string {
  const m = new RegExp(`<(\\w+)[^>]*class="[^"]*\\b${cls}\\b[^"]*"[^>]*>([\\s\\S]*?)</\\1>`).exec(markup);
  return m ? text(m[2] ?? '').trim() : '';
}

/** Every href of <a> elements, entities decoded. */
function anchors(markup: string): { href: string; attrs: string }[] {
  return [...markup.matchAll(/<a\b([^>]*)>/g)].map((m) => {
    const attrs = m[1] ?? '';
    const href = (/\bhref="([^"]*)"/.exec(attrs)?.[1] ?? '').replace(/&amp;/g, '&');
    return { href, attrs };
  });
}

function jsonLd(markup: string): Record<string, unknown> {
  const m = /<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(markup);
  assert.ok(m, 'the page has a JSON-LD script');
  assert.ok(!(m[1] ?? '').includes('<'), 'JSON-LD escapes <');
  return JSON.parse(m[1] ?? '') as Record<string, unknown>;
}

describe('guide pages', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  const get = async (path: string, init?: RequestInit): Promise<Page> => {
    const res = await fetch(`${server.url}${path}`, init);
    return {
      status: res.status,
      type: res.headers.get('content-type') ?? '',
      body: await res.text(),
      headers: res.headers,
    };
  };
  const page = async (path: string): Promise<string> => {
    const p = await get(path);
    assert.equal(p.status, 200, `${path} → ${p.status}: ${text(p.body).slice(0, 300)}`);
    assert.match(p.type, /^text\/html/);
    return p.body;
  };

  it('home lists the five chapters in order, with their articles, and the jurisdictions', async () => {
    const body = await page('/');
    assert.match(body, /<html lang="en">/);
    const chapters = [...body.matchAll(/<li class="chapter-card">\s*<h3><a href="\/chapters\/([^"?]+)"/g)].map(
      (m) => m[1],
    );
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
    assert.ok(body.includes(`href="/articles/${ARTICLE}"`), 'the AI chapter lists the China article');
    assert.ok(body.includes('href="/jurisdictions/cn-gd-shenzhen"'), 'jurisdictions are listed');
  });

  it('every page has the shared layout: lang, header navigation, the as-of statement and form, a language switch', async () => {
    const body = await page(`/instruments/${SHENZHEN}?as_of=2022-10-01`);
    assert.match(body, /<html lang="en">/);
    assert.match(body, /<header class="site-header">/);
    assert.match(body, /<nav class="site-nav" aria-label="Site">/);
    assert.match(body, /<a href="\/api\/openapi.json">API<\/a>/);
    assert.match(body, /<main id="main"/);
    assert.match(body, /<footer class="site-footer">/);
    assert.ok(text(body).includes('Status as of 1 October 2022'));
    assert.match(
      body,
      /<form class="asof-form" method="get" action="\/instruments\/cn-gd-shenzhen-ai-industry-regulations"/,
    );
    assert.match(body, /<label for="as-of">As of<\/label>/);
    assert.match(body, /<input type="date" id="as-of" name="as_of" value="2022-10-01"/);
    assert.match(body, /<button type="submit">/);
    const switchLink = anchors(body).find((a) => a.attrs.includes('lang-switch'));
    assert.equal(switchLink?.href, `/instruments/${SHENZHEN}?as_of=2022-10-01&lang=zh`);
  });

  it('the China AI article follows the seed page: breadcrumbs, sections, accuracy, revisions, further sections, chapters', async () => {
    const body = await page(`/articles/${ARTICLE}`);
    const crumbs = /<nav class="breadcrumbs[^"]*" aria-label="Breadcrumb">([\s\S]*?)<\/nav>/.exec(body)?.[1] ?? '';
    assert.equal(
      text(crumbs).trim(),
      'AI as a digital asset › China (national) › AI initiatives in China'.replace(/ › /g, ' '),
    );
    assert.match(body, /<h1 id="article-title">AI initiatives in China<\/h1>/);
    const sections = [
      ...body.matchAll(/<section class="article-section" aria-labelledby="([^"]+)">\s*<h2 id="\1">([^<]+)<\/h2>/g),
    ].map((m) => m[2]);
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
    const chapterLinks = /<ul class="chapter-links">([\s\S]*?)<\/ul>/.exec(body)?.[1] ?? '';
    assert.equal([...chapterLinks.matchAll(/<a /g)].length, 5, 'all five chapters');
  });

  it('rewrites every instrument: link to its page and shows its status as of the page date', async () => {
    for (const path of [
      `/articles/${ARTICLE}`,
      `/articles/${ARTICLE}?revision=2023-11-27`,
      `/articles/${ARTICLE}?lang=zh`,
    ]) {
      const body = await page(path);
      assert.ok(!/href="instrument:/.test(body), `${path}: no instrument: href left`);
      assert.ok(!body.includes('instrument:'), `${path}: no instrument: text left`);
      const links = anchors(body).filter((a) => a.attrs.includes('instrument-link'));
      assert.ok(links.length >= 3, `${path}: instrument links`);
      for (const l of links) assert.match(l.href, /^\/instruments\/[a-z0-9-]+(\?|$)/);
    }
    const old = await page(`/articles/${ARTICLE}?revision=2023-11-27&as_of=2022-10-01`);
    const shenzhen = new RegExp(
      `href="/instruments/${SHENZHEN}\\?as_of=2022-10-01"[^>]*>[^<]*</a>\\s*<span class="badge badge-adopted"[^>]*>Adopted, not yet in force</span>`,
    );
    assert.match(old, shenzhen, 'the Shenzhen link keeps as_of and carries its status as of that date');
    const gaigi = new RegExp(
      `href="/instruments/${GAIGI}\\?as_of=2022-10-01"[^>]*>[^<]*</a>\\s*<span class="badge badge-not-yet"[^>]*>Not yet issued</span>`,
    );
    assert.match(old, gaigi, 'an instrument that did not exist yet says so');
  });

  it('an earlier revision says it is not the latest and links to the latest', async () => {
    const body = await page(`/articles/${ARTICLE}?revision=2023-11-27`);
    assert.ok(text(body).includes('Information is accurate up to 27 November 2023'));
    assert.ok(
      text(body).includes('You are reading an earlier revision of this article, accurate up to 27 November 2023'),
    );
    assert.ok(anchors(body).some((a) => a.href === `/articles/${ARTICLE}` && a.attrs.length > 0));
    assert.ok(text(body).includes('Latest revision: accurate up to 29 November 2026'));
    assert.match(body, /<input type="hidden" name="revision" value="2023-11-27"/, 'the as-of form keeps the revision');
    const missing = await get(`/articles/${ARTICLE}?revision=2020-01-01`);
    assert.equal(missing.status, 404);
    const bad = await get(`/articles/${ARTICLE}?revision=2023-02-30`);
    assert.equal(bad.status, 400);
    assert.ok(text(bad.body).includes('revision'));
  });

  it('in Chinese the article uses the .zh revision and links keep lang and as_of', async () => {
    const body = await page(`/articles/${ARTICLE}?lang=zh&as_of=2023-12-01`);
    assert.match(body, /<html lang="zh-Hans">/);
    assert.ok(text(body).includes('状态截至 2023年12月1日'));
    const internal = anchors(body).filter(
      (a) => a.href.startsWith('/') && !a.href.startsWith('/api/') && !a.href.startsWith('/static/'),
    );
    assert.ok(internal.length > 10);
    for (const a of internal) {
      if (a.attrs.includes('lang-switch') || a.attrs.includes('asof-reset')) continue;
      assert.ok(a.href.includes('as_of=2023-12-01') && a.href.includes('lang=zh'), `${a.href} keeps as_of and lang`);
    }
    assert.match(body, /<input type="hidden" name="lang" value="zh"/);
  });

  it('Shenzhen regulations: adopted, not yet in force on 1 October 2022; in force on 1 November 2022', async () => {
    const before = await page(`/instruments/${SHENZHEN}?as_of=2022-10-01`);
    assert.ok(text(before).includes('Adopted, not yet in force'));
    assert.equal(byClass(before, 'status-words'), 'Adopted, not yet in force');
    assert.ok(byClass(before, 'status-next').includes('1 November 2022'));
    const future = /<li class="tl-event tl-future">([\s\S]*?)<\/li>/.exec(before)?.[1] ?? '';
    assert.ok(text(future).includes('Takes effect'), 'the effective date is after the as-of date');
    assert.ok(text(future).includes('after the as-of date'));
    assert.match(before, /<li class="tl-asof"/, 'the as-of date is marked on the timeline');

    const after = await page(`/instruments/${SHENZHEN}?as_of=2022-11-01`);
    assert.equal(byClass(after, 'status-words'), 'In force');
    assert.ok(!text(after).includes('Adopted, not yet in force'));
    assert.ok(!after.includes('tl-future'), 'no event after 1 November 2022');
  });

  it('Shenzhen regulations: the disputed announcement date shows both dates and both sources', async () => {
    const body = await page(`/instruments/${SHENZHEN}?as_of=2022-11-01`);
    const block = /<div class="disputed">([\s\S]*?)<\/div>/.exec(body)?.[1] ?? '';
    assert.ok(block, 'a disputed block');
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
          s.url && block.includes(`href="${s.url.replace(/&/g, '&amp;')}"`),
          `claim ${claim.date} links ${s.url}`,
        );
      }
    }
    // Sources section: kind, title, link with rel, read-on date.
    const sources = /<ol class="sources">([\s\S]*?)<\/ol>/.exec(body)?.[1] ?? '';
    assert.ok(sources.includes('kind-secondary'));
    assert.ok(text(sources).includes('read on 29 November 2026'));
    for (const a of anchors(sources)) assert.match(a.attrs, /rel="noopener noreferrer"/);
    // Facts.
    assert.ok(text(body).includes('深圳经济特区人工智能产业促进条例'));
    assert.ok(text(body).includes('Announcement No. 64'));
    assert.ok(text(body).includes('Local regulation'));
    assert.ok(text(body).includes('Binding'));
    assert.ok(text(body).includes('AI industry promotion'));
    assert.ok(body.includes(`href="/articles/${ARTICLE}?as_of=2022-11-01"`), 'the citing article is linked');
  });

  it('Global AI Governance Initiative: not yet issued on 17 October 2023, issued on 18 October 2023', async () => {
    const before = await get(`/instruments/${GAIGI}?as_of=2023-10-17`);
    assert.equal(before.status, 200);
    assert.equal(byClass(before.body, 'status-words'), 'Not yet issued as of 17 October 2023');
    const after = await page(`/instruments/${GAIGI}?as_of=2023-10-18`);
    assert.equal(byClass(after, 'status-words'), 'Issued');
    assert.ok(text(after).includes('Document number unknown'));
    // Relations in both directions.
    const relations = /<ul class="relations">([\s\S]*?)<\/ul>/.exec(after)?.[1] ?? '';
    assert.ok(text(relations).includes('Followed by Global AI Governance Action Plan'));
    assert.ok(relations.includes('href="/instruments/cn-2025-global-ai-governance-action-plan?as_of=2023-10-18"'));
    const plan = await page('/instruments/cn-2025-global-ai-governance-action-plan');
    assert.ok(
      text(/<ul class="relations">([\s\S]*?)<\/ul>/.exec(plan)?.[1] ?? '').includes(
        'Follows Global AI Governance Initiative',
      ),
    );
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
    assert.ok(body.includes('href="/jurisdictions/cn?as_of=2022-10-01"'), 'parent');
    assert.ok(body.includes('href="/jurisdictions/cn-gd-shenzhen?as_of=2022-10-01"'), 'child');
    const adopted = /<section class="status-group status-group-adopted"[\s\S]*?<\/section>/.exec(body)?.[0] ?? '';
    assert.ok(adopted.includes(`/instruments/${SHENZHEN}`), 'Shenzhen regulations under adopted');
    const notYet = /<section class="status-group status-group-not-yet"[\s\S]*?<\/section>/.exec(body)?.[0] ?? '';
    assert.ok(
      notYet.includes('/instruments/cn-gd-shenzhen-2024-ai-pioneer-city-measures'),
      '2024 measures not yet issued',
    );
    assert.equal((await get('/jurisdictions/xx')).status, 404);
    assert.equal((await page('/jurisdictions')).includes('href="/jurisdictions/cn-zj-hangzhou"'), true);
  });

  it('chapter pages list their articles by jurisdiction; unknown chapters are 404 pages', async () => {
    const body = await page('/chapters/ai-as-a-digital-asset');
    assert.ok(body.includes(`href="/articles/${ARTICLE}"`));
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
      assert.match(r.body, /<html lang="en">/);
      assert.ok(r.body.includes(`<code>${name}</code>`), `${path} names ${name}`);
      assert.ok(text(r.body).includes('A parameter is not valid'));
    }
  });

  it('an unknown instrument is a 404 HTML page', async () => {
    const r = await get('/instruments/no-such-instrument?lang=zh');
    assert.equal(r.status, 404);
    assert.match(r.type, /^text\/html/);
    assert.match(r.body, /<html lang="zh-Hans">/);
    assert.ok(text(r.body).includes('no-such-instrument'));
    const article = await get('/articles/no-such-article');
    assert.equal(article.status, 404);
    assert.match(article.type, /^text\/html/);
  });

  it('a Chinese error page gives the server’s message in Chinese', async () => {
    const missing = await get('/instruments/no-such-instrument?lang=zh');
    assert.ok(text(missing.body).includes('没有编号为“no-such-instrument”的文件'));
    assert.ok(!text(missing.body).includes('No instrument with id'));
    const nowhere = await get('/no/such/page?lang=zh');
    assert.equal(nowhere.status, 404);
    assert.ok(text(nowhere.body).includes('/no/such/page 处没有页面。'));
    const bad = await get('/?lang=zh&as_of=2024-02-30');
    assert.equal(bad.status, 400);
    assert.ok(text(bad.body).includes('“2024-02-30”不是按 YYYY-MM-DD 书写的真实日期'));
    assert.ok(!text(bad.body).includes('is not a real date'));
  });

  it('serves the stylesheet with caching headers', async () => {
    const home = await page('/');
    const href = /<link rel="stylesheet" href="([^"]+)"/.exec(home)?.[1] ?? '';
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
      assert.match(r.body, /<html lang="(en|zh-Hans)">/, `${path} has <html lang>`);
      for (const m of r.body.matchAll(/<(script|link|img|iframe|source|video|audio|embed|object)\b([^>]*)>/gi)) {
        for (const attr of (m[2] ?? '').matchAll(/\b(src|href|srcset|data)="([^"]*)"/gi)) {
          const url = new URL((attr[2] ?? '').replace(/&amp;/g, '&'), server.url);
          assert.equal(url.host, origin.host, `${path}: <${m[1]} ${attr[1]}="${attr[2]}"> stays on this host`);
        }
      }
      assert.ok(!/@import|url\(\s*["']?https?:/i.test(r.body), `${path}: no external CSS`);
      for (const a of anchors(r.body)) {
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
