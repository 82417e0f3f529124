// The workspace's change-set pages: /workspace/changesets (by status, with the form that opens a new one) and one
// change set (its entities with Edit, Edit as JSON, Remove; adding or taking up an entity; the field-level diff against
// what is published, conflicts with a Rebase button; comments; and only the buttons the signed-in account may use:
// Submit and Withdraw for its author, Approve, Return, Publish and Schedule for a reviewer who is not the author unless
// the deployment allows self-approval). Every form posts with the session's CSRF token.
import type { Actor } from '../../../accounts/types.ts';
import { html, type SafeHtml } from '../../../domain/html.ts';
import type {
  ChangesetDetail,
  ChangesetDiff,
  ChangesetRecord,
  ChangesetStatus,
  EditableKind,
} from '../../../editorial/changesets.service.ts';
import { CHANGESET_STATUSES, EDITABLE_KINDS } from '../../../editorial/changesets.service.ts';
import type { MessageKey } from '../../../i18n/messages.ts';
import { assetUrl } from '../../assets.ts';
import type { PageContext } from '../../context.ts';
import { layout } from '../../layout.ts';
import { entityDiff } from './diff-view.ts';

/** What one may do with a change set, as buttons. The service checks each again: this only decides what is shown. */
export type ChangesetAction =
  'edit' | 'submit' | 'withdraw' | 'rebase' | 'comment' | 'approve' | 'return' | 'publish' | 'schedule' | 'revert';

/** The buttons `actor` gets on `cs` (the same rules as editorial/changesets.service.ts enforces). */
export function actionsFor(actor: Actor, cs: ChangesetRecord, selfApproval: boolean): ReadonlySet<ChangesetAction> {
  const out = new Set<ChangesetAction>();
  const author = cs.author.id === actor.accountId;
  const writes = actor.scopes.has('drafts:write');
  const reviews = actor.scopes.has('review') && (selfApproval || !author);
  const open = cs.status === 'draft' || cs.status === 'in_review' || cs.status === 'approved';
  if (author && writes && cs.status === 'draft') out.add('edit').add('submit');
  if (author && writes && open) out.add('withdraw').add('rebase');
  if (open && (author || actor.scopes.has('review'))) out.add('comment');
  if (reviews && cs.status === 'in_review') out.add('approve').add('return');
  if (reviews && cs.status === 'approved') out.add('publish').add('schedule').add('return');
  if (actor.scopes.has('admin') && cs.status === 'published') out.add('revert');
  return out;
}

const STATUS_KEYS = {
  draft: 'ed.status.draft',
  in_review: 'ed.status.in_review',
  approved: 'ed.status.approved',
  published: 'ed.status.published',
  withdrawn: 'ed.status.withdrawn',
} as const satisfies Record<ChangesetStatus, MessageKey>;

const KIND_KEYS = {
  instrument: 'ed.kind.instrument',
  programme: 'ed.kind.programme',
  article: 'ed.kind.article',
  revision: 'ed.kind.revision',
  source: 'ed.kind.source',
  body: 'ed.kind.body',
} as const satisfies Record<EditableKind, MessageKey>;

export const statusName = (ctx: PageContext, s: ChangesetStatus): string => ctx.t(STATUS_KEYS[s]);
const kindName = (ctx: PageContext, k: EditableKind): string => ctx.t(KIND_KEYS[k]);

function time(ctx: PageContext, iso: string | null): SafeHtml {
  if (!iso) return html``;
  return html`<time datetime="${iso}">${ctx.date(iso.slice(0, 10))} ${iso.slice(11, 16)} UTC</time>`;
}

function page(ctx: PageContext, title: string, main: SafeHtml, crumbs: { label: string; href?: string }[]): string {
  return layout(ctx, {
    title,
    main,
    noAsOf: true,
    head: html`<link rel="stylesheet" href="${assetUrl('editor.css')}" />`,
    breadcrumbs: [{ label: ctx.t('ed.workspace'), href: ctx.href('/workspace/changesets') }, ...crumbs],
  });
}

