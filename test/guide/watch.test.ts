// Feed autodiscovery, topic pages and the watch page over HTTP (the real app with the shipped content).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CHANGE_KINDS } from '../../src/watch/types.ts';
import { all, attrs, bare, exactly, has, isText, opensWith, parseHtml, withAttrs } from '../support/html.ts';
import { startServer, type TestServer } from './server.ts';

const SHANGHAI = 'cn-sh-ai-industry-regulations';
const TOPIC = 'ai-industry-promotion';

interface FeedLink {
  readonly type: string;
  readonly title: string;
  readonly href: string;
}

/** The <link rel="alternate" type=…> elements of a page's head that announce feeds. */
function feedLinks(doc: Document): FeedLink[] {
  return all(doc.head, 'link[rel="alternate"][type]').map((link) => ({
    type: link.getAttribute('type') ?? '',
    title: link.getAttribute('title') ?? '',
    href: link.getAttribute('href') ?? '',
  }));
}

/** Values of the read-only address inputs, by id. */
function addresses(doc: Document): Map<string, string> {
  const out = new Map<string, string>();
  for (const input of all(doc, 'input[data-copy-field]')) {
    assert.ok(input.hasAttribute('readonly'), 'address inputs are read-only');
    out.set(input.getAttribute('id') ?? '', input.getAttribute('value') ?? '');
  }
  return out;
}

/** The element after this one, with only white space between. */
function nextAfterSpace(e: Element): Element | null {
  let n = e.nextSibling;
  while (n && n.nodeType === 3 && (n.nodeValue ?? '').trim() === '') n = n.nextSibling;
  return n && n === e.nextElementSibling ? e.nextElementSibling : null;
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
    return parseHtml(r.body);
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
    // <li class="topic-item" data-topic="…"><a href="/topics/…">name</a> <span class="count">n</span>
    const item = exactly(list, 'li', { class: 'topic-item', 'data-topic': TOPIC });
    const a = item.firstElementChild;
    assert.ok(a?.localName === 'a' && opensWith(a) && isText(a, 'AI industry promotion'), 'the topic link');
    assert.deepEqual(attrs(a), { href: `/topics/${TOPIC}` });
    const count = nextAfterSpace(a);
    assert.ok(
      count?.localName === 'span' && count.getAttribute('class') === 'count' && /^\d+$/.test(count.textContent ?? ''),
      'the topic is listed with a count',
    );
    assert.equal(count.children.length, 0);
    assert.ok(Number(count.textContent) >= 2);

    const body = await page(`/topics/${TOPIC}?as_of=2024-01-01`);
    assert.ok(bare(body, 'h1', { id: 'topic-title' }, 'AI industry promotion'), 'the title');
    const shanghai = withAttrs(body, 'a', { href: `/instruments/${SHANGHAI}?as_of=2024-01-01` }, { only: true }).find(
      (a) => a.children.length === 0 && (a.textContent ?? '') !== '',
    );
    // Its status follows it in its item.
    const badges = shanghai ? all(shanghai.closest('li') ?? shanghai, 'span[class="badge badge-in_force"]') : [];
    assert.ok(
      shanghai && badges.some((badge) => shanghai.compareDocumentPosition(badge) & 4),
      'Shanghai regulations, in force on 2024-01-01',
    );
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
    const chip = exactly(body, 'li', { class: 'chip', 'data-code': TOPIC }).firstElementChild;
    assert.ok(chip && opensWith(chip) && chip.localName === 'a', 'the chip opens with its link');
    assert.deepEqual(attrs(chip), { href: `/topics/${TOPIC}` });
  });

  it('/watch lists every public feed and calendar as an absolute address, with copy buttons', async () => {
    const r = await get('/watch');
    assert.equal(r.status, 200);
    const csp = r.headers.get('content-security-policy') ?? '';
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    const body = parseHtml(r.body);
    assert.ok(bare(body, 'a', { href: '/watch', 'aria-current': 'page' }, 'Watch'), 'Watch is in the navigation');
    assert.ok(
      all(body, 'script').some(
        (s) =>
          Object.keys(attrs(s)).join() === 'type,src' &&
          s.getAttribute('type') === 'module' &&
          /^\/static\/watch\.js\?v=[0-9a-f]+$/.test(s.getAttribute('src') ?? '') &&
          isText(s, ''),
      ),
      'the watch script',
    );
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
    const copy = all(body, 'button[data-copy-target]');
    assert.equal(copy.length, found.size, 'one copy button per address');
    assert.ok(
      copy.every((b) => b.hasAttribute('hidden')),
      'buttons stay hidden until the script shows them',
    );
    for (const k of CHANGE_KINDS) assert.ok(withAttrs(body, 'li', { 'data-kind': k }, { only: true }).length > 0, k);
    const script = await get('/static/watch.js');
    assert.equal(script.status, 200);
    assert.match(script.headers.get('content-type') ?? '', /javascript/);
  });

  it('/watch in Chinese', async () => {
    const body = await page('/watch?lang=zh');
    assert.ok(bare(body, 'h1', { id: 'watch-title' }, '关注更新'), 'the title');
    const found = addresses(body);
    assert.equal(found.get('feed-all'), `${server.url}/feeds/all.atom?lang=zh`);
    assert.equal(found.get('calendar-effective'), `${server.url}/calendar.ics?type=effective&lang=zh`);
    assert.ok(has(body, '[data-copied="已复制"]'), 'the copied message');
  });
});
