// horizon reindex: rebuilds the search index from everything in the store, in one transaction.
import { rebuildSearchIndex } from '../../search/search-index.store.ts';
import { DATA_HELP, DATA_OPTIONS, parse, withDatabase, type Command } from '../io.ts';

export const reindexCommand: Command = {
  name: 'reindex',
  usage: `Usage: horizon reindex [--json]

Builds the search index again from every instrument, event, programme and guide article in the store, in one
transaction (searches see the old index until it commits). Imports keep the index in step by themselves: this is for
repairs and for changes to how text is indexed.

  --json         print {"documents", "terms", "ms"}
${DATA_HELP}`,
  async run(argv, io) {
    const { values } = parse(argv, { ...DATA_OPTIONS, json: { type: 'boolean' } });
    if (values.help) return (io.out(this.usage), 0);
    const started = performance.now();
    const stats = await withDatabase(values, 'horizon reindex', (db) => db.transaction((tx) => rebuildSearchIndex(tx)));
    const ms = Math.round(performance.now() - started);
    if (values.json) io.out(JSON.stringify({ ...stats, ms }));
    else io.out(`Indexed ${stats.documents} documents (${stats.terms} words in the spelling vocabulary) in ${ms} ms`);
    return 0;
  },
};
