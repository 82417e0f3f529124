// articles/ID/article.yaml and its revisions YYYY-MM-DD.{en,zh}.md: the id matches the folder; chapter and
// jurisdiction exist; review_by is a real day; a revision's date matches its file name and is real; its sources and instrument: links exist;
// every article has an English revision.
import { isDay, parsePartialDate } from '../../domain/dates.ts';
import type { Article, ArticleRevision, Lang } from '../../domain/types.ts';
import type { RawBundle } from '../read.ts';
import type { Checker, Known } from './checker.ts';

const INSTRUMENT_LINK = /\]\(instrument:([^)\s#]*)(#[^)\s]*)?\)/g;

/** Checks the articles and their revisions against the instrument ids. */
export function checkArticles(
  c: Checker,
  raw: RawBundle,
  ids: Set<string>,
  known: Known,
): { articles: Article[]; revisions: ArticleRevision[] } {
  const { chapterCodes, jurisdictionCodes: jCodes, cite } = known;
  const articles: Article[] = [];
  const articleIds = new Set<string>();
  for (const file of raw.articles) {
    const art = c.schema<Article>(file, 'articleFile');
    if (!art) continue;
    const folder = file.path.split('/')[1] ?? '';
    if (art.id !== folder) c.report(file, ['id'], `id "${art.id}" must match the folder name "${folder}"`);
    if (!chapterCodes.has(art.chapter)) c.report(file, ['chapter'], `unknown chapter "${art.chapter}"`);
    if (!jCodes.has(art.jurisdiction)) c.report(file, ['jurisdiction'], `unknown jurisdiction "${art.jurisdiction}"`);
    if (art.review_by !== undefined && !isDay(art.review_by)) {
      c.report(file, ['review_by'], `review_by ${art.review_by} is not a real date`);
    }
    articleIds.add(art.id);
    articles.push(art);
  }
  const revisions: ArticleRevision[] = [];
  for (const file of raw.revisions) {
    const front = c.schema<Omit<ArticleRevision, 'article' | 'lang' | 'body'>>(file, 'revisionFrontMatter');
    if (!front) continue;
    if (front.accurate_up_to !== file.date) {
      c.report(
        file,
        ['accurate_up_to'],
        `accurate_up_to ${front.accurate_up_to} must match the file name's ${file.date}`,
      );
    } else if (!parsePartialDate(file.date)) {
      c.report(file, ['accurate_up_to'], `${file.date} is not a real date`);
    }
    cite(file, ['sources'], front.sources);
    file.body.split('\n').forEach((line, i) => {
      for (const m of line.matchAll(INSTRUMENT_LINK)) {
        const id = m[1] ?? '';
        if (!ids.has(id)) {
          c.reportInBody(file, file.bodyLine + i, (m.index ?? 0) + 1, `link to unknown instrument "${id}"`);
        }
      }
    });
    revisions.push({ ...front, article: file.article, lang: file.lang as Lang, body: file.body });
  }
  for (const art of articles) {
    if (!revisions.some((r) => r.article === art.id && r.lang === 'en')) {
      const file = raw.articles.find((f) => f.path === `articles/${art.id}/article.yaml`);
      if (file) c.report(file, [], `article "${art.id}" has no English revision (YYYY-MM-DD.en.md)`);
    }
  }

  return { articles, revisions };
}
