// Public Atom feeds and the iCalendar over HTTP on both databases: RFC 4287 rules checked on the parsed XML, filters
// by jurisdiction (with descendants), topic and kind, private events never shown, and calendars parsed with ical.js.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import ICAL from 'ical.js';
import { buildApp } from '../../src/server.ts';
import { importBundle } from '../../src/content/import.ts';
import { recordEvents } from '../../src/watch/events.store.ts';
import { descendantsOf } from '../../src/domain/jurisdictions.ts';
import { loadCalendarItems } from '../../src/watch/feeds/feeds.service.ts';
import type { WatchEvent } from '../../src/watch/types.ts';
import { copyOfShipped, edit } from '../support/bundles.ts';
import { databaseKinds, pglite } from '../support/databases.ts';
import { startTestServer, TEST_SECRETS, type TestServer } from '../support/server.ts';

const ATOM_NS = 'http://www.w3.org/2005/Atom';
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const SHANGHAI = 'cn-sh-ai-industry-regulations';
const SHENZHEN = 'cn-gd-shenzhen-ai-industry-regulations';

/** Test events: titles carry a marker so entries can be told apart from those the import recorded. */
function event(
  key: string,
  kind: WatchEvent['kind'],
  jurisdiction: string,
  topics: string[],
  occurredAt: string,
  extra: Partial<WatchEvent> = {},
): WatchEvent {
  return {
    kind,
    key: `feeds-test:${key}`,
    occurredAt,
    jurisdiction,
    topics,
    programmes: [],
    title: { en: `FT ${key} <title> & more`, zh: `测试 ${key}` },
    summary: { en: `Summary of ${key}`, zh: `${key} 摘要` },
    path: '/instruments/cn-sh-ai-industry-regulations',
    ...extra,
  };
}

const EVENTS: WatchEvent[] = [
  event('cn', 'new-event', 'cn', ['generative-ai'], '2030-01-01T08:00:00.000Z'),
  event('sh', 'status-changed', 'cn-sh', ['ai-industry-promotion'], '2030-01-02T08:00:00.000Z', {
    instrument: SHANGHAI,
  }),
  event('sz', 'effective-soon', 'cn-gd-shenzhen', ['ai-industry-promotion'], '2030-01-03T08:00:00.000Z', {
    instrument: SHENZHEN,
    path: `/instruments/${SHENZHEN}`,
  }),
  event('bj', 'new-event', 'cn-bj', ['compute-vouchers'], '2030-01-04T08:00:00.000Z'),
  event('private', 'eligibility-changed', 'cn-sh', ['ai-industry-promotion'], '2030-01-05T08:00:00.000Z', {
    profile: 'profile-feeds-test',
  }),
];

type Node = Record<string, unknown>;

interface Entry {
  readonly id: string;
  readonly title: string;
  readonly updated: string;
  readonly alternate: string;
  readonly kind?: string;
  readonly jurisdiction?: string;
  readonly topics: string[];
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  isArray: (name) => ['entry', 'link', 'author', 'category', 'id', 'title', 'updated', 'name'].includes(name),
});

function text(v: unknown): string {
  if (typeof v === 'string' || typeof v === 'number') return String(v);
  if (v && typeof v === 'object' && '#text' in v) return String((v as Node)['#text']);
  return '';
}

