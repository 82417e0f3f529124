// The workspace's change-set pages over HTTP, on a real server with real accounts and sessions: anonymous callers are
// sent to sign in, a save that fails shows each problem beside its field and saves nothing, Preview saves nothing,
// the raw JSON form round-trips, and the review buttons are refused to an editor. (The whole workflow in a browser is
// test/browser/editorial.e2e.test.ts; the service's rules are test/editorial/.)
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { getChangeset } from '../../src/editorial/changesets.service.ts';
import { fieldId } from '../../src/guide/pages/editor/fields.ts';
import { createTestAccount, signIn } from '../support/accounts.ts';
import { pglite } from '../support/databases.ts';
import { attrOf, has, one, parseHtml, text } from '../support/html.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

describe('workspace change-set pages', () => {
  let server: TestServer;
  let editor: { cookie: string; csrf: string };
  let changeset: string;

  const post = (path: string, fields: Record<string, string>, who = editor) =>
    fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { cookie: who.cookie, 'content-type': 'application/x-www-form-urlencoded', origin: server.url },
      body: new URLSearchParams({ _csrf: who.csrf, ...fields }).toString(),
      redirect: 'manual',
    });
  const get = (path: string, who = editor) => fetch(`${server.url}${path}`, { headers: { cookie: who.cookie } });

  before(async () => {
    server = await startTestServer(pglite);
    const account = await createTestAccount(server.db, { email: 'ed@example.org', role: 'editor' });
    editor = await signIn(server.url, account.email, account.password);
    const created = await post('/workspace/changesets', { title: 'Test set' });
    assert.equal(created.status, 303);
    changeset = /\/workspace\/changesets\/(cs_[A-Za-z0-9_-]+)/.exec(created.headers.get('location') ?? '')?.[1] ?? '';
    assert.ok(changeset, created.headers.get('location') ?? 'no location');
  });
  after(() => server?.close());

  it('sends anonymous callers to sign in', async () => {
    const r = await fetch(`${server.url}/workspace/changesets`, { redirect: 'manual' });
    assert.equal(r.status, 303);
    assert.match(r.headers.get('location') ?? '', /^\/login\?next=/);
  });

  it('shows each problem of a failed save beside its field, keeps what was typed, and saves nothing', async () => {
    const fields = {
      _kind: 'instrument',
      _form: 'instrument',
      _action: 'save',
      id: 'cn-test-instrument',
      'title.en': 'A test instrument',
      'title.zh': '',
      kind: 'policy',
      jurisdiction: 'cn-bj',
      issuers: 'no-such-body',
      'summary.en': 'x',
      'summary.zh': 'x',
      sources: 'no-such-source',
      'events.0.type': 'adopted',
      'events.0.date': '2024-13-45',
    };
    const invalid = (doc: Document, path: string) =>
      one(doc, `#${fieldId(path)}`)
        .closest('.form-group')
        ?.classList.contains('form-group-error') === true;
    // The schema's problems first (as a bundle's), then the references and dates once the shape is right.
    const first = await post(`/workspace/changesets/${changeset}/entity`, fields);
    assert.equal(first.status, 400);
    const doc1 = parseHtml(await first.text());
    assert.ok(invalid(doc1, 'title.zh'));
    assert.equal(attrOf(doc1, `#${fieldId('title.en')}`, 'value'), 'A test instrument', 'what was typed is kept');
    const second = await post(`/workspace/changesets/${changeset}/entity`, { ...fields, 'title.zh': '测试' });
    assert.equal(second.status, 400);
    const doc2 = parseHtml(await second.text());
    assert.ok(has(doc2, '#error-summary'));
    for (const path of ['events.0.date', 'issuers', 'sources'])
      assert.ok(invalid(doc2, path), `${path} shows its problem`);
    assert.ok(!invalid(doc2, 'title.zh'));
    assert.equal((await getChangeset({ db: server.db, selfApproval: false }, changeset)).entities.length, 0);
  });

  it('previews a programme rule against the sample profiles without saving, then saves it as JSON', async () => {
    const rule = { all: [{ fact: 'jurisdictions', op: 'intersects', value: ['cn-bj'], label: { en: 'In Beijing' } }] };
    const r = await post(`/workspace/changesets/${changeset}/entity`, {
      _kind: 'programme',
      _form: 'programme',
      _action: 'preview',
      id: 'cn-test-programme',
      rule: JSON.stringify(rule),
    });
    assert.equal(r.status, 200);
    const doc = parseHtml(await r.text());
    assert.equal(text(one(doc, 'tr[data-sample="beijing-compute-user"] .outcome')), 'Applies');
    assert.equal((await getChangeset({ db: server.db, selfApproval: false }, changeset)).entities.length, 0);

    const page = await get(
      `/workspace/changesets/${changeset}/entity?kind=programme&id=cn-bj-ai-compute-vouchers&as=json`,
    );
    // The text area's content as a browser reads it (linkedom leaves its character references).
    const json = one(parseHtml(await page.text()), `#${fieldId('json')}`)
      .innerHTML.replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
    const saved = await post(`/workspace/changesets/${changeset}/entity`, {
      _kind: 'programme',
      _form: 'json',
      _entity: 'cn-bj-ai-compute-vouchers',
      _action: 'save',
      json,
    });
    assert.equal(saved.status, 303, await saved.text());
    const detail = await getChangeset({ db: server.db, selfApproval: false }, changeset);
    assert.deepEqual(
      detail.entities.map((e) => `${e.kind}:${e.entityId}`),
      ['programme:cn-bj-ai-compute-vouchers'],
    );
  });

  it('refuses the reviewers’ buttons to an editor, and a form without the session’s token', async () => {
    assert.equal((await post(`/workspace/changesets/${changeset}/approve`, {})).status, 403);
    const noToken = await fetch(`${server.url}/workspace/changesets/${changeset}/submit`, {
      method: 'POST',
      headers: { cookie: editor.cookie, 'content-type': 'application/x-www-form-urlencoded', origin: server.url },
      body: '',
      redirect: 'manual',
    });
    assert.equal(noToken.status, 403);
  });
});
