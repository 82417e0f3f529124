// Explains a rule's outcome for a profile: each condition's result and the value it read, the questions that would
// decide an unknown outcome (most decisive first), and near misses (the one condition that kept it from applying).

import type { LeafNode, Op, RuleCitation, RuleLabel, RuleNode } from './ast.ts';
import { sampleScalars } from './check.ts';
import type { CompiledRule } from './compile.ts';
import { isPrepared } from './context.ts';
import type { PreparedProfile } from './context.ts';
import { FALSE, TRUE, UNKNOWN, outcomeOf } from './evaluate.ts';
import type { Outcome } from './evaluate.ts';
import type { Bilingual, FactCatalogue, FactSpec, Profile } from './facts.ts';

interface ExplainedBase {
  readonly slot: number;
  readonly path: string;
  readonly id?: string;
  readonly label?: RuleLabel;
  readonly citation?: RuleCitation;
  /** The authored label, completed in both languages from a description of the condition where missing. */
  readonly text: Bilingual;
  readonly result: Outcome;
}
export interface ExplainedGroup extends ExplainedBase {
  readonly kind: 'all' | 'any';
  readonly children: readonly ExplainedNode[];
}
export interface ExplainedNot extends ExplainedBase {
  readonly kind: 'not';
  readonly child: ExplainedNode;
}
export interface ExplainedLeaf extends ExplainedBase {
  readonly kind: 'leaf';
  readonly fact: string;
  readonly op: Op;
  readonly value: unknown;
  /** The profile's value as given (undefined when missing). */
  readonly actual: unknown;
  /**
   * The value the engine compared: undefined when missing or invalid; codes in vocabulary order, jurisdictions with
   * their ancestors, codes outside the vocabulary left out (no rule can name them).
   */
  readonly seen: unknown;
}
/** One node of an explanation, mirroring the rule tree. */
export type ExplainedNode = ExplainedGroup | ExplainedNot | ExplainedLeaf;

/** A missing fact that would help decide an unknown outcome. */
export interface MissingFact {
  readonly fact: string;
  readonly label: Bilingual;
  /** Of the values tried for this fact alone, how many settle the outcome (applies or does not apply). */
  readonly settles: number;
  readonly tried: number;
  /** How many undecided conditions read this fact. */
  readonly leaves: number;
}

/** A condition that alone kept the rule from applying: had it come out `wanted`, the rule would apply. */
export interface NearMiss {
  readonly path: string;
  readonly fact: string;
  readonly op: Op;
  readonly value: unknown;
  readonly label?: RuleLabel;
  readonly citation?: RuleCitation;
  readonly text: Bilingual;
  readonly actual: unknown;
  /** The result the condition would need: true, or false for a condition under an odd number of `not`. */
  readonly wanted: boolean;
}

export interface Explanation {
  readonly outcome: Outcome;
  readonly root: ExplainedNode;
  /** For an unknown outcome: the facts that would decide it, most decisive first; empty otherwise. */
  readonly missing: readonly string[];
  /** The same facts with how decisive each is. */
  readonly questions: readonly MissingFact[];
  /** For does_not_apply: the condition when exactly one condition, changed alone, would make the rule apply. */
  readonly nearMiss: NearMiss | undefined;
  /** Every condition that, changed alone, would make the rule apply. */
  readonly nearMisses: readonly NearMiss[];
}

const OP_TEXT: Readonly<Record<Op, Bilingual>> = {
  eq: { en: '{f} is {v}', zh: '{f}为{v}' },
  ne: { en: '{f} is not {v}', zh: '{f}不为{v}' },
  in: { en: '{f} is one of {v}', zh: '{f}为{v}之一' },
  not_in: { en: '{f} is none of {v}', zh: '{f}不属于{v}' },
  intersects: { en: '{f} include any of {v}', zh: '{f}包含{v}中任一项' },
  contains: { en: '{f} include {v}', zh: '{f}包含{v}' },
  gt: { en: '{f} is more than {v}', zh: '{f}大于{v}' },
  gte: { en: '{f} is at least {v}', zh: '{f}不少于{v}' },
  lt: { en: '{f} is less than {v}', zh: '{f}小于{v}' },
  lte: { en: '{f} is at most {v}', zh: '{f}不超过{v}' },
  exists: { en: '{f} is known', zh: '{f}已知' },
};
const GROUP_TEXT: Readonly<Record<'all' | 'any' | 'not', Bilingual>> = {
  all: { en: 'All of these', zh: '同时满足以下各项' },
  any: { en: 'Any of these', zh: '满足以下任一项' },
  not: { en: 'Not this', zh: '不满足以下条件' },
};

