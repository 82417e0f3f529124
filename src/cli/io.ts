// What every command shares: option parsing with help, the database from config, and printing.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { loadConfig, type Config } from '../config/config.ts';
import { errors } from '../errors.ts';
import { isDay, today } from '../domain/dates.ts';
import { openDatabase, type Database } from '../store/database.ts';
import { KnowledgeRepository } from '../store/knowledge.repository.ts';

export interface Io {
  out(text: string): void;
  err(text: string): void;
}

export const stdio: Io = {
  out: (t) => process.stdout.write(t.endsWith('\n') ? t : `${t}\n`),
  err: (t) => process.stderr.write(t.endsWith('\n') ? t : `${t}\n`),
};

/** A command: its usage text and what it does; returns the exit code. */
export interface Command {
  readonly name: string;
  readonly usage: string;
  run(argv: string[], io: Io): Promise<number>;
}

export const DATA_OPTIONS = {
  data: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

export const DATA_HELP = `  --data DIR     data folder of the embedded database (default: $HORIZON_DATA_DIR or ./data);
                 DATABASE_URL=postgres://… selects a PostgreSQL server instead
  -h, --help     show this help`;

/** Parses argv strictly; unknown options are a usage error naming them. */
export function parse<O extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: O, positionals = 0) {
  try {
    const result = parseArgs({ args: argv, options, allowPositionals: positionals > 0, strict: true });
    if (result.positionals.length > positionals) {
      throw errors.usage({
        key: 'cli.unexpectedArgument',
        params: { argument: result.positionals[positionals] ?? '' },
      });
    }
    return result;
  } catch (error) {
    if (error instanceof Error && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
      throw errors.usage(error.message);
    }
    throw error;
  }
}

/** The configuration with the command line's --data applied. */
export function config(values: { data?: string | undefined }): Config {
  return loadConfig({ dataDir: values.data });
}

/** Opens the configured database for one command and closes it afterwards. */
export async function withDatabase<T>(
  values: { data?: string | undefined },
  holder: string,
  fn: (db: Database) => Promise<T>,
  options: { readsContent?: boolean } = {},
): Promise<T> {
  const db = await openDatabase(config(values).database, holder);
  try {
    if (options.readsContent && (await new KnowledgeRepository(db).isEmpty())) {
      throw errors.usage({ key: 'cli.storeEmpty' });
    }
    return await fn(db);
  } finally {
    await db.close();
  }
}

/** A --as-of value checked to be a real day; today when absent. */
export function asOfOption(value: string | undefined): string {
  if (value === undefined) return today();
  if (!isDay(value)) throw errors.usage({ key: 'cli.notDay', params: { option: 'as-of', value } });
  return value;
}

/** Renders rows as an aligned text table. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const width = (s: string) => [...s].reduce((n, ch) => n + (/[\u1100-\uffff]/.test(ch) ? 2 : 1), 0);
  const widths = headers.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ''))));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c + ' '.repeat((widths[i] ?? 0) - width(c))))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
