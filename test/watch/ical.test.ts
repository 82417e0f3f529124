// iCalendar (RFC 5545) and Atom text escaping against hostile strings: a value can never add a line, a property or an
// event; lines are folded at 75 octets on character boundaries; ical.js (and an XML parser for Atom) read every value
// back as it was meant. The private feeds of subscriptions with hostile labels are checked over HTTP on both databases.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import ICAL from 'ical.js';
import { DEFAULT_LIMITS } from '../../src/config/config.ts';
import { importBundle } from '../../src/content/import.ts';
import { buildApp } from '../../src/server.ts';
import { renderAtom } from '../../src/watch/feeds/atom.ts';
import { contentLine, renderCalendar, textValue, uriValue, type CalendarItem } from '../../src/watch/feeds/ical.ts';
import type { StoredEvent } from '../../src/watch/types.ts';
import { databaseKinds } from '../support/databases.ts';
import { SHIPPED } from '../support/bundles.ts';
import { TEST_SECRETS } from '../support/server.ts';

// NAME (RFC 7986) and the X-WR- properties are TEXT; ical.js leaves properties it does not know raw unless told.
const design = ICAL.design.icalendar.property as Record<string, { defaultType: string }>;
for (const name of ['name', 'x-wr-calname', 'x-wr-caldesc']) design[name] = { defaultType: 'text' };

/** Hostile strings by class, each with the value a reader must get back (what a calendar can hold of it). */
const HOSTILE: Readonly<Record<string, readonly (readonly [string, string])[]>> = {
  'line injection': [
    [
      '\r\nBEGIN:VEVENT\r\nUID:evil\r\nSUMMARY:injected\r\nEND:VEVENT',
      '\nBEGIN:VEVENT\nUID:evil\nSUMMARY:injected\nEND:VEVENT',
    ],
    ['label\nEND:VCALENDAR\nBEGIN:VCALENDAR', 'label\nEND:VCALENDAR\nBEGIN:VCALENDAR'],
    ['x\rMETHOD:CANCEL', 'xMETHOD:CANCEL'],
    ['x\r\n SUMMARY:a folded continuation', 'x\n SUMMARY:a folded continuation'],
    ['\r\n\r\n\n', '\n\n\n'],
    ['X-WR-CALNAME:second\r\nX-WR-CALNAME:third', 'X-WR-CALNAME:second\nX-WR-CALNAME:third'],
  ],
  'iCalendar specials': [
    ['a,b;c\\d:e', 'a,b;c\\d:e'],
    ['literal \\n is not a line break', 'literal \\n is not a line break'],
    ['ends with a backslash \\', 'ends with a backslash \\'],
    ['"quoted";param=value:', '"quoted";param=value:'],
    [';;;,,,\\\\\\', ';;;,,,\\\\\\'],
  ],
  'control characters': [
    ['nul\u0000byte', 'nulbyte'],
    ['bell\u0007', 'bell'],
    ['vt\u000Bff\u000C', 'vtff'],
    ['esc\u001B[31mred', 'esc[31mred'],
    ['del\u007F', 'del'],
    ['tab\tkept', 'tab\tkept'],
  ],
  'unicode and folding': [
    ['中'.repeat(100), '中'.repeat(100)],
    ['🇨🇳'.repeat(40), '🇨🇳'.repeat(40)],
    ['é'.repeat(120), 'é'.repeat(120)],
    ['e\u0301'.repeat(60), 'e\u0301'.repeat(60)],
    [`${'a'.repeat(61)}中文🇨🇳`, `${'a'.repeat(61)}中文🇨🇳`],
    ['lone\uD800high', 'lonehigh'],
    ['lone\uDC00low', 'lonelow'],
    [`深圳,${'α;'.repeat(40)}\r\n末`, `深圳,${'α;'.repeat(40)}\n末`],
  ],
};
const CASES = Object.entries(HOSTILE).flatMap(([what, list]) =>
  list.map(([input, expected]) => ({ what, input, expected })),
);

// What XML 1.0 forbids: most control characters, U+FFFE, U+FFFF and UTF-16 halves without their other half.
const NOT_XML =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
/** What an XML reader gets back of a text: without what XML 1.0 forbids, any line break read as LF. */
const xmlSafe = (s: string) => s.replace(NOT_XML, '').replace(/\r\n?/g, '\n');

const item = (title: string, uidPart: string): CalendarItem => ({
  uid: `instrument-${uidPart}-effective-effective@horizon`,
  day: '2022-10-01',
  kind: 'effective',
  instrument: 'x',
  title: { en: title, zh: title },
  url: `/instruments/${uidPart}`,
});

