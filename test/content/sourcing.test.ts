// The shipped bundle's sourcing: official sources first, every event and every programme condition cited, and no date
// that the facts table marks unverified or disputed shown as a plain date. Also the warnings `horizon validate` gives
// (a source without an address, a plan whose period has no end), which never refuse a bundle.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { validateBundle } from '../../src/content/validate.ts';
import type { Bundle, Instrument, LifecycleEvent } from '../../src/domain/types.ts';
import { formatProblem } from '../../src/errors.ts';
import { SHIPPED, copyOfShipped, edit } from '../support/bundles.ts';

/**
 * Instruments for which no official publication could be found yet (content/FACTS.md says why). The list may only
 * shrink: an instrument listed here that gains an official source with an address fails the test until it is removed.
 */
const NO_OFFICIAL_SOURCE_YET = new Set([
  'cn-most-2022-demonstration-scenarios-notice',
  'cn-bj-ai-compute-voucher-plan-2023-2025',
]);

function shipped(): Bundle {
  const result = validateBundle(SHIPPED);
  assert.ok(result.bundle, result.problems.map(formatProblem).join('\n'));
  return result.bundle;
}

const bundle = shipped();
const sources = new Map(bundle.sources.map((s) => [s.id, s]));
const instrument = (id: string): Instrument => {
  const found = bundle.instruments.find((i) => i.id === id);
  assert.ok(found, `no instrument ${id}`);
  return found;
};
const officialWithAddress = (id: string): boolean => {
  const s = sources.get(id);
  return s?.kind === 'official' && typeof s.url === 'string';
};
const eventsOf = (id: string, type: string): LifecycleEvent[] => instrument(id).events.filter((e) => e.type === type);

