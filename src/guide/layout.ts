// The page shell every guide page shares: header with navigation and language switch, the as-of bar, footer.
import { languageTag, otherLanguage } from '../i18n/languages.ts';
import { assetUrl } from './assets.ts';
import type { PageContext } from './context.ts';
import { html, type SafeHtml } from '../domain/html.ts';

export interface Crumb {
  readonly label: string;
  readonly href?: string;
  readonly lang?: string;
}

export interface Page {
  readonly title: string;
  readonly main: SafeHtml;
  readonly description?: string;
  readonly breadcrumbs?: readonly Crumb[];
  /** Extra elements for <head> (e.g. JSON-LD). */
  readonly head?: SafeHtml;
  /** Hide the as-of bar (error pages). */
  readonly noAsOf?: boolean;
  /** Feeds of this page, announced for autodiscovery as <link rel="alternate">. */
  readonly feeds?: readonly FeedLink[];
}

/** A feed or calendar a page announces (type: application/atom+xml or text/calendar). */
export interface FeedLink {
  readonly title: string;
  readonly href: string;
  readonly type: string;
}

function asOfBar(ctx: PageContext): SafeHtml {
  const { t } = ctx;
  const keep: Record<string, string | undefined> = {
    ...ctx.pageParams,
    lang: ctx.lang === 'en' ? undefined : ctx.lang,
  };
  const hidden = Object.entries(keep)
    .filter((e): e is [string, string] => e[1] !== undefined && e[1] !== '')
    .map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}" />`);
  return html`<div class="asof-bar">
    <div class="wrap asof-inner">
      <p class="asof-statement" id="asof-statement">
        ${t('statusAsOf')} <strong><time datetime="${ctx.asOf}">${ctx.date(ctx.asOf)}</time></strong
        >${ctx.asOf === ctx.today ? html` <span class="muted">${t('todayNote')}</span>` : ''}
      </p>
      <form class="asof-form" method="get" action="${ctx.path}" aria-label="${t('asOfForm')}">
        <label for="as-of">${t('asOf')}</label>
        <input type="date" id="as-of" name="as_of" value="${ctx.asOf}" required aria-describedby="asof-statement" />
        ${hidden}
        <button type="submit">${t('show')}</button>
        ${ctx.asOfGiven ? html`<a class="asof-reset" href="${ctx.path}${resetQuery(ctx)}">${t('backToToday')}</a>` : ''}
      </form>
    </div>
  </div>`;
}

function resetQuery(ctx: PageContext): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(ctx.pageParams)) if (v) q.set(k, v);
  if (ctx.lang !== 'en') q.set('lang', ctx.lang);
  const s = q.toString();
  return s ? `?${s}` : '';
}

function breadcrumbs(ctx: PageContext, crumbs: readonly Crumb[]): SafeHtml {
  return html`<nav class="breadcrumbs wrap" aria-label="${ctx.t('breadcrumb')}">
    <ol>
      ${crumbs.map((c, i) =>
        i === crumbs.length - 1 || !c.href
          ? html`<li${c.lang ? html` lang="${c.lang}"` : ''}><span aria-current="${i === crumbs.length - 1 ? 'page' : 'false'}">${c.label}</span></li>`
          : html`<li${c.lang ? html` lang="${c.lang}"` : ''}><a href="${c.href}">${c.label}</a></li>`,
      )}
    </ol>
  </nav>`;
}

/** The query box in every page's header: GET /search, keeping the language and the as-of date. */
function searchBox(ctx: PageContext): SafeHtml {
  const { t } = ctx;
  return html`<form class="site-search" role="search" method="get" action="/search" aria-label="${t('searchForm')}">
    <label class="visually-hidden" for="site-search-q">${t('searchLabel')}</label>
    <input
      type="search"
      id="site-search-q"
      name="q"
      value="${ctx.path === '/search' ? (ctx.pageParams.q ?? '') : ''}"
      placeholder="${t('searchPlaceholder')}"
      maxlength="500"
      required
    />
    ${ctx.lang === 'en' ? '' : html`<input type="hidden" name="lang" value="${ctx.lang}" />`}
    ${ctx.asOfGiven ? html`<input type="hidden" name="as_of" value="${ctx.asOf}" />` : ''}
    <button type="submit">${t('searchButton')}</button>
  </form>`;
}

