// What needs attention, as of a day: the editors' morning list (the workspace home page) and, for readers, an
// article's developments since its accurate-up-to date. Every rule of it is here; SQL is in the repositories.
import { addDays, daysBetween, parsePartialDate, type Precision } from '../domain/dates.ts';
import { eventDay, statusAsOf } from '../domain/status.ts';
import type { Article, Bilingual, EventType, Lang, Programme, Status } from '../domain/types.ts';
import { HorizonError } from '../errors.ts';
import type { Queryable } from '../store/database.ts';
import { KnowledgeRepository } from '../store/knowledge.repository.ts';
import { newestDeadDeliveries, outboxCounts, type Delivery } from '../watch/outbox.store.ts';
import { eventsBetween, instrumentChanges } from './attention.repository.ts';
import { countChangesets, listChangesetRows, type Person } from './changesets.store.ts';
import { citedInstruments, developmentsSince, type Development } from './developments.ts';

/** How far ahead the list looks for comment deadlines and effective dates, and back for programmes that ended. */
export const AHEAD_DAYS = 30;
/** An article without review_by is due for review when its latest revision is older than this (config default). */
export const DEFAULT_REVIEW_AFTER_DAYS = 365;
/** Dead-lettered deliveries listed by id (all are counted). */
const DEAD_LISTED = 20;
/** Change sets in review listed (all are counted). */
const REVIEW_LISTED = 100;

export interface AttentionOptions {
  /** The day the list is for (YYYY-MM-DD). */
  readonly asOf: string;
  /** Age of an article's latest revision after which it is due for review when it has no review_by. */
  readonly reviewAfterDays: number;
}

/** An article whose cited instruments developed after its accurate-up-to date. */
export interface ArticleDevelopments {
  readonly article: Article;
  readonly accurateUpTo: string;
  readonly developments: readonly Development[];
}

/** A programme whose instrument ended (repealed, superseded or expired) by the day. */
export interface EndedProgramme {
  readonly programme: Programme;
  readonly instrument: { readonly id: string; readonly title: Bilingual; readonly status: Status };
  /** The day the instrument ended (its latest ending event on or before the day). */
  readonly endedOn: string;
  /**
   * `in-effect`: the programme's valid_while still covers the ended status, so the check counts it as applying;
   * `recent`: it ended within AHEAD_DAYS, so its texts and the articles about it may still read as open.
   */
  readonly reason: 'in-effect' | 'recent';
}

/** A comment deadline or effective date in the next AHEAD_DAYS days. */
export interface UpcomingDate {
  readonly instrument: string;
  readonly title: Bilingual;
  readonly jurisdiction: string;
  readonly type: 'comment-deadline' | 'effective';
  /** As written: YYYY-MM-DD, or YYYY-MM when only the month is known. */
  readonly date: string;
  readonly precision: Precision;
  /** Days from the list's day to the date (to the month's first day, at least 0, when only the month is known). */
  readonly inDays: number;
  readonly disputed: boolean;
}

/** An article whose latest Chinese and English revisions differ in date, or one of which is missing. */
export interface LanguageLag {
  readonly article: Article;
  readonly en: string | null;
  readonly zh: string | null;
  /** The language that is behind (older or missing). */
  readonly behind: Lang;
}

/** An article due for review. */
export interface ReviewDue {
  readonly article: Article;
  readonly accurateUpTo: string;
  /** Its review_by, or null when it is due because its latest revision is older than reviewAfterDays. */
  readonly reviewBy: string | null;
  /** Days past review_by (0: due today), or past the revision's age limit. */
  readonly overdueDays: number;
}

/** A change set waiting for review. */
export interface WaitingChangeset {
  readonly id: string;
  readonly title: string;
  readonly author: Person;
  /** ISO 8601: when it was (last) submitted. */
  readonly submittedAt: string;
  /** Whole days from its submission to the list's day. */
  readonly waitingDays: number;
}

/** Everything the workspace home page lists. */
export interface Attention {
  readonly asOf: string;
  /** As asked (AttentionOptions). */
  readonly reviewAfterDays: number;
  readonly developments: readonly ArticleDevelopments[];
  readonly programmes: readonly EndedProgramme[];
  readonly upcoming: readonly UpcomingDate[];
  readonly languages: readonly LanguageLag[];
  readonly reviews: readonly ReviewDue[];
  readonly deadDeliveries: { readonly count: number; readonly newest: readonly Delivery[] };
  /** Change sets in review, the longest waiting first (at most REVIEW_LISTED of them; count: all). */
  readonly review: { readonly count: number; readonly waiting: readonly WaitingChangeset[] };
}

/**
 * The developments of the instruments these Markdown texts cite (one revision, in its languages) after `since`, as
 * of `asOf`: nothing after asOf is shown, and nothing when asOf is not after since.
 */
export async function revisionDevelopments(
  q: Queryable,
  since: string,
  markdowns: readonly string[],
  asOf: string,
): Promise<Development[]> {
  const ids = [...new Set(markdowns.flatMap(citedInstruments))];
  if (ids.length === 0 || asOf <= since) return [];
  const repo = new KnowledgeRepository(q);
  const [instruments, changes] = await Promise.all([repo.instrumentsById(ids), instrumentChanges(q, ids, since, asOf)]);
  return developmentsSince(instruments, changes, since, asOf);
}

