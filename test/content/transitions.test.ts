// Statuses on both sides of every transition of every chapter's instruments, through the API on a database holding the
// shipped bundle: for each dated lifecycle event, the status as of the day before, the day of and the day after.
//
// The expectations are written out by hand from content/FACTS.md (not computed by the status function), so a wrong
// date in an instrument file, a wrong rule in domain/status.ts or an event missing from FACTS.md fails here. Each row
// is [date as written in FACTS.md, before, on, after]; `null` is "did not exist yet". The day of a date of month
// precision is the last day of the month; of year precision the last day of the year, except for an `expired` event,
// whose year names the last period of validity (it counts from 1 January of the next year) — docs/CONTENT.md.
// A disputed date has a row for each claim (the preferred one decides the status).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { validateBundle } from '../../src/content/validate.ts';
import type { Bundle, Status } from '../../src/domain/types.ts';
import { formatProblem } from '../../src/errors.ts';
import { SHIPPED } from '../support/bundles.ts';
import { databaseKinds } from '../support/databases.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

type S = Status | null;
type Row = readonly [date: string, before: S, on: S, after: S];

/** Expected statuses per instrument, from content/FACTS.md. */
const EXPECTED: Readonly<Record<string, readonly Row[]>> = {
  // AI as a digital asset
  'cn-2025-global-ai-governance-action-plan': [['2025-07-26', null, 'issued', 'issued']],
  'cn-bj-2023-general-ai-measures': [
    ['2023-05-23', null, 'issued', 'issued'],
    ['2023-05-30', 'issued', 'issued', 'issued'],
  ],
  'cn-bj-ai-compute-voucher-plan-2023-2025': [
    ['2023-10', null, 'issued', 'issued'], // counts from 2023-10-31
    ['2025', 'issued', 'expired', 'expired'], // expired from 2026-01-01
  ],
  'cn-cac-2021-algorithmic-recommendation-provisions': [
    ['2021-08-27', null, 'draft', 'draft'],
    ['2021-09-26', 'draft', 'draft', 'draft'], // comment deadline
    ['2021-12-31', 'draft', 'adopted', 'adopted'],
    ['2022-01', 'adopted', 'adopted', 'adopted'],
    ['2022-03-01', 'adopted', 'in_force', 'in_force'],
  ],
  'cn-cac-2022-deep-synthesis-provisions': [
    ['2022-11-03', null, 'adopted', 'adopted'],
    ['2022-11-25', 'adopted', 'adopted', 'adopted'],
    ['2022-12-11', 'adopted', 'adopted', 'adopted'],
    ['2023-01-10', 'adopted', 'in_force', 'in_force'],
  ],
  'cn-cac-2023-generative-ai-measures': [
    ['2023-05-23', null, 'adopted', 'adopted'],
    ['2023-07-10', 'adopted', 'adopted', 'adopted'],
    ['2023-07-13', 'adopted', 'adopted', 'adopted'],
    ['2023-08-15', 'adopted', 'in_force', 'in_force'],
  ],
  'cn-cac-2023-global-ai-governance-initiative': [['2023-10-18', null, 'issued', 'issued']],
  'cn-cac-2025-ai-content-labelling-measures': [
    ['2025-03-14', null, 'adopted', 'adopted'],
    ['2025-09-01', 'adopted', 'in_force', 'in_force'],
  ],
  'cn-gb-45438-2025-ai-content-labelling-method': [
    ['2025-02-28', null, 'adopted', 'adopted'],
    ['2025-09-01', 'adopted', 'in_force', 'in_force'],
  ],
  'cn-gb-t-45654-2025-generative-ai-service-security': [
    ['2024-05-23', null, 'draft', 'draft'],
    ['2024-07-22', 'draft', 'draft', 'draft'],
    ['2025-04-25', 'draft', 'issued', 'issued'],
    ['2025-11-01', 'issued', 'issued', 'issued'],
  ],
  'cn-gd-shenzhen-2024-ai-pioneer-city-measures': [
    ['2024-08-14', null, 'draft', 'draft'],
    ['2024-09-16', 'draft', 'draft', 'draft'], // comment deadline
    ['2024-12-18', 'draft', 'issued', 'issued'], // signed, published, effective ("现印发实施")
    ['2026-12-18', 'issued', 'expired', 'expired'], // two years of validity (computed, day precision)
  ],
  'cn-gd-shenzhen-ai-industry-regulations': [
    ['2021-07-14', null, 'draft', 'draft'],
    ['2021-07-30', 'draft', 'draft', 'draft'],
    ['2022-08-30', 'draft', 'adopted', 'adopted'],
    ['2022-09-05', 'adopted', 'adopted', 'adopted'], // announced, preferred claim
    ['2022-09-06', 'adopted', 'adopted', 'adopted'], // announced, the seed's claim
    ['2022-11-01', 'adopted', 'in_force', 'in_force'],
  ],
  'cn-mof-2023-data-resources-accounting-provisions': [
    ['2022-12-09', null, 'draft', 'draft'],
    ['2023-08-01', 'draft', 'adopted', 'adopted'],
    ['2023-08-21', 'adopted', 'adopted', 'adopted'],
    ['2024-01-01', 'adopted', 'in_force', 'in_force'],
  ],
  'cn-most-2022-demonstration-scenarios-notice': [['2022-08-15', null, 'issued', 'issued']],
  'cn-most-2022-scene-innovation-guidance': [['2022-08-12', null, 'issued', 'issued']],
  'cn-most-2023-ethics-review-measures': [
    ['2023-04-04', null, 'draft', 'draft'],
    ['2023-05-03', 'draft', 'draft', 'draft'], // comment deadline
    ['2023-09-07', 'draft', 'adopted', 'adopted'],
    ['2023-10-08', 'adopted', 'adopted', 'adopted'],
    ['2023-12-01', 'adopted', 'in_force', 'in_force'],
  ],
  'cn-npcsc-2025-cybersecurity-law-amendment': [
    ['2025-10-28', null, 'adopted', 'adopted'],
    ['2026-01-01', 'adopted', 'in_force', 'in_force'],
  ],
  'cn-sh-2025-ai-applications-measures': [
    ['2025-07-28', null, 'issued', 'issued'],
    ['2025-07-29', 'issued', 'issued', 'issued'],
  ],
  'cn-sh-ai-industry-regulations': [
    ['2022-08-30', null, 'draft', 'draft'],
    ['2022-09-13', 'draft', 'draft', 'draft'],
    ['2022-09-22', 'draft', 'adopted', 'adopted'],
    ['2022-10-01', 'adopted', 'in_force', 'in_force'],
  ],
  // Its publication date is unknown (null): only the signing is a transition.
  'cn-state-council-2017-new-generation-ai-plan': [['2017-07-08', null, 'issued', 'issued']],
  'cn-state-council-2025-ai-plus-opinions': [
    ['2025-08-21', null, null, null], // published, the claim not preferred: not yet issued on this reading
    ['2025-08-26', null, 'issued', 'issued'], // published, preferred claim
  ],
  'cn-tc260-003-generative-ai-security-requirements': [
    ['2023-10-11', null, 'draft', 'draft'],
    ['2024-02-29', 'draft', 'issued', 'issued'],
    ['2025-11-01', 'issued', 'superseded', 'superseded'],
  ],
  'cn-tc260-ai-safety-governance-framework': [
    ['2024-09-09', null, 'issued', 'issued'],
    ['2025-09-15', 'issued', 'issued', 'issued'],
  ],
  'cn-zj-hangzhou-2025-ai-innovation-highland-plan': [
    ['2025-06-13', null, 'issued', 'issued'],
    ['2025-06-20', 'issued', 'issued', 'issued'],
  ],
  // Crypto assets
  'cn-pboc-2021-virtual-currency-notice': [
    ['2021-09-15', null, 'in_force', 'in_force'], // issued and in force on issue
    ['2021-09-24', 'in_force', 'in_force', 'in_force'],
    ['2026-02-06', 'in_force', 'repealed', 'repealed'],
  ],
  'cn-pboc-2026-virtual-currency-notice': [['2026-02-06', null, 'in_force', 'in_force']],
  'cn-pboc-2013-bitcoin-risk-notice': [['2013-12-05', null, 'adopted', 'adopted']], // no date of effect in the sources
  'cn-pboc-2017-token-offering-announcement': [['2017-09-04', null, 'in_force', 'in_force']], // stop from publication
  // Data as a key digital asset
  'cn-2022-data-twenty-articles': [
    ['2022-12-02', null, 'issued', 'issued'],
    ['2022-12-19', 'issued', 'issued', 'issued'],
  ],
  'cn-nda-2023-data-elements-x-action-plan-2024-2026': [
    ['2023-12-15', null, 'draft', 'draft'],
    ['2023-12-31', 'draft', 'issued', 'issued'],
    ['2024-01-05', 'issued', 'issued', 'issued'],
    ['2026', 'issued', 'expired', 'expired'], // expired from 2027-01-01
  ],
  'cn-2024-public-data-resources-opinions': [
    ['2024-09-21', null, 'issued', 'issued'],
    ['2024-10-09', 'issued', 'issued', 'issued'],
  ],
  // Digital identity and trust services
  'cn-mps-2025-online-identity-authentication-measures': [
    ['2025-02-27', null, 'adopted', 'adopted'],
    ['2025-05-19', 'adopted', 'adopted', 'adopted'],
    ['2025-05-23', 'adopted', 'adopted', 'adopted'],
    ['2025-07-15', 'adopted', 'in_force', 'in_force'],
  ],
  'cn-npcsc-2004-electronic-signature-law': [
    ['2004-08-28', null, 'adopted', 'adopted'],
    ['2005-04-01', 'adopted', 'in_force', 'in_force'],
    ['2015-04-24', 'in_force', 'in_force', 'in_force'],
    ['2019-04-23', 'in_force', 'in_force', 'in_force'],
  ],
  'cn-npcsc-2019-cryptography-law': [
    ['2019-10-26', null, 'adopted', 'adopted'],
    ['2020-01-01', 'adopted', 'in_force', 'in_force'],
  ],
  'cn-miit-2009-electronic-certification-service-measures': [
    ['2009-02-18', null, 'adopted', 'adopted'],
    ['2009-03-31', 'adopted', 'in_force', 'in_force'],
    ['2015-04-29', 'in_force', 'in_force', 'in_force'],
  ],
  // Privacy & data protection
  'cn-npcsc-2021-personal-information-protection-law': [
    ['2021-08-20', null, 'adopted', 'adopted'],
    ['2021-11-01', 'adopted', 'in_force', 'in_force'],
  ],
  'cn-npcsc-2016-cybersecurity-law': [
    ['2016-11-07', null, 'adopted', 'adopted'],
    ['2017-06-01', 'adopted', 'in_force', 'in_force'],
    ['2025-10-28', 'in_force', 'in_force', 'in_force'], // amended; the amendment is in force from 2026-01-01
  ],
  'cn-npcsc-2021-data-security-law': [
    ['2020-07-03', null, 'draft', 'draft'],
    ['2020-08-16', 'draft', 'draft', 'draft'],
    ['2021-06-10', 'draft', 'adopted', 'adopted'],
    ['2021-09-01', 'adopted', 'in_force', 'in_force'],
  ],
  'cn-state-council-2024-network-data-security-regulations': [
    ['2024-09-24', null, 'adopted', 'adopted'],
    ['2025-01-01', 'adopted', 'in_force', 'in_force'],
  ],
  'cn-cac-2022-outbound-data-security-assessment-measures': [
    ['2022-05-19', null, 'adopted', 'adopted'],
    ['2022-07-07', 'adopted', 'adopted', 'adopted'],
    ['2022-09-01', 'adopted', 'in_force', 'in_force'],
  ],
  'cn-cac-2023-personal-information-standard-contract-measures': [
    ['2023-02-22', null, 'adopted', 'adopted'],
    ['2023-06-01', 'adopted', 'in_force', 'in_force'],
  ],
  'cn-cac-2024-cross-border-data-flow-provisions': [
    ['2023-09-28', null, 'draft', 'draft'],
    ['2023-10-15', 'draft', 'draft', 'draft'], // comment deadline
    ['2024-03-22', 'draft', 'in_force', 'in_force'], // published and in force the same day
  ],
  'cn-cac-2025-personal-information-outbound-certification-measures': [
    ['2025-07-21', null, 'adopted', 'adopted'],
    ['2025-10-14', 'adopted', 'adopted', 'adopted'],
    ['2025-10', 'adopted', 'adopted', 'adopted'], // published in October 2025: counts from 2025-10-31
    ['2026-01-01', 'adopted', 'in_force', 'in_force'],
  ],
};

