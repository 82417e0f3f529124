// Hostile bundle files, generated into a copy of the shipped bundle, one class per test: every file refused by the
// validator with its file, line, column and the reason, within the budgets of src/content/limits.ts, never a throw.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { MAX_BUNDLE_BYTES, MAX_FILE_BYTES, MAX_YAML_ALIASES } from '../../src/content/limits.ts';
import { validateBundle } from '../../src/content/validate.ts';
import { formatProblem, type Problem } from '../../src/errors.ts';
import { copyOfShipped } from '../support/bundles.ts';

/** One hostile file: where it goes, its bytes, and the problem expected (line and column when they are known). */
interface Hostile {
  readonly rel: string;
  readonly bytes: string | Buffer;
  readonly message: RegExp;
  readonly line?: number;
  readonly column?: number;
}

/** Writes every hostile file into one copy of the shipped bundle, validates it once, and checks each is refused. */
function refusesAll(cases: readonly Hostile[]): Problem[] {
  const dir = copyOfShipped();
  for (const c of cases) {
    fs.mkdirSync(path.dirname(path.join(dir, c.rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, c.rel), c.bytes);
  }
  const result = validateBundle(dir);
  assert.equal(result.bundle, null, 'the bundle must be refused');
  const all = result.problems.map(formatProblem).join('\n');
  for (const c of cases) {
    const found = result.problems.find((p) => p.where === c.rel && c.message.test(p.message));
    assert.ok(found, `expected ${c.rel}: ${c.message}; got:\n${all}`);
    if (c.line !== undefined) assert.equal(found.line, c.line, `${c.rel} line; got:\n${all}`);
    if (c.column !== undefined) assert.equal(found.column, c.column, `${c.rel} column; got:\n${all}`);
  }
  return [...result.problems];
}

const instrument = (n: number | string) => `instruments/hostile-${n}.yaml`;
const revision = (n: number) => `articles/hostile-${n}/2026-01-01.en.md`;
const bytes = (...parts: (string | number[])[]) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p))));