/** An article's developments since one revision (the latest when none is named), as of a day. */
export async function articleDevelopments(
  q: Queryable,
  id: string,
  asOf: string,
  revisionDate?: string,
): Promise<ArticleDevelopments> {
  const detail = await new KnowledgeRepository(q).article(id);
  const revision =
    revisionDate === undefined ? detail.revisions[0] : detail.revisions.find((r) => r.date === revisionDate);
  if (!revision) {
    const dates = detail.revisions.map((r) => r.date).join(', ') || 'none';
    throw new HorizonError(
      'not_found',
      `Article "${id}" has no revision accurate up to ${revisionDate ?? '…'}; its revisions are ${dates}`,
    );
  }
  const markdowns = [...revision.langs.values()].map((r) => r.body);
  return {
    article: detail.article,
    accurateUpTo: revision.date,
    developments: await revisionDevelopments(q, revision.date, markdowns, asOf),
  };
}

interface LatestRevision {
  readonly date: string;
  readonly en: string | null;
  readonly zh: string | null;
  /** The Markdown of the languages written on `date`. */
  readonly bodies: readonly string[];
}

/** Each article's latest revision on or before the day, by language. */
async function latestRevisions(repo: KnowledgeRepository, asOf: string): Promise<Map<string, LatestRevision>> {
  const out = new Map<string, LatestRevision>();
  for (const [article, langs] of await repo.latestRevisions(null, asOf)) {
    const en = langs.get('en')?.accurate_up_to ?? null;
    const zh = langs.get('zh')?.accurate_up_to ?? null;
    const date = [en, zh]
      .filter((d): d is string => d !== null)
      .sort()
      .at(-1);
    if (!date) continue;
    const bodies = [...langs.values()].filter((r) => r.accurate_up_to === date).map((r) => r.body);
    out.set(article, { date, en, zh, bodies });
  }
  return out;
}

/** Articles whose cited instruments had developments after their latest revision's date, most developments first. */
async function articlesWithDevelopments(
  q: Queryable,
  articles: readonly Article[],
  latest: ReadonlyMap<string, LatestRevision>,
  asOf: string,
): Promise<ArticleDevelopments[]> {
  const cited = new Map<string, string[]>();
  for (const [id, rev] of latest) cited.set(id, [...new Set(rev.bodies.flatMap(citedInstruments))]);
  const ids = [...new Set([...cited.values()].flat())];
  const dates = [...latest.values()].map((r) => r.date).sort();
  const earliest = dates[0];
  if (ids.length === 0 || earliest === undefined) return [];
  const repo = new KnowledgeRepository(q);
  const [instruments, changes] = await Promise.all([
    repo.instrumentsById(ids),
    instrumentChanges(q, ids, earliest, asOf),
  ]);
  const byId = new Map(instruments.map((i) => [i.id, i]));
  const out: ArticleDevelopments[] = [];
  for (const article of articles) {
    const rev = latest.get(article.id);
    const mine = new Set(cited.get(article.id) ?? []);
    if (!rev || mine.size === 0) continue;
    const developments = developmentsSince(
      [...mine].flatMap((id) => byId.get(id) ?? []),
      changes.filter((c) => mine.has(c.instrument)),
      rev.date,
      asOf,
    );
    if (developments.length > 0) out.push({ article, accurateUpTo: rev.date, developments });
  }
  return out.sort((a, b) => b.developments.length - a.developments.length || a.article.id.localeCompare(b.article.id));
}

const ENDING: ReadonlySet<EventType> = new Set(['repealed', 'superseded', 'expired']);
const ENDED: ReadonlySet<Status> = new Set(['repealed', 'superseded', 'expired']);
const DEFAULT_VALID: readonly Status[] = ['in_force', 'issued'];

/** Programmes whose instrument ended by the day and that still count as applying, or ended within AHEAD_DAYS. */
async function endedProgrammes(repo: KnowledgeRepository, asOf: string): Promise<EndedProgramme[]> {
  const programmes = await repo.programmes();
  const instruments = new Map(
    (await repo.instrumentsById([...new Set(programmes.map((p) => p.instrument))])).map((i) => [i.id, i]),
  );
  // Only the programmes' instruments are read (not the whole listing): their status as the listing derives it.
  const forces = new Map((await repo.taxonomy()).instrument_kinds.map((k) => [k.code, k.legal_force]));
  const out: EndedProgramme[] = [];
  for (const programme of programmes) {
    const inst = instruments.get(programme.instrument);
    if (!inst) continue;
    const status = statusAsOf(inst.events, inst.legal_force ?? forces.get(inst.kind) ?? 'non-binding', asOf);
    if (status === null || !ENDED.has(status)) continue;
    const endedOn = inst.events
      .filter((e) => ENDING.has(e.type))
      .map(eventDay)
      .filter((d): d is string => d !== null && d <= asOf)
      .sort()
      .at(-1);
    if (endedOn === undefined) continue;
    const inEffect = (programme.valid_while ?? DEFAULT_VALID).includes(status);
    const recent = daysBetween(endedOn, asOf) < AHEAD_DAYS;
    if (!inEffect && !recent) continue;
    out.push({
      programme,
      instrument: { id: inst.id, title: inst.title, status },
      endedOn,
      reason: inEffect ? 'in-effect' : 'recent',
    });
  }
  return out.sort((a, b) => b.endedOn.localeCompare(a.endedOn) || a.programme.id.localeCompare(b.programme.id));
}

