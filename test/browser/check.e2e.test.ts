// The check page in a real headless Chromium: answer the questions, read the answer, and make sure the profile never
// left the browser until "Save this profile" was clicked (then exactly one POST carried it).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';

import { pageErrors, serverAndBrowser } from './chromium.ts';

const ACCESS = 'cn-gd-shenzhen-innovative-product-access';
const ACCESS_TITLE = 'Shenzhen: testing and piloting of low-risk AI products without a standard';
/** Strings that would betray the profile in a URL. */
const PROFILE_VALUES = ['cn-gd-shenzhen', 'cn-sh', 'shenzhen', 'shanghai', 'riskLevel', 'low', 'Standard', 'product'];

interface Seen {
  readonly method: string;
  readonly url: string;
  readonly postData: string | null;
}

/** A question's group (fieldset) by its legend. */
const question = (page: Page, legend: string) => page.getByRole('group', { name: legend, exact: true });
const card = (page: Page, band: string) => page.locator(`#band-${band} [data-programme="${ACCESS}"]`);

describe('check page in Chromium', () => {
  const started = serverAndBrowser();

  it('finds the Shenzhen access pilot, a Shanghai near miss and an open risk question, all without sending the profile', async () => {
    const { server, browser } = started();
    const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
    const requests: Seen[] = [];
    context.on('request', (r) => requests.push({ method: r.method(), url: r.url(), postData: r.postData() }));
    const page = await context.newPage();
    const errors = pageErrors(page);
    try {
      const response = await page.goto(`${server.url}/check?as_of=2024-06-01`);
      assert.equal(response?.status(), 200);
      await page.waitForLoadState('networkidle');
      await page.locator('#check-form').waitFor();
      assert.equal(await page.locator('h1').innerText(), 'Check relevance');
      const loaded = requests.length;
      assert.ok(
        requests.some((r) => /\/static\/check\.js\?v=/.test(r.url)),
        'the page loaded its script',
      );

      // Only the basic questions at first.
      assert.ok(await question(page, 'Jurisdictions').isVisible());
      assert.ok(await question(page, 'AI activities').isVisible());
      assert.equal(await question(page, 'Risk level of the AI product').isVisible(), false);

      // A Shenzhen enterprise: the product questions appear because a programme needs them.
      await page.getByLabel('Shenzhen (Special Economic Zone)', { exact: true }).check();
      await question(page, 'Risk level of the AI product').getByLabel('Low', { exact: true }).check();
      await question(page, 'A national or local standard exists').getByLabel('No', { exact: true }).check();
      await question(page, 'Meets an international standard').getByLabel('Yes', { exact: true }).check();

      await card(page, 'applies').waitFor();
      const applies = card(page, 'applies');
      assert.match(await applies.innerText(), new RegExp(ACCESS_TITLE.replace(/[()]/g, '\\$&')));
      assert.match(await page.locator('#band-applies-heading').innerText(), /^Applies/);
      assert.equal(await applies.locator('.cond-applies').count(), 4, 'four conditions met');
      assert.equal(await applies.locator('.cond-does_not_apply, .cond-unknown').count(), 0);
      assert.match(
        await applies.locator('.cond[data-fact="jurisdictions"]').innerText(),
        /Shenzhen \(Special Economic Zone\)/,
      );
      assert.match(await applies.locator('.programme-instrument').innerText(), /In force/);
      assert.equal(
        await applies.locator('.programme-instrument a').getAttribute('href'),
        '/instruments/cn-gd-shenzhen-ai-industry-regulations?as_of=2024-06-01',
      );
      assert.ok((await applies.locator('.programme-sources a').count()) >= 1, 'sources are cited');
      // What the 2022 Guidance only encourages is shown as such, never among the incentives.
      const encouraged = page.locator('#band-unknown .kind-encouragement');
      assert.equal(await encouraged.locator('.kind-heading').textContent(), 'Encouraged (not a claimable incentive)');
      assert.equal(await encouraged.locator('[data-programme="cn-most-2022-guidance-computing-power"]').count(), 1);
      assert.equal(await page.locator('.kind-incentive [data-programme^="cn-most-2022-"]').count(), 0);

      // Shanghai instead: no longer applies, a near miss on where it operates.
      await page.getByLabel('Shenzhen (Special Economic Zone)', { exact: true }).uncheck();
      await page.getByLabel('Shanghai Municipality', { exact: true }).check();
      await card(page, 'does_not_apply').waitFor();
      assert.equal(await card(page, 'applies').count(), 0);
      const missed = card(page, 'does_not_apply');
      const nearMiss = await missed.locator('.near-miss').innerText();
      assert.match(nearMiss, /Fails only on:/);
      assert.match(nearMiss, /Registered or operating in Shenzhen/);
      assert.match(nearMiss, /Shanghai Municipality/);
      assert.ok(await missed.isVisible(), 'near misses are shown without opening anything');

      // Shenzhen again with the risk level unknown: may apply, and asks for the risk level.
      await page.getByLabel('Shanghai Municipality', { exact: true }).uncheck();
      await page.getByLabel('Shenzhen (Special Economic Zone)', { exact: true }).check();
      await question(page, 'Risk level of the AI product').getByLabel('Don’t know', { exact: true }).check();
      await card(page, 'unknown').waitFor();
      const unsure = card(page, 'unknown');
      assert.match(await page.locator('#band-unknown-heading').innerText(), /^May apply/);
      const ask = unsure.getByRole('link', { name: 'Answer: Risk level of the AI product' });
      assert.equal(await ask.count(), 1);
      assert.equal(await unsure.locator('.cond-unknown').count(), 1);
      await ask.click();
      assert.equal(
        await page.evaluate(() => document.activeElement?.id),
        'f-product-riskLevel-unknown',
        'the link focuses the risk question',
      );

      // Nothing carried the profile: no request since the page loaded but its own assets, none elsewhere.
      const host = new URL(server.url).host;
      assert.deepEqual(
        requests.filter((r) => new URL(r.url).host !== host),
        [],
        'every request goes to the test server',
      );
      const since = requests.slice(loaded);
      assert.deepEqual(
        since.filter((r) => r.method !== 'GET' || r.postData !== null),
        [],
        'no request with a body after the page loaded',
      );
      for (const r of requests) {
        const url = decodeURIComponent(r.url).toLowerCase();
        const leaked = PROFILE_VALUES.filter((v) => url.includes(v.toLowerCase()));
        assert.deepEqual(leaked, [], `${r.method} ${r.url} carries no profile value`);
      }
      assert.equal(await page.evaluate(() => localStorage.length), 0, 'nothing remembered unless asked');

      // Saving is the one request that carries the profile, and only on click.
      const saved = page.waitForResponse(
        (r) => r.url().endsWith('/api/v1/profiles') && r.request().method() === 'POST',
      );
      await page.getByRole('button', { name: 'Save this profile' }).click();
      const answer = (await (await saved).json()) as { id: string; token: string };
      await page.locator('#saved-token').waitFor();
      const posts = requests.filter((r) => r.method !== 'GET');
      assert.equal(posts.length, 1, 'exactly one request other than GET');
      assert.equal(posts[0]?.method, 'POST');
      assert.equal(new URL(posts[0]?.url ?? '').pathname, '/api/v1/profiles');
      assert.deepEqual(JSON.parse(posts[0]?.postData ?? '{}'), {
        profile: {
          jurisdictions: ['cn-gd-shenzhen'],
          product: { hasNationalOrLocalStandard: false, meetsInternationalStandard: true },
        },
      });
      assert.equal(await page.locator('#saved-id').innerText(), answer.id);
      assert.equal(await page.locator('#saved-token').innerText(), answer.token);
      assert.match(await page.locator('.keep-token').innerText(), /Keep this token/);

      // The saved profile is the one on the page.
      const stored = await fetch(`${server.url}/api/v1/profiles/${answer.id}`, {
        headers: { authorization: `Bearer ${answer.token}` },
      });
      assert.equal(stored.status, 200);
      const body = (await stored.json()) as { profile: unknown };
      assert.deepEqual(body.profile, {
        jurisdictions: ['cn-gd-shenzhen'],
        product: { hasNationalOrLocalStandard: false, meetsInternationalStandard: true },
      });
      assert.deepEqual(errors, [], 'no errors in the console (no CSP violation)');
    } finally {
      await context.close();
    }
  });

  it('remembers the answers on this device only when asked, and forgets them when told', async () => {
    const { server, browser } = started();
    const context = await browser.newContext();
    const page = await context.newPage();
    const requests: string[] = [];
    context.on('request', (r) => requests.push(`${r.method()} ${r.url()}`));
    try {
      await page.goto(`${server.url}/check`);
      await page.locator('#check-form').waitFor();
      await page.getByLabel('Hangzhou', { exact: true }).check();
      assert.equal(await page.evaluate(() => localStorage.length), 0);
      await page.getByLabel('Remember my answers on this device').check();
      const stored = await page.evaluate(() => localStorage.getItem('horizon.check.profile'));
      assert.deepEqual(JSON.parse(stored ?? 'null'), { jurisdictions: ['cn-zj-hangzhou'] });

      await page.reload();
      await page.locator('#check-form').waitFor();
      assert.ok(await page.getByLabel('Hangzhou', { exact: true }).isChecked(), 'the answer is back');
      assert.ok(await page.getByLabel('Remember my answers on this device').isChecked());

      await page.getByLabel('Remember my answers on this device').uncheck();
      assert.equal(await page.evaluate(() => localStorage.length), 0, 'forgotten');
      assert.deepEqual(
        requests.filter((r) => !r.startsWith('GET ')),
        [],
        'remembering sends nothing',
      );
    } finally {
      await context.close();
    }
  });

  it('asks and answers in Chinese', async () => {
    const { server, browser } = started();
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    try {
      await page.goto(`${server.url}/check?as_of=2024-06-01&lang=zh`);
      await page.locator('#check-form').waitFor();
      assert.ok(await question(page, '所在地区').isVisible());
      await page.getByLabel('深圳（经济特区）', { exact: true }).check();
      await question(page, '人工智能产品风险等级').getByLabel('低', { exact: true }).check();
      await question(page, '已有国家或地方标准').getByLabel('否', { exact: true }).check();
      await question(page, '符合国际标准').getByLabel('是', { exact: true }).check();
      await card(page, 'applies').waitFor();
      assert.match(await page.locator('#band-applies-heading').innerText(), /^适用/);
      assert.match(await card(page, 'applies').innerText(), /深圳：无标准低风险人工智能产品的先行先试/);
      // The result labels come from the Chinese messages the page embeds: bands, conditions, the summary.
      const results = await page.locator('#check-app').innerText();
      assert.match(results, /适用 \d+ 项 · 可能适用 \d+ 项 · 不适用 \d+ 项/);
      assert.match(await card(page, 'applies').innerText(), /满足：/);
      assert.doesNotMatch(results, /\b(Applies|May apply|Does not apply|Conditions|Your answer|not met|Sources:)\b/);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
});