/** The instruments each chapter's current articles link to, as this test expects them (a changed article fails). */
const CHAPTERS: Readonly<Record<string, readonly string[]>> = {
  'data-as-a-key-digital-asset': [
    'cn-2022-data-twenty-articles',
    'cn-mof-2023-data-resources-accounting-provisions',
    'cn-nda-2023-data-elements-x-action-plan-2024-2026',
    'cn-2024-public-data-resources-opinions',
  ],
  'crypto-assets': [
    'cn-pboc-2013-bitcoin-risk-notice',
    'cn-pboc-2017-token-offering-announcement',
    'cn-pboc-2021-virtual-currency-notice',
    'cn-pboc-2026-virtual-currency-notice',
  ],
  'ai-as-a-digital-asset': [
    'cn-2025-global-ai-governance-action-plan',
    'cn-bj-2023-general-ai-measures',
    'cn-bj-ai-compute-voucher-plan-2023-2025',
    'cn-cac-2021-algorithmic-recommendation-provisions',
    'cn-cac-2022-deep-synthesis-provisions',
    'cn-cac-2023-generative-ai-measures',
    'cn-cac-2023-global-ai-governance-initiative',
    'cn-cac-2025-ai-content-labelling-measures',
    'cn-gb-45438-2025-ai-content-labelling-method',
    'cn-gb-t-45654-2025-generative-ai-service-security',
    'cn-gd-shenzhen-2024-ai-pioneer-city-measures',
    'cn-gd-shenzhen-ai-industry-regulations',
    'cn-mof-2023-data-resources-accounting-provisions',
    'cn-most-2022-demonstration-scenarios-notice',
    'cn-most-2022-scene-innovation-guidance',
    'cn-most-2023-ethics-review-measures',
    'cn-npcsc-2025-cybersecurity-law-amendment',
    'cn-sh-2025-ai-applications-measures',
    'cn-sh-ai-industry-regulations',
    'cn-state-council-2017-new-generation-ai-plan',
    'cn-state-council-2025-ai-plus-opinions',
    'cn-tc260-003-generative-ai-security-requirements',
    'cn-tc260-ai-safety-governance-framework',
    'cn-zj-hangzhou-2025-ai-innovation-highland-plan',
  ],
  'privacy-and-data-protection': [
    'cn-npcsc-2016-cybersecurity-law',
    'cn-npcsc-2021-data-security-law',
    'cn-npcsc-2021-personal-information-protection-law',
    'cn-npcsc-2025-cybersecurity-law-amendment',
    'cn-state-council-2024-network-data-security-regulations',
    'cn-cac-2022-outbound-data-security-assessment-measures',
    'cn-cac-2023-personal-information-standard-contract-measures',
    'cn-cac-2024-cross-border-data-flow-provisions',
    'cn-cac-2025-personal-information-outbound-certification-measures',
  ],
  'digital-identity-and-trust-services': [
    'cn-mps-2025-online-identity-authentication-measures',
    'cn-npcsc-2004-electronic-signature-law',
    'cn-npcsc-2019-cryptography-law',
    'cn-miit-2009-electronic-certification-service-measures',
  ],
};

