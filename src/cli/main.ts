// The horizon command: dispatches to a command, turns errors into messages and exit codes.
import { ConfigError } from '../config/config.ts';
import { HorizonError, formatProblem } from '../errors.ts';
import { stdio, type Command, type Io } from './io.ts';

/** A command as the table knows it before it runs: its module is imported only by load(), so `--help` stays cheap. */
export interface CommandEntry {
  readonly name: string;
  readonly summary: string;
  load(): Promise<Command>;
}

/** Every command, in the order help lists them. */
export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'validate',
    summary: 'check a content bundle',
    load: async () => (await import('./commands/validate.ts')).validateCommand,
  },
  {
    name: 'import',
    summary: 'load a content bundle into the store (all or nothing)',
    load: async () => (await import('./commands/import.ts')).importCommand,
  },
  {
    name: 'export',
    summary: 'write the store as a content bundle',
    load: async () => (await import('./commands/export.ts')).exportCommand,
  },
  {
    name: 'instruments',
    summary: 'list instruments with their status as of a date',
    load: async () => (await import('./commands/instruments.ts')).instrumentsCommand,
  },
  {
    name: 'search',
    summary: 'search instruments, events, programmes and guide articles (English and Chinese)',
    load: async () => (await import('./commands/search.ts')).searchCommand,
  },
  {
    name: 'reindex',
    summary: 'rebuild the search index from the store',
    load: async () => (await import('./commands/reindex.ts')).reindexCommand,
  },
  {
    name: 'check',
    summary: 'which programmes concern an enterprise profile, and why',
    load: async () => (await import('./commands/check.ts')).checkCommand,
  },
  {
    name: 'eligibility',
    summary: 'recompute stored profiles’ eligibility for programmes and record changes',
    load: async () => (await import('./commands/eligibility.ts')).eligibilityCommand,
  },
  {
    name: 'verify',
    summary: 'check the change log’s hash chain; name the first bad entry',
    load: async () => (await import('./commands/watch.ts')).verifyCommand,
  },
  {
    name: 'changes',
    summary: 'list change-log entries (what changed, when, by whom)',
    load: async () => (await import('./commands/watch.ts')).changesCommand,
  },
  {
    name: 'deliveries',
    summary: 'list alert deliveries (dead letters too) and retry one by hand',
    load: async () => (await import('./commands/watch.ts')).deliveriesCommand,
  },
  {
    name: 'worker',
    summary: 'deliver alerts (webhook, e-mail) and run the date scheduler',
    load: async () => (await import('./commands/watch.ts')).workerCommand,
  },
  {
    name: 'users',
    summary: 'accounts of the editorial workspace: add, list, set-role, disable',
    load: async () => (await import('./commands/accounts.ts')).usersCommand,
  },
  {
    name: 'tokens',
    summary: 'API tokens of an account: create (shown once), list, revoke',
    load: async () => (await import('./commands/accounts.ts')).tokensCommand,
  },
  {
    name: 'serve',
    summary: 'run the web server (what npm start runs)',
    load: async () => (await import('./commands/serve.ts')).serveCommand,
  },
];

function help(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return `Horizon: AI and digital-asset regulation as a cited, bilingual knowledge base.

Usage: horizon COMMAND [options]      (horizon COMMAND --help for a command's options)

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

Environment: HORIZON_DATA_DIR (data folder, default ./data), DATABASE_URL (PostgreSQL instead), PORT, HOST, LOG_LEVEL;\nfor alerts: HORIZON_PUBLIC_URL, SMTP_URL, MAIL_FROM, WEBHOOK_ALLOW_PRIVATE (see horizon worker --help).`;
}

/** Runs the CLI with argv (without node and script); returns the exit code. */
export async function main(argv: string[], io: Io = stdio): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(help());
    return name ? 0 : 2;
  }
  const entry = COMMANDS.find((c) => c.name === name);
  if (!entry) {
    io.err(`horizon: unknown command "${name}"\n\n${help()}`);
    return 2;
  }
  try {
    const command = await entry.load();
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof HorizonError) {
      for (const p of error.problems) io.err(formatProblem(p));
      io.err(`horizon ${name}: ${error.message}`);
      if (error.code === 'usage') io.err(`Run "horizon ${name} --help" for usage.`);
      return error.exitCode;
    }
    if (error instanceof ConfigError) {
      io.err(error.message);
      return 2;
    }
    io.err(
      `horizon ${name}: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    return 70;
  }
}
