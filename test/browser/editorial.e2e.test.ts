// The editorial workflow end to end in Chromium, on a PGlite data folder holding the shipped content: an editor signs
// in, opens a change set, creates an instrument "draft for comment" whose comment deadline is 20 days ahead, writes a
// new revision of an article that cites it and submits; the editor has no Approve button and is refused approving; a
// reviewer sees the diff, approves and publishes. Then the instrument is in the API, in search and on the article; a
// webhook subscriber watching its jurisdiction receives the alert; the calendar has the deadline; the change log
// names both people; `horizon verify` passes; `horizon export` writes files that import back with no change.
import assert from 'node:assert/strict';
import http from 'node:http';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { importBundle } from '../../src/content/import.ts';
import { addDays, today } from '../../src/domain/dates.ts';
import { buildApp } from '../../src/server.ts';
import { openDatabase, type Database } from '../../src/store/database.ts';
import { SubscriptionIndex } from '../../src/watch/subscription-index.ts';
import { createSubscription, validateSubscription } from '../../src/watch/subscriptions.service.ts';
import { workRound } from '../../src/watch/worker.ts';
import { createTestAccount } from '../support/accounts.ts';
import { SHIPPED, tempDir } from '../support/bundles.ts';
import { horizon } from '../support/cli.ts';
import { smtpSink } from '../support/mail.ts';
import { TEST_SECRETS, TEST_SECRET_KEY } from '../support/server.ts';
import { GENEROUS_LIMITS, watchConfig } from '../support/watch-config.ts';
import { challengeAnswer } from '../support/webhooks.ts';
import { launchChromium, pageErrors } from './chromium.ts';

const INSTRUMENT = 'cn-bj-2026-ai-services-measures-draft';
const ARTICLE = 'ai-initiatives-in-china';
const SOURCE = 'aeenf-21456';
const ISSUER = 'beijing-municipal-bureau-of-economy-and-information-technology';
const EDITOR = { email: 'editor@example.org', role: 'editor' as const };
const REVIEWER = { email: 'reviewer@example.org', role: 'reviewer' as const };

