import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { KEYS_FILE, keysSource, readCatalogue } from '../../scripts/gen-messages.ts';
import { acceptedLanguage } from './languages.ts';
import { translate } from './messages.ts';
import { placeholders } from './placeholders.ts';

const LOCALES = path.resolve(import.meta.dirname, '../locales');
const catalogue = (lang: string): Record<string, string> =>
  JSON.parse(fs.readFileSync(path.join(LOCALES, `${lang}.json`), 'utf8')) as Record<string, string>;
const languages = fs
  .readdirSync(LOCALES)
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.replace(/\.json$/, ''));

describe('the message catalogues', () => {
  const en = catalogue('en');

  it('are English and Chinese', () => {
    assert.deepEqual(languages.sort(), ['en', 'zh']);
  });

  for (const lang of languages) {
    it(`${lang}: every message parses as ICU MessageFormat`, () => {
      for (const [key, message] of Object.entries(catalogue(lang))) {
        assert.doesNotThrow(() => placeholders(message), `${lang}.json ${key}`);
      }
    });

    it(`${lang}: has the same keys and the same placeholders as en.json`, () => {
      const other = catalogue(lang);
      assert.deepEqual(Object.keys(other).sort(), Object.keys(en).sort());
      for (const [key, message] of Object.entries(en)) {
        const want = Object.fromEntries(placeholders(message));
        assert.deepEqual(Object.fromEntries(placeholders(other[key] ?? '')), want, `${lang}.json ${key}`);
      }
    });
  }

  it('match the generated key type (run node --import tsx scripts/gen-messages.ts)', async () => {
    assert.equal(fs.readFileSync(KEYS_FILE, 'utf8'), await keysSource(readCatalogue()));
  });
});

describe('formatting messages', () => {
  it('says "1 day before" and "3 days before"', () => {
    assert.equal(translate('en', 'subDaysBefore', { n: 1 }), '1 day before');
    assert.equal(translate('en', 'subDaysBefore', { n: 3 }), '3 days before');
    assert.equal(translate('zh', 'subDaysBefore', { n: 1 }), '提前 1 天');
  });

  it('fills placeholders and keeps text that looks like a tag', () => {
    assert.equal(translate('en', 'manageDeleted', { id: 's_1' }), 'Subscription s_1 was deleted.');
    assert.match(translate('en', 'webhooksText'), /t=<unix seconds>,v1=<hex>/);
  });
});

describe('Accept-Language', () => {
  it('picks the preferred of our languages, English by default', () => {
    assert.equal(acceptedLanguage(undefined), 'en');
    assert.equal(acceptedLanguage('fr-FR'), 'en');
    assert.equal(acceptedLanguage('zh-CN,zh;q=0.9,en;q=0.8'), 'zh');
    assert.equal(acceptedLanguage('en-GB, zh-Hans;q=0.5'), 'en');
    assert.equal(acceptedLanguage('de, zh-TW;q=0.7, en;q=0.3'), 'zh');
    assert.equal(acceptedLanguage('zh;q=0'), 'en');
  });
});
