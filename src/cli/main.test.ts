// The command table: every entry loads the command it names, and help lists them without loading any.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { COMMANDS, main } from './main.ts';
import type { Io } from './io.ts';

const capture = (): Io & { text: string } => {
  const io = {
    text: '',
    out: (t: string) => void (io.text += `${t}\n`),
    err: (t: string) => void (io.text += `${t}\n`),
  };
  return io;
};

describe('command table', () => {
  it('names each command once, and each entry loads the command of its name', async () => {
    assert.equal(new Set(COMMANDS.map((c) => c.name)).size, COMMANDS.length);
    for (const entry of COMMANDS) {
      const command = await entry.load();
      assert.equal(command.name, entry.name);
      assert.match(command.usage, new RegExp(`^Usage: horizon ${entry.name}\\b`));
    }
  });

  it('lists every command with its summary in --help', async () => {
    const io = capture();
    assert.equal(await main(['--help'], io), 0);
    const lines = io.text.split('\n').map((l) => l.trim().split(/\s{2,}/));
    for (const entry of COMMANDS)
      assert.ok(
        lines.some(([n, s]) => n === entry.name && s === entry.summary),
        entry.name,
      );
  });
});
