// horizon instruments: lists instruments with their status as of a date.
import { presentInstrumentList } from '../../http/presenters.ts';
import { errors } from '../../errors.ts';
import { STATUSES, type Status } from '../../domain/types.ts';
import { KnowledgeRepository } from '../../store/knowledge.repository.ts';
import { DATA_HELP, DATA_OPTIONS, asOfOption, parse, table, withDatabase, type Command } from '../io.ts';

export const instrumentsCommand: Command = {
  name: 'instruments',
  usage: `Usage: horizon instruments [--as-of YYYY-MM-DD] [--jurisdiction CODE] [--status S] [--kind K] [--topic T] [--json]

Lists the instruments that exist on the date (default today) with their status on that date. A jurisdiction filter
includes its descendants (cn matches Shanghai and Shenzhen).

  --as-of DATE         the date to look from (YYYY-MM-DD; default today)
  --jurisdiction CODE  e.g. cn, cn-sh, cn-gd-shenzhen
  --status S           one of ${STATUSES.join(', ')}
  --kind K             an instrument kind code, e.g. local-regulation
  --topic T            a topic or other taxonomy code
  --json               print the body of GET /api/v1/instruments: {"as_of", "count", "instruments": [...]}
${DATA_HELP}`,
  async run(argv, io) {
    const { values } = parse(argv, {
      ...DATA_OPTIONS,
      'as-of': { type: 'string' },
      jurisdiction: { type: 'string' },
      status: { type: 'string' },
      kind: { type: 'string' },
      topic: { type: 'string' },
      json: { type: 'boolean' },
    });
    if (values.help) return (io.out(this.usage), 0);
    const asOf = asOfOption(values['as-of']);
    const status = values.status;
    if (status !== undefined && !(STATUSES as readonly string[]).includes(status)) {
      throw errors.usage({
        key: 'cli.notOneOf',
        params: { option: 'status', value: status, choices: STATUSES.join(', ') },
      });
    }
    const list = await withDatabase(
      values,
      'horizon instruments',
      async (db) => {
        const repo = new KnowledgeRepository(db);
        if (values.jurisdiction) {
          await repo.jurisdictionWithDescendants(values.jurisdiction).catch(() => {
            throw errors.usage({
              key: 'cli.unknownJurisdiction',
              params: { option: 'jurisdiction', value: String(values.jurisdiction) },
            });
          });
        }
        return repo.instruments({
          asOf,
          jurisdiction: values.jurisdiction,
          status: status as Status | undefined,
          kind: values.kind,
          topic: values.topic,
        });
      },
      { readsContent: true },
    );
    if (values.json) {
      io.out(JSON.stringify(presentInstrumentList(list, asOf), null, 2));
      return 0;
    }
    io.out(
      table(
        ['STATUS', 'JURISDICTION', 'KIND', 'ID', 'TITLE'],
        list.map((v) => [
          v.status ?? '',
          v.instrument.jurisdiction,
          v.instrument.kind,
          v.instrument.id,
          v.instrument.title.en,
        ]),
      ),
    );
    io.out(`${list.length} instrument${list.length === 1 ? '' : 's'} as of ${asOf}`);
    return 0;
  },
};
