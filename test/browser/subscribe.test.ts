// Subscribing from the watch page in a real headless Chromium: fill the form (e-mail, a jurisdiction, a kind of
// change), submit, see the owner token once and that a confirmation link is on its way; follow the link the worker
// e-mails and press its button; then list the subscription, active, with Manage. Nothing is loaded from another host and no
// rule of the page's policy is broken.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { deliverDue } from '../../src/watch/worker.ts';
import { confirmationLink, smtpSink } from '../support/mail.ts';
import { watchConfig } from '../support/watch-config.ts';
import { TEST_SECRETS } from '../support/server.ts';
import { pageErrors, serverAndBrowser } from './chromium.ts';

describe('subscribing from the watch page in Chromium', () => {
  const started = serverAndBrowser();

  it('fills and submits the Subscribe form, shows the owner token, and Manage lists the subscription', async () => {
    const { server, browser } = started();
    const origin = new URL(server.url).origin;
    const context = await browser.newContext();
    const requests: string[] = [];
    context.on('request', (r) => requests.push(r.url()));
    const page = await context.newPage();
    const errors = pageErrors(page);
    try {
      const response = await page.goto(`${server.url}/watch`);
      assert.equal(response?.status(), 200);

      const form = page.locator('form#subscribe');
      const shanghai = form.getByRole('checkbox', { name: 'Shanghai Municipality' });
      // A form with a mistake first: the error summary and the field's message, the values kept.
      await form.getByRole('radio', { name: 'E-mail', exact: true }).check();
      await form.getByLabel('E-mail address').fill('not an address');
      await shanghai.check();
      await form.getByRole('button', { name: 'Subscribe', exact: true }).click();
      await page.waitForLoadState('load');
      assert.equal(await page.locator('.error-summary h2').innerText(), 'There is a problem');
      assert.match(await page.locator('#sub-email-error').innerText(), /Enter an e-mail address in the right form/);
      assert.equal(await form.getByLabel('E-mail address').inputValue(), 'not an address');
      assert.ok(await shanghai.isChecked(), 'the jurisdiction stays ticked');
      // The summary's link leads to the field.
      await page.locator('.error-summary a[href="#sub-email"]').click();
      assert.equal(new URL(page.url()).hash, '#sub-email');

      await form.getByLabel('E-mail address').fill('reader@example.com');
      await form.getByRole('checkbox', { name: /^An instrument’s status changes/ }).check();
      await form.getByLabel('Label (optional)').fill('Shanghai');
      await form.getByRole('button', { name: 'Subscribe', exact: true }).click();
      await page.waitForLoadState('load');
      assert.equal(await page.locator('h1').innerText(), 'Confirm your e-mail address');
      assert.match(await page.locator('#status-note').innerText(), /confirmation link to reader@example\.com/);
      const token = await page.locator('#owner-token').inputValue();
      assert.match(token, /^hzo_[A-Za-z0-9_-]{20,}$/);
      assert.match(await page.locator('.keep-secrets h2').innerText(), /shown only this once/);
      assert.match(await page.locator('.sub-summary').innerText(), /Shanghai Municipality/);
      await page.locator('button[data-copy-target="owner-token"]').waitFor({ state: 'visible' });

      // The worker e-mails the confirmation link; opening it shows a button, which confirms.
      const smtp = await smtpSink();
      try {
        const config = watchConfig({ publicUrl: server.url, allowPrivateWebhooks: false });
        assert.equal(await deliverDue(server.db, { config, secrets: TEST_SECRETS }, smtp.mailer), 1);
        const link = smtp.mails[0] ? confirmationLink(smtp.mails[0]) : undefined;
        assert.ok(link, 'the confirmation e-mail carries its link');
        await page.goto(link);
        assert.equal(await page.locator('h1').innerText(), 'Confirm your subscription');
        await page.getByRole('button', { name: 'Confirm my subscription' }).click();
        await page.waitForLoadState('load');
        assert.equal(await page.locator('h1').innerText(), 'Subscription confirmed');
      } finally {
        await smtp.close();
      }

      // Manage: the token goes in the form, not the address.
      await page.goto(`${server.url}/watch#manage`);
      await page.getByLabel('Owner token', { exact: true }).fill(token);
      await page.getByRole('button', { name: 'Show my subscriptions' }).click();
      await page.waitForLoadState('load');
      assert.equal(await page.locator('h1').innerText(), 'Your subscriptions');
      assert.equal(await page.locator('.sub-item').count(), 1);
      assert.match(await page.locator('.sub-item').innerText(), /reader@example\.com/);
      assert.equal(await page.locator('.sub-item .sub-status').getAttribute('data-status'), 'active');
      assert.ok(!page.url().includes('hzo_'), 'no token in the address');

      const elsewhere = requests.filter((u) => new URL(u).origin !== origin && !u.startsWith('data:'));
      assert.deepEqual(elsewhere, [], 'no request went to another host');
      assert.ok(
        requests.every((u) => !u.includes('hzo_')),
        'no owner token in any requested address',
      );
      // The form with a mistake is answered 400 on purpose; Chromium reports that status in the console.
      const unexpected = errors.filter((e) => !/responded with a status of 400/.test(e));
      assert.deepEqual(unexpected, [], 'no script errors or policy violations');
    } finally {
      await context.close();
    }
  });
});