// Day arithmetic written here (not imported), so that the days tested do not depend on the code under test.
const utc = (day: string): number => Date.parse(`${day}T00:00:00Z`);
const shift = (day: string, by: number): string => new Date(utc(day) + by * 86_400_000).toISOString().slice(0, 10);

/** The first day on which an event of this date counts (docs/CONTENT.md, "Dates"). */
function transitionDay(date: string, expired: boolean): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(date)) return date;
  if (/^\d{4}-\d{2}$/.test(date)) {
    const [y, m] = date.split('-').map(Number) as [number, number];
    const last = new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
    return expired ? shift(last, 1) : last;
  }
  assert.match(date, /^\d{4}$/);
  return expired ? `${Number(date) + 1}-01-01` : `${date}-12-31`;
}

function shipped(): Bundle {
  const result = validateBundle(SHIPPED);
  assert.ok(result.bundle, result.problems.map(formatProblem).join('\n'));
  return result.bundle;
}
const bundle = shipped();

/** Every date an instrument's events give (each claim of a disputed one), with whether an `expired` event gives it. */
function datesOf(id: string): Map<string, boolean> {
  const inst = bundle.instruments.find((i) => i.id === id);
  assert.ok(inst, `no instrument ${id}`);
  const out = new Map<string, boolean>();
  for (const e of inst.events) {
    const dates = e.claims ? e.claims.map((c) => c.date) : e.date ? [e.date] : [];
    for (const d of dates) out.set(d, (out.get(d) ?? false) || e.type === 'expired');
  }
  return out;
}

