// The guide in a real headless Chromium: from the China AI article to the Shenzhen regulations, then back in time
// with the as-of form; the page must load nothing from any other host.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { pageErrors, serverAndBrowser } from './chromium.ts';

describe('guide in Chromium', () => {
  const started = serverAndBrowser();

  it('follows the article to the Shenzhen regulations and sees them adopted, not yet in force, on 1 October 2022', async () => {
    const { server, browser } = started();
    const context = await browser.newContext();
    const requests: string[] = [];
    context.on('request', (r) => requests.push(r.url()));
    const page = await context.newPage();
    const errors = pageErrors(page);
    try {
      const response = await page.goto(`${server.url}/articles/ai-initiatives-in-china`);
      assert.equal(response?.status(), 200);
      assert.equal(await page.locator('h1').innerText(), 'AI initiatives in China');

      const link = page
        .locator('a.instrument-link[href^="/instruments/cn-gd-shenzhen-ai-industry-regulations"]')
        .first();
      await Promise.all([page.waitForURL(/\/instruments\/cn-gd-shenzhen-ai-industry-regulations/), link.click()]);
      assert.match(
        await page.locator('h1').innerText(),
        /Shenzhen Special Economic Zone AI Industry Promotion Regulations/,
      );

      await page.getByLabel('As of', { exact: true }).fill('2022-10-01');
      await Promise.all([page.waitForURL(/as_of=2022-10-01/), page.getByRole('button', { name: 'Show' }).click()]);
      assert.equal((await page.locator('.status-words').innerText()).trim(), 'Adopted, not yet in force');
      assert.match(await page.locator('.asof-statement').innerText(), /Status as of 1 October 2022/);
      assert.ok(await page.getByText('Adopted, not yet in force').first().isVisible());
      assert.ok(
        await page.locator('.tl-future').first().isVisible(),
        'the effective date is dimmed as after the as-of date',
      );

      // The date sticks when moving on, and the other language keeps it.
      await Promise.all([page.waitForURL(/lang=zh/), page.locator('a.lang-switch').click()]);
      assert.equal((await page.locator('.status-words').innerText()).trim(), '已通过，尚未施行');
      assert.equal(await page.locator('html').getAttribute('lang'), 'zh-Hans');

      const host = new URL(server.url).host;
      assert.ok(requests.length >= 4, `recorded ${requests.length} requests`);
      const foreign = requests.filter((u) => new URL(u).host !== host);
      assert.deepEqual(foreign, [], 'every request goes to the test server');
      assert.deepEqual(errors, [], 'no errors in the console');
    } finally {
      await context.close();
    }
  });
});