/**
 * Comment deadlines and effective dates from the day to AHEAD_DAYS after it: day-precise dates in the window, and
 * dates known only to the month whose month overlaps it. Dates known only to the year are left out (a whole year
 * is no "next 30 days").
 */
async function upcomingDates(q: Queryable, asOf: string): Promise<UpcomingDate[]> {
  const end = addDays(asOf, AHEAD_DAYS);
  const rows = await eventsBetween(q, ['comment-deadline', 'effective'], asOf.slice(0, 7), end);
  const out: UpcomingDate[] = [];
  for (const r of rows) {
    const date = parsePartialDate(r.date);
    if (!date || date.precision === 'year' || date.last < asOf || date.first > end) continue;
    if (r.type !== 'comment-deadline' && r.type !== 'effective') continue;
    out.push({
      instrument: r.instrument,
      title: r.title,
      jurisdiction: r.jurisdiction,
      type: r.type,
      date: r.date,
      precision: date.precision,
      inDays: Math.max(0, daysBetween(asOf, date.first)),
      disputed: r.disputed,
    });
  }
  return out.sort(
    (a, b) => a.inDays - b.inDays || a.date.localeCompare(b.date) || a.instrument.localeCompare(b.instrument),
  );
}

/** Articles whose latest English and Chinese revisions are of different dates (or one is missing). */
function languageLags(articles: readonly Article[], latest: ReadonlyMap<string, LatestRevision>): LanguageLag[] {
  const out: LanguageLag[] = [];
  for (const article of articles) {
    const rev = latest.get(article.id);
    if (!rev || rev.en === rev.zh) continue;
    const behind: Lang = rev.zh === null || (rev.en !== null && rev.zh < rev.en) ? 'zh' : 'en';
    out.push({ article, en: rev.en, zh: rev.zh, behind });
  }
  return out;
}

/**
 * Articles due for review: review_by on or before the day; or, without review_by, a latest revision more than
 * reviewAfterDays old. Most overdue first.
 */
function reviewsDue(
  articles: readonly Article[],
  latest: ReadonlyMap<string, LatestRevision>,
  options: AttentionOptions,
): ReviewDue[] {
  const out: ReviewDue[] = [];
  for (const article of articles) {
    const rev = latest.get(article.id);
    if (!rev) continue;
    if (article.review_by !== undefined) {
      const overdue = daysBetween(article.review_by, options.asOf);
      if (overdue >= 0)
        out.push({ article, accurateUpTo: rev.date, reviewBy: article.review_by, overdueDays: overdue });
      continue;
    }
    const age = daysBetween(rev.date, options.asOf);
    if (age > options.reviewAfterDays) {
      out.push({ article, accurateUpTo: rev.date, reviewBy: null, overdueDays: age - options.reviewAfterDays });
    }
  }
  return out.sort((a, b) => b.overdueDays - a.overdueDays || a.article.id.localeCompare(b.article.id));
}

/** Change sets waiting for review (status in_review), the longest waiting first. */
async function waitingChangesets(q: Queryable, asOf: string): Promise<Attention['review']> {
  const rows = await listChangesetRows(q, { status: 'in_review', limit: REVIEW_LISTED, longestWaiting: true });
  const waiting = rows.map((c) => {
    const submittedAt = c.submittedAt ?? c.updatedAt;
    return {
      id: c.id,
      title: c.title,
      author: c.author,
      submittedAt,
      waitingDays: Math.max(0, daysBetween(submittedAt.slice(0, 10), asOf)),
    };
  });
  return { count: await countChangesets(q, 'in_review'), waiting };
}

/** The whole attention list as of options.asOf. */
export async function loadAttention(q: Queryable, options: AttentionOptions): Promise<Attention> {
  const repo = new KnowledgeRepository(q);
  const { asOf } = options;
  const articles = await repo.articles();
  const latest = await latestRevisions(repo, asOf);
  return {
    asOf,
    reviewAfterDays: options.reviewAfterDays,
    developments: await articlesWithDevelopments(q, articles, latest, asOf),
    programmes: await endedProgrammes(repo, asOf),
    upcoming: await upcomingDates(q, asOf),
    languages: languageLags(articles, latest),
    reviews: reviewsDue(articles, latest, options),
    deadDeliveries: {
      count: (await outboxCounts(q)).dead,
      newest: await newestDeadDeliveries(q, DEAD_LISTED),
    },
    review: await waitingChangesets(q, asOf),
  };
}