/** The list of change sets of one status (or all), with the form that opens a new one. */
export function changesetsPage(
  ctx: PageContext,
  input: {
    readonly status: ChangesetStatus | undefined;
    readonly changesets: readonly ChangesetRecord[];
    readonly csrf: SafeHtml;
    readonly canCreate: boolean;
  },
): string {
  const { t } = ctx;
  const tab = (s: ChangesetStatus | undefined) => {
    const label = s === undefined ? t('ed.allStatuses') : statusName(ctx, s);
    const href = ctx.href('/workspace/changesets', s === undefined ? {} : { status: s });
    return html`<li>
      <a href="${href}" aria-current="${s === input.status ? 'page' : 'false'}">${label}</a>
    </li>`;
  };
  const main = html`<article class="workspace-page" aria-labelledby="page-title">
    <header class="page-header">
      <h1 id="page-title">${t('ed.changesetsTitle')}</h1>
      <p class="lede">${t('ed.changesetsIntro')}</p>
    </header>
    <nav aria-label="${t('ed.byStatus')}">
      <ul class="inline-list">
        ${tab(undefined)} ${CHANGESET_STATUSES.map(tab)}
      </ul>
    </nav>
    ${
      input.changesets.length === 0
        ? html`<p class="muted">${t('ed.noChangesets')}</p>`
        : html`<table class="changeset-list">
            <caption class="visually-hidden">
              ${t('ed.changesetsTitle')}
            </caption>
            <thead>
              <tr>
                <th scope="col">${t('ed.changesetTitle')}</th>
                <th scope="col">${t('ed.changesetStatus')}</th>
                <th scope="col">${t('ed.changesetAuthor')}</th>
                <th scope="col">${t('ed.changesetUpdated')}</th>
              </tr>
            </thead>
            <tbody>
              ${input.changesets.map(
                (cs) =>
                  html`<tr data-changeset="${cs.id}">
                    <th scope="row"><a href="${ctx.href(`/workspace/changesets/${cs.id}`)}">${cs.title}</a></th>
                    <td>${statusName(ctx, cs.status)}</td>
                    <td>${cs.author.email}</td>
                    <td>${time(ctx, cs.updatedAt)}</td>
                  </tr>`,
              )}
            </tbody>
          </table>`
    }
    ${
      input.canCreate
        ? html`<section aria-labelledby="new-changeset-heading">
            <h2 id="new-changeset-heading">${t('ed.newChangeset')}</h2>
            <form class="sub-form editor-form" method="post" action="${ctx.href('/workspace/changesets')}">
              ${input.csrf}
              <div class="form-group">
                <label for="cs-title">${t('ed.changesetTitle')}</label>
                <input type="text" id="cs-title" name="title" maxlength="200" required />
              </div>
              <button type="submit">${t('ed.openChangeset')}</button>
            </form>
          </section>`
        : ''
    }
  </article>`;
  return page(ctx, t('ed.changesetsTitle'), main, [{ label: t('ed.changesetsTitle') }]);
}

/** The address of an entity's edit page in a change set (`as=json` for the raw JSON form). */
export function entityHref(ctx: PageContext, changeset: string, kind: string, id: string, json = false): string {
  return ctx.href(`/workspace/changesets/${changeset}/entity`, { kind, id, ...(json ? { as: 'json' } : {}) });
}

