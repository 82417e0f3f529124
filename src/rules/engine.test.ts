import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { all, cond } from './ast.ts';
import { checkRule } from './check.ts';
import { compile } from './compile.ts';
import { createContext } from './context.ts';
import { explain } from './explain.ts';
import { FACTS, JURISDICTION_TREE } from './facts.ts';

const here = path.dirname(new URL(import.meta.url).pathname);
const root = path.resolve(here, '../..');

describe('the rules engine', () => {
  it('imports nothing but its own modules, so it runs in the browser', () => {
    for (const file of fs.readdirSync(here).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))) {
      const source = fs.readFileSync(path.join(here, file), 'utf8');
      for (const [, spec] of source.matchAll(/^(?:import|export)[^'"]*from\s+'([^']+)'/gm)) {
        assert.ok(spec?.startsWith('./'), `${file} imports ${spec}`);
      }
      assert.doesNotMatch(source, /\b(process|require|Buffer)\b[.(]/, `${file} uses a Node global`);
    }
  });

  it('compiles every programme rule of the shipped content', () => {
    const jurisdictions = parse(fs.readFileSync(path.join(root, 'content/jurisdictions.yaml'), 'utf8')) as {
      code: string;
      parent?: string;
    }[];
    const tree = Object.fromEntries(jurisdictions.map((j) => [j.code, j.parent ?? null]));
    const context = createContext({ jurisdictions: tree });
    const dir = path.join(root, 'content/programmes');
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.yaml'));
    assert.ok(files.length > 0);
    for (const file of files) {
      const programme = parse(fs.readFileSync(path.join(dir, file), 'utf8')) as { rule: unknown };
      assert.deepEqual(checkRule(programme.rule, context.facts), [], file);
      const compiled = compile(programme.rule, context);
      assert.equal(compiled.outcome({}), 'unknown', `${file}: an empty profile leaves it open`);
    }
  });

  it('has a catalogue entry with labels and help in both languages for every fact', () => {
    for (const [p, spec] of Object.entries(FACTS)) {
      assert.equal(spec.path, p);
      assert.ok(spec.label.en && spec.label.zh && spec.help.en && spec.help.zh, p);
      for (const code of spec.values ?? []) assert.ok(spec.valueLabels?.[code]?.zh, `${p}: ${code}`);
    }
    assert.deepEqual(FACTS.jurisdictions?.values, Object.keys(JURISDICTION_TREE));
  });

  it('keeps compiled rules and their trees frozen', () => {
    const c = compile(all([cond('sectors', 'intersects', ['finance']), cond('size.employees', 'gt', 1)]));
    assert.ok(Object.isFrozen(c) && Object.isFrozen(c.root) && Object.isFrozen(c.leaves[0]?.value));
    assert.equal(explain(c, { sectors: ['finance'], size: { employees: 2 } }).outcome, 'applies');
  });
});