describe('the editorial workflow in Chromium', () => {
  const data = path.join(tempDir('horizon-e2e-editorial-'), 'data');
  const day = today();
  const deadline = addDays(day, 20);
  let db: Database;
  let url: string;
  let closeApp: () => Promise<void>;
  let browser: Browser;
  let receiver: http.Server;
  const received: string[] = [];
  let hookUrl: string;
  let changesetUrl: string;
  let editorPassword: string;
  let reviewerPassword: string;

  before(async () => {
    db = await openDatabase({ kind: 'pglite', dataDir: data });
    await importBundle(db, SHIPPED);
    editorPassword = (await createTestAccount(db, EDITOR)).password;
    reviewerPassword = (await createTestAccount(db, REVIEWER)).password;
    const app = await buildApp({ db, logLevel: 'silent', secrets: TEST_SECRETS, allowPrivateWebhooks: true });
    url = await app.listen({ port: 0, host: '127.0.0.1' });
    closeApp = () => app.close();
    receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const answer = challengeAnswer(body);
        if (answer === undefined) received.push(body);
        res.writeHead(200, { 'content-type': 'application/json' }).end(answer ?? '{}');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const address = receiver.address();
    assert.ok(address && typeof address === 'object');
    hookUrl = `http://127.0.0.1:${address.port}/hook`;
    // A subscriber watching Beijing (and what is within it).
    const valid = await validateSubscription(
      db,
      { channel: 'webhook', url: hookUrl, watch: { jurisdictions: ['cn-bj'] } },
      { allowPrivateWebhooks: true },
    );
    const created = await createSubscription(db, valid, undefined, {
      client: '127.0.0.1',
      lang: 'en',
      limits: GENEROUS_LIMITS,
      handshake: { allowPrivate: true, timeoutMs: 5000 },
      secrets: TEST_SECRETS,
    });
    assert.equal(created.subscription.status, 'active');
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await closeApp?.().catch(() => undefined);
    await db?.close().catch(() => undefined);
    await new Promise<void>((resolve) => (receiver ? receiver.close(() => resolve()) : resolve()));
  });

  async function signedIn(email: string, password: string): Promise<{ page: Page; errors: string[] }> {
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors = pageErrors(page);
    await page.goto(`${url}/login?next=/workspace/changesets`);
    await page.fill('input[name=email]', email);
    await page.fill('input[name=password]', password);
    await Promise.all([page.waitForURL(/\/workspace\/changesets/), page.press('input[name=password]', 'Enter')]);
    return { page, errors };
  }

  it('an editor drafts an instrument and a revision that cites it, and submits', async () => {
    const { page, errors } = await signedIn(EDITOR.email, editorPassword);
    await page.fill('#cs-title', 'Beijing draft AI services measures');
    await Promise.all([
      page.waitForURL(/\/workspace\/changesets\/cs_/),
      page.click('button:has-text("Open the change set")'),
    ]);
    changesetUrl = page.url().split('?')[0]!.split('#')[0]!;

    // The instrument, with the keyboard where a person would use it.
    await page.click('a:has-text("New instrument")');
    await page.fill('#f-id', INSTRUMENT);
    await page.fill('#f-title-en', 'Measures for AI Services in Beijing (Draft for Comment)');
    await page.fill('#f-title-zh', '北京市人工智能服务管理办法（征求意见稿）');
    await page.selectOption('#f-kind', 'local-government-rule');
    await page.selectOption('#f-jurisdiction', 'cn-bj');
    await page.fill('#f-issuers', ISSUER);
    await page.fill('#f-summary-en', 'A draft for comment of Beijing measures for AI services.');
    await page.fill('#f-summary-zh', '北京市人工智能服务管理办法征求意见稿。');
    await page.fill('#f-sources', SOURCE);
    await page.selectOption('#f-events-0-type', 'draft-published');
    await page.fill('#f-events-0-date', day);
    await page.fill('#f-events-0-sources', SOURCE);
    await Promise.all([page.waitForURL(/#entities$/), page.click('button[value=save]')]);
    // The comment deadline, in the blank row the saved form now offers.
    await page.click(`a[href*="id=${INSTRUMENT}"]:has-text("Edit")`);
    await page.selectOption('#f-events-1-type', 'comment-deadline');
    await page.fill('#f-events-1-date', deadline);
    await page.fill('#f-events-1-sources', SOURCE);
    await Promise.all([page.waitForURL(/#entities$/), page.click('button[value=save]')]);

    // A new revision of the article, dated today, from its latest text, citing the instrument.
    await page.selectOption('#take-kind', 'revision');
    await page.fill('#take-id', ARTICLE);
    await page.click('button:has-text("Open")');
    assert.equal(await page.inputValue('#f-accurate_up_to'), day);
    const cite = `\n\n## Beijing draft\n\nBeijing published [draft measures for AI services](instrument:${INSTRUMENT}) for comment until ${deadline}.`;
    await page.fill('#f-en-body', `${await page.inputValue('#f-en-body')}${cite}`);
    await page.fill(
      '#f-zh-body',
      `${await page.inputValue('#f-zh-body')}\n\n## 北京征求意见稿\n\n北京发布了[人工智能服务管理办法征求意见稿](instrument:${INSTRUMENT})。`,
    );
    await page.fill('#f-en-change_note', 'Beijing draft measures for AI services added.');
    await page.fill('#f-zh-change_note', '新增北京人工智能服务管理办法征求意见稿。');
    await page.click('button[value=preview]');
    assert.equal(
      await page.getAttribute(`#preview-en a[href="/instruments/${INSTRUMENT}"]`, 'class'),
      'instrument-link',
    );
    await Promise.all([page.waitForURL(/#entities$/), page.click('button[value=save]')]);
    assert.equal(await page.locator(`tr[data-entity^="revision:${ARTICLE}/${day}/"]`).count(), 2);

    await Promise.all([page.waitForURL(/done=submit/), page.click('button:has-text("Submit for review")')]);
    assert.equal(await page.getAttribute('.changeset-status', 'data-status'), 'in_review');
    // The author sees no Approve button, and approving anyway is refused.
    assert.equal(await page.locator('button:has-text("Approve")').count(), 0);
    const csrf = await page.getAttribute('input[name=_csrf]', 'value');
    const refused = await page.request.post(`${changesetUrl}/approve`, {
      form: { _csrf: csrf ?? '' },
      headers: { origin: url },
      maxRedirects: 0,
    });
    assert.equal(refused.status(), 403);
    assert.deepEqual(errors, []);
  });

  it('a reviewer sees the diff, approves and publishes', async () => {
    const { page, errors } = await signedIn(REVIEWER.email, reviewerPassword);
    await page.goto(changesetUrl);
    assert.equal(await page.locator(`#diff .entity-diff h3:has-text("instrument:${INSTRUMENT}")`).count(), 1);
    assert.match((await page.textContent('#diff tr[data-path="events"]')) ?? '', new RegExp(deadline));
    assert.match((await page.textContent('#diff tr[data-path="jurisdiction"]')) ?? '', /cn-bj/);
    assert.match((await page.textContent(`#diff .entity-body-diff ins`)) ?? '', /Beijing|draft/);
    await Promise.all([page.waitForURL(/done=approve/), page.click('button:has-text("Approve")')]);
    await Promise.all([page.waitForURL(/done=publish/), page.click('button:has-text("Publish now")')]);
    assert.equal(await page.getAttribute('.changeset-status', 'data-status'), 'published');
    assert.deepEqual(errors, []);
  });

  it('publishes everywhere an import does: API, search, the article, the webhook, the calendar, the change log', async () => {
    const api = await fetch(`${url}/api/v1/instruments/${INSTRUMENT}`);
    assert.equal(api.status, 200);
    assert.match(await api.text(), /"status":"draft"/, 'a draft for comment');
    const search = (await (
      await fetch(`${url}/api/v1/search?q=${encodeURIComponent('AI services Beijing draft')}`)
    ).json()) as unknown;
    assert.match(JSON.stringify(search), new RegExp(INSTRUMENT));
    const article = await (await fetch(`${url}/articles/${ARTICLE}`)).text();
    assert.match(article, new RegExp(`href="/instruments/${INSTRUMENT}`));

    const smtp = await smtpSink();
    try {
      const options = { config: watchConfig(), secrets: TEST_SECRETS };
      await workRound(db, new SubscriptionIndex(), options, smtp.mailer);
    } finally {
      await smtp.close();
    }
    assert.ok(
      received.some((body) => body.includes(INSTRUMENT)),
      `the webhook received an alert naming the instrument (got ${received.length} deliveries)`,
    );

    const ics = await (await fetch(`${url}/calendar.ics?instrument=${INSTRUMENT}`)).text();
    assert.match(ics, new RegExp(`DTSTART;VALUE=DATE:${deadline.replace(/-/g, '')}`));

    const changes = JSON.stringify(await (await fetch(`${url}/api/v1/changes?since=0&limit=500`)).json());
    const entry = changes.slice(changes.indexOf(INSTRUMENT) - 2000, changes.indexOf(INSTRUMENT) + 2000);
    assert.match(entry, new RegExp(EDITOR.email.replace('.', '\\.')));
    assert.match(entry, new RegExp(REVIEWER.email.replace('.', '\\.')));
  });

  it('leaves a store that `horizon verify` passes and that exports and imports back with no change', async () => {
    await closeApp();
    await db.close();
    const env = { HORIZON_SECRET_KEY: TEST_SECRET_KEY };
    const verified = await horizon(['verify', '--data', data], env);
    assert.equal(verified.code, 0, verified.stderr);
    const out = path.join(tempDir(), 'exported');
    const exported = await horizon(['export', out, '--data', data], env);
    assert.equal(exported.code, 0, exported.stderr);
    const again = await horizon(['import', out, '--data', data], env);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /0 added, 0 changed, 0 removed/);
  });
});
