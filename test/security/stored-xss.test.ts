// Stored XSS: the shipped bundle with an attack payload added to every text field of every entity kind (instrument
// titles, summaries, notes, document numbers, citations, event and claim notes, relation notes; bodies; sources;
// programmes and their rule labels; articles and revisions, Markdown included; jurisdictions, chapters and every
// taxonomy label), imported through the validator, then every page, the Atom feeds, the calendar and an alert e-mail
// read back and checked to be inert: no element, attribute or property line of the payload's making; and a change set
// titled, edited and commented on with it, and an account named with it (the signed-in bar of every page). PGlite
// only.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { XMLValidator } from 'fast-xml-parser';
import type { FastifyInstance } from 'fastify';
import { DOMParser } from 'linkedom';
import { bundleFiles } from '../../src/content/export.ts';
import { importBundle } from '../../src/content/import.ts';
import { validateBundle } from '../../src/content/validate.ts';
import { formatProblem } from '../../src/errors.ts';
import type { Bundle } from '../../src/domain/types.ts';
import {
  commentOnChangeset,
  createChangeset,
  saveEntity,
  submitChangeset,
} from '../../src/editorial/changesets.service.ts';
import { buildApp } from '../../src/server.ts';
import { KnowledgeRepository } from '../../src/store/knowledge.repository.ts';
import type { Database } from '../../src/store/database.ts';
import { alertEmail } from '../../src/watch/deliver/email.ts';
import { listPublicEvents } from '../../src/watch/events.store.ts';
import { SHIPPED, tempDir } from '../support/bundles.ts';
import { pglite } from '../support/databases.ts';
import { createTestAccount, signIn } from '../support/accounts.ts';
import { all, one, parseHtml, text, type Root } from '../support/html.ts';
import { smtpSink } from '../support/mail.ts';
import { TEST_SECRETS } from '../support/server.ts';
import { EDITOR, REVIEWER, workspace } from '../editorial/fixtures.ts';

/** What an attacker would write into a text field: markup, attribute and element break-outs, CRLF for iCalendar. */
const PAYLOAD =
  ' <script>alert("xss")</script> "><img src=x onerror=alert(1)> \'><svg onload=alert(2)></svg> </title></textarea>' +
  '</script><script>alert(3)</script> ]]><!-- --> {{7*7}}\r\nBEGIN:VEVENT\r\nSUMMARY:injected\r\nEND:VEVENT\r\n';
/** The Markdown payload: raw HTML (the renderer has HTML off) and links with script URLs. */
const MARKDOWN_PAYLOAD = `

<script>alert("md")</script> <img src=x onerror=alert(4)> <a href="javascript:alert(5)">raw</a>

[a script link](javascript:alert(6)) [a data link](data:text/html,<script>alert(7)</script>) [spaced](  JaVaScRiPt:alert(8))
`;
/** A source address that keeps to the schema (http(s), no white space) but tries to break out of an attribute. */
const URL_PAYLOAD = 'https://evil.example/"><img/src=x/onerror=alert(9)>';

/** Keys whose string values are text people read (codes, ids, dates and enums are left alone). */
const TEXT_KEYS = new Set([
  'en',
  'zh',
  'title',
  'note',
  'locator',
  'publisher',
  'abbreviation',
  'document_number',
  'change_note',
  'description',
  'name',
]);

/** Every text field of the value with the payload added. */
function poison(value: unknown, key = ''): unknown {
  if (typeof value === 'string') {
    if (key === 'url') return URL_PAYLOAD;
    if (key === 'body') return value + MARKDOWN_PAYLOAD + PAYLOAD;
    return TEXT_KEYS.has(key) ? value + PAYLOAD : value;
  }
  if (Array.isArray(value)) return value.map((v) => poison(v, key === 'value' ? 'value' : ''));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, poison(v, k)]));
  }
  return value;
}

/** The shipped bundle, poisoned, written as bundle files (so the import validates it like any other). */
function poisonedBundle(): string {
  const shipped = validateBundle(SHIPPED);
  assert.ok(shipped.bundle, shipped.problems.map(formatProblem).join('\n'));
  const bundle = poison(shipped.bundle) as Bundle;
  const dir = path.join(tempDir(), 'poisoned');
  for (const [rel, content] of bundleFiles(bundle)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), content);
  }
  return dir;
}

