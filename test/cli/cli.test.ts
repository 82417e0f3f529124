// The horizon command end to end: exit codes, messages, --json output and the data folder lock.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { copyOfShipped, edit, tempDir } from '../support/bundles.ts';
import { horizon, startServer, stop } from '../support/cli.ts';

describe('horizon command', () => {
  it('prints help for itself and for every command', async () => {
    const top = await horizon(['--help']);
    assert.equal(top.code, 0);
    for (const name of ['validate', 'import', 'export', 'instruments', 'serve']) {
      assert.match(top.stdout, new RegExp(`\\b${name}\\b`));
      const r = await horizon([name, '--help']);
      assert.equal(r.code, 0, name);
      assert.match(r.stdout, new RegExp(`Usage: horizon ${name}`));
    }
    const unknown = await horizon(['frobnicate']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown command "frobnicate"/);
  });

  it('validate: exit 0 on the shipped bundle; file:line:column problems and exit 1 on a bad one', async () => {
    const shipped = await horizon(['validate', 'content']);
    assert.equal(shipped.code, 0, 'warnings do not fail');
    assert.match(shipped.stdout, /content: valid \(\d+ files, \d+ warnings?\)/);
    assert.match(shipped.stderr, /content\/sources\.yaml:\d+:\d+: warning: source "[a-z0-9-]+" has no address \(url\)/);
    const dir = copyOfShipped();
    edit(dir, 'instruments/cn-sh-ai-industry-regulations.yaml', /date: '?2022-10-01'?/, 'date: 2024-02-30');
    const r = await horizon(['validate', dir]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /instruments\/cn-sh-ai-industry-regulations\.yaml:\d+:\d+: 2024-02-30 is not a real date/);
  });

  it('validate and import: hostile files give exit 1 and located problems, never a stack trace', async () => {
    const dir = copyOfShipped();
    const write = (rel: string, bytes: string | Buffer) => fs.writeFileSync(path.join(dir, rel), bytes);
    const laughs = Array.from({ length: 9 }, (_, i) =>
      i === 0
        ? 'l0: &l0 "lol"'
        : `l${i}: &l${i} [${Array(9)
            .fill(`*l${i - 1}`)
            .join(', ')}]`,
    ).join('\n');
    write('instruments/bomb.yaml', `id: bomb\n${laughs}\n`);
    write('instruments/nul.yaml', 'id: nul\ntitle: "a\\0b"\n');
    write('instruments/latin1.yaml', Buffer.concat([Buffer.from('id: latin1\ntitle: caf'), Buffer.from([0xe9, 0x0a])]));
    write('instruments/syntax.yaml', 'id: syntax\nx: 1\ny: [1, 2\nz: 3\n');
    write('instruments/huge.yaml', '');
    fs.truncateSync(path.join(dir, 'instruments/huge.yaml'), 50 * 1024 * 1024);
    const expected = [
      /instruments\/bomb\.yaml:3:10: YAML: its aliases expand too far/,
      /instruments\/nul\.yaml:2:8: a NUL character \(U\+0000\) is not allowed in a value/,
      /instruments\/latin1\.yaml:2:11: not UTF-8: byte 0xE9/,
      /instruments\/syntax\.yaml:4:1: YAML: /,
      /instruments\/huge\.yaml: the file is 50\.0 MiB; a bundle file may be at most 1\.0 MiB/,
    ];
    const data = path.join(tempDir(), 'data');
    for (const args of [
      ['validate', dir],
      ['import', dir, '--data', data],
    ]) {
      const r = await horizon(args);
      assert.equal(r.code, 1, `${args[0]}: ${r.stderr}`);
      for (const line of expected) assert.match(r.stderr, line, args[0]);
      assert.doesNotMatch(r.stderr, /^\s+at |ReferenceError|TypeError|RangeError/m, `${args[0]}: no stack trace`);
    }
  });

  it('import, import again, list as of a date, export: the whole round', async () => {
    const data = path.join(tempDir(), 'data');
    const dry = await horizon(['import', 'content', '--dry-run', '--data', data]);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /Dry run: \d+ added/);
    const first = await horizon(['import', 'content', '--data', data, '--json']);
    assert.equal(first.code, 0, first.stderr);
    assert.ok((JSON.parse(first.stdout) as { added: string[] }).added.length > 50);
    const again = await horizon(['import', 'content', '--data', data]);
    assert.match(again.stdout, /0 added, 0 changed, 0 removed/);

    const listed = await horizon([
      'instruments',
      '--as-of',
      '2022-10-01',
      '--jurisdiction',
      'cn-gd',
      '--json',
      '--data',
      data,
    ]);
    assert.equal(listed.code, 0, listed.stderr);
    const body = JSON.parse(listed.stdout) as {
      as_of: string;
      count: number;
      instruments: { id: string; status: string; title: { en: string; zh: string } }[];
    };
    const list = body.instruments;
    assert.equal(body.count, list.length, 'the body of GET /api/v1/instruments');
    const sz = list.find((i) => i.id === 'cn-gd-shenzhen-ai-industry-regulations');
    assert.equal(sz?.status, 'adopted');
    assert.equal(sz?.title.zh, '深圳经济特区人工智能产业促进条例');
    assert.ok(list.every((i) => typeof i.title.en === 'string'));

    const early = await horizon(['instruments', '--as-of', '2022-08-14', '--json', '--data', data]);
    const earlyBody = JSON.parse(early.stdout) as { as_of: string; instruments: { id: string }[] };
    assert.equal(earlyBody.as_of, '2022-08-14');
    const ids = earlyBody.instruments.map((i) => i.id);
    assert.ok(!ids.includes('cn-most-2022-demonstration-scenarios-notice'));

    const out = path.join(tempDir(), 'exported');
    const exported = await horizon(['export', out, '--data', data]);
    assert.equal(exported.code, 0, exported.stderr);
    assert.equal((await horizon(['validate', out])).code, 0);
    const refused = await horizon(['export', out, '--data', data]);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /not empty.*--force/);
  });

  it('says plainly when the store is empty instead of listing nothing', async () => {
    const data = path.join(tempDir(), 'empty');
    const r = await horizon(['instruments', '--data', data]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /the store is empty: run "npx horizon import content"/);
  });

  it('refuses bad options with a clear message and exit 2', async () => {
    const data = path.join(tempDir(), 'data');
    const bad = await horizon(['instruments', '--as-of', '2024-13-01', '--data', data]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--as-of: "2024-13-01" is not a real date/);
    const status = await horizon(['instruments', '--status', 'alive', '--data', data]);
    assert.equal(status.code, 2);
    assert.match(status.stderr, /--status: "alive" is not one of/);
    const option = await horizon(['instruments', '--colour', '--data', data]);
    assert.equal(option.code, 2);
    assert.match(option.stderr, /--colour/);
  });

  it('gives a second process a clear error naming the holder of the data folder', async () => {
    const data = path.join(tempDir(), 'data');
    const { child } = await startServer(['--data', data]);
    try {
      const r = await horizon(['instruments', '--data', data]);
      assert.equal(r.code, 3);
      assert.match(r.stderr, new RegExp(`in use by "horizon serve" \\(process ${child.pid}`));
    } finally {
      await stop(child);
    }
    assert.equal(fs.existsSync(path.join(data, 'horizon.lock')), false, 'the lock is released on stop');
    const after = await horizon(['instruments', '--data', data, '--json']);
    assert.equal(after.code, 0, after.stderr);
    const filled = JSON.parse(after.stdout) as { instruments: unknown[] };
    assert.ok(filled.instruments.length > 10, 'the server filled the store on first run');
  });
});