/** The raw rules: CRLF after every line, at most 75 octets each, continuations start with a space, whole characters. */
function checkLines(body: string): string[] {
  assert.ok(body.endsWith('\r\n'), 'the last line ends with CRLF');
  const physical = body.slice(0, -2).split('\r\n');
  for (const line of physical) {
    assert.ok(!/[\r\n]/.test(line), `no bare CR or LF: ${JSON.stringify(line)}`);
    assert.ok(Buffer.byteLength(line) <= 75, `at most 75 octets: ${Buffer.byteLength(line)}`);
    assert.equal(Buffer.from(line, 'utf8').toString('utf8'), line, 'no character split at a fold');
  }
  const unfolded: string[] = [];
  for (const line of physical) {
    if (line.startsWith(' ')) unfolded[unfolded.length - 1] += line.slice(1);
    else unfolded.push(line);
  }
  for (const line of unfolded) assert.match(line, /^[A-Z][A-Z0-9-]*(;[A-Z-]+=[A-Z]+)*:/, 'a content line');
  return unfolded.map((l) => (/^[^:;]+/.exec(l) as RegExpExecArray)[0]);
}

function parse(body: string): ICAL.Component {
  const comp = new ICAL.Component(ICAL.parse(body) as unknown[]);
  assert.equal(comp.name, 'vcalendar');
  return comp;
}
const value = (c: ICAL.Component, name: string) => String(c.getFirstPropertyValue(name) as unknown);

describe('iCalendar values', () => {
  it('textValue escapes backslash, semicolon, comma and line breaks, and drops CR and control characters', () => {
    assert.equal(textValue('a\\b;c,d\r\ne\nf\rg\u0000h\ti'), 'a\\\\b\\;c\\,d\\ne\\nfgh\ti');
    assert.equal(uriValue('https://h.example/a b\r\n\u0000c'), 'https://h.example/abc');
  });

  it('contentLine folds at 75 octets, continuations at 74 after their space, never inside a character', () => {
    const ascii = contentLine('DESCRIPTION', 'a'.repeat(200)).split('\r\n');
    assert.deepEqual(
      ascii.map((l) => Buffer.byteLength(l)),
      [75, 75, 64],
    );
    assert.equal(ascii.map((l, i) => (i ? l.slice(1) : l)).join(''), `DESCRIPTION:${'a'.repeat(200)}`);
    const cjk = contentLine('NAME', '中'.repeat(30)).split('\r\n');
    assert.deepEqual(
      cjk.map((l) => Buffer.byteLength(l)),
      [74, 22],
      '23 characters (69 octets) after NAME:, then the other 7 after a space',
    );
    assert.equal(contentLine('UID', 'short'), 'UID:short');
  });

  for (const [what, list] of Object.entries(HOSTILE)) {
    it(`${what} (${list.length} strings) cannot add a line or property and reads back as meant`, async () => {
      const benign = checkLines(await renderCalendar([item('benign', 'benign')], meta('benign')));
      for (const [input, expected] of list) {
        const body = await renderCalendar([item(input, input)], meta(input));
        assert.deepEqual(checkLines(body), benign, `the same properties for ${JSON.stringify(input)}`);
        const cal = parse(body);
        assert.equal(value(cal, 'x-wr-calname'), expected);
        assert.equal(value(cal, 'name'), expected);
        const events = cal.getAllSubcomponents('vevent');
        assert.equal(events.length, 1, 'one event');
        const e = events[0] as ICAL.Component;
        assert.equal(value(e, 'summary'), `Takes effect: ${expected}`);
        assert.equal(value(e, 'uid'), `instrument-${expected}-effective-effective@horizon`);
        assert.ok(value(e, 'description').startsWith(`Takes effect: ${expected}\nDetails and sources: `));
        const url = value(e, 'url');
        assert.equal(url, new URL(`/instruments/${input}`, 'https://horizon.example/').href);
        // eslint-disable-next-line no-control-regex
        assert.doesNotMatch(url, /[\s\u0000-\u001F]/);
      }
    });
  }
});

const meta = (name: string) => ({ name, lang: 'en' as const, publicUrl: 'https://horizon.example' });

