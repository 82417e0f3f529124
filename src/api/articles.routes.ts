// /api/v1/articles/{id}/revisions, /revisions/{date} and /compare: an article's revisions, one whole, two compared.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { HorizonError, errors } from '../errors.ts';
import { isDay } from '../domain/dates.ts';
import type { ArticleRevision, Lang } from '../domain/types.ts';
import type { ArticleDetail, KnowledgeRepository } from '../store/knowledge.repository.ts';
import { diffRevisionsCached } from '../watch/diff.ts';
import { Bilingual, ErrorBody, LangQuery as LangParam } from '../http/schemas.ts';
import { PUBLIC } from '../accounts/types.ts';

const Day = (description: string) => Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description });
const Citation = Type.Object({ source: Type.String() }, { additionalProperties: true });
const RevisionSummary = Type.Object({
  date: Type.String({ description: 'accurate_up_to of the revision (YYYY-MM-DD).' }),
  langs: Type.Array(Type.String(), { description: 'The languages the revision is written in.' }),
  change_note: Type.Object(
    { en: Type.Optional(Type.String()), zh: Type.Optional(Type.String()) },
    { description: 'What changed, in the languages that say it.' },
  ),
  url: Type.String({ description: 'The revision on the guide website.' }),
});
const Part = Type.Object({
  kind: Type.Union([Type.Literal('same'), Type.Literal('added'), Type.Literal('removed')]),
  text: Type.String(),
});
const Section = Type.Object({
  heading: Type.Union([Type.String(), Type.Null()], { description: 'Null for the text before the first heading.' }),
  previous_heading: Type.Optional(Type.String({ description: 'The older heading of a renamed section.' })),
  status: Type.Union([
    Type.Literal('added'),
    Type.Literal('removed'),
    Type.Literal('changed'),
    Type.Literal('unchanged'),
  ]),
  parts: Type.Array(Part, {
    description: 'The section as Markdown: same + added parts give the newer text, same + removed the older one.',
  }),
});
const Stats = Type.Object({
  sections_added: Type.Integer(),
  sections_removed: Type.Integer(),
  sections_changed: Type.Integer(),
  words_added: Type.Integer(),
  words_removed: Type.Integer(),
});
const Id = Type.Object({ id: Type.String({ description: 'The article id, e.g. ai-initiatives-in-china.' }) });

/** A real day written YYYY-MM-DD, or a 400 naming the parameter. */
function day(name: string, value: string): string {
  if (!isDay(value)) throw errors.invalidParameter(name, { key: 'error.param.day', params: { value } });
  return value;
}

type Revision = ArticleDetail['revisions'][number];

/** The revision accurate up to the date; throws not_found listing the revisions there are. */
function findRevision(detail: ArticleDetail, date: string): Revision {
  const revision = detail.revisions.find((r) => r.date === date);
  if (!revision) {
    const dates = detail.revisions.map((r) => r.date).join(', ') || 'none';
    throw new HorizonError(
      'not_found',
      `Article "${detail.article.id}" has no revision accurate up to ${date}; its revisions are ${dates}`,
    );
  }
  return revision;
}

/** The text of a revision in a language; throws not_found naming the languages there are. */
function revisionText(detail: ArticleDetail, revision: Revision, lang: Lang): ArticleRevision {
  const text = revision.langs.get(lang);
  if (!text) {
    throw new HorizonError(
      'not_found',
      `The revision of article "${detail.article.id}" accurate up to ${revision.date} has no ${lang} text; it has ${[...revision.langs.keys()].join(', ')}`,
    );
  }
  return text;
}

/** The two revisions a comparison defaults to: the latest, and the one before it (or itself when it is the only one). */
function defaultComparison(
  detail: ArticleDetail,
  from: string | undefined,
  to: string | undefined,
): { from: string; to: string } {
  const dates = detail.revisions.map((r) => r.date);
  const newest = to ?? dates[0];
  if (newest === undefined) throw new HorizonError('not_found', `Article "${detail.article.id}" has no revision yet`);
  const older = dates.filter((d) => d < newest);
  return { from: from ?? older[0] ?? newest, to: newest };
}