describe('hostile bundle files', () => {
  it('refuses YAML alias bombs (billion laughs) at their first alias, without a stack trace', () => {
    const laughs = (levels: number, width: number) => {
      const lines = [`l0: &l0 "${'lol'.repeat(10)}"`];
      for (let i = 1; i < levels; i++)
        lines.push(
          `l${i}: &l${i} [${Array(width)
            .fill(`*l${i - 1}`)
            .join(', ')}]`,
        );
      return `${lines.join('\n')}\n`;
    };
    const wide = `a: &a [x]\n${Array.from({ length: MAX_YAML_ALIASES + 1 }, (_, i) => `k${i}: *a`).join('\n')}\n`;
    const cases: Hostile[] = [
      { rel: instrument(1), bytes: `id: hostile-1\n${laughs(9, 9)}`, message: /aliases expand too far/, line: 3 },
      { rel: instrument(2), bytes: laughs(30, 2), message: /aliases expand too far/, line: 2, column: 10 },
      { rel: instrument(3), bytes: wide, message: /aliases expand too far/, line: 2 },
      { rel: 'chapters.yaml', bytes: laughs(12, 5), message: /aliases expand too far/, line: 2 },
      {
        rel: revision(1),
        bytes: `---\n${laughs(10, 10)}---\nBody.\n`,
        message: /aliases expand too far/,
        line: 3,
      },
    ];
    const started = Date.now();
    refusesAll(cases);
    assert.ok(Date.now() - started < 15_000, 'refused without expanding');
  });

  it('refuses a NUL or an unpaired surrogate wherever it is: raw, escaped in a value or a key, in Markdown', () => {
    const cases: Hostile[] = [
      { rel: instrument(10), bytes: 'id: hostile-10\ntitle: "a\0b"\n', message: /NUL character/, line: 2, column: 10 },
      { rel: instrument(11), bytes: 'id: hostile-11\ntitle: a\0b\n', message: /NUL character/, line: 2, column: 9 },
      { rel: instrument(12), bytes: 'id: hostile-12\nx:\n  y: "\\0"\n', message: /NUL character/, line: 3, column: 6 },
      { rel: instrument(13), bytes: 'id: hostile-13\nx: "\\x00"\n', message: /NUL character/, line: 2, column: 4 },
      { rel: instrument(14), bytes: 'id: hostile-14\nx: "\\u0000"\n', message: /NUL character/, line: 2 },
      { rel: instrument(15), bytes: 'id: hostile-15\n"k\\0": v\n', message: /NUL character/, line: 2, column: 1 },
      { rel: instrument(16), bytes: 'id: hostile-16\nx: ["\\ud800"]\n', message: /unpaired surrogate \(U\+D800\)/ },
      { rel: instrument(17), bytes: 'id: hostile-17\nx: "\\udc00z"\n', message: /unpaired surrogate \(U\+DC00\)/ },
      { rel: instrument(18), bytes: 'id: hostile-18\nx: "a\\udbffb"\n', message: /unpaired surrogate/, line: 2 },
      { rel: instrument(19), bytes: 'id: hostile-19\nx: "\\U00000000"\n', message: /NUL character/, line: 2 },
      { rel: 'taxonomy.yaml', bytes: '\0', message: /NUL character/, line: 1, column: 1 },
      { rel: revision(10), bytes: '---\ntitle: "\\0"\n---\nBody.\n', message: /NUL character/, line: 2, column: 8 },
      { rel: revision(11), bytes: '---\ntitle: t\n---\nBody\0.\n', message: /NUL character/, line: 4, column: 5 },
    ];
    refusesAll(cases);
  });

  it('refuses invalid UTF-8 at the byte where it starts', () => {
    const cases: Hostile[] = [
      { rel: instrument(20), bytes: bytes('id: hostile-20\ntitle: caf', [0xe9], '\n'), message: /byte 0xE9/, line: 2 },
      { rel: instrument(21), bytes: bytes('id: x\n', [0xff, 0xfe]), message: /byte 0xFF at offset 6/, line: 2 },
      { rel: instrument(22), bytes: bytes('a: ', [0xc0, 0xaf], '\n'), message: /0xC0/, line: 1, column: 4 },
      { rel: instrument(23), bytes: bytes('a: ', [0xed, 0xa0, 0x80], '\n'), message: /not UTF-8/, line: 1 },
      { rel: instrument(24), bytes: bytes('a: 中文', [0xe4, 0xb8]), message: /not UTF-8/, line: 1, column: 6 },
      { rel: instrument(25), bytes: bytes('a: ', [0xf8, 0x88, 0x80, 0x80, 0x80]), message: /byte 0xF8/ },
      { rel: instrument(26), bytes: bytes('a: ', [0xf4, 0x90, 0x80, 0x80]), message: /not UTF-8/, line: 1 },
      { rel: instrument(27), bytes: bytes('a: b\nc: d\ne: ', [0x80]), message: /byte 0x80/, line: 3, column: 4 },
      { rel: 'bodies.yaml', bytes: bytes([0xfe, 0xff, 0, 0x61]), message: /not UTF-8/, line: 1, column: 1 },
      { rel: revision(20), bytes: bytes('---\ntitle: t\n---\n', [0xc3]), message: /byte 0xC3/, line: 4 },
    ];
    refusesAll(cases);
  });

  it('refuses a file over the per-file budget unread, and stops reading at the per-bundle budget', () => {
    const dir = copyOfShipped();
    const sparse = (rel: string, size: number) => {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), '');
      fs.truncateSync(path.join(dir, rel), size);
    };
    sparse(instrument('big'), 50 * 1024 * 1024);
    sparse(instrument('just-over'), MAX_FILE_BYTES + 1);
    sparse(revision(30), 2 * MAX_FILE_BYTES);
    fs.symlinkSync('/dev/zero', path.join(dir, instrument('zero')));
    const count = Math.ceil(MAX_BUNDLE_BYTES / MAX_FILE_BYTES) + 1;
    for (let i = 0; i < count; i++) sparse(`articles/heavy-${String(i).padStart(2, '0')}/article.yaml`, MAX_FILE_BYTES);
    const started = Date.now();
    const result = validateBundle(dir);
    const elapsed = Date.now() - started;
    assert.equal(result.bundle, null);
    const all = result.problems.map(formatProblem).join('\n');
    const has = (where: string, message: RegExp) =>
      assert.ok(
        result.problems.some((p) => p.where === where && message.test(p.message)),
        `${where} ${message}:\n${all}`,
      );
    has(instrument('big'), /the file is 50\.0 MiB; a bundle file may be at most 1\.0 MiB \(1048576 bytes\)/);
    has(instrument('just-over'), /the file is 1\.0 MiB; a bundle file may be at most 1\.0 MiB/);
    has(revision(30), /the file is 2\.0 MiB/);
    has(instrument('zero'), /not a regular file/);
    assert.ok(
      result.problems.some((p) => /the bundle passes 32\.0 MiB at this file/.test(p.message)),
      `bundle budget:\n${all}`,
    );
    assert.ok(elapsed < 20_000, `validated in ${elapsed} ms`);
  });

  it('reports YAML syntax errors at their line and column, not 1:1', () => {
    const cases: Hostile[] = [
      { rel: instrument(40), bytes: 'id: hostile-40\ntitle: ok\nbad: [1, 2\nnext: 3\n', message: /^YAML: /, line: 4 },
      { rel: instrument(41), bytes: 'id: hostile-41\na: b\n  c: d\n', message: /^YAML: /, line: 2, column: 4 },
      {
        rel: instrument(42),
        bytes: 'id: hostile-42\n\n\nx: "unclosed\n',
        message: /^YAML: Missing closing "quote/,
        line: 5,
      },
      {
        rel: instrument(43),
        bytes: 'id: hostile-43\nx: 1\nx: 2\n',
        message: /^YAML: Map keys must be unique/,
        line: 3,
      },
      { rel: instrument(44), bytes: 'id: hostile-44\nx:\n\t- 1\n', message: /^YAML: /, line: 3 },
      {
        rel: instrument(45),
        bytes: 'id: hostile-45\nx: *nowhere\n',
        message: /^YAML: Unresolved alias.*nowhere/,
        line: 2,
        column: 4,
      },
      { rel: instrument(46), bytes: 'id: hostile-46\n---\nid: again\n', message: /^YAML: /, line: 2 },
      { rel: instrument(47), bytes: `a: ${'['.repeat(100_000)}\n`, message: /^YAML: /, line: 1 },
      { rel: revision(40), bytes: '---\ntitle: t\nx: [\n---\nBody.\n', message: /^YAML: /, line: 3, column: 5 },
    ];
    const list = refusesAll(cases);
    const deep = list.filter((p) => p.where === instrument(47));
    assert.ok(deep.length <= 11, `a file's YAML problems are capped (${deep.length})`);
    assert.match(deep.at(-1)?.message ?? '', /^YAML: \d+ more problems in this file$/);
    for (const p of list.filter((p) => p.where.includes('hostile-4'))) {
      assert.doesNotMatch(p.message, / at line \d+, column \d+/, 'the position is given once, as line:column');
    }
  });
});