describe('sourcing of the shipped bundle', () => {
  it('gives every instrument an official source with an address, listed first', () => {
    const missing: string[] = [];
    for (const inst of bundle.instruments) {
      const official = inst.sources.filter((c) => officialWithAddress(c.source));
      if (NO_OFFICIAL_SOURCE_YET.has(inst.id)) {
        assert.equal(official.length, 0, `${inst.id} now has an official source: take it off NO_OFFICIAL_SOURCE_YET`);
        continue;
      }
      if (official.length === 0) missing.push(inst.id);
      else assert.ok(officialWithAddress(inst.sources[0]?.source ?? ''), `${inst.id}: the official source comes first`);
    }
    assert.deepEqual(missing, [], 'instruments without an official source with an address');
    assert.ok(bundle.instruments.length - NO_OFFICIAL_SOURCE_YET.size >= 24, 'most instruments have one');
  });

  it('cites at least one source for every lifecycle event, and for every claim of a disputed date', () => {
    const uncited: string[] = [];
    for (const inst of bundle.instruments) {
      for (const e of inst.events) {
        if (e.claims) {
          e.claims.forEach((c) => c.sources.length > 0 || uncited.push(`${inst.id} ${e.type} claim ${c.date}`));
        } else if ((e.sources ?? []).length === 0) uncited.push(`${inst.id} ${e.type}`);
      }
    }
    assert.deepEqual(uncited, []);
  });

  it('cites the instrument or a source for every condition of every programme rule', () => {
    const uncited: string[] = [];
    const walk = (node: unknown, where: string): void => {
      const n = node as { all?: unknown[]; any?: unknown[]; not?: unknown; fact?: string; citation?: object };
      if (n.all) n.all.forEach((c, i) => walk(c, `${where}.all.${i}`));
      else if (n.any) n.any.forEach((c, i) => walk(c, `${where}.any.${i}`));
      else if (n.not) walk(n.not, `${where}.not`);
      else {
        const c = n.citation as { instrument?: string; source?: string } | undefined;
        if (!c || (!c.instrument && !c.source)) uncited.push(`${where} (${n.fact ?? '?'})`);
      }
    };
    for (const p of bundle.programmes) walk(p.rule, p.id);
    assert.deepEqual(uncited, []);
    assert.ok(bundle.programmes.length >= 26);
  });

  it('names the provision for every condition but the national or local reach of the soft-law programmes', () => {
    // The conditions still citing only the instrument: the reach of a national or municipal policy (no article says
    // it) and Hangzhou's vouchers, whose plan was not read in full. The list may only shrink.
    const withoutProvision: string[] = [];
    const walk = (node: unknown, id: string): void => {
      const n = node as { all?: unknown[]; any?: unknown[]; not?: unknown; fact?: string; citation?: object };
      if (n.all) n.all.forEach((c) => walk(c, id));
      else if (n.any) n.any.forEach((c) => walk(c, id));
      else if (n.not) walk(n.not, id);
      else if (!(n.citation as { provision?: string } | undefined)?.provision) withoutProvision.push(`${id} ${n.fact}`);
    };
    for (const p of bundle.programmes) walk(p.rule, p.id);
    const allowed = (entry: string): boolean =>
      entry.endsWith(' jurisdictions') || entry === 'cn-zj-hangzhou-ai-compute-vouchers activities';
    assert.deepEqual(
      withoutProvision.filter((e) => !allowed(e)),
      [],
    );
    assert.ok(withoutProvision.length <= 20, `${withoutProvision.length} conditions without a provision`);
    for (const p of bundle.programmes.filter(
      (x) => x.kind === 'obligation' && x.id !== 'cn-cac-2025-ai-content-labelling',
    ))
      assert.ok(
        !withoutProvision.some((e) => e.startsWith(`${p.id} `)),
        `${p.id}: every condition names its provision`,
      );
  });

  it('says why a date is unknown or approximate, in both languages', () => {
    const silent: string[] = [];
    for (const inst of bundle.instruments) {
      for (const e of inst.events) {
        const uncertain = e.date === null || e.approximate === true;
        if (uncertain && !(e.note?.en && e.note.zh)) silent.push(`${inst.id} ${e.type}`);
        e.claims?.forEach((c) => c.note?.en || silent.push(`${inst.id} ${e.type} claim ${c.date}`));
      }
    }
    assert.deepEqual(silent, []);
  });

  it('shows no date the facts table marks unverified or disputed as a plain date', () => {
    // "AI+" opinions: the approval of 31 Jul 2025 is not the issue; publication disputed, 21 vs 26 Aug 2025.
    const aiPlus = 'cn-state-council-2025-ai-plus-opinions';
    for (const type of ['adopted', 'signed', 'announced', 'effective']) {
      assert.deepEqual(eventsOf(aiPlus, type), [], `the "AI+" opinions have no ${type} event`);
    }
    const [published] = eventsOf(aiPlus, 'published');
    assert.equal(published?.date, undefined, 'the publication date is not a plain date');
    assert.deepEqual(published?.claims?.map((c) => c.date).sort(), ['2025-08-21', '2025-08-26']);
    // Shenzhen regulations: announced 5 Sep 2022 per the announcement, 6 Sep per the seed.
    const [announced] = eventsOf('cn-gd-shenzhen-ai-industry-regulations', 'announced');
    assert.deepEqual(announced?.claims?.map((c) => c.date).sort(), ['2022-09-05', '2022-09-06']);
    // Unverified fields stay unknown: no event of that type, or a date of null.
    assert.equal(eventsOf('cn-state-council-2017-new-generation-ai-plan', 'published')[0]?.date, null);
    for (const id of [
      'cn-most-2022-scene-innovation-guidance',
      'cn-most-2022-demonstration-scenarios-notice',
      'cn-cac-2025-ai-content-labelling-measures',
    ]) {
      assert.deepEqual(
        [...eventsOf(id, 'adopted'), ...eventsOf(id, 'signed')],
        [],
        `${id}: date of signature unverified`,
      );
    }
    for (const id of ['cn-bj-ai-compute-voucher-plan-2023-2025', 'cn-sh-2025-ai-applications-measures']) {
      assert.deepEqual(eventsOf(id, 'effective'), [], `${id}: date of effect unverified`);
    }
    // Shenzhen's measures were issued "for implementation" (现印发实施) on 18 Dec 2024, valid for two years: the end is
    // computed, so it says so.
    const shenzhen = 'cn-gd-shenzhen-2024-ai-pioneer-city-measures';
    assert.equal(eventsOf(shenzhen, 'effective')[0]?.date, '2024-12-18');
    const [end] = eventsOf(shenzhen, 'expired');
    assert.equal(end?.date, '2026-12-18');
    assert.match(end?.note?.en ?? '', /^Computed: two years/);
    assert.ok(end?.note?.zh);
    // "About" dates are marked approximate, not shown as exact days.
    for (const [id, type] of [
      ['cn-bj-ai-compute-voucher-plan-2023-2025', 'published'],
      ['cn-sh-2025-ai-applications-measures', 'published'],
      ['cn-cac-2021-algorithmic-recommendation-provisions', 'published'],
      ['cn-mps-2025-online-identity-authentication-measures', 'published'],
    ] as const) {
      assert.equal(eventsOf(id, type)[0]?.approximate, true, `${id} ${type} is approximate`);
    }
  });

  it('keeps the 2021 virtual currency notice consistent: ten issuers, in force on issue, repealed by the 2026 notice', () => {
    const old = instrument('cn-pboc-2021-virtual-currency-notice');
    assert.equal(old.issuers.length, 10);
    const day = (type: string) => eventsOf(old.id, type)[0]?.date;
    assert.equal(day('signed'), '2021-09-15');
    assert.equal(day('effective'), day('signed'), 'in force on issue');
    assert.equal(day('published'), '2021-09-24');
    assert.equal(day('repealed'), '2026-02-06');
    assert.match(old.summary.en, /Issued on 15 September 2021 and\s+in force on issue/);
    const successor = instrument('cn-pboc-2026-virtual-currency-notice');
    assert.equal(successor.issuers.length, 8);
    assert.deepEqual(successor.relations, [{ type: 'repeals', target: old.id, note: successor.relations?.[0]?.note }]);
    assert.equal(eventsOf(successor.id, 'effective')[0]?.date, day('repealed'), 'no gap between the two notices');
    assert.ok(successor.topics?.includes('real-world-asset-tokenisation'));
  });

  it('records the standards beside the AI rules with their relations', () => {
    const rel = (id: string) => instrument(id).relations?.map((r) => `${r.type} ${r.target}`);
    assert.deepEqual(rel('cn-gb-t-45654-2025-generative-ai-service-security'), [
      'supersedes cn-tc260-003-generative-ai-security-requirements',
    ]);
    assert.deepEqual(rel('cn-gb-45438-2025-ai-content-labelling-method'), [
      'implements cn-cac-2025-ai-content-labelling-measures',
    ]);
    const withRelations = bundle.instruments.filter((i) => (i.relations ?? []).length > 0).length;
    assert.ok(withRelations >= 5, `${withRelations} instruments have a relation`);
  });

  it('gives comment deadlines only after a draft, at day precision, each with a source', () => {
    const deadlines = bundle.instruments.flatMap((i) =>
      i.events.filter((e) => e.type === 'comment-deadline').map((e) => ({ inst: i, e })),
    );
    assert.ok(deadlines.length >= 8, `${deadlines.length} comment deadlines`);
    for (const { inst, e } of deadlines) {
      assert.match(e.date ?? '', /^\d{4}-\d{2}-\d{2}$/, `${inst.id}: a day the source names`);
      const draft = inst.events.find((d) => d.type === 'draft-published');
      assert.ok(draft?.date && draft.date < (e.date ?? ''), `${inst.id}: the deadline follows the draft`);
      assert.ok((e.sources ?? []).length > 0, `${inst.id}: the deadline is cited`);
    }
    const of = (id: string) => eventsOf(id, 'comment-deadline')[0]?.date;
    assert.equal(of('cn-most-2023-ethics-review-measures'), '2023-05-03');
    assert.equal(of('cn-gd-shenzhen-2024-ai-pioneer-city-measures'), '2024-09-16');
    assert.equal(of('cn-cac-2024-cross-border-data-flow-provisions'), '2023-10-15');
    assert.equal(of('cn-cac-2021-algorithmic-recommendation-provisions'), '2021-09-26');
  });

  it('keeps what the 2022 Guidance only encourages apart from claimable incentives', () => {
    const guidance = bundle.programmes.filter((p) => p.instrument === 'cn-most-2022-scene-innovation-guidance');
    assert.equal(guidance.length, 6);
    assert.deepEqual([...new Set(guidance.map((p) => p.kind))], ['encouragement']);
    for (const p of bundle.programmes.filter((x) => x.kind === 'encouragement')) {
      const kind = instrument(p.instrument).kind;
      assert.ok(kind === 'policy' || kind === 'initiative', `${p.id}: encouragement comes from soft law (${kind})`);
      assert.doesNotMatch(p.effect.en, /\bincentives? it sets out\b/, `${p.id}: promises no incentive`);
    }
  });

  it('encodes the voucher terms the sources give, with the provision for every condition', () => {
    const programme = (id: string) => {
      const p = bundle.programmes.find((x) => x.id === id);
      assert.ok(p, id);
      return p;
    };
    const bj = programme('cn-bj-ai-compute-vouchers');
    assert.match(bj.description.en, /at most 20% of the contract value/);
    assert.match(bj.description.en, /RMB 2\s+million in a calendar year/);
    const conditions = (bj.rule as { all: { fact: string; citation: { provision?: string } }[] }).all;
    assert.deepEqual(
      conditions.map((c) => c.fact),
      ['jurisdictions', 'activities', 'sectors'],
    );
    assert.ok(conditions.every((c) => /支持对象/.test(c.citation.provision ?? '')));
    const sh = programme('cn-sh-ai-compute-model-corpus-vouchers');
    for (const term of ['up to 30% of the rent', 'up to 50% of the approved contract value', 'at most RMB 5 million'])
      assert.ok(sh.description.en.replace(/\s+/g, ' ').includes(term), `Shanghai: ${term}`);
    const sz = programme('cn-gd-shenzhen-ai-compute-corpus-vouchers');
    assert.match(sz.description.en, /model vouchers\s+of up to RMB 100 million/);
    assert.match(sz.description.en, /in force from 18 December 2024/);
    const labelling = JSON.stringify(programme('cn-cac-2025-ai-content-labelling').rule);
    for (const code of ['provides-content-dissemination-service', 'operates-app-distribution-platform'])
      assert.ok(labelling.includes(code), `the labelling obligation binds ${code}`);
  });

  it('lists every instrument in content/FACTS.md', () => {
    const facts = fs.readFileSync(path.join(SHIPPED, 'FACTS.md'), 'utf8');
    const absent = bundle.instruments.filter((i) => !facts.includes(`\`${i.id}\``)).map((i) => i.id);
    assert.deepEqual(absent, []);
  });
});

