// The validator on the shipped bundle and on every kind of bad bundle: each problem with its file, line and reason.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { validateBundle } from '../../src/content/validate.ts';
import { formatProblem, type Problem } from '../../src/errors.ts';
import { SHIPPED, copyOfShipped, edit } from '../support/bundles.ts';

const SH = 'instruments/cn-sh-ai-industry-regulations.yaml';
const SZ = 'instruments/cn-gd-shenzhen-ai-industry-regulations.yaml';

/** The 1-based line of the first occurrence of needle in a bundle file. */
function lineOf(dir: string, rel: string, needle: string): number {
  const lines = fs.readFileSync(path.join(dir, rel), 'utf8').split('\n');
  const i = lines.findIndex((l) => l.includes(needle));
  assert.ok(i >= 0, `${needle} not in ${rel}`);
  return i + 1;
}

function problems(dir: string): Problem[] {
  const result = validateBundle(dir);
  assert.equal(result.bundle, null, 'the bundle must be refused');
  return [...result.problems];
}

function expectProblem(list: Problem[], where: string, message: RegExp, line?: number): void {
  const found = list.find(
    (p) => p.where === where && message.test(p.message) && (line === undefined || p.line === line),
  );
  assert.ok(
    found,
    `expected ${where}${line ? `:${line}` : ''} ${message}; got:\n${list.map(formatProblem).join('\n')}`,
  );
}

