// The watch page in a real headless Chromium: the Copy buttons appear with the script, copy a feed address to the
// clipboard and say so; the page loads nothing from any other host and breaks no rule of its policy.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { pageErrors, serverAndBrowser } from './chromium.ts';

describe('watch page in Chromium', () => {
  const started = serverAndBrowser();

  it('copies a feed address with the Copy button, loading nothing from another host', async () => {
    const { server, browser } = started();
    const origin = new URL(server.url).origin;
    const context = await browser.newContext();
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
    const requests: string[] = [];
    context.on('request', (r) => requests.push(r.url()));
    const page = await context.newPage();
    const errors = pageErrors(page);
    try {
      const response = await page.goto(`${server.url}/watch`);
      assert.equal(response?.status(), 200);
      await page.waitForLoadState('networkidle');
      assert.equal(await page.locator('h1').innerText(), 'Watch for changes');
      assert.ok(
        requests.some((u) => /\/static\/watch\.js\?v=/.test(u)),
        'the page loaded its script',
      );

      const input = page.locator('#feed-j-cn-sh');
      const expected = `${server.url}/feeds/jurisdictions/cn-sh.atom`;
      assert.equal(await input.inputValue(), expected);
      assert.equal(await input.getAttribute('readonly'), '');
      const button = page.locator('button[data-copy-target="feed-j-cn-sh"]');
      await button.waitFor({ state: 'visible' });
      assert.equal((await button.innerText()).trim(), 'Copy');
      await button.click();
      await page.waitForFunction(
        () => document.querySelector('button[data-copy-target="feed-j-cn-sh"]')?.hasAttribute('data-state') ?? false,
      );
      const state = await button.getAttribute('data-state');
      const clipboard = await page
        .evaluate(() => navigator.clipboard.readText())
        .catch((e: unknown) => `unavailable: ${String(e)}`);
      if (clipboard.startsWith('unavailable')) {
        // No clipboard headless: the button still reports what happened.
        assert.match((await button.innerText()).trim(), /^(Copied|Press Ctrl\+C to copy)$/);
      } else {
        assert.equal(state, 'copied');
        assert.equal((await button.innerText()).trim(), 'Copied');
        assert.equal(clipboard, expected);
        assert.equal(await page.locator('#copy-status').innerText(), 'Copied');
      }

      // Another one, in Chinese.
      await page.goto(`${server.url}/watch?lang=zh`);
      const zhButton = page.locator('button[data-copy-target="calendar-all"]');
      await zhButton.waitFor({ state: 'visible' });
      await zhButton.click();
      await page.waitForFunction(
        () => document.querySelector('button[data-copy-target="calendar-all"]')?.hasAttribute('data-state') ?? false,
      );
      if (!clipboard.startsWith('unavailable')) {
        assert.equal((await zhButton.innerText()).trim(), '已复制');
        assert.equal(await page.evaluate(() => navigator.clipboard.readText()), `${server.url}/calendar.ics?lang=zh`);
      }

      const elsewhere = requests.filter((u) => new URL(u).origin !== origin && !u.startsWith('data:'));
      assert.deepEqual(elsewhere, [], 'no request went to another host');
      assert.deepEqual(errors, [], 'no script errors or policy violations');
    } finally {
      await context.close();
    }
  });
});
