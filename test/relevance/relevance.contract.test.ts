// The relevance check with the shipped content, on PGlite and PostgreSQL: golden cases, dates, stored profiles and
// the eligibility changes that push matching records.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { importBundle } from '../../src/content/import.ts';
import { HorizonError } from '../../src/errors.ts';
import { refreshEligibility } from '../../src/relevance/eligibility.ts';
import { checkProfile } from '../../src/relevance/relevance.service.ts';
import { createProfile } from '../../src/store/profiles.store.ts';
import type { Database } from '../../src/store/database.ts';
import { SHIPPED, copyOfShipped, edit } from '../support/bundles.ts';
import { databaseKinds } from '../support/databases.ts';

const ACCESS = 'cn-gd-shenzhen-innovative-product-access';
const product = { riskLevel: 'low', hasNationalOrLocalStandard: false, meetsInternationalStandard: true };

for (const kind of await databaseKinds()) {
  describe(`relevance check on ${kind.name}`, () => {
    let db: Database;
    before(async () => {
      db = await kind.open();
      await importBundle(db, SHIPPED);
    });
    after(() => db.close());

    const result = async (profile: unknown, id: string, asOf = '2026-11-29') => {
      const r = await checkProfile(db, profile, asOf);
      const found = r.results.find((x) => x.id === id);
      assert.ok(found, `no result for ${id}`);
      return found;
    };

    it('finds a low-risk Shenzhen product without a standard that meets an international one eligible for the access pilot', async () => {
      const r = await result({ jurisdictions: ['cn-gd-shenzhen'], product }, ACCESS);
      assert.equal(r.outcome, 'applies');
      assert.equal(r.kind, 'pilot');
      assert.ok(r.conditions.every((c) => c.result === 'applies'));
      const where = r.conditions.find((c) => c.fact === 'jurisdictions');
      assert.deepEqual(where?.actual, ['cn-gd-shenzhen']);
      assert.equal(r.instrument.id, 'cn-gd-shenzhen-ai-industry-regulations');
    });

    it('does not apply the same product in Shanghai, a near miss on where it operates', async () => {
      const r = await result({ jurisdictions: ['cn-sh'], product }, ACCESS);
      assert.equal(r.outcome, 'does_not_apply');
      assert.equal(r.near_miss?.fact, 'jurisdictions');
    });

    it('is unknown with the risk level missing, and asks for the risk level', async () => {
      const r = await result(
        { jurisdictions: ['cn-gd-shenzhen'], product: { ...product, riskLevel: undefined } },
        ACCESS,
      );
      assert.equal(r.outcome, 'unknown');
      assert.deepEqual(r.missing, ['product.riskLevel']);
    });

    it('does not apply before the regulations take effect on 1 Nov 2022', async () => {
      const early = await result({ jurisdictions: ['cn-gd-shenzhen'], product }, ACCESS, '2022-10-31');
      assert.equal(early.outcome, 'does_not_apply');
      assert.equal(early.in_effect, false);
      assert.equal(early.instrument.status, 'adopted');
      assert.equal(
        (await result({ jurisdictions: ['cn-gd-shenzhen'], product }, ACCESS, '2022-11-01')).outcome,
        'applies',
      );
    });

    it('matches national programmes for local enterprises and keeps local vouchers to their own city', async () => {
      const profile = { jurisdictions: ['cn-zj-hangzhou'], activities: ['develops-ai'], scenarios: ['smart-port'] };
      assert.equal((await result(profile, 'cn-most-2022-demonstration-scenario-smart-port')).outcome, 'applies');
      assert.equal((await result(profile, 'cn-zj-hangzhou-ai-compute-vouchers')).outcome, 'applies');
      assert.equal((await result(profile, 'cn-sh-ai-compute-model-corpus-vouchers')).outcome, 'does_not_apply');
      assert.equal((await result(profile, 'cn-most-2022-demonstration-scenario-smart-farm')).outcome, 'does_not_apply');
    });

    it('keeps the Beijing compute vouchers to the fields the plan lists', async () => {
      const vouchers = 'cn-bj-ai-compute-vouchers';
      const developer = { jurisdictions: ['cn-bj'], activities: ['develops-ai'] };
      assert.equal((await result({ ...developer, sectors: ['finance'] }, vouchers, '2025-06-30')).outcome, 'applies');
      const commerce = await result({ ...developer, sectors: ['commerce'] }, vouchers, '2025-06-30');
      assert.equal(commerce.outcome, 'does_not_apply', 'commerce is not among the plan’s fields');
      assert.equal(commerce.near_miss?.fact, 'sectors');
      const unsaid = await result(developer, vouchers, '2025-06-30');
      assert.equal(unsaid.outcome, 'unknown', 'a profile that does not give its field may be covered');
      assert.deepEqual(unsaid.missing, ['sectors']);
      const researcher = { jurisdictions: ['cn-bj'], activities: ['conducts-ai-research'], sectors: ['finance'] };
      assert.equal(
        (await result(researcher, vouchers, '2025-06-30')).outcome,
        'does_not_apply',
        'training or applying models',
      );
    });

    it('stops applying the Beijing compute vouchers once the 2023–2025 plan has expired', async () => {
      const bj = { jurisdictions: ['cn-bj'], activities: ['develops-ai'], sectors: ['manufacturing'] };
      const vouchers = 'cn-bj-ai-compute-vouchers';
      const during = await result(bj, vouchers, '2025-06-30');
      assert.equal(during.outcome, 'applies');
      assert.equal(during.instrument.status, 'issued');
      const lastDay = await result(bj, vouchers, '2025-12-31');
      assert.equal(lastDay.outcome, 'applies', 'the last day of the period');
      for (const asOf of ['2026-01-01', '2026-01-02', '2026-12-01']) {
        const after = await result(bj, vouchers, asOf);
        assert.equal(after.instrument.status, 'expired', asOf);
        assert.equal(after.in_effect, false, asOf);
        assert.equal(after.outcome, 'does_not_apply', asOf);
        assert.equal(after.near_miss, undefined, 'no near miss: nothing the enterprise could change');
      }
      // Shanghai's vouchers, whose measures name no period, still apply to a Shanghai developer.
      const sh = await result(
        { jurisdictions: ['cn-sh'], activities: ['develops-ai'] },
        'cn-sh-ai-compute-model-corpus-vouchers',
        '2026-12-01',
      );
      assert.equal(sh.outcome, 'applies');
      // Shenzhen's measures apply from 18 Dec 2024 for two years.
      const sz = { jurisdictions: ['cn-gd-shenzhen'], activities: ['develops-ai'] };
      const szVouchers = 'cn-gd-shenzhen-ai-compute-corpus-vouchers';
      assert.equal((await result(sz, szVouchers, '2026-12-17')).outcome, 'applies');
      const ended = await result(sz, szVouchers, '2026-12-18');
      assert.equal(ended.instrument.status, 'expired');
      assert.equal(ended.outcome, 'does_not_apply');
    });

    it('reads obligations by activity: providers of public generative AI services', async () => {
      const provider = { jurisdictions: ['cn-bj'], activities: ['provides-public-generative-ai-service'] };
      assert.equal((await result(provider, 'cn-cac-2023-generative-ai-service-providers')).outcome, 'applies');
      assert.equal((await result(provider, 'cn-cac-2025-ai-content-labelling')).outcome, 'applies');
      assert.equal(
        (await result(provider, 'cn-cac-2025-ai-content-labelling', '2025-08-31')).outcome,
        'does_not_apply',
        'the labelling measures take effect on 1 Sep 2025',
      );
    });

    it('binds the platforms the labelling measures name, not only the providers of synthetic content', async () => {
      const labelling = 'cn-cac-2025-ai-content-labelling';
      for (const activity of ['provides-content-dissemination-service', 'operates-app-distribution-platform']) {
        const platform = { jurisdictions: ['cn-sh'], activities: [activity] };
        assert.equal((await result(platform, labelling)).outcome, 'applies', activity);
        assert.equal((await result(platform, labelling, '2025-08-31')).outcome, 'does_not_apply', activity);
      }
      assert.equal(
        (await result({ jurisdictions: ['cn-sh'], activities: ['applies-ai'] }, labelling)).outcome,
        'does_not_apply',
        'an enterprise that only applies AI is not named',
      );
    });

    it('refuses a profile that is not profile v1, naming each field', async () => {
      await assert.rejects(
        checkProfile(db, { jurisdictions: ['cn-xx'], product: { riskLevel: 'extreme' }, employees: 3 }, '2026-11-29'),
        (e: unknown) => {
          assert.ok(e instanceof HorizonError && e.code === 'invalid_profile');
          const where = e.problems.map((p) => p.where).sort();
          assert.deepEqual(where, ['employees', 'jurisdictions.0', 'product.riskLevel']);
          return true;
        },
      );
    });

    it('records which stored profiles became or stopped being eligible, on dates and on programme changes', async () => {
      const sz = await createProfile(db, { jurisdictions: ['cn-gd-shenzhen'], product } as never);
      const sh = await createProfile(db, { jurisdictions: ['cn-sh'], activities: ['develops-ai'] });
      const first = await refreshEligibility(db, '2022-10-31', { silent: true });
      assert.equal(first.profiles >= 2, true);
      const onEffect = await refreshEligibility(db, '2022-11-01');
      assert.ok(
        onEffect.became.some((c) => c.profile === sz.id && c.programme === ACCESS),
        'in force from 1 Nov 2022',
      );
      const again = await refreshEligibility(db, '2022-11-01');
      assert.deepEqual([again.became, again.stopped, again.other], [[], [], []], 'nothing changes twice');

      // A programme change: Shanghai's vouchers now require conducting research, which the Shanghai profile does not.
      await refreshEligibility(db, '2026-11-29');
      const dir = copyOfShipped();
      edit(dir, 'programmes/cn-sh-ai-compute-model-corpus-vouchers.yaml', /- develops-ai\n\s+- applies-ai\n/, '');
      await importBundle(db, dir);
      const changed = await refreshEligibility(db, '2026-11-29');
      assert.ok(
        changed.stopped.some((c) => c.profile === sh.id && c.programme === 'cn-sh-ai-compute-model-corpus-vouchers'),
      );
      const rows = await db.query<{ n: number }>(
        'SELECT count(*) AS n FROM eligibility_changes WHERE profile_id = $1',
        [sh.id],
      );
      assert.ok((rows[0]?.n ?? 0) >= 1);
      await importBundle(db, SHIPPED);
    });
  });
}
