// The change-set pages as rendered: who gets which button (nobody approves their own change set unless the deployment
// allows it), conflicts with their Rebase button, every form with its CSRF field, and text from editors (titles,
// comments, e-mail addresses) shown inert.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ROLE_SCOPES, type Actor, type Role } from '../../src/accounts/types.ts';
import { html } from '../../src/domain/html.ts';
import type { ChangesetDetail, ChangesetRecord, ChangesetStatus } from '../../src/editorial/changesets.service.ts';
import { makeContext } from '../../src/guide/context.ts';
import { actionsFor, changesetPage, changesetsPage } from '../../src/guide/pages/editor/changesets.ts';
import { all, has, parseHtml, text } from '../support/html.ts';

const en = makeContext({ lang: 'en', asOf: undefined, path: '/workspace/changesets/cs_1' });
const zh = makeContext({ lang: 'zh', asOf: undefined, path: '/workspace/changesets/cs_1' });
const XSS = `<img src=x onerror=alert(1)><script>alert(2)</script>`;

const actor = (id: string, role: Role): Actor => ({
  accountId: id,
  email: `${id}@example.org`,
  name: id,
  role,
  scopes: new Set(ROLE_SCOPES.get(role)),
  via: 'session',
});

const record = (status: ChangesetStatus, over: Partial<ChangesetRecord> = {}): ChangesetRecord => ({
  id: 'cs_1',
  title: `Beijing measures ${XSS}`,
  status,
  author: { id: 'ed', email: 'ed@example.org' },
  reviewer: null,
  publisher: null,
  createdAt: '2026-12-01T10:00:00.000Z',
  updatedAt: '2026-12-01T10:05:00.000Z',
  submittedAt: null,
  approvedAt: null,
  publishedAt: null,
  publishAt: null,
  publishedSeq: null,
  reverts: null,
  ...over,
});

const CSRF = html`<input type="hidden" name="_csrf" value="tok" />`;

function render(viewer: Actor, cs: ChangesetRecord, selfApproval = false, conflict = false) {
  const detail: ChangesetDetail = {
    changeset: cs,
    entities: [
      {
        kind: 'instrument',
        entityId: 'cn-x',
        base: null,
        doc: '{"id":"cn-x"}',
        body: null,
        previous: null,
        savedAt: cs.updatedAt,
        savedBy: 'ed',
      },
    ],
    comments: [
      { id: 1, author: { id: 'rv', email: 'rv@example.org' }, kind: 'comment', body: XSS, createdAt: cs.updatedAt },
    ],
  };
  const diff = {
    changeset: cs,
    entities: [
      {
        kind: 'instrument' as const,
        id: 'cn-x',
        change: 'added' as const,
        conflict,
        fields: [{ path: 'title.en', change: 'added' as const, after: XSS }],
      },
    ],
    conflicts: conflict ? ['instrument:cn-x'] : [],
  };
  return parseHtml(changesetPage(en, { detail, diff, actions: actionsFor(viewer, cs, selfApproval), csrf: CSRF }));
}

const buttons = (doc: Document) => all(doc, 'button').map((b) => text(b));

describe('change-set pages', () => {
  it('give the author Submit and Withdraw on a draft, and no Approve', () => {
    const doc = render(actor('ed', 'editor'), record('draft'));
    const b = buttons(doc);
    assert.ok(b.includes('Submit for review') && b.includes('Withdraw'));
    assert.ok(!b.includes('Approve') && !b.includes('Publish now'));
    assert.ok(has(doc, 'a[href*="kind=instrument"]'), 'the author can add entities');
  });

  it('never show Approve on your own change set, reviewer or not, unless self-approval is on', () => {
    const own = record('in_review', { author: { id: 'rv', email: 'rv@example.org' } });
    assert.ok(!buttons(render(actor('rv', 'reviewer'), own)).includes('Approve'));
    assert.ok(!buttons(render(actor('rv', 'admin'), own)).includes('Approve'));
    assert.ok(buttons(render(actor('rv', 'reviewer'), own, true)).includes('Approve'));
    const other = buttons(render(actor('rv2', 'reviewer'), own));
    assert.ok(other.includes('Approve') && other.includes('Send back to the editor'));
    assert.ok(!other.includes('Submit for review'));
    assert.ok(!buttons(render(actor('ed2', 'editor'), own)).includes('Approve'), 'editors never approve');
  });

  it('offer Publish and Schedule on an approved set to a reviewer, Revert on a published one to an admin', () => {
    const approved = buttons(render(actor('rv', 'reviewer'), record('approved')));
    assert.ok(approved.includes('Publish now') && approved.includes('Schedule'));
    assert.ok(buttons(render(actor('ad', 'admin'), record('published'))).some((b) => b.startsWith('Revert')));
    const looking = render(actor('ed2', 'editor'), record('published'));
    assert.equal(all(looking, '.changeset-actions button').length, 0);
    assert.ok(has(looking, '.changeset-actions .muted'), 'says there is nothing to do');
  });

  it('show a conflict with the Rebase button for the author', () => {
    const doc = render(actor('ed', 'editor'), record('draft'), false, true);
    assert.match(text(doc.querySelector('.notice-conflict[role=alert]')!), /instrument:cn-x/);
    assert.ok(buttons(doc).includes('Rebase'));
  });

  it('carry the CSRF token in every form that posts, and show editors’ text inert', () => {
    const doc = render(actor('ed', 'editor'), record('draft'));
    const posting = all(doc, 'form[method=post]');
    assert.ok(posting.length > 3);
    for (const form of posting)
      assert.ok(form.querySelector('input[name=_csrf][value=tok]'), form.getAttribute('action') ?? '');
    assert.equal(all(doc, 'main img, main script, article img, article script').length, 0);
    assert.match(text(doc.querySelector('h1')!), /<img src=x onerror=alert\(1\)>/);
    assert.match(text(doc.querySelector('.comment-body')!), /<script>alert\(2\)<\/script>/);
  });

  it('list change sets by status in either language', () => {
    const doc = parseHtml(
      changesetsPage(zh, { status: 'in_review', changesets: [record('in_review')], csrf: CSRF, canCreate: true }),
    );
    assert.equal(text(doc.querySelector('nav a[aria-current=page]')!), '审核中');
    assert.ok(has(doc, 'tr[data-changeset=cs_1] a[href="/workspace/changesets/cs_1?lang=zh"]'));
    assert.ok(has(doc, 'form[method=post] input[name=_csrf]'));
  });
});
