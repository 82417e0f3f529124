// The workspace's change-set pages, without JavaScript, over editorial/changesets.service.ts (the API's service):
// GET/POST /workspace/changesets (list by status, open one), GET /workspace/changesets/:id (entities, diff,
// comments, the actions the account may take), GET/POST …/:id/entity (an entity's form or raw JSON: Save, or
// Preview: the Markdown rendered and the rule run against the sample profiles, nothing saved), POST …/entity/discard
// and …/entity/delete, and the buttons …/submit, withdraw, rebase, comments (drafts:write), approve, return, publish,
// schedule (review), revert (admin). Every route declares its policy; every POST a session makes carries its CSRF
// token (checked by accounts/auth.ts). Form bodies are parsed in this plugin's scope only (2 MiB: two revisions).
import formbody from '@fastify/formbody';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { csrfField, requireActor } from '../accounts/auth.ts';
import { needs, type Actor, type Policy } from '../accounts/types.ts';
import { html } from '../domain/html.ts';
import type { Lang } from '../domain/types.ts';
import {
  CHANGESET_STATUSES,
  EDITABLE_KINDS,
  approveChangeset,
  changesetDiff,
  commentOnChangeset,
  createChangeset,
  deleteEntity,
  discardEntity,
  getChangeset,
  listChangesets,
  publishChangeset,
  rebaseChangeset,
  returnChangeset,
  revertChangeset,
  saveEntity,
  scheduleChangeset,
  submitChangeset,
  withdrawChangeset,
  type ChangesetDetail,
  type EditableKind,
  type Workspace,
} from '../editorial/changesets.service.ts';
import { ruleSamples } from '../editorial/rule-samples.ts';
import { HorizonError, errors, problem, problemMessage, type Problem } from '../errors.ts';
import { strictFormParser } from '../http/edge.ts';
import { single } from '../http/params.ts';
import type { Database } from '../store/database.ts';
import type { KnowledgeRepository } from '../store/knowledge.repository.ts';
import { pageContext, type PageContext } from './context.ts';
import { actionsFor, changesetPage, changesetsPage, entityHref } from './pages/editor/changesets.ts';
import {
  entityFromJson,
  instrumentFromForm,
  programmeFromForm,
  revisionsFromForm,
  type EditorChoices,
  type RevisionLang,
} from './pages/editor/entity-forms.ts';
import { entityPage, type EntityFormValue } from './pages/editor/entity-page.ts';
import { entityPath, value, type FormBody } from './pages/editor/fields.ts';
import { markdownPreview } from './pages/editor/preview.ts';

/** The largest form body: a revision in two languages (each file at most 1 MiB in a bundle) and its fields. */
export const EDITOR_BODY_LIMIT = 2 * 1024 * 1024;

export interface EditorPagesOptions {
  readonly db: Database;
  readonly repo: KnowledgeRepository;
  /** config editorial.selfApproval: an author may approve and publish his own change set. */
  readonly selfApproval: boolean;
}

const LANGS: readonly Lang[] = ['en', 'zh'];
const REVISION = /^([^/]+)(?:\/(\d{4}-\d{2}-\d{2}))?(?:\/(en|zh))?$/;

function formOf(request: FastifyRequest): FormBody {
  const body = request.body;
  return body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as FormBody) : {};
}

