// horizon search: ranked search over instruments, events, programmes and guide articles, in English and Chinese.
import { STATUSES } from '../../domain/types.ts';
import { SEARCH_TYPES } from '../../search/document.ts';
import { codeList, presentSearch } from '../../search/search.presenters.ts';
import { FACETS, searchKnowledgeBase, type FacetName } from '../../search/search.service.ts';
import { errors } from '../../errors.ts';
import { DATA_HELP, DATA_OPTIONS, asOfOption, parse, withDatabase, type Command } from '../io.ts';

const filterOptions = Object.fromEntries(FACETS.map((f) => [f, { type: 'string', multiple: true }])) as Record<
  FacetName,
  { type: 'string'; multiple: true }
>;

export const searchCommand: Command = {
  name: 'search',
  usage: `Usage: horizon search QUERY [--json] [--as-of YYYY-MM-DD] [--type T] [--jurisdiction CODE] [--kind K]
                     [--status S] [--topic T] [--issuer ID] [--year YYYY] [--limit N] [--lang en|zh]

Finds what contains the words, in either language: Chinese needs no spaces (深圳人工智能条例), English words match
their other forms (regulations finds regulation), near spellings of names are corrected (Shenzen). "Quoted words"
must appear together; -word leaves out what contains it. Filters may be repeated (any of the values); a jurisdiction
includes those within it; status is as of --as-of (default today).

  --type T             one of ${SEARCH_TYPES.join(', ')}
  --jurisdiction CODE  e.g. cn, cn-sh, cn-gd-shenzhen
  --kind K             an instrument kind, event type or programme kind
  --status S           one of ${STATUSES.join(', ')}
  --topic T            a topic code
  --issuer ID          an issuing body id
  --year YYYY          a year
  --limit N            how many results (1–50, default 10)
  --lang en|zh         language of titles in the listing (default en)
  --json               print the body of GET /api/v1/search: {"query", "as_of", "total", "results": [{"type", "id",
                       "title": {"en", "zh"}, "snippet" (HTML), "score", "url", …}], "facets", …}
${DATA_HELP}`,
  async run(argv, io) {
    const { values, positionals } = parse(
      argv,
      {
        ...DATA_OPTIONS,
        ...filterOptions,
        'as-of': { type: 'string' },
        limit: { type: 'string' },
        lang: { type: 'string' },
        json: { type: 'boolean' },
      },
      1,
    );
    if (values.help) return (io.out(this.usage), 0);
    const q = positionals[0];
    if (q === undefined) throw errors.usage({ key: 'cli.searchWhat' });
    const asOf = asOfOption(values['as-of']);
    const limit = values.limit === undefined ? undefined : Number(values.limit);
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 1 || limit > 50)) {
      throw errors.usage({
        key: 'cli.wholeNumberRange',
        params: { option: 'limit', value: String(values.limit), min: 1, max: 50 },
      });
    }
    const lang = values.lang ?? 'en';
    if (lang !== 'en' && lang !== 'zh')
      throw errors.usage({ key: 'cli.language', params: { option: 'lang', value: lang } });
    const filters = Object.fromEntries(FACETS.map((f) => [f, codeList(values[f])])) as Record<FacetName, string[]>;
    const outcome = await withDatabase(
      values,
      'horizon search',
      (db) => searchKnowledgeBase(db, { q, asOf, filters, lang, ...(limit ? { limit } : {}) }),
      { readsContent: true },
    );
    if (values.json) {
      io.out(JSON.stringify(presentSearch(outcome), null, 2));
      return 0;
    }
    for (const c of outcome.corrections) io.out(`(also searched ${c.suggestions.join(', ')} for "${c.word}")`);
    if (outcome.message) io.out(outcome.message);
    for (const [i, r] of outcome.results.entries()) {
      io.out(`${i + 1}. ${r.title[lang]}  [${r.type} ${r.id}]  ${r.score.toFixed(2)}`);
      if (r.snippetText) io.out(`   ${r.snippetText}`);
    }
    if (outcome.total !== null) {
      io.out(`${outcome.results.length} of ${outcome.total} result${outcome.total === 1 ? '' : 's'} as of ${asOf}`);
    }
    return 0;
  },
};
