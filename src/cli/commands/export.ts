// horizon export DIR: writes the store back as a bundle.
import { exportBundle } from '../../content/export.ts';
import { DATA_HELP, DATA_OPTIONS, parse, withDatabase, type Command } from '../io.ts';

export const exportCommand: Command = {
  name: 'export',
  usage: `Usage: horizon export DIR [--force] [--data DIR]

Writes the whole knowledge base into DIR as a bundle that \`horizon import\` reads back unchanged. DIR must be new or
empty; --force replaces it whole (the new bundle is written beside it first, so a failure keeps the old one).

  --force        replace DIR if it exists
${DATA_HELP}`,
  async run(argv, io) {
    const { values, positionals } = parse(argv, { ...DATA_OPTIONS, force: { type: 'boolean' } }, 1);
    if (values.help) return (io.out(this.usage), 0);
    const dir = positionals[0];
    if (!dir) return (io.err(this.usage), 2);
    const { files } = await withDatabase(values, `horizon export ${dir}`, (db) =>
      exportBundle(db, dir, values.force === true),
    );
    io.out(`Wrote ${files} files to ${dir}`);
    return 0;
  },
};