function sendHtml(reply: FastifyReply, status: number, body: string): FastifyReply {
  return reply.status(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(body);
}

function kindOf(text: string | undefined): EditableKind {
  const kind = EDITABLE_KINDS.find((k) => k === text);
  if (!kind)
    throw errors.invalidParameter('kind', { key: 'ed.err.kind', params: { kinds: EDITABLE_KINDS.join(', ') } });
  return kind;
}

const isInvalid = (error: unknown): error is HorizonError =>
  error instanceof HorizonError && (error.code === 'invalid_entity' || error.code === 'invalid_parameter');

/** What the entity forms offer, from the store. */
async function loadEditorChoices(repo: KnowledgeRepository): Promise<EditorChoices> {
  const [jurisdictions, taxonomy, instruments] = await Promise.all([
    repo.jurisdictions(),
    repo.taxonomy(),
    repo.instrumentChoices(),
  ]);
  return {
    jurisdictions,
    kinds: taxonomy.instrument_kinds,
    topics: taxonomy.topics,
    eventTypes: taxonomy.event_types,
    instruments,
  };
}

/** The published document of an entity (undefined when there is none), in the bundle's shape. */
async function publishedDoc(repo: KnowledgeRepository, kind: EditableKind, id: string): Promise<unknown> {
  switch (kind) {
    case 'instrument':
      return (await repo.instrumentsById([id]))[0];
    case 'programme':
      return (await repo.programmesById([id]))[0];
    case 'article':
      return (await repo.articlesById([id]))[0];
    case 'source':
      return (await repo.sources([id]))[0];
    case 'body':
      return (await repo.bodies([id]))[0];
    case 'revision': {
      const m = REVISION.exec(id);
      if (!m?.[2] || !m[3]) return undefined;
      const detail = await repo.article(m[1] ?? '').catch(() => undefined);
      return detail?.revisions.find((r) => r.date === m[2])?.langs.get(m[3] as Lang);
    }
  }
}

/** An entity of the change set as the bundle's entity (a revision with its article, language and body). */
function entityOfSet(detail: ChangesetDetail, kind: EditableKind, id: string): unknown {
  const row = detail.entities.find((e) => e.kind === kind && e.entityId === id);
  if (!row || row.doc === null) return undefined;
  const doc = JSON.parse(row.doc) as Record<string, unknown>;
  if (kind !== 'revision') return doc;
  const [article = '', , lang = ''] = id.split('/');
  return { ...doc, article, lang, body: row.body ?? '' };
}

/** Problems of a revision's entities (`revision:a/d/en.body`) as the revision form's fields (`en.body`). */
function revisionProblems(problems: readonly Problem[]): Problem[] {
  return problems.map((p) => {
    const m = /^revision:[^/]+\/[^/]+\/(en|zh)(?:\.(.*))?$/.exec(p.where);
    if (!m) return p;
    const rest = m[2] ?? 'body';
    const shared = rest === 'accurate_up_to' || rest === 'article';
    return { ...p, where: shared ? rest : `${m[1]}.${rest}` };
  });
}

/** A revision's languages for its form, from the change set, else as published, else (new) from the latest. */
async function revisionValue(
  ctx: PageContext,
  repo: KnowledgeRepository,
  detail: ChangesetDetail,
  id: string,
): Promise<{ article: string; accurate_up_to: string; langs: Map<Lang, RevisionLang> }> {
  const m = REVISION.exec(id);
  const article = m?.[1] ?? '';
  const langs = new Map<Lang, RevisionLang>();
  if (!m) return { article: '', accurate_up_to: ctx.today, langs };
  const published = await repo.article(article).catch(() => undefined);
  const date = m[2] ?? ctx.today;
  for (const lang of LANGS) {
    const fromSet = entityOfSet(detail, 'revision', `${article}/${date}/${lang}`) as RevisionLang | undefined;
    const exact = published?.revisions.find((r) => r.date === date)?.langs.get(lang);
    // A new revision starts from the latest text in that language.
    const latest = m[2] === undefined ? published?.revisions[0]?.langs.get(lang) : undefined;
    const r = fromSet ?? exact ?? latest;
    if (r) {
      langs.set(lang, {
        ...(r.title ? { title: r.title } : {}),
        ...(r.change_note && !latest ? { change_note: r.change_note } : {}),
        ...(r.sources ? { sources: r.sources } : {}),
        body: r.body,
      });
    }
  }
  return { article, accurate_up_to: date, langs };
}

/** The workspace's change-set pages (registered inside the guide's scope: its error pages and policy apply). */
export const editorPages: FastifyPluginAsync<EditorPagesOptions> = async (
  pages: FastifyInstance,
  options: EditorPagesOptions,
) => {
  const { repo } = options;
  const ws: Workspace = { db: options.db, selfApproval: options.selfApproval };
  await pages.register(formbody, { bodyLimit: EDITOR_BODY_LIMIT, parser: strictFormParser });
  pages.addHook('onSend', async (_request, reply, payload) => {
    reply.header('referrer-policy', 'no-referrer');
    return payload;
  });

  const route = (policy: Policy) => ({ schema: { hide: true }, config: { policy }, bodyLimit: EDITOR_BODY_LIMIT });
  const write = route(needs('drafts:write'));
  const review = route(needs('review'));
  const back = (ctx: PageContext, id: string, anchor = '') =>
    `${ctx.href(`/workspace/changesets/${id}`)}${anchor ? `#${anchor}` : ''}`;

  pages.get('/workspace/changesets', write, async (request, reply) => {
    const ctx = pageContext(request);
    const actor = requireActor(request);
    const given = single(request.query, 'status');
    const status = CHANGESET_STATUSES.find((s) => s === given);
    if (given !== undefined && given !== '' && !status) {
      throw errors.invalidParameter('status', {
        key: 'ed.err.status',
        params: { statuses: CHANGESET_STATUSES.join(', ') },
      });
    }
    const changesets = await listChangesets(ws, status ? { status } : {});
    return sendHtml(
      reply,
      200,
      changesetsPage(ctx, {
        status,
        changesets,
        csrf: csrfField(request),
        canCreate: actor.scopes.has('drafts:write'),
      }),
    );
  });

  pages.post('/workspace/changesets', write, async (request, reply) => {
    const ctx = pageContext(request);
    const cs = await createChangeset(ws, requireActor(request), { title: value(formOf(request), 'title') });
    return reply.redirect(back(ctx, cs.id), 303);
  });

  pages.get<{ Params: { id: string } }>('/workspace/changesets/:id', write, async (request, reply) => {
    const ctx = pageContext(request);
    const actor = requireActor(request);
    const [detail, diff] = await Promise.all([
      getChangeset(ws, request.params.id),
      changesetDiff(ws, request.params.id),
    ]);
    const notice = single(request.query, 'done');
    return sendHtml(
      reply,
      200,
      changesetPage(ctx, {
        detail,
        diff,
        actions: actionsFor(actor, detail.changeset, options.selfApproval),
        csrf: csrfField(request),
        ...(notice && /^[a-z]{1,20}$/.test(notice) ? { notice: ctx.t('ed.done', { action: notice }) } : {}),
      }),
    );
  });

  /** The entity page: the form of its kind (or JSON), with problems and previews. */
  const showEntity = async (
    request: FastifyRequest,
    reply: FastifyReply,
    input: {
      readonly detail: ChangesetDetail;
      readonly kind: EditableKind;
      readonly entityId: string | undefined;
      readonly json: boolean;
      readonly doc: unknown;
      readonly problems: readonly Problem[];
      readonly status: number;
      readonly revision?: { article: string; accurate_up_to: string; langs: ReadonlyMap<Lang, RevisionLang> };
      readonly jsonText?: string;
    },
  ) => {
    const ctx = pageContext(request);
    const { changeset } = input.detail;
    let formValue: EntityFormValue;
    if (input.json) {
      formValue = {
        form: 'json',
        kind: input.kind,
        text: input.jsonText ?? (input.doc === undefined ? '{}' : JSON.stringify(input.doc, null, 2)),
      };
    } else if (input.kind === 'instrument') {
      formValue = { form: 'instrument', doc: input.doc };
    } else if (input.kind === 'programme') {
      const rule = (input.doc as { rule?: unknown } | undefined)?.rule ?? { all: [] };
      formValue = { form: 'programme', doc: input.doc, rule: ruleSamples(rule, await repo.jurisdictionTree()) };
    } else if (input.kind === 'revision' && input.revision) {
      const titles = new Map((await repo.instrumentChoices()).map((i) => [i.id, i.title]));
      const previews = new Map(
        [...input.revision.langs].map(([lang, r]) => [lang, markdownPreview(ctx, r.body, lang, titles)] as const),
      );
      formValue = { form: 'revision', ...input.revision, previews };
    } else {
      formValue = { form: 'json', kind: input.kind, text: JSON.stringify(input.doc ?? {}, null, 2) };
    }
    const formKinds: readonly string[] = ['instrument', 'programme', 'revision'];
    const alternative =
      input.entityId === undefined || !formKinds.includes(input.kind)
        ? undefined
        : input.json
          ? { href: entityHref(ctx, changeset.id, input.kind, input.entityId), label: ctx.t('ed.editForm') }
          : { href: entityHref(ctx, changeset.id, input.kind, input.entityId, true), label: ctx.t('ed.editJson') };
    return sendHtml(
      reply,
      input.status,
      entityPage(ctx, {
        changeset: { id: changeset.id, title: changeset.title },
        kind: input.kind,
        ...(input.entityId === undefined ? {} : { entityId: input.entityId }),
        value: formValue,
        problems: input.problems,
        choices: await loadEditorChoices(repo),
        csrf: html`${csrfField(request)}<input type="hidden" name="_kind" value="${input.kind}" /><input
            type="hidden"
            name="_entity"
            value="${input.entityId ?? ''}"
          /><input type="hidden" name="_form" value="${formValue.form}" />`,
        action: ctx.href(`/workspace/changesets/${changeset.id}/entity`),
        ...(alternative ? { alternative } : {}),
      }),
    );
  };

  pages.get<{ Params: { id: string } }>('/workspace/changesets/:id/entity', write, async (request, reply) => {
    const ctx = pageContext(request);
    const detail = await getChangeset(ws, request.params.id);
    const kind = kindOf(single(request.query, 'kind'));
    const id = (single(request.query, 'id') ?? '').trim();
    const json = single(request.query, 'as') === 'json';
    if (kind === 'revision' && !json) {
      const revision = await revisionValue(ctx, repo, detail, id);
      const entityId = REVISION.exec(id)?.[2] ? `${revision.article}/${revision.accurate_up_to}` : undefined;
      return showEntity(request, reply, {
        detail,
        kind,
        entityId,
        json,
        doc: undefined,
        problems: [],
        status: 200,
        revision,
      });
    }
    const doc =
      id === ''
        ? undefined
        : (entityOfSet(detail, kind, id) ??
          (await publishedDoc(repo, kind, id)) ??
          (kind === 'revision' ? {} : { id }));
    return showEntity(request, reply, {
      detail,
      kind,
      entityId: id === '' ? undefined : id,
      json,
      doc,
      problems: [],
      status: 200,
    });
  });

  pages.post<{ Params: { id: string } }>('/workspace/changesets/:id/entity', write, async (request, reply) => {
    const ctx = pageContext(request);
    const actor = requireActor(request);
    const form = formOf(request);
    const detail = await getChangeset(ws, request.params.id);
    const kind = kindOf(value(form, '_kind'));
    const given = value(form, '_entity');
    const mode = value(form, '_form');
    const preview = value(form, '_action') === 'preview';
    const csId = detail.changeset.id;

    if (mode === 'revision') {
      const revisions = revisionsFromForm(form);
      const article = value(form, 'article');
      const date = value(form, 'accurate_up_to');
      const langs = new Map<Lang, RevisionLang>(
        LANGS.map((lang) => [lang, revisions.find((r) => r.lang === lang) as RevisionLang | undefined] as const).filter(
          (e): e is [Lang, RevisionLang] => e[1] !== undefined,
        ),
      );
      const again = (problems: readonly Problem[], status: number) =>
        showEntity(request, reply, {
          detail,
          kind,
          entityId: given || undefined,
          json: false,
          doc: undefined,
          problems,
          status,
          revision: { article, accurate_up_to: date, langs },
        });
      if (revisions.length === 0) return again([problem('en.body', { key: 'ed.err.noText' })], 400);
      if (preview) return again([], 200);
      // One entity per language, saved one after the other; when one is refused, those saved before it are put
      // back as they were, so a failed form changes nothing.
      const saved: string[] = [];
      try {
        for (const r of revisions) {
          const entityId = `${article}/${date}/${String(r.lang)}`;
          await saveEntity(ws, actor, csId, 'revision', entityId, r);
          saved.push(entityId);
        }
      } catch (error) {
        if (!isInvalid(error)) throw error;
        for (const entityId of saved) {
          const before = entityOfSet(detail, 'revision', entityId);
          if (before === undefined) await discardEntity(ws, actor, csId, 'revision', entityId);
          else await saveEntity(ws, actor, csId, 'revision', entityId, before);
        }
        return again(revisionProblems(error.problems), 400);
      }
      return reply.redirect(back(ctx, csId, 'entities'), 303);
    }

    let entity: unknown;
    let jsonText: string | undefined;
    const problems: Problem[] = [];
    if (mode === 'json') {
      jsonText = value(form, 'json');
      const parsed = entityFromJson(jsonText);
      if (parsed.ok) entity = parsed.entity;
      else {
        problems.push({
          ...problem('json', { key: 'ed.err.json', params: { line: parsed.line, column: parsed.column } }),
          line: parsed.line,
          column: parsed.column,
        });
      }
    } else if (mode === 'instrument' && kind === 'instrument') entity = instrumentFromForm(form);
    else if (mode === 'programme' && kind === 'programme') entity = programmeFromForm(form);
    else throw errors.invalidParameter('_form', { key: 'ed.err.form' });

    const entityId =
      given ||
      (entity !== null && typeof entity === 'object' && typeof (entity as { id?: unknown }).id === 'string'
        ? (entity as { id: string }).id
        : '');
    if (entity !== undefined && entityId === '')
      problems.push(problem(mode === 'json' ? 'json' : 'id', { key: 'ed.err.id' }));
    const again = (list: readonly Problem[], status: number) =>
      showEntity(request, reply, {
        detail,
        kind,
        entityId: given || undefined,
        json: mode === 'json',
        doc: entity,
        problems: list,
        status,
        ...(jsonText === undefined ? {} : { jsonText }),
      });
    if (problems.length > 0) return again(problems, 400);
    if (preview) return again([], 200);
    try {
      await saveEntity(ws, actor, csId, kind, entityId, entity);
    } catch (error) {
      if (!isInvalid(error)) throw error;
      // JSON: every problem belongs to the one text area, its path in front of its message.
      const shown =
        mode === 'json'
          ? error.problems.map((p) => ({
              where: 'json',
              message: `${entityPath(p.where) || p.where}: ${problemMessage(p, ctx.lang)}`,
            }))
          : error.problems;
      return again(shown, 400);
    }
    return reply.redirect(back(ctx, csId, 'entities'), 303);
  });

  const entityAction =
    (run: (actor: Actor, cs: string, kind: EditableKind, id: string) => Promise<unknown>) =>
    async (request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply) => {
      const ctx = pageContext(request);
      const form = formOf(request);
      await run(requireActor(request), request.params.id, kindOf(value(form, 'kind')), value(form, 'id'));
      return reply.redirect(back(ctx, request.params.id, 'entities'), 303);
    };
  pages.post(
    '/workspace/changesets/:id/entity/discard',
    write,
    entityAction((a, cs, kind, id) => discardEntity(ws, a, cs, kind, id)),
  );
  pages.post(
    '/workspace/changesets/:id/entity/delete',
    write,
    entityAction((a, cs, kind, id) => deleteEntity(ws, a, cs, kind, id)),
  );

  const action =
    (name: string, run: (actor: Actor, cs: string, form: FormBody) => Promise<unknown>) =>
    async (request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply) => {
      const ctx = pageContext(request);
      const done = await run(requireActor(request), request.params.id, formOf(request));
      const target =
        done !== null && typeof done === 'object' && 'id' in done && typeof done.id === 'string' && name === 'revert'
          ? done.id
          : request.params.id;
      return reply.redirect(`${ctx.href(`/workspace/changesets/${target}`, { done: name })}`, 303);
    };
  pages.post(
    '/workspace/changesets/:id/submit',
    write,
    action('submit', (a, cs) => submitChangeset(ws, a, cs)),
  );
  pages.post(
    '/workspace/changesets/:id/withdraw',
    write,
    action('withdraw', (a, cs) => withdrawChangeset(ws, a, cs)),
  );
  pages.post(
    '/workspace/changesets/:id/rebase',
    write,
    action('rebase', (a, cs) => rebaseChangeset(ws, a, cs)),
  );
  pages.post(
    '/workspace/changesets/:id/comments',
    write,
    action('comment', (a, cs, form) => commentOnChangeset(ws, a, cs, value(form, 'body'))),
  );
  pages.post(
    '/workspace/changesets/:id/approve',
    review,
    action('approve', (a, cs) => approveChangeset(ws, a, cs)),
  );
  pages.post(
    '/workspace/changesets/:id/return',
    review,
    action('return', (a, cs, form) => returnChangeset(ws, a, cs, value(form, 'comment'))),
  );
  pages.post(
    '/workspace/changesets/:id/publish',
    review,
    action('publish', (a, cs) => publishChangeset(ws, a, cs)),
  );
  pages.post(
    '/workspace/changesets/:id/schedule',
    review,
    action('schedule', (a, cs, form) => {
      const at = value(form, 'publish_at');
      // datetime-local gives YYYY-MM-DDTHH:MM, read as UTC (the label says so).
      return scheduleChangeset(
        ws,
        a,
        cs,
        at === '' ? null : /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(at) ? `${at}:00Z` : at,
      );
    }),
  );
  pages.post(
    '/workspace/changesets/:id/revert',
    route(needs('admin')),
    action('revert', (a, cs) => revertChangeset(ws, a, cs)),
  );
};