/** Adds the article revision routes to the app. */
export function registerArticleRoutes(app: FastifyInstance, repo: KnowledgeRepository): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get(
    '/api/v1/articles/:id/revisions',
    {
      config: { policy: PUBLIC },
      schema: {
        summary: "An article's revisions, newest first, with their languages",
        tags: ['articles'],
        params: Id,
        response: {
          200: Type.Object({
            article: Type.Object({ id: Type.String(), title: Bilingual }),
            count: Type.Integer(),
            revisions: Type.Array(RevisionSummary),
          }),
          404: ErrorBody,
        },
      },
    },
    async (request) => {
      const detail = await repo.article(request.params.id);
      const { article } = detail;
      return {
        article: { id: article.id, title: article.title },
        count: detail.revisions.length,
        revisions: detail.revisions.map((rev) => {
          const note: { en?: string; zh?: string } = {};
          for (const [lang, text] of rev.langs) if (text.change_note) note[lang] = text.change_note;
          return {
            date: rev.date,
            langs: [...rev.langs.keys()],
            change_note: note,
            url: `/articles/${article.id}?revision=${rev.date}`,
          };
        }),
      };
    },
  );

  r.get(
    '/api/v1/articles/:id/revisions/:date',
    {
      config: { policy: PUBLIC },
      schema: {
        summary: 'One revision of an article, whole: its front matter and Markdown body',
        tags: ['articles'],
        params: Type.Object({ id: Type.String(), date: Day('accurate_up_to of the revision (YYYY-MM-DD).') }),
        querystring: Type.Object({ lang: Type.Optional(LangParam) }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            article: Type.Object({ id: Type.String(), title: Bilingual }),
            date: Type.String(),
            lang: Type.String(),
            front_matter: Type.Object(
              {
                accurate_up_to: Type.String(),
                title: Type.Optional(Type.String()),
                change_note: Type.Optional(Type.String()),
                sources: Type.Optional(Type.Array(Citation)),
              },
              { additionalProperties: true },
            ),
            body: Type.String({ description: 'The Markdown body; `## ` headings start sections.' }),
          }),
          400: ErrorBody,
          404: ErrorBody,
        },
      },
    },
    async (request) => {
      const date = day('date', request.params.date);
      const lang = request.query.lang ?? 'en';
      const detail = await repo.article(request.params.id);
      const text = revisionText(detail, findRevision(detail, date), lang);
      const front = Object.fromEntries(
        Object.entries(text).filter(([key]) => key !== 'article' && key !== 'lang' && key !== 'body'),
      ) as { accurate_up_to: string };
      return {
        article: { id: detail.article.id, title: detail.article.title },
        date,
        lang,
        front_matter: front,
        body: text.body,
      };
    },
  );

  r.get(
    '/api/v1/articles/:id/compare',
    {
      config: { policy: PUBLIC },
      schema: {
        summary: 'Two revisions of an article compared, section by section and word by word',
        description:
          'Sections are paired by heading; changed sections carry a word-level diff (Chinese is split into words). ' +
          'Without to, the latest revision; without from, the revision before to.',
        tags: ['articles'],
        params: Id,
        querystring: Type.Object(
          {
            from: Type.Optional(Day('The older revision (accurate_up_to).')),
            to: Type.Optional(Day('The newer revision (accurate_up_to).')),
            lang: Type.Optional(LangParam),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            article: Type.Object({ id: Type.String(), title: Bilingual }),
            lang: Type.String(),
            from: Type.String(),
            to: Type.String(),
            sections: Type.Array(Section),
            stats: Stats,
          }),
          400: ErrorBody,
          404: ErrorBody,
        },
      },
    },
    async (request) => {
      const q = request.query;
      const from = q.from === undefined ? undefined : day('from', q.from);
      const to = q.to === undefined ? undefined : day('to', q.to);
      const lang = q.lang ?? 'en';
      const detail = await repo.article(request.params.id);
      const pair = defaultComparison(detail, from, to);
      const before = revisionText(detail, findRevision(detail, pair.from), lang);
      const after = revisionText(detail, findRevision(detail, pair.to), lang);
      const diff = diffRevisionsCached(before.body, after.body, lang);
      return {
        article: { id: detail.article.id, title: detail.article.title },
        lang,
        from: pair.from,
        to: pair.to,
        sections: diff.sections.map((s) => ({
          heading: s.heading,
          ...(s.previousHeading === undefined ? {} : { previous_heading: s.previousHeading }),
          status: s.status,
          parts: [...(s.parts ?? [])],
        })),
        stats: {
          sections_added: diff.stats.sectionsAdded,
          sections_removed: diff.stats.sectionsRemoved,
          sections_changed: diff.stats.sectionsChanged,
          words_added: diff.stats.wordsAdded,
          words_removed: diff.stats.wordsRemoved,
        },
      };
    },
  );
}
