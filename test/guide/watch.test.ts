// Feed autodiscovery, topic pages and the watch page over HTTP (the real app with the shipped content).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CHANGE_KINDS } from '../../src/watch/types.ts';
import { startServer, type TestServer } from './server.ts';

const SHANGHAI = 'cn-sh-ai-industry-regulations';
const TOPIC = 'ai-industry-promotion';

interface FeedLink {
  readonly type: string;
  readonly title: string;
  readonly href: string;
}

const decode = (s: string) =>
  s
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'");

/** The <link rel="alternate" type=…> elements of a page's head that announce feeds. */
function feedLinks(markup: string): FeedLink[] {
  const head = /<head>([\s\S]*?)<\/head>/.exec(markup)?.[1] ?? '';
  return [...head.matchAll(/<link\b([^>]*)>/g)]
    .map((m) => m[1] ?? '')
    .filter((attrs) => /\brel="alternate"/.test(attrs) && /\btype="/.test(attrs))
    .map((attrs) => ({
      type: /\btype="([^"]*)"/.exec(attrs)?.[1] ?? '',
      title: decode(/\btitle="([^"]*)"/.exec(attrs)?.[1] ?? ''),
      href: decode(/\bhref="([^"]*)"/.exec(attrs)?.[1] ?? ''),
    }));
}

/** Values of the read-only address inputs, by id. */
function addresses(markup: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of markup.matchAll(/<input\b([^>]*)>/g)) {
    const attrs = m[1] ?? '';
    if (!/\bdata-copy-field\b/.test(attrs)) continue;
    assert.match(attrs, /\breadonly\b/, 'address inputs are read-only');
    const id = /\bid="([^"]*)"/.exec(attrs)?.[1] ?? '';
    out.set(id, decode(/\bvalue="([^"]*)"/.exec(attrs)?.[1] ?? ''));
  }
  return out;
}

