// The HTML error page: 400 (a parameter named), 404, 500, in the page's language.
import { problemMessage, type Problem } from '../../errors.ts';
import type { PageContext } from '../context.ts';
import { html } from '../../domain/html.ts';
import { layout } from '../layout.ts';

export function errorPage(
  ctx: PageContext,
  status: number,
  message: string,
  problems: readonly Problem[] = [],
): string {
  const { t } = ctx;
  const title = status === 404 ? t('errorNotFound') : status >= 500 ? t('errorInternal') : t('errorBadParameter');
  return layout(ctx, {
    title,
    noAsOf: status === 400,
    main: html`<article class="error-page">
      <p class="eyebrow">HTTP ${status}</p>
      <h1>${title}</h1>
      <p class="error-message">${message}</p>
      ${
        problems.length > 0
          ? html`<ul class="problems">
              ${problems.map((p) => html`<li>${t('parameter')} <code>${p.where}</code>: ${problemMessage(p, ctx.lang)}</li>`)}
            </ul>`
          : ''
      }
      <p><a href="${ctx.href('/')}">${t('errorBack')}</a></p>
    </article>`,
  });
}
