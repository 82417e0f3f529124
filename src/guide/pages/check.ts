// `/check`: the relevance check. The server renders the page and embeds, as JSON, everything the check reads; the
// browser script (src/relevance/browser/check-page.ts) asks the questions and runs the check locally, so the
// profile never leaves the visitor's machine unless they choose to save it.
import { STATUSES } from '../../domain/types.ts';
import { jsonForScript, type CheckCatalogue, type CheckData } from '../../relevance/check-data.ts';
import { checkStrings } from '../../relevance/browser/strings.ts';
import { messagesOf } from '../../i18n/messages.ts';
import { assetUrl } from '../assets.ts';
import type { PageContext } from '../context.ts';
import { html, raw } from '../../domain/html.ts';
import { statusLabel } from '../i18n.ts';
import { layout } from '../layout.ts';
import { scriptUrl } from '../scripts.ts';

/** The guide's policy with the given directives set (replacing any of the same name). */
export function withDirectives(csp: string, set: Readonly<Record<string, string>>): string {
  const kept = csp
    .split(';')
    .map((d) => d.trim())
    .filter((d) => d !== '' && !((d.split(/\s+/)[0] ?? '') in set));
  return [...kept, ...Object.entries(set).map(([name, value]) => `${name} ${value}`)].join('; ');
}

/** The check page's policy: the guide's, plus scripts from this origin and requests to it (to save a profile). */
export function checkCsp(guideCsp: string): string {
  return withDirectives(guideCsp, { 'script-src': "'self'", 'connect-src': "'self'" });
}

export async function checkPage(
  ctx: PageContext,
  loadCatalogue: (asOf: string) => Promise<CheckCatalogue>,
): Promise<string> {
  const w = checkStrings(ctx.t);
  const [catalogue, script] = await Promise.all([loadCatalogue(ctx.asOf), scriptUrl('check.js')]);
  const data: CheckData = {
    ...catalogue,
    lang: ctx.lang,
    linkQuery: ctx.href(''),
    statusLabels: {
      ...Object.fromEntries(STATUSES.map((s) => [s, statusLabel(s, ctx.lang)])),
      null: ctx.t('notYetIssued'),
    },
    messages: messagesOf(ctx.lang, 'check.'),
  };
  const main = html`<article class="check-page" aria-labelledby="check-title">
    <header class="page-header">
      <h1 id="check-title">${w.title}</h1>
      <p class="lede">${w.lede}</p>
      <p class="notice check-privacy">${w.privacy}</p>
    </header>
    <noscript><p class="notice notice-old check-noscript">${w.noscript}</p></noscript>
    <div id="check-app" class="check-app">
      <p class="muted">${w.programmesChecked(catalogue.programmes.length)}</p>
    </div>
    <p class="muted small check-api">${w.apiNote}</p>
    <script type="application/json" id="check-data">
      ${raw(jsonForScript(data))}
    </script>
  </article>`;
  return layout(ctx, {
    title: w.title,
    description: w.lede,
    main,
    head: html`<link rel="stylesheet" href="${assetUrl('check.css')}" />
      <script type="module" src="${script}"></script>`,
    breadcrumbs: [{ label: ctx.t('home'), href: ctx.href('/') }, { label: w.title }],
  });
}
