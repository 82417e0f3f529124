// horizon validate DIR: checks a bundle; problems on stderr as file:line:column: message.
import { formatProblem } from '../../errors.ts';
import { validateBundle } from '../../content/validate.ts';
import { parse, type Command, type Io } from '../io.ts';

const USAGE = `Usage: horizon validate DIR [--json]

Checks the bundle in DIR against the schema and the rules a schema cannot see (real dates, known codes, references,
relation cycles, duplicate ids). Each problem is printed on stderr as file:line:column: message. Exit 1 if any.
Warnings (a source without an address, a plan whose period has no end) are printed as file:line:column: warning:
message and do not change the exit code.

  --json         print {"valid", "files", "problems", "warnings": [{where, line, column, message}]} on stdout
  -h, --help     show this help`;

function validate(argv: string[], io: Io): number {
  const { values, positionals } = parse(argv, { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, 1);
  if (values.help) return (io.out(USAGE), 0);
  const dir = positionals[0];
  if (!dir) return (io.err(USAGE), 2);
  const result = validateBundle(dir);
  const valid = result.problems.length === 0;
  if (values.json) {
    io.out(
      JSON.stringify({ valid, files: result.files, problems: result.problems, warnings: result.warnings }, null, 2),
    );
  }
  const base = dir.replace(/\/$/, '');
  for (const p of result.problems) io.err(`${base}/${formatProblem(p)}`);
  for (const w of result.warnings) io.err(`${base}/${formatProblem({ ...w, message: `warning: ${w.message}` })}`);
  if (!valid) {
    io.err(`${result.problems.length} problem${result.problems.length === 1 ? '' : 's'} in ${dir}`);
    return 1;
  }
  const warned = result.warnings.length;
  if (!values.json) {
    io.out(`${dir}: valid (${result.files} files${warned ? `, ${warned} warning${warned === 1 ? '' : 's'}` : ''})`);
  }
  return 0;
}

export const validateCommand: Command = {
  name: 'validate',
  usage: USAGE,
  run: (argv, io) => Promise.resolve(validate(argv, io)),
};
