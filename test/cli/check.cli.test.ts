// horizon check and horizon eligibility as a user runs them.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { tempDir } from '../support/bundles.ts';
import { horizon } from '../support/cli.ts';

describe('horizon check', () => {
  const dir = tempDir();
  const data = path.join(dir, 'data');
  before(async () => {
    const r = await horizon(['import', 'content', '--data', data]);
    assert.equal(r.code, 0, r.stderr);
  });

  it('prints {"results": [...]} for one profile with --json', async () => {
    const file = path.join(dir, 'shenzhen.json');
    fs.writeFileSync(
      file,
      JSON.stringify({
        jurisdictions: ['cn-gd-shenzhen'],
        product: { riskLevel: 'low', hasNationalOrLocalStandard: false, meetsInternationalStandard: true },
      }),
    );
    const r = await horizon(['check', '--profile', file, '--as-of', '2026-11-29', '--json', '--data', data]);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as {
      results: {
        id: string;
        kind: string;
        title: { en: string; zh: string };
        outcome: string;
        conditions: unknown[];
        missing: string[];
      }[];
    };
    const access = out.results.find((x) => x.id === 'cn-gd-shenzhen-innovative-product-access');
    assert.equal(access?.outcome, 'applies');
    for (const key of ['id', 'kind', 'title', 'outcome', 'conditions', 'missing'])
      assert.ok(access && key in access, key);
    const text = await horizon(['check', '--profile', file, '--data', data]);
    assert.match(text.stdout, /Applies: \d+/);
  });

  it('refuses a profile that is not profile v1 with the field path, exit 1', async () => {
    const file = path.join(dir, 'bad.json');
    fs.writeFileSync(file, JSON.stringify({ product: { riskLevel: 'extreme' } }));
    const r = await horizon(['check', '--profile', file, '--data', data]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /product\.riskLevel: must be one of: low, medium, high/);
    fs.writeFileSync(file, '{not json');
    const broken = await horizon(['check', '--profile', file, '--data', data]);
    assert.equal(broken.code, 1);
    assert.match(broken.stderr, /not JSON/);
  });

  it('streams one result line per profile from JSON Lines, marking bad lines', async () => {
    const file = path.join(dir, 'many.jsonl');
    fs.writeFileSync(
      file,
      ['{"jurisdictions":["cn-sh"],"scenarios":["smart-port"]}', 'oops', '{"jurisdictions":["cn-bj"]}', ''].join('\n'),
    );
    const r = await horizon(['check', '--profiles', file, '--data', data]);
    assert.equal(r.code, 1, 'one line was invalid');
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { line: number; applies?: string[]; error?: unknown });
    assert.deepEqual(
      lines.map((l) => l.line),
      [1, 2, 3],
    );
    assert.ok(lines[0]?.applies?.includes('cn-most-2022-demonstration-scenario-smart-port'));
    assert.ok(lines[1]?.error);
    assert.match(r.stderr, /3 lines, 1 invalid profile/);
  });

  it('recomputes stored profiles’ eligibility with horizon eligibility', async () => {
    const r = await horizon(['eligibility', '--as-of', '2026-11-29', '--json', '--data', data]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { asOf: string }).asOf, '2026-11-29');
  });
});