/** A condition in words, in both languages, from the fact catalogue (used where a node has no label). */
export function describeCondition(leaf: Pick<LeafNode, 'fact' | 'op' | 'value'>, facts: FactCatalogue): Bilingual {
  const spec = facts[leaf.fact];
  const text = (lang: 'en' | 'zh'): string => {
    const one = (v: unknown): string =>
      typeof v === 'boolean'
        ? lang === 'en'
          ? v
            ? 'yes'
            : 'no'
          : v
            ? '是'
            : '否'
        : typeof v === 'string'
          ? (spec?.valueLabels?.[v]?.[lang] ?? v)
          : String(v);
    const values = Array.isArray(leaf.value) ? leaf.value.map(one).join(lang === 'en' ? ', ' : '、') : one(leaf.value);
    const template =
      leaf.op === 'exists' && leaf.value === false
        ? lang === 'en'
          ? '{f} is not known'
          : '{f}未知'
        : spec?.type === 'boolean' && (leaf.op === 'eq' || leaf.op === 'ne')
          ? lang === 'en'
            ? `{f}: ${leaf.op === 'eq' ? '{v}' : 'not {v}'}`
            : `{f}：${leaf.op === 'eq' ? '{v}' : '非{v}'}`
          : OP_TEXT[leaf.op][lang];
    return template.replace('{f}', spec?.label[lang] ?? leaf.fact).replace('{v}', values);
  };
  return { en: text('en'), zh: text('zh') };
}

const completeText = (label: RuleLabel | undefined, fallback: Bilingual): Bilingual => ({
  en: label?.en ?? label?.zh ?? fallback.en,
  zh: label?.zh ?? label?.en ?? fallback.zh,
});

/** Reads a dotted path from a raw profile. */
function rawValue(profile: Profile, path: string): unknown {
  let v: unknown = profile;
  for (const key of path.split('.'))
    v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined;
  return v;
}

/** Recomputes the root from recorded results with one leaf's result replaced. */
function resultWith(node: RuleNode, results: Uint8Array, slot: number, code: number): number {
  if (node.slot === slot) return code;
  switch (node.kind) {
    case 'all':
      return node.children.reduce((r, c) => Math.min(r, resultWith(c, results, slot, code)), TRUE);
    case 'any':
      return node.children.reduce((r, c) => Math.max(r, resultWith(c, results, slot, code)), FALSE);
    case 'not':
      return TRUE - resultWith(node.child, results, slot, code);
    case 'leaf':
      return results[node.slot] ?? UNKNOWN;
  }
}

/** Undecided leaves that still matter: reached from the root through undecided nodes only. */
function openLeaves(node: RuleNode, results: Uint8Array, out: LeafNode[] = []): LeafNode[] {
  if (results[node.slot] !== UNKNOWN) return out;
  if (node.kind === 'leaf') out.push(node);
  else if (node.kind === 'not') openLeaves(node.child, results, out);
  else for (const c of node.children) openLeaves(c, results, out);
  return out;
}

/** Values worth trying for a missing fact: one per region the rule's conditions on it cut out. */
function trialValues(spec: FactSpec, leaves: readonly LeafNode[]): unknown[] {
  const literals = leaves.flatMap((l) => (Array.isArray(l.value) ? (l.value as unknown[]) : [l.value]));
  if (spec.type !== 'list') return sampleScalars(spec, literals);
  const codes = [...new Set(literals.filter((x): x is string => typeof x === 'string'))];
  return [[], ...codes.map((c) => [c]), ...(codes.length > 1 ? [codes] : [])];
}

