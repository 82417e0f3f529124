// The horizon command: dispatches to a command, turns errors into messages and exit codes.
import { ConfigError } from '../config/config.ts';
import { HorizonError, formatProblem } from '../errors.ts';
import { checkCommand } from './commands/check.ts';
import { eligibilityCommand } from './commands/eligibility.ts';
import { exportCommand } from './commands/export.ts';
import { importCommand } from './commands/import.ts';
import { instrumentsCommand } from './commands/instruments.ts';
import { reindexCommand } from './commands/reindex.ts';
import { searchCommand } from './commands/search.ts';
import { serveCommand } from './commands/serve.ts';
import { validateCommand } from './commands/validate.ts';
import { changesCommand, deliveriesCommand, verifyCommand, workerCommand } from './commands/watch.ts';
import { stdio, type Command, type Io } from './io.ts';

const COMMANDS: readonly Command[] = [
  validateCommand,
  importCommand,
  exportCommand,
  instrumentsCommand,
  searchCommand,
  reindexCommand,
  checkCommand,
  eligibilityCommand,
  verifyCommand,
  changesCommand,
  deliveriesCommand,
  workerCommand,
  serveCommand,
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
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.err(`horizon: unknown command "${name}"\n\n${help()}`);
    return 2;
  }
  try {
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
