// The check page over HTTP: the page in both languages with its embedded check data (enough to run the check
// without any request), the bundled script under /static with long-lived caching, and the page's own CSP.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CheckData } from '../../src/relevance/check-data.ts';
import { ProgrammeRules, checkProgrammes } from '../../src/relevance/check.ts';
import { createContext } from '../../src/rules/engine.ts';
import { script } from '../../src/guide/scripts.ts';
import { attrs, bare, has, htmlAttrs, one, parseHtml, withAttrs } from '../support/html.ts';
import { startServer, type TestServer } from './server.ts';

const ACCESS = 'cn-gd-shenzhen-innovative-product-access';
const PRODUCT = { riskLevel: 'low', hasNationalOrLocalStandard: false, meetsInternationalStandard: true } as const;

/** The page loads exactly one script: the bundled check module, versioned by its content hash. */
function assertModuleScript(doc: Document): void {
  const scripts = withAttrs(doc, 'script', { type: 'module' });
  assert.equal(scripts.length, 1, 'one module script');
  const script = scripts[0]!;
  assert.deepEqual(Object.keys(attrs(script)).sort(), ['src', 'type']);
  assert.match(script.getAttribute('src') ?? '', /^\/static\/check\.js\?v=[0-9a-f]{12}$/);
  assert.equal(script.textContent, '', 'the module script is empty');
}

/** The CSP directives of a response, by name. */
function directives(csp: string | null): Map<string, string> {
  return new Map(
    (csp ?? '')
      .split(';')
      .map((d) => d.trim())
      .filter((d) => d !== '')
      .map((d) => {
        const [name = '', ...values] = d.split(/\s+/);
        return [name, values.join(' ')];
      }),
  );
}

/** Whether a policy lets scripts run at all (script-src, or default-src when there is none). */
function scriptsAllowed(csp: string | null): string {
  const d = directives(csp);
  return d.get('script-src') ?? d.get('default-src') ?? '(none given)';
}

function checkData(body: string): { raw: string; data: CheckData } {
  const m = /<script type="application\/json" id="check-data">([\s\S]*?)<\/script>/.exec(body);
  assert.ok(m, 'the page embeds the check data');
  const raw = m[1] ?? '';
  return { raw, data: JSON.parse(raw) as CheckData };
}