/**
 * Explains a compiled rule's outcome for a profile (raw, or prepared with the rule's context): every node's
 * result, each condition's label and the value it read, the missing facts ranked by how decisive they are (a fact
 * that alone can settle the outcome first, then by the share of its values that settle it, then by how many
 * undecided conditions read it), and near misses.
 */
export function explain(compiled: CompiledRule, profile: Profile | PreparedProfile): Explanation {
  const ctx = compiled.context;
  const prepared = isPrepared(profile) ? profile : ctx.prepare(profile);
  const source = ctx.sourceOf(prepared);
  const results = new Uint8Array(compiled.size);
  const code = compiled.trace(prepared, results);

  const build = (node: RuleNode): ExplainedNode => {
    const base = {
      slot: node.slot,
      path: node.path,
      ...(node.id === undefined ? {} : { id: node.id }),
      ...(node.label === undefined ? {} : { label: node.label }),
      ...(node.citation === undefined ? {} : { citation: node.citation }),
      result: outcomeOf(results[node.slot] ?? UNKNOWN),
    };
    switch (node.kind) {
      case 'all':
      case 'any':
        return {
          ...base,
          kind: node.kind,
          text: completeText(node.label, GROUP_TEXT[node.kind]),
          children: node.children.map(build),
        };
      case 'not':
        return { ...base, kind: 'not', text: completeText(node.label, GROUP_TEXT.not), child: build(node.child) };
      case 'leaf':
        return {
          ...base,
          kind: 'leaf',
          text: completeText(node.label, describeCondition(node, ctx.facts)),
          fact: node.fact,
          op: node.op,
          value: node.value,
          actual: rawValue(source, node.fact),
          seen: ctx.decode(node.fact, prepared[ctx.slotOf(node.fact)]),
        };
    }
  };

  const questions: MissingFact[] = [];
  if (code === UNKNOWN) {
    const open = openLeaves(compiled.root, results);
    const counts = new Map<string, number>();
    for (const leaf of open) counts.set(leaf.fact, (counts.get(leaf.fact) ?? 0) + 1);
    for (const [fact, leaves] of counts) {
      const spec = ctx.facts[fact] as FactSpec;
      const slot = ctx.slotOf(fact);
      const trials = trialValues(
        spec,
        compiled.leaves.filter((l) => l.fact === fact),
      );
      const copy = prepared.slice();
      let settles = 0;
      for (const value of trials) {
        copy[slot] = ctx.prepareValue(fact, value);
        if (compiled.evaluate(copy as unknown as PreparedProfile) !== UNKNOWN) settles++;
      }
      questions.push({ fact, label: spec.label, settles, tried: trials.length, leaves });
    }
    const order = (f: string): number => ctx.paths.indexOf(f);
    questions.sort(
      (a, b) =>
        Number(b.settles > 0) - Number(a.settles > 0) ||
        b.settles / Math.max(b.tried, 1) - a.settles / Math.max(a.tried, 1) ||
        b.leaves - a.leaves ||
        order(a.fact) - order(b.fact),
    );
  }

  const nearMisses: NearMiss[] = [];
  if (code === FALSE) {
    for (const leaf of compiled.leaves) {
      const r = results[leaf.slot];
      if (r === UNKNOWN || r === undefined) continue;
      if (resultWith(compiled.root, results, leaf.slot, TRUE - r) !== TRUE) continue;
      nearMisses.push({
        path: leaf.path,
        fact: leaf.fact,
        op: leaf.op,
        value: leaf.value,
        ...(leaf.label === undefined ? {} : { label: leaf.label }),
        ...(leaf.citation === undefined ? {} : { citation: leaf.citation }),
        text: completeText(leaf.label, describeCondition(leaf, ctx.facts)),
        actual: rawValue(source, leaf.fact),
        wanted: r === FALSE,
      });
    }
  }

  return {
    outcome: outcomeOf(code),
    root: build(compiled.root),
    missing: questions.map((q) => q.fact),
    questions,
    nearMiss: nearMisses.length === 1 ? nearMisses[0] : undefined,
    nearMisses,
  };
}