describe('feeds on guide pages, topic pages and the watch page', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  const get = async (path: string) => {
    const res = await fetch(new URL(path, server.url));
    return { status: res.status, headers: res.headers, body: await res.text() };
  };
  const page = async (path: string) => {
    const r = await get(path);
    assert.equal(r.status, 200, `${path} → ${r.status}`);
    assert.match(r.headers.get('content-type') ?? '', /^text\/html/);
    return r.body;
  };
  /** The announced feed answers with its media type. */
  const works = async (link: FeedLink) => {
    const r = await get(link.href);
    assert.equal(r.status, 200, `${link.href} → ${r.status}`);
    assert.equal(r.headers.get('content-type'), `${link.type}; charset=utf-8`);
    if (link.type === 'application/atom+xml') assert.match(r.body, /<feed xmlns="http:\/\/www.w3.org\/2005\/Atom"/);
    else assert.match(r.body, /^BEGIN:VCALENDAR/);
  };

  it('the home page announces the feed of all changes and the calendar', async () => {
    const links = feedLinks(await page('/'));
    const atom = links.find((l) => l.type === 'application/atom+xml');
    const ics = links.find((l) => l.type === 'text/calendar');
    assert.deepEqual(atom, { type: 'application/atom+xml', title: 'Horizon: all changes', href: '/feeds/all.atom' });
    assert.ok(ics && ics.href === '/calendar.ics');
    await works(atom);
    await works(ics);
    const zh = feedLinks(await page('/?lang=zh'));
    assert.ok(zh.some((l) => l.href === '/feeds/all.atom?lang=zh' && l.title === 'Horizon：全部更新'));
  });

  it('a jurisdiction page announces its feed', async () => {
    const links = feedLinks(await page('/jurisdictions/cn-sh'));
    assert.equal(links.length, 1);
    const [link] = links;
    assert.ok(link);
    assert.equal(link.href, '/feeds/jurisdictions/cn-sh.atom');
    assert.equal(link.title, 'Horizon changes: Shanghai Municipality');
    await works(link);
  });

  it('topic pages list topics with counts and the tagged instruments with status, and announce the feed', async () => {
    const list = await page('/topics');
    const item = new RegExp(
      `<li class="topic-item" data-topic="${TOPIC}">\\s*<a href="/topics/${TOPIC}">AI industry promotion</a>\\s*<span class="count"[^>]*>(\\d+)</span>`,
    );
    const m = item.exec(list);
    assert.ok(m, 'the topic is listed with a count');
    assert.ok(Number(m[1]) >= 2);

    const body = await page(`/topics/${TOPIC}?as_of=2024-01-01`);
    assert.match(body, /<h1 id="topic-title">AI industry promotion<\/h1>/);
    const shanghai = new RegExp(
      `<a href="/instruments/${SHANGHAI}\\?as_of=2024-01-01">[^<]+</a>[\\s\\S]*?<span class="badge badge-in_force"`,
    );
    assert.match(body, shanghai, 'Shanghai regulations, in force on 2024-01-01');
    const links = feedLinks(body);
    assert.deepEqual(
      links.map((l) => l.href),
      [`/feeds/topics/${TOPIC}.atom`],
    );
    await works(links[0] as FeedLink);
    assert.equal((await get('/topics/no-such-topic')).status, 404);
  });

  it('instrument pages link their topics to the topic pages', async () => {
    const body = await page(`/instruments/${SHANGHAI}`);
    assert.match(body, new RegExp(`<li class="chip" data-code="${TOPIC}">\\s*<a href="/topics/${TOPIC}">`));
  });

  it('/watch lists every public feed and calendar as an absolute address, with copy buttons', async () => {
    const r = await get('/watch');
    assert.equal(r.status, 200);
    const csp = r.headers.get('content-security-policy') ?? '';
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    const body = r.body;
    assert.match(body, /<a href="\/watch" aria-current="page"\s*>Watch<\/a\s*>/, 'Watch is in the navigation');
    assert.match(body, /<script type="module" src="\/static\/watch\.js\?v=[0-9a-f]+"><\/script>/);
    const found = addresses(body);
    assert.equal(found.get('feed-all'), `${server.url}/feeds/all.atom`);
    assert.equal(found.get('feed-j-cn-sh'), `${server.url}/feeds/jurisdictions/cn-sh.atom`);
    assert.equal(found.get('feed-j-cn-gd-shenzhen'), `${server.url}/feeds/jurisdictions/cn-gd-shenzhen.atom`);
    assert.equal(found.get(`feed-t-${TOPIC}`), `${server.url}/feeds/topics/${TOPIC}.atom`);
    assert.equal(found.get('calendar-all'), `${server.url}/calendar.ics`);
    assert.equal(found.get('calendar-effective'), `${server.url}/calendar.ics?type=effective`);
    assert.equal(found.get('calendar-deadlines'), `${server.url}/calendar.ics?type=comment-deadline`);
    // Every address works.
    for (const [id, url] of found) {
      const res = await fetch(url);
      assert.equal(res.status, 200, `${id}: ${url}`);
      await res.arrayBuffer();
    }
    const buttons = [...body.matchAll(/<button\b([^>]*)>/g)].map((m) => m[1] ?? '');
    const copy = buttons.filter((b) => /data-copy-target=/.test(b));
    assert.equal(copy.length, found.size, 'one copy button per address');
    assert.ok(
      copy.every((b) => /\bhidden\b/.test(b)),
      'buttons stay hidden until the script shows them',
    );
    for (const k of CHANGE_KINDS) assert.match(body, new RegExp(`<li data-kind="${k}">`));
    const script = await get('/static/watch.js');
    assert.equal(script.status, 200);
    assert.match(script.headers.get('content-type') ?? '', /javascript/);
  });

  it('/watch in Chinese', async () => {
    const body = await page('/watch?lang=zh');
    assert.match(body, /<h1 id="watch-title">关注更新<\/h1>/);
    const found = addresses(body);
    assert.equal(found.get('feed-all'), `${server.url}/feeds/all.atom?lang=zh`);
    assert.equal(found.get('calendar-effective'), `${server.url}/calendar.ics?type=effective&lang=zh`);
    assert.match(body, /data-copied="已复制"/);
  });
});