/** The instruments the current revision of each chapter's articles links to. */
function linkedByChapter(): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>(bundle.chapters.map((c) => [c.code, new Set<string>()]));
  for (const article of bundle.articles) {
    const revisions = bundle.revisions.filter((r) => r.article === article.id);
    const latest = revisions
      .map((r) => r.accurate_up_to)
      .sort()
      .at(-1);
    for (const r of revisions.filter((x) => x.accurate_up_to === latest)) {
      for (const m of r.body.matchAll(/\(instrument:([a-z0-9-]+)\)/g)) out.get(article.chapter)?.add(m[1] ?? '');
    }
  }
  return out;
}

/** The day content/FACTS.md gives statuses for. */
const FACTS_DAY = '2026-12-01';

describe('the table of transitions', () => {
  it('names, for every chapter, exactly the instruments its current articles link to', () => {
    const linked = linkedByChapter();
    assert.deepEqual([...linked.keys()].sort(), Object.keys(CHAPTERS).sort());
    for (const [chapter, ids] of linked) {
      assert.deepEqual([...ids].sort(), [...(CHAPTERS[chapter] ?? [])].sort(), chapter);
      assert.ok(ids.size > 0, `${chapter} links to no instrument`);
    }
    const inChapters = new Set(Object.values(CHAPTERS).flat());
    assert.deepEqual([...inChapters].sort(), Object.keys(EXPECTED).sort(), 'every chapter instrument has rows');
  });

  it('has a row for every dated event of every instrument, and for nothing else', () => {
    for (const [id, rows] of Object.entries(EXPECTED)) {
      assert.deepEqual(rows.map((r) => r[0]).sort(), [...datesOf(id).keys()].sort(), id);
    }
  });

  it('agrees with the status on 2026-12-01 that content/FACTS.md gives', () => {
    const facts = fs.readFileSync(path.join(SHIPPED, 'FACTS.md'), 'utf8');
    for (const [id, rows] of Object.entries(EXPECTED)) {
      const line = facts.split('\n').find((l) => l.includes(`<br>\`${id}\``));
      assert.ok(line, `${id} is not in FACTS.md`);
      const status = line.split('|')[5]?.trim();
      // Only transitions on or before that day count: a plan's period may end later (its expiry is still to come).
      const last = rows
        .map((r) => [transitionDay(r[0], datesOf(id).get(r[0]) ?? false), r] as const)
        .filter(([day]) => day <= FACTS_DAY)
        .sort(([a], [b]) => a.localeCompare(b))
        .at(-1);
      const expected = last === undefined ? 'none' : last[0] === FACTS_DAY ? last[1][2] : last[1][3];
      assert.equal(status, expected, id);
    }
  });
});

for (const kind of await databaseKinds()) {
  describe(`statuses around every transition, through the API on ${kind.name}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(kind);
    });
    after(() => server.close());

    const statusOn = async (id: string, day: string): Promise<S> => {
      const res = await fetch(`${server.url}/api/v1/instruments/${id}?as_of=${day}`);
      assert.equal(res.status, 200, `${id} ${day}`);
      return ((await res.json()) as { instrument: { status: S } }).instrument.status;
    };

    for (const [chapter, ids] of Object.entries(CHAPTERS)) {
      it(`gives the expected statuses the day before, of and after each event: ${chapter}`, async () => {
        for (const id of ids) {
          const expired = datesOf(id);
          for (const [date, was, on, next] of EXPECTED[id] ?? []) {
            const day = transitionDay(date, expired.get(date) ?? false);
            const got = await Promise.all([shift(day, -1), day, shift(day, 1)].map((d) => statusOn(id, d)));
            assert.deepEqual(
              got,
              [was, on, next],
              `${id} around ${date} (${shift(day, -1)}, ${day}, ${shift(day, 1)})`,
            );
          }
        }
      });
    }
  });
}