/** HTML text constructs as the text a reader sees. */
function decodeHtml(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

function absoluteIri(s: string): boolean {
  if (!/^[a-z][a-z0-9+.-]*:/i.test(s)) return false;
  try {
    new URL(s);
    return true;
  } catch {
    return false;
  }
}

/** Checks the RFC 4287 rules the feeds must keep and returns the feed's parts. */
function checkAtom(xml: string, requestedUrl: string): { feed: Node; entries: Entry[]; updated: string; lang: string } {
  assert.equal(XMLValidator.validate(xml), true, 'well-formed XML');
  const doc = parser.parse(xml) as Node;
  const feed = doc.feed as Node | undefined;
  assert.ok(feed, 'the root element is feed');
  assert.equal(feed['@_xmlns'], ATOM_NS, 'in the Atom namespace');
  for (const name of ['id', 'title', 'updated']) {
    assert.equal((feed[name] as unknown[] | undefined)?.length, 1, `exactly one feed ${name}`);
  }
  const feedId = text((feed.id as unknown[])[0]);
  assert.ok(absoluteIri(feedId), `feed id ${feedId} is an absolute IRI`);
  const updated = text((feed.updated as unknown[])[0]);
  assert.match(updated, RFC3339);
  const links = (feed.link as Node[] | undefined) ?? [];
  const self = links.filter((l) => l['@_rel'] === 'self');
  assert.equal(self.length, 1, 'one link rel=self');
  assert.equal(self[0]?.['@_href'], requestedUrl, 'link rel=self is the requested URL');
  const feedAuthors = (feed.author as Node[] | undefined) ?? [];
  const rawEntries = (feed.entry as Node[] | undefined) ?? [];
  const entries = rawEntries.map((e): Entry => {
    for (const name of ['id', 'title', 'updated']) {
      assert.equal((e[name] as unknown[] | undefined)?.length, 1, `exactly one entry ${name}`);
    }
    const id = text((e.id as unknown[])[0]);
    assert.ok(absoluteIri(id), `entry id ${id} is an absolute IRI`);
    const entryUpdated = text((e.updated as unknown[])[0]);
    assert.match(entryUpdated, RFC3339);
    const alternates = ((e.link as Node[] | undefined) ?? []).filter(
      (l) => (l['@_rel'] ?? 'alternate') === 'alternate',
    );
    assert.equal(alternates.length, 1, 'one alternate link per entry');
    const alternate = String(alternates[0]?.['@_href']);
    assert.ok(absoluteIri(alternate), 'the alternate link is absolute');
    if (feedAuthors.length === 0) assert.ok(((e.author as Node[] | undefined) ?? []).length > 0, 'an entry author');
    const titleNode = (e.title as unknown[])[0];
    const titleType = (titleNode as Node)['@_type'];
    const title = titleType === 'html' ? decodeHtml(text(titleNode)) : text(titleNode);
    const cats = (e.category as Node[] | undefined) ?? [];
    const term = (scheme: string) =>
      cats.filter((c) => String(c['@_scheme']).endsWith(`:${scheme}`)).map((c) => String(c['@_term']));
    return {
      id,
      title,
      updated: entryUpdated,
      alternate,
      topics: term('topics'),
      ...(term('kinds')[0] ? { kind: term('kinds')[0] } : {}),
      ...(term('jurisdictions')[0] ? { jurisdiction: term('jurisdictions')[0] } : {}),
    };
  });
  if (feedAuthors.length > 0) {
    assert.ok(
      feedAuthors.every((a) => ((a.name as unknown[] | undefined) ?? []).length === 1),
      'author has a name',
    );
  }
  assert.equal(new Set(entries.map((e) => e.id)).size, entries.length, 'entry ids are unique');
  return { feed, entries, updated, lang: text(feed['@_xml:lang']) };
}

const marked = (entries: readonly Entry[]) =>
  entries
    .map((e) => /^(?:FT|测试) (\w+)/.exec(e.title)?.[1])
    .filter((k): k is string => k !== undefined)
    .sort();

function calendar(textBody: string): ICAL.Component[] {
  const comp = new ICAL.Component(ICAL.parse(textBody) as unknown[]);
  assert.equal(comp.name, 'vcalendar');
  return comp.getAllSubcomponents('vevent');
}

const prop = (e: ICAL.Component, name: string) => String(e.getFirstPropertyValue(name) as unknown);

for (const kind of await databaseKinds()) {
  describe(`public feeds and calendar on ${kind.name}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(kind);
      const recorded = await recordEvents(server.db, EVENTS);
      assert.equal(recorded.length, EVENTS.length);
    });
    after(() => server.close());

    const get = async (path: string, init?: RequestInit) => {
      const res = await fetch(`${server.url}${path}`, init);
      return { status: res.status, headers: res.headers, body: await res.text() };
    };
    const atom = async (path: string) => {
      const r = await get(path);
      assert.equal(r.status, 200, `${path} → ${r.status}: ${r.body.slice(0, 300)}`);
      assert.equal(r.headers.get('content-type'), 'application/atom+xml; charset=utf-8');
      return { ...checkAtom(r.body, `${server.url}${path}`), headers: r.headers, body: r.body };
    };
    const problem = async (path: string, status: number, where?: string) => {
      const r = await get(path);
      assert.equal(r.status, status, `${path} → ${r.status}`);
      const body = JSON.parse(r.body) as { error: { code: string; problems?: { where: string }[] } };
      if (where) assert.equal(body.error.problems?.[0]?.where, where);
      return body;
    };

    it('all.atom is valid Atom with every public event, newest first, and links to the site', async () => {
      const f = await atom('/feeds/all.atom');
      assert.deepEqual(marked(f.entries), ['bj', 'cn', 'sh', 'sz']);
      assert.equal(f.lang, 'en');
      const sh = f.entries.find((e) => e.title.startsWith('FT sh'));
      assert.ok(sh);
      assert.equal(sh.title, 'FT sh <title> & more', 'plain text survives escaping');
      assert.match(sh.id, /^tag:horizon,2026:event:\d+$/);
      assert.equal(sh.alternate, `${server.url}/instruments/${SHANGHAI}`);
      assert.equal(sh.updated, '2030-01-02T08:00:00.000Z');
      assert.equal(sh.kind, 'status-changed');
      // updated is the newest entry's (the test events are dated after anything the import records).
      const newest = f.entries
        .map((e) => e.updated)
        .sort()
        .at(-1);
      assert.equal(f.updated, newest);
      assert.equal(f.updated, '2030-01-04T08:00:00.000Z');
      assert.equal(f.headers.get('cache-control'), 'public, max-age=300');
      assert.ok(f.headers.get('last-modified'));
    });

    it('never shows a stored profile’s events', async () => {
      for (const path of [
        '/feeds/all.atom',
        '/feeds/jurisdictions/cn-sh.atom',
        '/feeds/topics/ai-industry-promotion.atom',
        '/feeds/all.atom?kind=eligibility-changed',
      ]) {
        const f = await atom(path);
        assert.ok(!marked(f.entries).includes('private'), path);
        assert.ok(!f.body.includes('profile-feeds-test'), path);
      }
      const empty = await atom('/feeds/all.atom?kind=eligibility-changed');
      assert.equal(empty.entries.length, 0);
      assert.equal(empty.updated, '1970-01-01T00:00:00.000Z', 'an empty feed has a fixed updated');
    });

    it('a jurisdiction feed includes the places within it and nothing else', async () => {
      const cn = await atom('/feeds/jurisdictions/cn.atom');
      assert.deepEqual(marked(cn.entries), ['bj', 'cn', 'sh', 'sz']);
      const gd = await atom('/feeds/jurisdictions/cn-gd.atom');
      assert.deepEqual(marked(gd.entries), ['sz']);
      assert.ok(gd.entries.every((e) => e.jurisdiction === 'cn-gd' || e.jurisdiction === 'cn-gd-shenzhen'));
      const sh = await atom('/feeds/jurisdictions/cn-sh.atom');
      assert.deepEqual(marked(sh.entries), ['sh']);
      assert.ok(sh.entries.every((e) => e.jurisdiction === 'cn-sh'));
      const links = (sh.feed.link as Node[]).filter((l) => l['@_rel'] === 'alternate');
      assert.equal(links[0]?.['@_href'], `${server.url}/jurisdictions/cn-sh`);
    });

    it('a topic feed keeps the events with the topic', async () => {
      const f = await atom('/feeds/topics/ai-industry-promotion.atom');
      assert.deepEqual(marked(f.entries), ['sh', 'sz']);
      assert.ok(f.entries.every((e) => e.topics.includes('ai-industry-promotion')));
      assert.deepEqual(marked((await atom('/feeds/topics/compute-vouchers.atom')).entries), ['bj']);
    });

    it('?kind= keeps the chosen kinds; ?lang=zh gives Chinese titles', async () => {
      const f = await atom('/feeds/all.atom?kind=status-changed,effective-soon');
      assert.deepEqual(marked(f.entries), ['sh', 'sz']);
      assert.ok(f.entries.every((e) => e.kind === 'status-changed' || e.kind === 'effective-soon'));
      const zh = await atom('/feeds/jurisdictions/cn-gd.atom?lang=zh&kind=effective-soon');
      assert.equal(zh.lang, 'zh-Hans');
      assert.deepEqual(
        zh.entries.map((e) => e.title),
        ['测试 sz'],
      );
      assert.match(text((zh.feed.title as unknown[])[0]), /广东省/);
    });

    it('answers 404 for unknown codes and 400 naming a bad parameter', async () => {
      await problem('/feeds/jurisdictions/nowhere.atom', 404);
      await problem('/feeds/topics/no-such-topic.atom', 404);
      await problem('/feeds/jurisdictions/cn.rss', 404);
      await problem('/feeds/all.atom?kind=new-event,bogus', 400, 'kind');
      await problem('/feeds/topics/generative-ai.atom?lang=fr', 400, 'lang');
      await problem('/feeds/all.atom?kind=a&kind=b', 400, 'kind');
    });

    it('answers 304 to a matching If-None-Match', async () => {
      const first = await get('/feeds/topics/ai-industry-promotion.atom');
      const etag = first.headers.get('etag');
      assert.ok(etag);
      const again = await get('/feeds/topics/ai-industry-promotion.atom', { headers: { 'if-none-match': etag } });
      assert.equal(again.status, 304);
    });

    it('links use the configured public URL when one is given', async () => {
      const app = await buildApp({
        db: server.db,
        logLevel: 'silent',
        publicUrl: 'https://horizon.example/',
        secrets: TEST_SECRETS,
      });
      try {
        const r = await app.inject({ method: 'GET', url: '/feeds/jurisdictions/cn-sh.atom?lang=zh' });
        assert.equal(r.statusCode, 200);
        const f = checkAtom(r.body, 'https://horizon.example/feeds/jurisdictions/cn-sh.atom?lang=zh');
        assert.ok(f.entries.every((e) => e.alternate.startsWith('https://horizon.example/')));
        const cal = await app.inject({ method: 'GET', url: '/calendar.ics?instrument=' + SHANGHAI });
        for (const e of calendar(cal.body)) {
          assert.equal(prop(e, 'url'), `https://horizon.example/instruments/${SHANGHAI}`);
        }
      } finally {
        await app.close();
      }
    });

    it('the calendar has all-day events on the shipped effective dates and comment deadlines', async () => {
      const r = await get('/calendar.ics');
      assert.equal(r.status, 200);
      assert.equal(r.headers.get('content-type'), 'text/calendar; charset=utf-8');
      assert.equal(r.headers.get('cache-control'), 'public, max-age=300');
      const unfolded = r.body.replace(/\r\n[ \t]/g, '');
      assert.ok(
        /^X-WR-CALDESC:.*dated only to the month or year are left out/m.test(unfolded),
        'says why dates are missing',
      );
      const events = calendar(r.body);
      const byUid = new Map(events.map((e) => [prop(e, 'uid'), e]));
      assert.equal(byUid.size, events.length, 'UIDs are unique');
      const effective = byUid.get(`instrument-${SHANGHAI}-effective-effective@horizon`);
      assert.ok(effective, 'Shanghai regulations take effect');
      const start = effective.getFirstProperty('dtstart');
      assert.equal(start?.type, 'date', 'DTSTART;VALUE=DATE');
      const day = start?.getFirstValue() as ICAL.Time;
      assert.equal(day.isDate, true);
      assert.equal(day.toString(), '2022-10-01');
      assert.equal((effective.getFirstPropertyValue('dtend') as ICAL.Time).toString(), '2022-10-02');
      assert.equal(
        prop(effective, 'summary'),
        'Takes effect: Regulations of Shanghai Municipality on Promoting the Development of the AI Industry',
      );
      assert.equal(prop(effective, 'url'), `${server.url}/instruments/${SHANGHAI}`);
      assert.match(prop(effective, 'description'), /instruments\/cn-sh-ai-industry-regulations/);
      const deadline = byUid.get(`instrument-${SHENZHEN}-comment-deadline-comment-deadline@horizon`);
      assert.ok(deadline, 'Shenzhen comment deadline');
      assert.equal((deadline.getFirstPropertyValue('dtstart') as ICAL.Time).toString(), '2021-07-30');
      assert.match(prop(deadline, 'summary'), /^Comment deadline: /);
      const sz = byUid.get(`instrument-${SHENZHEN}-effective-effective@horizon`);
      assert.equal((sz?.getFirstPropertyValue('dtstart') as ICAL.Time | undefined)?.toString(), '2022-11-01');
    });

    it('the calendar filters by jurisdiction (with descendants), topic, instrument and type; UIDs are stable', async () => {
      const uids = async (path: string) => {
        const r = await get(path);
        assert.equal(r.status, 200, path);
        return calendar(r.body).map((e) => prop(e, 'uid'));
      };
      const gd = await uids('/calendar.ics?jurisdiction=cn-gd');
      assert.ok(gd.includes(`instrument-${SHENZHEN}-effective-effective@horizon`), 'Shenzhen is within Guangdong');
      assert.ok(!gd.some((u) => u.includes(SHANGHAI)));
      const sh = await uids('/calendar.ics?jurisdiction=cn-sh&type=comment-deadline');
      assert.deepEqual(sh, [`instrument-${SHANGHAI}-comment-deadline-comment-deadline@horizon`]);
      const deadlines = await uids('/calendar.ics?type=comment-deadline');
      assert.ok(deadlines.length >= 2);
      assert.ok(deadlines.every((u) => u.includes('-comment-deadline-')));
      const topic = await uids('/calendar.ics?topic=ai-industry-promotion&type=effective');
      assert.ok(topic.includes(`instrument-${SHANGHAI}-effective-effective@horizon`));
      const one = await uids(`/calendar.ics?instrument=${SHENZHEN}`);
      assert.ok(one.length >= 2 && one.every((u) => u.startsWith(`instrument-${SHENZHEN}-`)));

      const a = await get('/calendar.ics?lang=zh');
      const b = await get('/calendar.ics?lang=zh');
      assert.equal(a.body, b.body, 'the same data gives the same calendar');
      assert.equal(a.headers.get('etag'), b.headers.get('etag'));
      const zh = calendar(a.body).find((e) => prop(e, 'uid') === `instrument-${SHANGHAI}-effective-effective@horizon`);
      assert.equal(zh && prop(zh, 'summary'), '施行：上海市促进人工智能产业发展条例');
    });

    it('the calendar answers 400 naming a bad parameter', async () => {
      await problem('/calendar.ics?jurisdiction=nowhere', 400, 'jurisdiction');
      await problem('/calendar.ics?topic=nope', 400, 'topic');
      await problem('/calendar.ics?instrument=no-such-instrument', 400, 'instrument');
      await problem('/calendar.ics?type=effective,signed', 400, 'type');
      await problem('/calendar.ics?lang=de', 400, 'lang');
    });
  });
}