/** A form of one button posting to `action` with the CSRF token (and hidden fields). */
function button(
  action: string,
  label: string,
  csrf: SafeHtml,
  fields: Readonly<Record<string, string>> = {},
  extra: SafeHtml = html``,
): SafeHtml {
  return html`<form method="post" action="${action}" class="inline-form">
    ${csrf}
    ${Object.entries(fields).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}" />`)}
    ${extra}
    <button type="submit">${label}</button>
  </form>`;
}

export interface ChangesetPageInput {
  readonly detail: ChangesetDetail;
  readonly diff: ChangesetDiff;
  readonly actions: ReadonlySet<ChangesetAction>;
  readonly csrf: SafeHtml;
  /** A notice after an action (saved, submitted …). */
  readonly notice?: string;
}

/** One change set: its state, entities, diff, comments and the actions the signed-in account may take. */
export function changesetPage(ctx: PageContext, input: ChangesetPageInput): string {
  const { t } = ctx;
  const { changeset: cs, entities, comments } = input.detail;
  const base = `/workspace/changesets/${cs.id}`;
  const can = (a: ChangesetAction) => input.actions.has(a);
  const conflicts = new Set(input.diff.conflicts);
  const kinds = EDITABLE_KINDS;

  const entityRows = entities.map((e) => {
    const k = `${e.kind}:${e.entityId}`;
    return html`<tr data-entity="${k}">
      <th scope="row"><code>${k}</code></th>
      <td>${kindName(ctx, e.kind)}</td>
      <td>
        ${e.doc === null ? t('ed.entityDeleted') : t('ed.entitySaved')}
        ${conflicts.has(k) ? html`<strong class="conflict-mark">${t('ed.entityConflict')}</strong>` : ''}
      </td>
      <td>
        ${
          can('edit')
            ? html`${
                e.doc === null
                  ? ''
                  : html`<a href="${entityHref(ctx, cs.id, e.kind, e.entityId)}"
                        >${t('ed.edit')}<span class="visually-hidden"> ${k}</span></a
                      >
                      ·
                      <a href="${entityHref(ctx, cs.id, e.kind, e.entityId, true)}"
                        >${t('ed.editJson')}<span class="visually-hidden"> ${k}</span></a
                      >`
              }
              ${button(`${base}/entity/discard`, t('ed.discard'), input.csrf, { kind: e.kind, id: e.entityId })}`
            : ''
        }
      </td>
    </tr>`;
  });

  const main = html`<article class="workspace-page changeset-page" aria-labelledby="page-title">
    <header class="page-header">
      <p class="eyebrow">${t('ed.changeset')} <code>${cs.id}</code></p>
      <h1 id="page-title">${cs.title}</h1>
      <dl class="changeset-facts">
        <dt>${t('ed.changesetStatus')}</dt>
        <dd class="changeset-status" data-status="${cs.status}">${statusName(ctx, cs.status)}</dd>
        <dt>${t('ed.changesetAuthor')}</dt>
        <dd>${cs.author.email}</dd>
        ${
          cs.reviewer
            ? html`<dt>${t('ed.changesetReviewer')}</dt>
                <dd>${cs.reviewer.email}</dd>`
            : ''
        }
        ${
          cs.publishAt
            ? html`<dt>${t('ed.changesetPublishAt')}</dt>
                <dd>${time(ctx, cs.publishAt)}</dd>`
            : ''
        }
        ${
          cs.publishedAt
            ? html`<dt>${t('ed.changesetPublished')}</dt>
                <dd>${time(ctx, cs.publishedAt)}</dd>`
            : ''
        }
      </dl>
    </header>
    ${input.notice ? html`<p class="notice" role="status">${input.notice}</p>` : ''}
    ${
      conflicts.size > 0
        ? html`<div class="notice notice-conflict" role="alert">
            <p>${t('ed.conflicts', { entities: [...conflicts].join(', ') })}</p>
            ${can('rebase') ? button(`${base}/rebase`, t('ed.rebase'), input.csrf) : ''}
          </div>`
        : ''
    }
    <section aria-labelledby="entities-heading" id="entities">
      <h2 id="entities-heading">${t('ed.entities')}</h2>
      ${
        entities.length === 0
          ? html`<p class="muted">${t('ed.noEntities')}</p>`
          : html`<table class="changeset-list">
              <thead>
                <tr>
                  <th scope="col">${t('ed.entity')}</th>
                  <th scope="col">${t('ed.entityKind')}</th>
                  <th scope="col">${t('ed.entityState')}</th>
                  <th scope="col">${t('ed.entityActions')}</th>
                </tr>
              </thead>
              <tbody>
                ${entityRows}
              </tbody>
            </table>`
      }
      ${
        can('edit')
          ? html`<h3 id="add-heading">${t('ed.addEntity')}</h3>
              <ul class="inline-list">
                <li><a href="${ctx.href(`${base}/entity`, { kind: 'instrument' })}">${t('ed.newInstrument')}</a></li>
                <li><a href="${ctx.href(`${base}/entity`, { kind: 'programme' })}">${t('ed.newProgramme')}</a></li>
                <li><a href="${ctx.href(`${base}/entity`, { kind: 'revision' })}">${t('ed.newRevision')}</a></li>
              </ul>
              <form class="sub-form editor-form" method="get" action="${base}/entity" aria-labelledby="take-up-heading">
                <h3 id="take-up-heading">${t('ed.takeUp')}</h3>
                <p class="hint">${t('ed.takeUpHint')}</p>
                <div class="editor-inline">
                  <div class="form-group">
                    <label for="take-kind">${t('ed.entityKind')}</label>
                    <select id="take-kind" name="kind">
                      ${kinds.map((k) => html`<option value="${k}">${kindName(ctx, k)}</option>`)}
                    </select>
                  </div>
                  <div class="form-group">
                    <label for="take-id">${t('ed.id')}</label>
                    <input type="text" id="take-id" name="id" spellcheck="false" required />
                  </div>
                  <div class="form-group">
                    <input type="checkbox" id="take-json" name="as" value="json" />
                    <label for="take-json">${t('ed.asJson')}</label>
                  </div>
                </div>
                ${ctx.lang === 'en' ? '' : html`<input type="hidden" name="lang" value="${ctx.lang}" />`}
                <button type="submit">${t('ed.open')}</button>
              </form>
              <form
                class="sub-form editor-form"
                method="post"
                action="${base}/entity/delete"
                aria-labelledby="delete-heading"
              >
                <h3 id="delete-heading">${t('ed.deletePublished')}</h3>
                ${input.csrf}
                <div class="editor-inline">
                  <div class="form-group">
                    <label for="delete-kind">${t('ed.entityKind')}</label>
                    <select id="delete-kind" name="kind">
                      ${kinds.map((k) => html`<option value="${k}">${kindName(ctx, k)}</option>`)}
                    </select>
                  </div>
                  <div class="form-group">
                    <label for="delete-id">${t('ed.id')}</label>
                    <input type="text" id="delete-id" name="id" spellcheck="false" required />
                  </div>
                </div>
                <button type="submit">${t('ed.markDeleted')}</button>
              </form>`
          : ''
      }
    </section>
    <section aria-labelledby="actions-heading" class="changeset-actions">
      <h2 id="actions-heading">${t('ed.actions')}</h2>
      <div class="editor-actions">
        ${can('submit') ? button(`${base}/submit`, t('ed.submit'), input.csrf) : ''}
        ${can('approve') ? button(`${base}/approve`, t('ed.approve'), input.csrf) : ''}
        ${can('publish') ? button(`${base}/publish`, t('ed.publish'), input.csrf) : ''}
        ${can('withdraw') ? button(`${base}/withdraw`, t('ed.withdraw'), input.csrf) : ''}
        ${can('revert') ? button(`${base}/revert`, t('ed.revert'), input.csrf) : ''}
      </div>
      ${
        can('schedule')
          ? html`<form class="sub-form editor-form" method="post" action="${base}/schedule">
              ${input.csrf}
              <div class="form-group">
                <label for="publish-at">${t('ed.scheduleAt')}</label>
                <p class="hint" id="publish-at-hint">${t('ed.scheduleHint')}</p>
                <input
                  type="datetime-local"
                  id="publish-at"
                  name="publish_at"
                  aria-describedby="publish-at-hint"
                  value="${cs.publishAt ? cs.publishAt.slice(0, 16) : ''}"
                />
              </div>
              <button type="submit">${t('ed.schedule')}</button>
            </form>`
          : ''
      }
      ${
        can('return')
          ? html`<form class="sub-form editor-form" method="post" action="${base}/return">
              ${input.csrf}
              <div class="form-group">
                <label for="return-comment">${t('ed.returnComment')}</label>
                <textarea id="return-comment" name="comment" rows="3" required></textarea>
              </div>
              <button type="submit">${t('ed.return')}</button>
            </form>`
          : ''
      }
      ${input.actions.size === 0 ? html`<p class="muted">${t('ed.noActions')}</p>` : ''}
    </section>
    <section aria-labelledby="diff-heading" id="diff">
      <h2 id="diff-heading">${t('ed.diffHeading')}</h2>
      ${input.diff.entities.length === 0 ? html`<p class="muted">${t('ed.noEntities')}</p>` : ''}
      ${input.diff.entities.map((d) => entityDiff(ctx, d))}
    </section>
    <section aria-labelledby="comments-heading" id="comments">
      <h2 id="comments-heading">${t('ed.comments')}</h2>
      ${
        comments.length === 0
          ? html`<p class="muted">${t('ed.noComments')}</p>`
          : html`<ol class="comment-list">
              ${comments.map(
                (c) =>
                  html`<li class="comment comment-${c.kind}">
                    <p class="muted small">${c.author.email} · ${time(ctx, c.createdAt)}</p>
                    <p class="comment-body">${c.body}</p>
                  </li>`,
              )}
            </ol>`
      }
      ${
        can('comment')
          ? html`<form class="sub-form editor-form" method="post" action="${base}/comments">
              ${input.csrf}
              <div class="form-group">
                <label for="comment-body">${t('ed.comment')}</label>
                <textarea id="comment-body" name="body" rows="3" required></textarea>
              </div>
              <button type="submit">${t('ed.addComment')}</button>
            </form>`
          : ''
      }
    </section>
  </article>`;
  return page(ctx, cs.title, main, [
    { label: t('ed.changesetsTitle'), href: ctx.href('/workspace/changesets') },
    { label: cs.title },
  ]);
}
