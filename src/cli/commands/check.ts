// horizon check: which programmes concern an enterprise profile, and why; one profile or a JSON Lines stream.
import fs from 'node:fs';
import readline from 'node:readline';
import { errors, HorizonError } from '../../errors.ts';
import type { CheckResult } from '../../relevance/check.ts';
import { checkWith, loadCheckSetup } from '../../relevance/relevance.service.ts';
import { DATA_HELP, DATA_OPTIONS, asOfOption, parse, withDatabase, type Command, type Io } from '../io.ts';

const USAGE = `Usage: horizon check --profile FILE [--as-of YYYY-MM-DD] [--json] [--data DIR]
       horizon check --profiles FILE.jsonl [--as-of YYYY-MM-DD] [--data DIR]

Checks an enterprise profile (profile v1 JSON, see TAXONOMY) against every programme — pilots, scenario calls,
incentives and obligations — as of a date (default today): which apply, which may apply and what to answer to know,
which do not and why. FILE may be - for standard input.

  --profile FILE    one profile (JSON object)
  --profiles FILE   one profile per line (JSON Lines); prints one result line per profile, with progress on stderr
  --as-of DATE      the check date (YYYY-MM-DD; default today)
  --json            print {"results": [...]} for --profile
${DATA_HELP}`;

function readJson(file: string): unknown {
  const text = file === '-' ? fs.readFileSync(0, 'utf8') : readFile(file);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw errors.invalidProfile([{ where: file, message: `not JSON: ${(error as Error).message}` }], file);
  }
}

function readFile(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw errors.usage({
      key: 'cli.cannotRead',
      params: { file, reason: (error as NodeJS.ErrnoException).code ?? (error as Error).message },
    });
  }
}

function summary(result: CheckResult, io: Io): void {
  const groups: [string, CheckResult['results']][] = [
    ['Applies', result.results.filter((r) => r.outcome === 'applies')],
    ['May apply (answer the questions below)', result.results.filter((r) => r.outcome === 'unknown')],
  ];
  for (const [title, items] of groups) {
    io.out(`${title}: ${items.length}`);
    for (const r of items) {
      io.out(`  [${r.kind}] ${r.title.en} (${r.id})`);
      for (const c of r.conditions)
        io.out(`      ${c.result === 'applies' ? '✓' : c.result === 'unknown' ? '?' : '✗'} ${c.text.en}`);
      if (r.missing.length) io.out(`      to decide, answer: ${r.missing.join(', ')}`);
    }
  }
  const near = result.results.filter((r) => r.near_miss);
  if (near.length) {
    io.out(`Near misses (fail on one condition): ${near.length}`);
    for (const r of near) io.out(`  ${r.title.en}: fails only on "${r.near_miss?.text.en}"`);
  }
  const none = result.results.filter((r) => r.outcome === 'does_not_apply').length;
  io.out(`Does not apply: ${none}. As of ${result.as_of}.`);
  if (result.questions.length)
    io.out(`Questions that would settle the most: ${result.questions.slice(0, 5).join(', ')}`);
}

async function bulk(file: string, setup: Awaited<ReturnType<typeof loadCheckSetup>>, io: Io): Promise<number> {
  if (file !== '-') readFile(file); // a missing or unreadable file is a usage error before any output
  const input = file === '-' ? process.stdin : fs.createReadStream(file);
  const total = file === '-' ? 0 : fs.statSync(file).size;
  const tty = process.stderr.isTTY;
  let read = 0;
  let line = 0;
  let bad = 0;
  let last = 0;
  const progress = (force = false) => {
    const now = Date.now();
    if (!tty || (!force && now - last < 100)) return;
    last = now;
    const share = total ? Math.min(1, read / total) : 0;
    const bar = '#'.repeat(Math.round(share * 30)).padEnd(30, '.');
    process.stderr.write(`\r[${bar}] ${total ? `${Math.round(share * 100)}%` : ''} ${line} profiles, ${bad} invalid `);
  };
  for await (const text of readline.createInterface({ input, crlfDelay: Infinity })) {
    line++;
    read += Buffer.byteLength(text) + 1;
    if (text.trim() === '') continue;
    let out: unknown;
    try {
      const result = checkWith(setup, JSON.parse(text) as unknown, `profile on line ${line}`);
      out = {
        line,
        as_of: result.as_of,
        applies: result.results.filter((r) => r.outcome === 'applies').map((r) => r.id),
        unknown: result.results.filter((r) => r.outcome === 'unknown').map((r) => ({ id: r.id, missing: r.missing })),
        questions: result.questions,
      };
    } catch (error) {
      bad++;
      const problems =
        error instanceof HorizonError
          ? error.problems
          : [{ where: '(line)', message: `not JSON: ${(error as Error).message}` }];
      out = { line, error: { code: 'invalid_profile', problems } };
    }
    io.out(JSON.stringify(out));
    progress();
  }
  progress(true);
  if (tty) process.stderr.write('\n');
  io.err(`${line} lines, ${bad} invalid profile${bad === 1 ? '' : 's'}`);
  return bad > 0 ? 1 : 0;
}

export const checkCommand: Command = {
  name: 'check',
  usage: USAGE,
  async run(argv, io) {
    const { values } = parse(argv, {
      ...DATA_OPTIONS,
      profile: { type: 'string' },
      profiles: { type: 'string' },
      'as-of': { type: 'string' },
      json: { type: 'boolean' },
    });
    if (values.help) return (io.out(USAGE), 0);
    if ((values.profile === undefined) === (values.profiles === undefined)) {
      throw errors.usage({ key: 'cli.profileOrProfiles' });
    }
    const asOf = asOfOption(values['as-of']);
    const single = values.profile === undefined ? undefined : readJson(values.profile);
    return withDatabase(
      values,
      'horizon check',
      async (db) => {
        const setup = await loadCheckSetup(db, asOf);
        if (values.profiles !== undefined) return bulk(values.profiles, setup, io);
        const result = checkWith(setup, single, values.profile);
        if (values.json) io.out(JSON.stringify(result, null, 2));
        else summary(result, io);
        return 0;
      },
      { readsContent: true },
    );
  },
};