describe('calendar items', () => {
  it('leave out dates known only to the month', async () => {
    const dir = copyOfShipped();
    edit(
      dir,
      'instruments/cn-sh-ai-industry-regulations.yaml',
      "type: effective\n    date: '2022-10-01'",
      "type: effective\n    date: '2022-10'",
    );
    const db = await pglite.open();
    try {
      await importBundle(db, dir);
      const items = await loadCalendarItems(db, { instruments: [SHANGHAI] });
      assert.deepEqual(
        items.map((i) => [i.kind, i.day]),
        [['comment-deadline', '2022-09-13']],
      );
    } finally {
      await db.close();
    }
  });

  it('descendantsOf walks the whole tree below each code', () => {
    const tree = new Map<string, string | null>([
      ['cn', null],
      ['cn-gd', 'cn'],
      ['cn-gd-shenzhen', 'cn-gd'],
      ['cn-sh', 'cn'],
    ]);
    assert.deepEqual(descendantsOf(tree, ['cn-gd']).sort(), ['cn-gd', 'cn-gd-shenzhen']);
    assert.deepEqual(descendantsOf(tree, ['cn']).sort(), ['cn', 'cn-gd', 'cn-gd-shenzhen', 'cn-sh']);
    assert.deepEqual(descendantsOf(tree, ['cn-sh', 'cn-sh']), ['cn-sh']);
  });
});