const SCRIPT_URL = /^\s*(javascript|vbscript|data):/i;
const URL_ATTRS = ['href', 'src', 'action', 'formaction', 'xlink:href', 'poster', 'srcset'];

/** Fails when the page holds anything of the payload's making: a script not ours, an on* attribute, a script URL. */
function assertInert(root: Root, where: string): void {
  for (const script of all(root, 'script')) {
    const src = script.getAttribute('src');
    const type = script.getAttribute('type');
    if (src !== null) {
      assert.match(src, /^\/static\//, `${where}: a script from ${src}`);
      continue;
    }
    assert.ok(type === 'application/ld+json' || type === 'application/json', `${where}: an inline script ${type}`);
    assert.doesNotThrow(() => JSON.parse(script.textContent ?? ''), `${where}: embedded JSON stays whole`);
  }
  for (const el of all(root, '*')) {
    for (const attr of Array.from(el.attributes)) {
      assert.ok(!/^on/i.test(attr.name), `${where}: <${el.localName} ${attr.name}=…>`);
      if (URL_ATTRS.includes(attr.name.toLowerCase())) {
        assert.ok(!SCRIPT_URL.test(attr.value), `${where}: <${el.localName} ${attr.name}="${attr.value}">`);
      }
    }
  }
  for (const selector of [
    'img[src="x"]',
    'img[src="x/onerror=alert(9)"]',
    'svg[onload]',
    'iframe',
    'object',
    'embed',
  ]) {
    assert.equal(all(root, selector).length, 0, `${where}: ${selector}`);
  }
}

describe('stored XSS: every text field, every page, feed, calendar and e-mail', () => {
  let db: Database;
  let app: FastifyInstance;
  let url: string;
  let bundle: Bundle;
  /** The session cookie of the editor named with the payload. */
  let session: string;
  /** The change set titled, edited and commented with the payload. */
  let changeset: string;
  /** The instrument it edits. */
  let edited: string;
  before(async () => {
    const dir = poisonedBundle();
    const checked = validateBundle(dir);
    assert.ok(checked.bundle, checked.problems.map(formatProblem).join('\n'));
    bundle = checked.bundle;
    db = await pglite.open();
    await importBundle(db, dir);
    // A change set waiting for review, titled by an attacker (the workspace lists it), and a comment on it.
    const ws = workspace(db);
    const cs = await createChangeset(ws, EDITOR, { title: `Change${PAYLOAD}`.slice(0, 200) });
    const [doc] = await new KnowledgeRepository(db).instrumentsById([bundle.instruments[0]?.id ?? '']);
    assert.ok(doc);
    await saveEntity(ws, EDITOR, cs.id, 'instrument', doc.id, { ...doc, notes: { en: `Edited${PAYLOAD}` } });
    await commentOnChangeset(ws, REVIEWER, cs.id, `Comment${PAYLOAD}`);
    await submitChangeset(ws, EDITOR, cs.id);
    changeset = cs.id;
    edited = doc.id;
    app = await buildApp({ db, logLevel: 'silent', secrets: TEST_SECRETS, publicUrl: 'https://horizon.example' });
    url = await app.listen({ port: 0, host: '127.0.0.1' });
    // Signed in as an editor whose account name is the payload: the account bar shows it on every page.
    const editor = await createTestAccount(db, {
      email: 'mallory@example.org',
      role: 'editor',
      name: `Mallory${PAYLOAD}`,
    });
    session = (await signIn(url, editor.email, editor.password)).cookie;
  });
  after(async () => {
    await app.close();
    await db.close();
  });

  const get = async (p: string, signedIn = false): Promise<string> => {
    const res = await fetch(`${url}${p}`, {
      redirect: 'manual',
      ...(signedIn ? { headers: { cookie: session } } : {}),
    });
    assert.equal(res.status, 200, p);
    return res.text();
  };

  it('keeps the payload in every text field through validation and import', () => {
    assert.ok(
      bundle.instruments.every((i) => i.title.en.includes('onerror=alert(1)') && i.summary.zh.includes('<script>')),
    );
    assert.ok(bundle.revisions.every((r) => r.body.includes('javascript:alert(6)')));
    assert.ok(bundle.taxonomy.topics.every((t) => t.label.en.includes('</title>')));
    assert.ok(bundle.programmes.every((p) => JSON.stringify(p.rule).includes('onerror')));
  });

  it('renders every page inert, with the payload shown as text', async () => {
    const pages = [
      '/',
      '/workspace',
      // The change-set pages: its title, the edited entity's diff, the comment, and the entity's edit form.
      '/workspace/changesets',
      `/workspace/changesets/${changeset}`,
      `/workspace/changesets/${changeset}/entity?kind=instrument&id=${edited}`,
      `/workspace/changesets/${changeset}/entity?kind=instrument&id=${edited}&as=json`,
      '/jurisdictions',
      '/topics',
      '/watch',
      '/check',
      '/search?q=alert',
      '/search?q=%3Cscript%3E',
      ...bundle.chapters.map((c) => `/chapters/${c.code}`),
      ...bundle.jurisdictions.map((j) => `/jurisdictions/${j.code}`),
      ...bundle.taxonomy.topics.map((t) => `/topics/${t.code}`),
      // Instruments in one language each, alternately (there are many, and their pages share one template).
      ...bundle.instruments.map((i, n) => `/instruments/${i.id}?lang=${n % 2 === 0 ? 'en' : 'zh'}`),
      ...bundle.articles.flatMap((a) => [
        `/articles/${a.id}`,
        `/articles/${a.id}/revisions`,
        `/articles/${a.id}/compare`,
      ]),
    ];
    let shown = 0;
    for (const p of pages) {
      for (const lang of p.includes('lang=') ? [''] : ['en', 'zh']) {
        const where = `${p} (${lang})`;
        const doc = parseHtml(await get(lang ? `${p}${p.includes('?') ? '&' : '?'}lang=${lang}` : p, true));
        assertInert(doc, where);
        assert.equal(all(doc, 'title').length, 1, `${where}: one <title>`);
        if (text(doc).includes('onerror=alert(1)')) shown++;
      }
    }
    // The payload is there to be seen (escaped), not dropped: on nearly every page.
    const fetched = pages.reduce((n, p) => n + (p.includes('lang=') ? 1 : 2), 0);
    assert.ok(shown >= fetched - 4, `the payload shows as text on ${shown} of ${fetched} pages`);
    const home = parseHtml(await get('/workspace', true));
    assert.ok(text(one(home, '.account-bar')).includes('onerror=alert(1)'), 'the account name shows as text');
    const waiting = all(home, '#changesets li.attention-item');
    assert.equal(waiting.length, 1, 'the change set waits for review');
    assert.ok(text(waiting[0] as Element).includes('onerror=alert(1)'), 'its title shows as text');
    // The admins' pages list accounts (and the audit log names them): an admin signed in reads them inert.
    const admin = await createTestAccount(db, { email: 'ada@example.org', role: 'admin', name: `Ada${PAYLOAD}` });
    const adminSession = (await signIn(url, admin.email, admin.password)).cookie;
    for (const p of ['/admin/users', '/admin/audit', '/account']) {
      const res = await fetch(`${url}${p}`, { headers: { cookie: adminSession } });
      assert.equal(res.status, 200, p);
      const doc = parseHtml(await res.text());
      assertInert(doc, p);
      if (p !== '/admin/audit') assert.ok(text(doc).includes('onerror=alert(1)'), `${p} shows the names as text`);
      if (p === '/admin/users') assert.ok(text(doc).includes('Mallory'), 'the users page lists the editor');
    }
    const article = parseHtml(await get(`/articles/${bundle.articles[0]?.id ?? ''}`));
    assert.ok(text(article).includes('<script>alert("md")</script>'), 'raw HTML in Markdown shows as text');
  });

  it('writes Atom feeds that are well-formed, with only Atom elements and inert HTML content', async () => {
    const feeds = [
      '/feeds/all.atom',
      ...bundle.jurisdictions.slice(0, 3).map((j) => `/feeds/jurisdictions/${j.code}.atom`),
      ...bundle.taxonomy.topics.slice(0, 3).map((t) => `/feeds/topics/${t.code}.atom`),
    ];
    const ATOM = new Set([
      'feed',
      'title',
      'subtitle',
      'id',
      'updated',
      'published',
      'link',
      'entry',
      'summary',
      'content',
      'author',
      'name',
      'uri',
      'email',
      'category',
      'generator',
      'rights',
      'icon',
      'logo',
    ]);
    let entries = 0;
    for (const f of feeds) {
      for (const lang of ['en', 'zh']) {
        const xml = await get(`${f}?lang=${lang}`);
        assert.equal(XMLValidator.validate(xml), true, `${f}: well-formed XML`);
        const doc = new DOMParser().parseFromString(xml, 'text/xml') as unknown as Document;
        for (const el of Array.from(doc.querySelectorAll('*'))) {
          assert.ok(ATOM.has(el.localName), `${f}: <${el.localName}> is not Atom`);
        }
        for (const el of Array.from(doc.querySelectorAll('entry'))) {
          entries++;
          for (const part of Array.from(el.querySelectorAll('title, summary, content'))) {
            // type="html" text is markup to a feed reader: what it holds must be inert too.
            if (part.getAttribute('type') === 'html')
              assertInert(parseHtml(part.textContent ?? ''), `${f} ${part.localName}`);
            else assert.equal(part.children.length, 0, `${f}: ${part.localName} holds only text`);
          }
        }
      }
    }
    assert.ok(entries > 0, 'the feeds have entries to check');
  });

  it('writes a calendar whose every line is a property of ours: no injected event or property', async () => {
    for (const lang of ['en', 'zh']) {
      const ics = await get(`/calendar.ics?lang=${lang}`);
      const lines = ics
        .replace(/\r\n[ \t]/g, '')
        .split('\r\n')
        .filter((l) => l !== '');
      const names = new Set([
        'BEGIN',
        'END',
        'VERSION',
        'PRODID',
        'URL',
        'METHOD',
        'NAME',
        'X-WR-CALNAME',
        'X-WR-CALDESC',
        'REFRESH-INTERVAL',
        'X-PUBLISHED-TTL',
        'X-HORIZON-TRUNCATED',
        'UID',
        'SEQUENCE',
        'DTSTAMP',
        'DTSTART',
        'DTEND',
        'X-MICROSOFT-CDO-ALLDAYEVENT',
        'SUMMARY',
        'DESCRIPTION',
        'CATEGORIES',
      ]);
      for (const line of lines) {
        const name = /^([A-Z-]+)[;:]/.exec(line)?.[1];
        assert.ok(name && names.has(name), `a line that is no property of ours: ${JSON.stringify(line)}`);
        assert.ok(!/[\r\n]/.test(line), 'no bare CR or LF inside a line');
      }
      const begins = lines.filter((l) => l === 'BEGIN:VEVENT').length;
      assert.ok(begins > 0, 'the calendar has events to check');
      assert.equal(begins, lines.filter((l) => l === 'END:VEVENT').length);
      assert.equal(begins, lines.filter((l) => l.startsWith('UID:')).length, 'one BEGIN:VEVENT per event, no more');
      assert.ok(!lines.includes('SUMMARY:injected'));
    }
  });

  it('sends an alert e-mail whose HTML is inert and whose headers hold no injected line', async () => {
    const events = (await listPublicEvents(db, { limit: 500 })).filter(
      (e) => e.title.en.includes('onerror') && e.summary.zh.includes('<script>'),
    );
    assert.ok(events.length > 0, 'imported events carry the payload');
    const sink = await smtpSink();
    try {
      for (const [i, event] of events.slice(0, 2).entries()) {
        for (const lang of ['en', 'zh'] as const) {
          const mail = alertEmail({ id: 's_xss', label: `label${PAYLOAD}` }, [event], {
            publicUrl: 'https://horizon.example',
            lang,
            digest: 'none',
            manageUrl: 'https://horizon.example/watch#manage',
          });
          const sent = await sink.mailer.send({ to: `reader${i}-${lang}@example.org`, ...mail });
          assert.equal(sent.ok, true);
        }
      }
      assert.equal(sink.mails.length, Math.min(events.length, 2) * 2);
      for (const mail of sink.mails) {
        assertInert(parseHtml(mail.html), `e-mail to ${mail.to.join()}`);
        assert.ok(text(parseHtml(mail.html)).includes('onerror=alert(1)'), 'the payload shows as text');
        assert.ok(!/[\r\n]/.test(mail.headers.subject ?? ''), 'the subject is one line');
        for (const name of Object.keys(mail.headers)) {
          assert.ok(!['bcc', 'summary', 'begin', 'end'].includes(name.toLowerCase()), `an injected header ${name}`);
        }
      }
    } finally {
      await sink.close();
    }
  });
});
