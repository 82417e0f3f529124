// `horizon search` and `horizon reindex` as a user runs them: child processes over a data folder.
import assert from 'node:assert/strict';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { tempDir } from '../support/bundles.ts';
import { horizon } from '../support/cli.ts';

describe('horizon search and reindex', () => {
  const data = path.join(tempDir(), 'data');
  before(async () => {
    const r = await horizon(['import', 'content', '--data', data]);
    assert.equal(r.code, 0, r.stderr);
  });

  it('prints results as JSON in the shape of the API: type, id, title in both languages, snippet, score …', async () => {
    const r = await horizon(['search', '深圳人工智能条例', '--json', '--data', data]);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as {
      query: string;
      as_of: string;
      total: number;
      results: {
        type: string;
        id: string;
        title: { en: string; zh: string };
        snippet: string;
        snippet_lang: string;
        score: number;
        url: string;
      }[];
      facets: Record<string, unknown[]>;
    };
    // The body of GET /api/v1/search (search.presenters.ts), field for field.
    assert.deepEqual(Object.keys(out), [
      'query',
      'as_of',
      'total',
      'limit',
      'offset',
      'relaxed',
      'corrections',
      'message',
      'results',
      'facets',
    ]);
    assert.equal(out.query, '深圳人工智能条例');
    assert.match(out.as_of, /^\d{4}-\d{2}-\d{2}$/);
    assert.ok(out.total >= out.results.length);
    assert.deepEqual(Object.keys(out.facets), ['type', 'jurisdiction', 'kind', 'status', 'topic', 'issuer', 'year']);
    const top = out.results[0];
    assert.equal(top?.type, 'instrument');
    assert.equal(top?.id, 'cn-gd-shenzhen-ai-industry-regulations');
    assert.equal(top?.title.zh, '深圳经济特区人工智能产业促进条例');
    assert.equal(typeof top?.snippet, 'string');
    assert.equal(top?.url, '/instruments/cn-gd-shenzhen-ai-industry-regulations');
    assert.ok(
      out.results.every(
        (x) =>
          Object.keys(x).join() ===
          'type,id,title,snippet,snippet_lang,score,url,instrument,jurisdiction,kind,year,status',
      ),
    );
    assert.deepEqual(
      out.results.map((x) => x.score),
      out.results.map((x) => x.score).sort((a, b) => b - a),
    );
  });

  it('prints a readable list with filters, and corrects near spellings', async () => {
    const r = await horizon(['search', 'Shenzen', '--type', 'programme', '--data', data]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /also searched shenzhen for "shenzen"/);
    assert.match(r.stdout, /\[programme cn-gd-shenzhen-/);
    assert.doesNotMatch(r.stdout, /\[instrument /);
    assert.match(r.stdout, /of \d+ results? as of/);
  });

  it('answers a bad query or option with a message and exit code 2', async () => {
    const empty = await horizon(['search', '   ', '--data', data]);
    assert.equal(empty.code, 2);
    assert.match(empty.stderr, /q: is empty/);
    const punctuation = await horizon(['search', '?!。', '--data', data]);
    assert.equal(punctuation.code, 2);
    assert.match(punctuation.stderr, /no words to search for/);
    const long = await horizon(['search', 'x'.repeat(10_000), '--data', data]);
    assert.equal(long.code, 2);
    assert.match(long.stderr, /10000 characters long/);
    const missing = await horizon(['search', '--data', data]);
    assert.equal(missing.code, 2);
    const status = await horizon(['search', 'AI', '--status', 'alive', '--data', data]);
    assert.equal(status.code, 2);
    assert.match(status.stderr, /status: "alive"/);
  });

  it('reindex rebuilds the index and searches still find the same', async () => {
    const before = await horizon(['search', '算力券', '--json', '--data', data]);
    const r = await horizon(['reindex', '--json', '--data', data]);
    assert.equal(r.code, 0, r.stderr);
    const stats = JSON.parse(r.stdout) as { documents: number; terms: number };
    assert.ok(stats.documents > 100 && stats.terms > 100);
    const after = await horizon(['search', '算力券', '--json', '--data', data]);
    assert.equal(after.stdout, before.stdout);
    const help = await horizon(['reindex', '--help']);
    assert.match(help.stdout, /Usage: horizon reindex/);
  });
});
