// horizon import DIR: validates, then applies the bundle in one transaction.
import os from 'node:os';
import { importBundle, type ImportReport } from '../../content/import.ts';
import { errors } from '../../errors.ts';
import { ACTIONS, type Action } from '../../watch/changelog.store.ts';
import { today } from '../../domain/dates.ts';
import { refreshEligibility, type RefreshReport } from '../../relevance/eligibility.ts';
import { DATA_HELP, DATA_OPTIONS, parse, withDatabase, type Command } from '../io.ts';

function summary(r: ImportReport): string {
  const verb = r.dryRun ? 'would be' : '';
  const lines = [...r.added.map((k) => `+ ${k}`), ...r.changed.map((k) => `~ ${k}`), ...r.removed.map((k) => `- ${k}`)];
  const total = `${r.added.length} added, ${r.changed.length} changed, ${r.removed.length} removed, ${r.unchanged} unchanged`;
  const log = r.recorded?.entries
    ? [
        `Change log: ${r.recorded.entries} entries from #${r.recorded.firstSeq}; ${r.recorded.events} events for subscribers`,
      ]
    : [];
  return [...lines, r.dryRun ? `Dry run: ${total} (${verb} applied without --dry-run)` : total, ...log].join('\n');
}

export const importCommand: Command = {
  name: 'import',
  usage: `Usage: horizon import DIR [--by NAME] [--action KIND] [--dry-run] [--json] [--data DIR]

Validates the bundle in DIR, then makes the store hold exactly that bundle in one transaction: new entries are added,
changed ones rewritten, entries the bundle no longer has removed. If anything is wrong nothing changes. Importing the
same bundle twice changes nothing. Every change is appended to the change log (horizon verify checks it) and
subscribers are told of what it means.

  --by NAME      who makes the change, for the change log (default: your user name)
  --action KIND  import, edit or publish: what kind of write the change log records (default import)
  --dry-run      print what would change, change nothing
  --json         print the report as JSON: {dryRun, added, changed, removed, unchanged}
${DATA_HELP}`,
  async run(argv, io) {
    const { values, positionals } = parse(
      argv,
      {
        ...DATA_OPTIONS,
        'dry-run': { type: 'boolean' },
        json: { type: 'boolean' },
        by: { type: 'string' },
        action: { type: 'string' },
      },
      1,
    );
    if (values.help) return (io.out(this.usage), 0);
    const dir = positionals[0];
    if (!dir) return (io.err(this.usage), 2);
    const action = (values.action ?? 'import') as Action;
    if (!ACTIONS.includes(action))
      throw errors.usage({ key: 'cli.mustBeOneOf', params: { option: 'action', choices: ACTIONS.join(', ') } });
    const { report, eligibility } = await withDatabase(values, `horizon import ${dir}`, async (db) => {
      const report = await importBundle(db, dir, {
        dryRun: values['dry-run'] === true,
        actor: values.by?.trim() || os.userInfo().username,
        action,
      });
      const touched = [...report.added, ...report.changed, ...report.removed].some((k) =>
        /^(programme|instrument|jurisdiction):/.test(k),
      );
      // Programmes (or the instruments that date them) changed: tell which stored profiles gained or lost one.
      const eligibility: RefreshReport | undefined =
        touched && !report.dryRun ? await refreshEligibility(db, today()) : undefined;
      return { report, eligibility };
    });
    if (values.json) io.out(JSON.stringify({ ...report, eligibility: eligibility ?? null }, null, 2));
    else {
      io.out(summary(report));
      if (eligibility && eligibility.profiles > 0) {
        io.out(
          `Stored profiles: ${eligibility.became.length} became eligible, ${eligibility.stopped.length} stopped being eligible`,
        );
      }
    }
    return 0;
  },
};