/** The signed-in bar: who, their role, their account page, admins' pages, and Sign out (a form: POST /logout). */
function accountBar(ctx: PageContext): SafeHtml {
  const a = ctx.account;
  if (!a) return html``;
  const { t } = ctx;
  return html`<div class="account-bar" role="region" aria-label="${t('auth.signedInBar')}">
    <div class="wrap account-inner">
      <span>${t('auth.signedInAs', { name: a.name, role: t(`role.${a.role}`) })}</span>
      <a href="${ctx.href('/account')}">${t('auth.accountLink')}</a>
      ${
        a.scopes.has('admin')
          ? html`<a href="${ctx.href('/admin/users')}">${t('auth.usersNav')}</a>
              <a href="${ctx.href('/admin/audit')}">${t('auth.auditNav')}</a>`
          : ''
      }
      <form method="post" action="/logout" class="logout-form">
        <input type="hidden" name="_csrf" value="${a.csrf}" />
        <button type="submit">${t('auth.signOut')}</button>
      </form>
    </div>
  </div>`;
}

/** The whole HTML document of a page. */
export function layout(ctx: PageContext, page: Page): string {
  const { t } = ctx;
  const doc = html`<!doctype html>
    <html lang="${languageTag(ctx.lang)}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${page.title} · Horizon</title>
        ${page.description ? html`<meta name="description" content="${page.description}" />` : ''}
        <meta name="color-scheme" content="light" />
        <link rel="stylesheet" href="${assetUrl('guide.css')}" />
        <link rel="icon" href="${assetUrl('favicon.svg')}" type="image/svg+xml" />
        <link rel="alternate" hreflang="${languageTag(otherLanguage(ctx.lang))}" href="${ctx.langSwitchHref()}" />
        ${(page.feeds ?? []).map((f) => html`<link rel="alternate" type="${f.type}" title="${f.title}" href="${f.href}" />`)}
        ${page.head ?? ''}
      </head>
      <body>
        <a class="skip-link" href="#main">${t('skipToContent')}</a>
        ${accountBar(ctx)}
        <header class="site-header">
          <div class="wrap header-inner">
            <a class="brand" href="${ctx.href('/')}"><span class="brand-mark" aria-hidden="true"></span>Horizon</a>
            ${searchBox(ctx)}
            <nav class="site-nav" aria-label="${t('siteNav')}">
              <ul>
                <li><a href="${ctx.href('/')}">${t('navGuide')}</a></li>
                <li><a href="${ctx.href('/jurisdictions')}">${t('navJurisdictions')}</a></li>
                <li>
                  <a href="${ctx.href('/check')}" aria-current="${ctx.path === '/check' ? 'page' : 'false'}"
                    >${t('navCheck')}</a
                  >
                </li>
                <li>
                  <a href="${ctx.href('/watch')}" aria-current="${ctx.path === '/watch' ? 'page' : 'false'}"
                    >${t('navWatch')}</a
                  >
                </li>
                <li><a href="/api/openapi.json">${t('navApi')}</a></li>
                <li>
                  <a
                    class="lang-switch"
                    href="${ctx.langSwitchHref()}"
                    hreflang="${languageTag(otherLanguage(ctx.lang))}"
                    lang="${languageTag(otherLanguage(ctx.lang))}"
                    title="${t('switchLanguage')}"
                    >${t('otherLangName')}</a
                  >
                </li>
              </ul>
            </nav>
          </div>
        </header>
        ${page.noAsOf ? '' : asOfBar(ctx)}
        ${page.breadcrumbs && page.breadcrumbs.length > 0 ? breadcrumbs(ctx, page.breadcrumbs) : ''}
        <main id="main" class="wrap" tabindex="-1">${page.main}</main>
        <footer class="site-footer">
          <div class="wrap">
            <p><strong>Horizon</strong> — ${t('tagline')}.</p>
            <p class="muted">${t('footer')}</p>
            <p class="muted">
              <a href="/api/openapi.json">${t('footerApi')}</a> ·
              <a href="/api/v1/instruments${ctx.asOfGiven ? `?as_of=${ctx.asOf}` : ''}">${t('footerData')}</a>
            </p>
          </div>
        </footer>
      </body>
    </html> `;
  return doc.value;
}
