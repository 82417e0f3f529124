// horizon eligibility: recomputes which stored profiles each programme concerns as of a date and records changes.
import { refreshEligibility } from '../../relevance/eligibility.ts';
import { DATA_HELP, DATA_OPTIONS, asOfOption, parse, withDatabase, type Command } from '../io.ts';

const USAGE = `Usage: horizon eligibility [--as-of YYYY-MM-DD] [--json] [--data DIR]

Recomputes, for every stored profile, which programmes apply (or may apply) as of the date (default today), and
records each change: profiles that became eligible and profiles that stopped being eligible, e.g. because an
instrument took effect or expired on that date. Run it daily (the watch service delivers the changes).

  --as-of DATE   the date to compute for (YYYY-MM-DD; default today)
  --json         print the report as JSON
${DATA_HELP}`;

export const eligibilityCommand: Command = {
  name: 'eligibility',
  usage: USAGE,
  async run(argv, io) {
    const { values } = parse(argv, { ...DATA_OPTIONS, 'as-of': { type: 'string' }, json: { type: 'boolean' } });
    if (values.help) return (io.out(USAGE), 0);
    const asOf = asOfOption(values['as-of']);
    const report = await withDatabase(values, 'horizon eligibility', (db) => refreshEligibility(db, asOf));
    if (values.json) io.out(JSON.stringify(report, null, 2));
    else {
      io.out(`As of ${asOf}: ${report.profiles} stored profiles, ${report.programmes} programmes.`);
      for (const c of report.became) io.out(`+ ${c.profile} became eligible for ${c.programme}`);
      for (const c of report.stopped)
        io.out(`- ${c.profile} stopped being eligible for ${c.programme} (now ${c.current})`);
      io.out(
        `${report.became.length} became eligible, ${report.stopped.length} stopped, ${report.other.length} other changes.`,
      );
    }
    return 0;
  },
};