describe('validate warnings', () => {
  it('warns on the shipped bundle only about the sources that have no address', () => {
    const result = validateBundle(SHIPPED);
    assert.deepEqual(result.problems, []);
    const addressless = bundle.sources.filter((s) => s.url === undefined).map((s) => s.id);
    assert.deepEqual(
      result.warnings.map((w) => w.message),
      addressless.map(
        (id) => `source "${id}" has no address (url): a reader cannot check it; add one where it is online`,
      ),
    );
    assert.ok(result.warnings.every((w) => w.where === 'sources.yaml' && typeof w.line === 'number'));
  });

  it('warns, at its line, on a source whose address is removed, and still accepts the bundle', () => {
    const dir = copyOfShipped();
    edit(dir, 'sources.yaml', /\n {2}url: https:\/\/www\.pbc\.gov\.cn\/tiaofasi\/[^\n]+/, '');
    const result = validateBundle(dir);
    assert.ok(result.bundle, 'a warning does not refuse the bundle');
    const w = result.warnings.find((x) => x.message.startsWith('source "pbc-2026-virtual-currency-notice"'));
    assert.ok(w, result.warnings.map(formatProblem).join('\n'));
    const lines = fs.readFileSync(path.join(dir, 'sources.yaml'), 'utf8').split('\n');
    assert.equal(lines[(w.line ?? 0) - 1]?.trim(), '- id: pbc-2026-virtual-currency-notice');
  });

  it('warns on a plan whose title names a period that no event ends, and stops once it is expired', () => {
    const rel = 'instruments/cn-bj-ai-compute-voucher-plan-2023-2025.yaml';
    const dir = copyOfShipped();
    edit(dir, rel, /\n {2}- type: expired\n[\s\S]*$/, '\n');
    const result = validateBundle(dir);
    assert.ok(result.bundle);
    const w = result.warnings.filter((x) => x.where === rel);
    assert.equal(w.length, 1, result.warnings.map(formatProblem).join('\n'));
    assert.match(w[0]?.message ?? '', /names a period \(2023–2025\) but no event ends it: add an expired event/);
    // A Chinese-only title with a period (and a hyphen) is caught too; an edition year is not a period.
    const zh = copyOfShipped();
    edit(zh, rel, /\n {2}- type: expired\n[\s\S]*$/, '\n');
    edit(
      zh,
      rel,
      /en: Implementation Plan for AI Compute Vouchers \(2023–2025\)/,
      'en: Implementation Plan for AI Compute Vouchers',
    );
    edit(zh, rel, /en: Beijing compute voucher plan/, 'en: Beijing vouchers');
    edit(zh, rel, /zh: 人工智能算力券实施方案（2023—2025年）/, 'zh: 人工智能算力券实施方案（2023-2025年）');
    assert.match(validateBundle(zh).warnings.find((x) => x.where === rel)?.message ?? '', /period \(2023–2025\)/);
    assert.ok(!validateBundle(SHIPPED).warnings.some((x) => /names a period/.test(x.message)));
  });
});
