// Screenshots of the guide for the README and for review: `node --import tsx test/browser/screenshots.ts [OUT_DIR]`.
// Writes docs/screenshot.png (the China AI article) and OUT_DIR/instrument.png (the Shenzhen regulations on
// 1 October 2022), OUT_DIR/check.png (the check page answered for a Shenzhen product), plus full-page versions in
// OUT_DIR (default /tmp).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '../guide/server.ts';
import { launchChromium } from './chromium.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const out = process.argv[2] ?? '/tmp';

const server = await startServer();
const browser = await launchChromium();
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  await page.goto(`${server.url}/articles/ai-initiatives-in-china`);
  await page.screenshot({ path: path.join(root, 'docs/screenshot.png') });
  await page.screenshot({ path: path.join(out, 'article-full.png'), fullPage: true });
  await page.goto(`${server.url}/instruments/cn-gd-shenzhen-ai-industry-regulations?as_of=2022-10-01`);
  await page.screenshot({ path: path.join(out, 'instrument.png'), fullPage: true });
  await page.goto(`${server.url}/`);
  await page.screenshot({ path: path.join(out, 'home.png'), fullPage: true });
  await page.goto(`${server.url}/jurisdictions/cn-gd?as_of=2022-10-01`);
  await page.screenshot({ path: path.join(out, 'jurisdiction.png'), fullPage: true });
  const mobile = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 });
  const phone = await mobile.newPage();
  await phone.goto(`${server.url}/instruments/cn-gd-shenzhen-ai-industry-regulations?as_of=2022-10-01`);
  await phone.screenshot({ path: path.join(out, 'instrument-mobile.png') });
  await phone.evaluate(() => document.querySelector('.timeline')?.scrollIntoView());
  await phone.screenshot({ path: path.join(out, 'instrument-mobile-timeline.png') });
  // The check page after answering for a low-risk Shenzhen product without a standard (the access pilot applies).
  for (const [file, target] of [
    ['check.png', page],
    ['check-mobile.png', phone],
  ] as const) {
    await target.goto(`${server.url}/check?as_of=2024-06-01`);
    await target.getByLabel('Shenzhen (Special Economic Zone)', { exact: true }).check();
    for (const [question, answer] of [
      ['Risk level of the AI product', 'Low'],
      ['A national or local standard exists', 'No'],
      ['Meets an international standard', 'Yes'],
    ] as const) {
      await target.getByRole('group', { name: question, exact: true }).getByLabel(answer, { exact: true }).check();
    }
    await target.evaluate(() => window.scrollTo(0, 0));
    await target.screenshot({ path: path.join(out, file), fullPage: file === 'check.png' });
  }
  console.log(
    `wrote docs/screenshot.png and ${out}/{article-full,instrument,home,jurisdiction,instrument-mobile,check,check-mobile}.png`,
  );
} finally {
  await browser.close();
  await server.close();
}