describe('Atom text', () => {
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    cdataPropName: '#cdata',
    trimValues: false,
  });
  const ENTITIES: Record<string, string> = { lt: '<', gt: '>', quot: '"', '#39': "'", amp: '&' };
  const decode = (html: string) => html.replace(/&(lt|gt|quot|#39|amp);/g, (_, name: string) => ENTITIES[name] ?? '');
  const MARKUP = [
    'A ]]> CDATA end',
    '<script>alert(1)</script>',
    '&amp; &lt; & <',
    '"q" \'s\'',
    '\uFFFE\uFFFF nonchars',
  ];

  it(`escapes every text field of ${CASES.length + MARKUP.length} hostile strings and drops what XML 1.0 forbids`, () => {
    for (const input of [...CASES.map((c) => c.input), ...MARKUP]) {
      const event = {
        id: 1,
        key: 'k',
        kind: 'new-event',
        occurredAt: '2026-01-01T00:00:00Z',
        title: { en: input, zh: input },
        summary: { en: input, zh: input },
        path: `/instruments/${input}`,
        jurisdiction: `cn${input}`,
        topics: [`t${input}`],
        programmes: [],
      } as unknown as StoredEvent;
      const xml = renderAtom([event], {
        id: 'tag:horizon,2026:feed:test',
        title: input,
        subtitle: input,
        selfUrl: 'https://horizon.example/feeds/all.atom',
        siteUrl: 'https://horizon.example/',
        lang: 'en',
        publicUrl: 'https://horizon.example',
      });
      assert.equal(XMLValidator.validate(xml), true, `well-formed for ${JSON.stringify(input)}`);
      const feed = (parser.parse(xml) as { feed: Record<string, unknown> }).feed;
      const expected = xmlSafe(input);
      const entry = feed.entry as Record<string, Record<string, string>>;
      assert.equal(String(feed.title).replace(/\r\n?/g, '\n'), expected);
      assert.equal(decode(String(entry.title?.['#cdata'])).replace(/\r\n?/g, '\n'), expected);
      assert.equal(decode(String(entry.summary?.['#cdata'])).replace(/\r\n?/g, '\n'), expected);
      const entries = Array.isArray(feed.entry) ? feed.entry.length : 1;
      assert.equal(entries, 1, 'one entry');
    }
  });
});

for (const kind of await databaseKinds()) {
  describe(`private calendars and feeds of subscriptions with hostile labels on ${kind.name}`, () => {
    // 40 subscriptions from one address: more than the rate limit lets through in an hour.
    let server: { url: string; close(): Promise<void> };
    before(async () => {
      const db = await kind.open();
      await importBundle(db, SHIPPED);
      const limits = { ...DEFAULT_LIMITS, perClientPerHour: 1000 };
      const app = await buildApp({ db, logLevel: 'silent', limits, secrets: TEST_SECRETS });
      const url = await app.listen({ port: 0, host: '127.0.0.1' });
      server = { url, close: async () => (await app.close(), await db.close()) };
    });
    after(() => server.close());

    // Labels a subscriber may choose (edge validation may refuse NUL and lone halves; they are covered above).
    // eslint-disable-next-line no-control-regex
    const LABELS = CASES.filter((c) => !/[\u0000\uD800-\uDFFF]/.test(c.input)).map((c) => c.input);

    const subscribe = async (body: unknown, token?: string) => {
      const res = await fetch(`${server.url}/api/v1/subscriptions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body),
      });
      assert.equal(res.status, 201, await res.clone().text());
      return (await res.json()) as { owner_token?: string; subscription: { feed_url: string } };
    };

    it(`${LABELS.length} hostile labels: the calendar keeps its events and names itself with the label`, async () => {
      const publicCal = parse(await (await fetch(`${server.url}/calendar.ics?jurisdiction=cn-sh`)).text());
      const uids = publicCal.getAllSubcomponents('vevent').map((e) => value(e, 'uid'));
      assert.ok(uids.length >= 2);
      let token: string | undefined;
      for (const label of LABELS) {
        const created = await subscribe({ channel: 'ical', label, watch: { jurisdictions: ['cn-sh'] } }, token);
        token ??= created.owner_token;
        const res = await fetch(created.subscription.feed_url);
        assert.equal(res.status, 200);
        const body = await res.text();
        checkLines(body);
        const cal = parse(body);
        const expected = CASES.find((c) => c.input === label)?.expected;
        assert.equal(value(cal, 'x-wr-calname'), expected);
        assert.deepEqual(
          cal.getAllSubcomponents('vevent').map((e) => value(e, 'uid')),
          uids,
          `the same events as the public calendar for ${JSON.stringify(label)}`,
        );
        assert.equal(cal.getAllSubcomponents().length, uids.length, 'no other component');
      }
    });

    it(`${LABELS.length} hostile labels: the private Atom feed is well-formed and titled with the label`, async () => {
      let token: string | undefined;
      for (const label of LABELS) {
        const created = await subscribe({ channel: 'atom', label, watch: { jurisdictions: ['cn-sh'] } }, token);
        token ??= created.owner_token;
        const xml = await (await fetch(created.subscription.feed_url)).text();
        assert.equal(XMLValidator.validate(xml), true, `well-formed for ${JSON.stringify(label)}`);
        const feed = (new XMLParser({ trimValues: false }).parse(xml) as { feed: { title: unknown } }).feed;
        assert.equal(String(feed.title).replace(/\r\n?/g, '\n'), xmlSafe(label));
      }
    });
  });
}
