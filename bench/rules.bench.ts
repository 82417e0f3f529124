// Rules engine benchmark: evaluations per second against json-rules-engine, json-logic-js, CEL and hand-written
// closures on the same rules and profiles (verdicts cross-checked), bulk matching of 1,000,000 stored profiles through
// ProfileIndex, and one changed profile re-checked against every programme rule.

import { compile } from '../src/rules/compile.ts';
import type { CompiledRule } from '../src/rules/compile.ts';
import { DEFAULT_CONTEXT } from '../src/rules/context.ts';
import type { PreparedProfile } from '../src/rules/context.ts';
import { TRUE } from '../src/rules/evaluate.ts';
import { explain } from '../src/rules/explain.ts';
import type { Profile } from '../src/rules/facts.ts';
import { ProfileIndex, matchProfile } from '../src/rules/index.ts';
import { interpret } from '../src/rules/interpret.ts';
import { seeded } from '../src/rules/prng.ts';
import { fixed, heapMiB, median, now, printTable, rate, rateAsync, ratio, sci, settle } from './harness.ts';
import { HAND_WRITTEN, applyJsonLogic, flatFacts, toCel, toJsonLogic, toJsonRulesEngine } from './rules.anchors.ts';
import type { Complete } from './rules.anchors.ts';
import { RULES, manyRules, syntheticProfile } from './rules.fixtures.ts';

const PROFILES = 2000;
const STORED = 1_000_000;

const loud = (message: string): void => {
  console.error(`\n${'!'.repeat(100)}\n!!! ${message}\n${'!'.repeat(100)}\n`);
  process.exitCode = 1;
};
const goal = (ok: boolean): string => (ok ? 'met' : 'MISSED');

