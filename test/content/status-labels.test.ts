// Status labels are defined by the content (content/taxonomy.yaml, `statuses`); pages format them from the message
// catalogue, synchronously. This keeps the two from disagreeing: every status the content defines has the same label
// in the catalogue, in both languages, and the catalogue has no status the content does not define.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import en from '../../src/locales/en.json' with { type: 'json' };
import zh from '../../src/locales/zh.json' with { type: 'json' };

interface TaxonomyStatus {
  readonly code: string;
  readonly label: { readonly en: string; readonly zh: string };
}

const taxonomy = parse(fs.readFileSync('content/taxonomy.yaml', 'utf8')) as { statuses: TaxonomyStatus[] };
const catalogues: Record<'en' | 'zh', Record<string, string>> = { en, zh };

describe('status labels', () => {
  it("match the content's taxonomy word for word, in both languages", () => {
    assert.ok(taxonomy.statuses.length >= 7, 'the taxonomy defines the statuses');
    for (const lang of ['en', 'zh'] as const) {
      for (const s of taxonomy.statuses) {
        assert.equal(catalogues[lang][`status.${s.code}`], s.label[lang], `${lang} status.${s.code}`);
      }
    }
  });

  it('name no status the content does not define', () => {
    const defined = new Set(taxonomy.statuses.map((s) => `status.${s.code}`));
    for (const lang of ['en', 'zh'] as const) {
      const extra = Object.keys(catalogues[lang]).filter((k) => /^status\.[a-z_]+$/.test(k) && !defined.has(k));
      assert.deepEqual(extra, [], `${lang}: statuses only in the catalogue`);
    }
  });
});