describe('check page', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  const get = (path: string, init?: RequestInit) => fetch(`${server.url}${path}`, init);
  const page = async (path: string): Promise<{ body: string; res: Response }> => {
    const res = await get(path);
    const body = await res.text();
    assert.equal(res.status, 200, `${path} → ${res.status}`);
    assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
    return { body, res };
  };

  it('renders in English with the layout, a nav link, a no-script note and the versioned module script', async () => {
    const { body } = await page('/check');
    const doc = parseHtml(body);
    assert.deepEqual(htmlAttrs(doc), { lang: 'en' });
    assert.ok(bare(doc, 'h1', { id: 'check-title' }, 'Check relevance'), 'the heading');
    assert.ok(bare(doc, 'a', { href: '/check', 'aria-current': 'page' }, 'Check relevance'), 'the current nav link');
    assert.match(one(doc, 'noscript').textContent ?? '', /JavaScript/, 'a no-script note');
    assert.ok(has(doc, 'div#check-app'), 'the app container');
    assertModuleScript(doc);
    const sheets = withAttrs(doc, 'link', { rel: 'stylesheet' }).map((l) => l.getAttribute('href') ?? '');
    assert.ok(
      sheets.some((h) => /^\/static\/check\.css\?v=[0-9a-f]{12}$/.test(h)),
      `the versioned stylesheet: ${sheets.join(' ')}`,
    );
    assert.equal(withAttrs(doc, 'form', { class: 'asof-form', method: 'get', action: '/check' }).length, 1);
    const { data } = checkData(body);
    assert.equal(data.lang, 'en');
    assert.equal(data.linkQuery, '');
  });

  it('renders in Chinese, and every guide page links to it keeping the language and date', async () => {
    const { body } = await page('/check?lang=zh');
    const doc = parseHtml(body);
    assert.deepEqual(htmlAttrs(doc), { lang: 'zh-Hans' });
    assert.ok(bare(doc, 'h1', { id: 'check-title' }, '适用性检查'), 'the heading');
    assert.ok(bare(doc, 'a', { href: '/check?lang=zh', 'aria-current': 'page' }, '适用性检查'), 'the nav link');
    assert.match(one(doc, 'noscript').textContent ?? '', /JavaScript/, 'a no-script note');
    assert.equal(checkData(body).data.lang, 'zh');

    const home = (await page('/?as_of=2024-06-01&lang=zh')).body;
    assert.ok(
      bare(parseHtml(home), 'a', { href: '/check?as_of=2024-06-01&lang=zh', 'aria-current': 'false' }, '适用性检查'),
      'the header links to the check',
    );
  });

  it('embeds valid JSON with every programme, the tree, names, sources: enough to run the check with no request', async () => {
    const { body } = await page('/check?as_of=2024-06-01');
    const { raw, data } = checkData(body);
    assert.ok(!raw.includes('<'), 'the JSON block escapes <');
    assert.equal(data.asOf, '2024-06-01');
    assert.equal(data.linkQuery, '?as_of=2024-06-01');
    assert.ok(data.programmes.length >= 26, `${data.programmes.length} programmes`);
    const access = data.programmes.find((p) => p.id === ACCESS);
    assert.ok(access, 'the Shenzhen access programme is embedded');
    assert.equal(access.inEffect, true);
    assert.equal(access.instrument.status, 'in_force');
    assert.equal(data.tree['cn-gd-shenzhen'], 'cn-gd');
    assert.equal(data.tree.cn, null);
    assert.deepEqual(data.jurisdictions.find((j) => j.code === 'cn-sh')?.name, {
      en: 'Shanghai Municipality',
      zh: '上海市',
    });
    assert.ok(data.sectorGroups.some((g) => g.fields.includes('manufacturing')));
    for (const p of data.programmes) for (const c of p.sources) assert.ok(data.sources[c.source], `source ${c.source}`);
    assert.equal(data.statusLabels.in_force, 'In force');

    // The embedded data alone gives the golden answers.
    const rules = new ProgrammeRules(createContext({ jurisdictions: data.tree }));
    const outcome = (profile: object) =>
      checkProgrammes(data.programmes, profile, rules, data.asOf).results.find((r) => r.id === ACCESS);
    assert.equal(outcome({ jurisdictions: ['cn-gd-shenzhen'], product: PRODUCT })?.outcome, 'applies');
    const shanghai = outcome({ jurisdictions: ['cn-sh'], product: PRODUCT });
    assert.equal(shanghai?.outcome, 'does_not_apply');
    assert.equal(shanghai.near_miss?.fact, 'jurisdictions');
    const unsure = outcome({ jurisdictions: ['cn-gd-shenzhen'], product: { ...PRODUCT, riskLevel: undefined } });
    assert.equal(unsure?.outcome, 'unknown');
    assert.deepEqual(unsure.missing, ['product.riskLevel']);
  });

  it('embeds the programmes as of the page date: the access pilot is in effect from 1 November 2022', async () => {
    const before = checkData((await page('/check?as_of=2022-10-31')).body).data;
    const access = before.programmes.find((p) => p.id === ACCESS);
    assert.equal(access?.inEffect, false);
    assert.equal(access.instrument.status, 'adopted');
    const on = checkData((await page('/check?as_of=2022-11-01')).body).data;
    assert.equal(on.programmes.find((p) => p.id === ACCESS)?.inEffect, true);
  });

  it('answers a bad as_of or lang with a 400 page', async () => {
    assert.equal((await get('/check?as_of=2024-02-30')).status, 400);
    assert.equal((await get('/check?lang=fr')).status, 400);
  });

  it('serves the bundled script as JavaScript with a content hash and long-lived caching', async () => {
    const { body } = await page('/check');
    const src = /<script type="module" src="([^"]+)"/.exec(body)?.[1] ?? '';
    const version = new URL(src, server.url).searchParams.get('v');
    const res = await get(src);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/javascript/);
    assert.equal(res.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.equal(res.headers.get('etag'), `"${version}"`);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    const js = await res.text();
    assert.ok(js.length > 1000, 'a real bundle');
    assert.ok(!/\bfrom\s*["']/.test(js) && !/\bimport\s*\(/.test(js), 'a single file: it imports nothing');
    assert.ok(!js.includes('node:'), 'no Node built-ins');

    const unversioned = await get('/static/check.js');
    assert.equal(unversioned.headers.get('cache-control'), 'public, max-age=300');
    const again = await get(src, { headers: { 'if-none-match': `"${version}"` } });
    assert.equal(again.status, 304);
    assert.equal((await get('/static/nothing.js')).status, 404);
  });

  it('bundles only browser-safe modules: the rules engine, the pure check, the page script and message formatting', async () => {
    const bundle = await script('check.js');
    assert.ok(bundle);
    const formatting = ['src/i18n/format.ts', 'src/i18n/languages.ts'];
    const unexpected = bundle.inputs.filter(
      (f) =>
        !(
          f.startsWith('src/rules/') ||
          f === 'src/relevance/check.ts' ||
          f.startsWith('src/relevance/browser/') ||
          formatting.includes(f) ||
          /^node_modules\/(intl-messageformat|@formatjs)\//.test(f)
        ),
    );
    assert.deepEqual(unexpected, [], 'nothing from the store, ajv, other node_modules or Node; no whole catalogue');
    assert.ok(bundle.inputs.includes('src/relevance/check.ts'));
    assert.ok(bundle.inputs.includes('src/rules/engine.ts'));
  });

  it('lets scripts run from this origin on the check page only', async () => {
    const check = await page('/check');
    const csp = directives(check.res.headers.get('content-security-policy'));
    assert.equal(csp.get('script-src'), "'self'");
    assert.equal(csp.get('connect-src'), "'self'");
    assert.equal(csp.get('default-src'), "'none'");
    assert.equal(csp.get('frame-ancestors'), "'none'");
    for (const path of ['/', '/jurisdictions', '/instruments/cn-gd-shenzhen-ai-industry-regulations']) {
      const other = await page(path);
      assert.equal(
        scriptsAllowed(other.res.headers.get('content-security-policy')),
        "'none'",
        `${path} runs no script`,
      );
      assert.equal(
        parseHtml(other.body).querySelectorAll('script[type="module"]').length,
        0,
        `${path} loads no script`,
      );
    }
  });
});