export async function run(): Promise<void> {
  const started = now();
  const ctx = DEFAULT_CONTEXT;
  const compiled = RULES.map((r) => compile(r, ctx));
  const rng = seeded(20220815);
  const complete = Array.from({ length: PROFILES }, (_, i) => syntheticProfile(rng, i));
  const partial = Array.from({ length: PROFILES }, (_, i) => syntheticProfile(rng, i, 0.25));
  const prepared = complete.map((p) => ctx.prepare(p));
  const preparedPartial = partial.map((p) => ctx.prepare(p));
  // Every engine gets its input ready-made: jurisdictions with their ancestors, as ours has after prepare().
  const jurisdictionSlot = ctx.slotOf('jurisdictions');
  const expanded = complete.map((p, i) => ({
    ...p,
    jurisdictions: ctx.decode('jurisdictions', prepared[i]?.[jurisdictionSlot]) as string[],
  }));
  const flat = expanded.map(flatFacts);
  const celInput = expanded.map((p) => ({ p }));
  const logic = RULES.map(toJsonLogic);
  const cel = RULES.map(toCel);
  const jre = RULES.map(toJsonRulesEngine);
  console.log(`${RULES.length} rules, ${PROFILES} complete and ${PROFILES} partial synthetic profiles (seeded)`);

  // 1. Verdicts: every engine must agree with ours on complete profiles; ours with the reference on partial ones.
  const disagreements = { 'json-rules-engine': 0, 'json-logic-js': 0, 'cel-js': 0, 'hand-written': 0, reference: 0 };
  const applyShare: number[] = [];
  for (let r = 0; r < RULES.length; r++) {
    const rule = RULES[r] as (typeof RULES)[number];
    const c = compiled[r] as CompiledRule;
    const hand = HAND_WRITTEN[rule.id ?? ''];
    let applies = 0;
    for (let i = 0; i < PROFILES; i++) {
      const ours = c.evaluate(prepared[i] as PreparedProfile) === TRUE;
      if (ours) applies++;
      if (applyJsonLogic(logic[r] as never, expanded[i]) !== ours) disagreements['json-logic-js']++;
      if (cel[r]?.run(celInput[i] as { p: unknown }) !== ours) disagreements['cel-js']++;
      if (hand !== undefined && hand(expanded[i] as unknown as Complete) !== ours) disagreements['hand-written']++;
      if (
        i < 400 &&
        (await (jre[r] as (f: Record<string, unknown>) => Promise<boolean>)(flat[i] as Record<string, unknown>)) !==
          ours
      ) {
        disagreements['json-rules-engine']++;
      }
      if (interpret(rule, partial[i] as Profile) !== c.outcome(preparedPartial[i] as PreparedProfile))
        disagreements.reference++;
    }
    applyShare.push(applies / PROFILES);
  }
  const checked = `${RULES.length} rules × ${PROFILES} profiles (json-rules-engine: × 400)`;
  for (const [engine, n] of Object.entries(disagreements)) {
    if (n > 0) loud(`${engine} DISAGREES with the compiled engine on ${n} verdicts (${checked})`);
  }
  if (Object.values(disagreements).every((n) => n === 0))
    console.log(`verdicts: all engines agree on ${checked}; compiled = reference on partial profiles`);
  console.log(
    `share of complete profiles each rule applies to: min ${fixed(100 * Math.min(...applyShare))}%, median ${fixed(100 * median(applyShare))}%, max ${fixed(100 * Math.max(...applyShare))}%`,
  );

  // 2. Throughput: every rule on every profile, per engine.
  settle();
  const ours = rate(() => {
    let acc = 0;
    for (let r = 0; r < compiled.length; r++) {
      const c = compiled[r] as CompiledRule;
      for (let i = 0; i < PROFILES; i++) acc += c.evaluate(prepared[i] as PreparedProfile);
    }
    return acc;
  }, RULES.length * PROFILES);
  const oursPartial = rate(() => {
    let acc = 0;
    for (let r = 0; r < compiled.length; r++) {
      const c = compiled[r] as CompiledRule;
      for (let i = 0; i < PROFILES; i++) acc += c.evaluate(preparedPartial[i] as PreparedProfile);
    }
    return acc;
  }, RULES.length * PROFILES);
  const traced = rate(() => {
    let acc = 0;
    for (let r = 0; r < compiled.length; r++) {
      const c = compiled[r] as CompiledRule;
      for (let i = 0; i < PROFILES; i++) acc += c.trace(prepared[i] as PreparedProfile);
    }
    return acc;
  }, RULES.length * PROFILES);
  const raw = rate(() => {
    let acc = 0;
    for (let r = 0; r < compiled.length; r++) {
      const c = compiled[r] as CompiledRule;
      for (let i = 0; i < 200; i++) acc += c.evaluate(complete[i] as Profile);
    }
    return acc;
  }, RULES.length * 200);
  const prepareRate = rate(() => {
    let acc = 0;
    for (let i = 0; i < PROFILES; i++) acc += ctx.prepare(complete[i] as Profile).length;
    return acc;
  }, PROFILES);
  const explainRate = rate(
    () => {
      let acc = 0;
      for (let r = 0; r < compiled.length; r++)
        for (let i = 0; i < 20; i++)
          acc += explain(compiled[r] as CompiledRule, preparedPartial[i] as PreparedProfile).missing.length;
      return acc;
    },
    RULES.length * 20,
    { samples: 3 },
  );
  const jsonLogicRate = rate(
    () => {
      let acc = 0;
      for (let r = 0; r < logic.length; r++) {
        const l = logic[r];
        for (let i = 0; i < PROFILES; i++) acc += applyJsonLogic(l as never, expanded[i]) ? 1 : 0;
      }
      return acc;
    },
    RULES.length * PROFILES,
    { samples: 3, minMs: 300 },
  );
  const celRate = rate(
    () => {
      let acc = 0;
      for (let r = 0; r < cel.length; r++) {
        const program = (cel[r] as (typeof cel)[number]).run;
        for (let i = 0; i < PROFILES; i++) acc += program(celInput[i] as { p: unknown }) ? 1 : 0;
      }
      return acc;
    },
    RULES.length * PROFILES,
    { samples: 3, minMs: 300 },
  );
  const jreRate = await rateAsync(
    async () => {
      let acc = 0;
      for (let r = 0; r < jre.length; r++) {
        const verdict = jre[r] as (f: Record<string, unknown>) => Promise<boolean>;
        for (let i = 0; i < 40; i++) acc += (await verdict(flat[i] as Record<string, unknown>)) ? 1 : 0;
      }
      return acc;
    },
    RULES.length * 40,
    { samples: 3, minMs: 400, warmupMs: 300 },
  );

  // Hand-written closures exist for a few rules: compare on exactly those.
  const handIds = Object.keys(HAND_WRITTEN);
  const subset = handIds.map((id) => compiled[RULES.findIndex((r) => r.id === id)] as CompiledRule);
  const handFns = handIds.map((id) => HAND_WRITTEN[id] as (p: Complete) => boolean);
  const completeTyped = expanded as unknown as Complete[];
  const handRate = rate(() => {
    let acc = 0;
    for (let r = 0; r < handFns.length; r++) {
      const f = handFns[r] as (p: Complete) => boolean;
      for (let i = 0; i < PROFILES; i++) acc += f(completeTyped[i] as Complete) ? 1 : 0;
    }
    return acc;
  }, handFns.length * PROFILES);
  const oursSubset = rate(() => {
    let acc = 0;
    for (let r = 0; r < subset.length; r++) {
      const c = subset[r] as CompiledRule;
      for (let i = 0; i < PROFILES; i++) acc += c.evaluate(prepared[i] as PreparedProfile);
    }
    return acc;
  }, subset.length * PROFILES);
  const tracedSubset = rate(() => {
    let acc = 0;
    for (let r = 0; r < subset.length; r++) {
      const c = subset[r] as CompiledRule;
      for (let i = 0; i < PROFILES; i++) acc += c.trace(prepared[i] as PreparedProfile);
    }
    return acc;
  }, subset.length * PROFILES);

  console.log(
    `\nEvaluations per second, one core (${RULES.length} rules × profiles; hand-written: ${handIds.length} of the rules)\n`,
  );
  printTable(
    ['engine', 'evaluations/s', 'ns/evaluation'],
    [
      ['Horizon compiled, evaluate (prepared, complete)', sci(ours.perSecond), fixed(1e9 / ours.perSecond)],
      [
        'Horizon compiled, evaluate (prepared, 25% facts missing)',
        sci(oursPartial.perSecond),
        fixed(1e9 / oursPartial.perSecond),
      ],
      ['Horizon compiled, explain-ready trace (Uint8Array)', sci(traced.perSecond), fixed(1e9 / traced.perSecond)],
      ['Horizon compiled, evaluate (raw profile, prepared each call)', sci(raw.perSecond), fixed(1e9 / raw.perSecond)],
      ['Horizon prepare (per profile)', sci(prepareRate.perSecond), fixed(1e9 / prepareRate.perSecond)],
      ['Horizon full explain (partial profiles)', sci(explainRate.perSecond), fixed(1e9 / explainRate.perSecond)],
      [`hand-written closures (${handIds.length} rules)`, sci(handRate.perSecond), fixed(1e9 / handRate.perSecond)],
      [
        `Horizon compiled, evaluate (same ${handIds.length} rules)`,
        sci(oursSubset.perSecond),
        fixed(1e9 / oursSubset.perSecond),
      ],
      [
        `Horizon compiled, trace (same ${handIds.length} rules)`,
        sci(tracedSubset.perSecond),
        fixed(1e9 / tracedSubset.perSecond),
      ],
      ['cel-js (@marcbachmann/cel-js 8.0.0)', sci(celRate.perSecond), fixed(1e9 / celRate.perSecond)],
      ['json-logic-js 2.0.5', sci(jsonLogicRate.perSecond), fixed(1e9 / jsonLogicRate.perSecond)],
      ['json-rules-engine 7.3.1', sci(jreRate.perSecond), fixed(1e9 / jreRate.perSecond)],
    ],
  );

  const vsJre = ours.perSecond / jreRate.perSecond;
  const vsLogic = ours.perSecond / jsonLogicRate.perSecond;
  const vsHand = handRate.perSecond / oursSubset.perSecond;
  const traceVsHand = handRate.perSecond / tracedSubset.perSecond;
  console.log('\nRatios\n');
  printTable(
    ['comparison', 'evaluate', 'explain-ready trace', 'goal', 'evaluate'],
    [
      [
        'Horizon ÷ json-rules-engine',
        ratio(vsJre),
        ratio(traced.perSecond / jreRate.perSecond),
        '≥ 500×',
        goal(vsJre >= 500),
      ],
      [
        'Horizon ÷ json-logic-js',
        ratio(vsLogic),
        ratio(traced.perSecond / jsonLogicRate.perSecond),
        '≥ 25×',
        goal(vsLogic >= 25),
      ],
      [
        'Horizon ÷ cel-js',
        ratio(ours.perSecond / celRate.perSecond),
        ratio(traced.perSecond / celRate.perSecond),
        '—',
        '—',
      ],
      ['hand-written ÷ Horizon (same rules)', ratio(vsHand), ratio(traceVsHand), '≤ 3×', goal(vsHand <= 3)],
    ],
  );

  // 3. Bulk matching: a new programme against 1,000,000 stored profiles.
  console.log(`\nBuilding ${STORED.toLocaleString('en')} stored profiles (10% of facts missing) and the index…`);
  let t = now();
  const storeRng = seeded(1);
  const index = ProfileIndex.build(
    (function* () {
      for (let i = 0; i < STORED; i++) yield [`e${i}`, ctx.prepare(syntheticProfile(storeRng, i, 0.1))] as const;
    })(),
    ctx,
  );
  const buildMs = now() - t;
  settle();
  console.log(`generated, prepared and indexed in ${fixed(buildMs / 1000)} s; heap ${fixed(heapMiB(), 0)} MiB`);

  const RUNS = 7;
  const matchRows: string[][] = [];
  const medians: number[] = [];
  const mediansUnknown: number[] = [];
  const mediansIds: number[] = [];
  settle();
  for (const c of compiled) {
    const times: number[] = [];
    const timesUnknown: number[] = [];
    const timesIds: number[] = [];
    let result = index.match(c);
    let resultUnknown = index.match(c, { unknown: true });
    for (let k = 0; k < RUNS; k++) {
      t = now();
      result = index.match(c);
      times.push(now() - t);
      t = now();
      resultUnknown = index.match(c, { unknown: true });
      timesUnknown.push(now() - t);
      t = now();
      void result.applies.length;
      timesIds.push(now() - t);
    }
    medians.push(median(times));
    mediansUnknown.push(median(timesUnknown));
    mediansIds.push(median(timesIds));
    matchRows.push([
      c.id ?? '?',
      result.via ?? 'scan',
      result.candidates.toLocaleString('en'),
      result.appliesRows.length.toLocaleString('en'),
      fixed(median(times), 1),
      resultUnknown.unknownRows.length.toLocaleString('en'),
      fixed(median(timesUnknown), 1),
      fixed(median(timesIds), 1),
    ]);
  }
  console.log(
    `\nA new programme matched against ${STORED.toLocaleString('en')} stored profiles (median of ${RUNS} runs, ms)\n`,
  );
  printTable(
    ['programme', 'via', 'candidates', 'applies', 'match', 'unknown', 'match incl. unknown', 'ids of applies'],
    matchRows,
  );
  const worst = Math.max(...medians);
  console.log(
    `\nmatch (row numbers): median ${fixed(median(medians), 1)} ms, worst ${fixed(worst, 1)} ms (goal ≤ 50 ms: ${goal(worst <= 50)}); ` +
      `incl. unknown: median ${fixed(median(mediansUnknown), 1)} ms, worst ${fixed(Math.max(...mediansUnknown), 1)} ms; ` +
      `turning the applying rows into id strings adds a median ${fixed(median(mediansIds), 1)} ms`,
  );

  // 4. Push: one changed profile re-checked against every programme rule (prepare included).
  const changed = Array.from({ length: 2000 }, (_, i) => syntheticProfile(rng, i, 0.1));
  const perCall = (rules: readonly CompiledRule[]): number => {
    const batches: number[] = [];
    let sink = 0;
    for (let warm = 0; warm < 2000; warm++) sink += matchProfile(changed[warm] as Profile, rules).applies.length;
    for (let b = 0; b < 20; b++) {
      const t0 = now();
      for (let i = 0; i < 100; i++)
        sink += matchProfile(changed[(b * 100 + i) % changed.length] as Profile, rules).applies.length;
      batches.push(((now() - t0) / 100) * 1000);
    }
    if (sink < 0) console.log(sink);
    return median(batches);
  };
  const catalogue = manyRules(seeded(5), 1000).map((r) => compile(r, ctx));
  const us = perCall(compiled);
  const us1000 = perCall(catalogue);
  console.log('\nOne changed profile re-checked against every programme rule (median per call, prepare included)\n');
  printTable(
    ['rules', 'µs per profile', 'goal'],
    [
      [`${compiled.length} programme rules`, fixed(us, 2), `≤ 50 µs: ${goal(us <= 50)}`],
      ['1,000 programme rules (variants)', fixed(us1000, 2), '—'],
    ],
  );

  if (vsJre < 500 || vsLogic < 25 || vsHand > 3 || worst > 50 || us > 50)
    console.log('\nSome goals were missed: see the tables above.');
  console.log(`\nrules bench: ${fixed((now() - started) / 1000)} s; heap ${fixed(heapMiB(), 0)} MiB`);
}