describe('bundle validation', () => {
  it('accepts the shipped bundle', () => {
    const result = validateBundle(SHIPPED);
    assert.deepEqual(result.problems.map(formatProblem), []);
    assert.ok(result.bundle && result.bundle.instruments.length >= 27);
  });

  it('refuses a date that does not exist, at its line', () => {
    const dir = copyOfShipped();
    edit(dir, SH, /date: '?2022-10-01'?/, 'date: 2024-02-30');
    expectProblem(problems(dir), SH, /2024-02-30 is not a real date/, lineOf(dir, SH, '2024-02-30'));
  });

  it('refuses a date in the wrong format', () => {
    const dir = copyOfShipped();
    edit(dir, SH, /date: '?2022-10-01'?/, 'date: 1 Octobre 2022');
    expectProblem(problems(dir), SH, /must be a date written YYYY-MM-DD/, lineOf(dir, SH, '1 Octobre 2022'));
  });

  it('refuses an unknown code', () => {
    const dir = copyOfShipped();
    edit(dir, SH, /kind: local-regulation/, 'kind: local-ordinance');
    expectProblem(problems(dir), SH, /unknown instrument kind "local-ordinance"/, lineOf(dir, SH, 'local-ordinance'));
  });

  it('refuses references to missing instruments, bodies, sources and jurisdictions', () => {
    const dir = copyOfShipped();
    fs.appendFileSync(path.join(dir, SH), 'relations:\n  - type: cites\n    target: cn-no-such-instrument\n');
    edit(dir, SZ, /shenzhen-npc-standing-committee/, 'no-such-body');
    edit(dir, SZ, /jurisdiction: cn-gd-shenzhen/, 'jurisdiction: cn-xx');
    const list = problems(dir);
    expectProblem(list, SH, /unknown instrument "cn-no-such-instrument"/, lineOf(dir, SH, 'cn-no-such-instrument'));
    expectProblem(list, SZ, /unknown body "no-such-body"/, lineOf(dir, SZ, 'no-such-body'));
    expectProblem(list, SZ, /unknown jurisdiction "cn-xx"/, lineOf(dir, SZ, 'cn-xx'));
  });

  it('refuses a citation of a source that sources.yaml does not have', () => {
    const dir = copyOfShipped();
    edit(dir, SH, /source: aigovernancecompass-1000075/, 'source: nowhere-1');
    expectProblem(problems(dir), SH, /unknown source "nowhere-1"/, lineOf(dir, SH, 'nowhere-1'));
  });

  it('refuses a relation cycle: A supersedes B supersedes A', () => {
    const dir = copyOfShipped();
    fs.appendFileSync(
      path.join(dir, SH),
      'relations:\n  - type: supersedes\n    target: cn-gd-shenzhen-ai-industry-regulations\n',
    );
    fs.appendFileSync(
      path.join(dir, SZ),
      'relations:\n  - type: supersedes\n    target: cn-sh-ai-industry-regulations\n',
    );
    const list = problems(dir);
    assert.ok(
      list.some((p) => /relation cycle: .*supersedes.*supersedes/.test(p.message)),
      list.map(formatProblem).join('\n'),
    );
  });

  it('refuses duplicate ids', () => {
    const dir = copyOfShipped();
    const text = fs.readFileSync(path.join(dir, 'sources.yaml'), 'utf8');
    const firstEntry = text.split(/\n(?=- )/).find((chunk) => chunk.startsWith('- id:')) ?? '';
    fs.appendFileSync(path.join(dir, 'sources.yaml'), `${text.endsWith('\n') ? '' : '\n'}${firstEntry}\n`);
    expectProblem(problems(dir), 'sources.yaml', /duplicate source "/);
  });

  it('refuses an instrument whose id differs from its file name', () => {
    const dir = copyOfShipped();
    fs.copyFileSync(path.join(dir, SH), path.join(dir, 'instruments/cn-sh-copy.yaml'));
    expectProblem(problems(dir), 'instruments/cn-sh-copy.yaml', /must match the file name/, 1);
  });

  it('refuses malformed YAML with its line', () => {
    const dir = copyOfShipped();
    fs.writeFileSync(path.join(dir, 'chapters.yaml'), '- code: a\n  title: { en: A, zh: 甲\n- code: b\n');
    const list = problems(dir);
    expectProblem(list, 'chapters.yaml', /^YAML: /);
  });

  it('refuses duplicate keys in a YAML mapping', () => {
    const dir = copyOfShipped();
    edit(dir, SH, /^kind: /m, 'kind: policy\nkind: ');
    expectProblem(problems(dir), SH, /YAML: .*[Uu]nique|YAML: .*duplicate/i);
  });

  it('refuses a disputed date without exactly one preferred claim', () => {
    const dir = copyOfShipped();
    edit(dir, SZ, /preferred: true/, 'preferred: false');
    expectProblem(problems(dir), SZ, /exactly one preferred claim \(found 0\)/);
  });

  it('refuses unknown fields and missing required ones, naming them', () => {
    const dir = copyOfShipped();
    edit(dir, SH, /^jurisdiction: cn-sh$/m, 'jurisdiction: cn-sh\nstatus: in_force');
    const list = problems(dir);
    expectProblem(list, SH, /unknown field "status"/, lineOf(dir, SH, 'status: in_force'));
    const dir2 = copyOfShipped();
    edit(dir2, SH, /^kind: local-regulation\n/m, '');
    expectProblem(problems(dir2), SH, /missing required field "kind"/);
  });

  it('refuses an article link to an instrument that does not exist, at its line', () => {
    const dir = copyOfShipped();
    const rel = 'articles/ai-initiatives-in-china/2023-11-27.en.md';
    fs.appendFileSync(path.join(dir, rel), '\nSee [this](instrument:cn-missing-thing).\n');
    expectProblem(
      problems(dir),
      rel,
      /link to unknown instrument "cn-missing-thing"/,
      lineOf(dir, rel, 'cn-missing-thing'),
    );
  });

  it('refuses a revision whose front matter date differs from its file name', () => {
    const dir = copyOfShipped();
    const rel = 'articles/ai-initiatives-in-china/2023-11-27.en.md';
    edit(dir, rel, /accurate_up_to: '?2023-11-27'?/, 'accurate_up_to: 2023-11-28');
    expectProblem(problems(dir), rel, /must match the file name/, 2);
  });

  it('refuses a programme rule with an unknown fact, a wrong value or a missing instrument, at its line', () => {
    const dir = copyOfShipped();
    const rel = 'programmes/cn-gd-shenzhen-innovative-product-access.yaml';
    edit(dir, rel, /value: low/, 'value: extreme');
    edit(dir, rel, /fact: product\.hasNationalOrLocalStandard/, 'fact: product.hasStandard');
    edit(dir, rel, /^instrument: cn-gd-shenzhen-ai-industry-regulations$/m, 'instrument: cn-gd-nothing');
    const list = problems(dir);
    expectProblem(list, rel, /extreme/, lineOf(dir, rel, 'value: extreme'));
    expectProblem(list, rel, /unknown fact/, lineOf(dir, rel, 'product.hasStandard'));
    expectProblem(list, rel, /unknown instrument "cn-gd-nothing"/, lineOf(dir, rel, 'cn-gd-nothing'));
  });
});
