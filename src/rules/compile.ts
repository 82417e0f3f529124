// Compiles a rule into nested JavaScript closures: a fast evaluator and an explain-ready one that records every result.

import { numberRule } from './ast.ts';
import type { LeafNode, Rule, RuleNode } from './ast.ts';
import { checkRule } from './check.ts';
import type { RuleIssue } from './check.ts';
import { DEFAULT_CONTEXT, createContext } from './context.ts';
import type { ContextOptions, PreparedProfile, RuleContext } from './context.ts';
import { outcomeOf } from './evaluate.ts';
import type { Outcome, OutcomeCode } from './evaluate.ts';
import type { FactSpec, Profile } from './facts.ts';

/** A rule that failed the check; `issues` says where and why. */
export class InvalidRuleError extends Error {
  constructor(readonly issues: readonly RuleIssue[]) {
    super(
      `The rule has ${issues.length} problem${issues.length === 1 ? '' : 's'}: ${issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ')}`,
    );
    this.name = 'InvalidRuleError';
  }
}

/** A compiled rule: evaluate it fast, or trace it to explain. */
export interface CompiledRule {
  readonly rule: Rule;
  readonly id: string | undefined;
  /** The numbered tree (slots index `results`). */
  readonly root: RuleNode;
  /** Number of nodes: the length of a results array. */
  readonly size: number;
  readonly leaves: readonly LeafNode[];
  /** The facts the rule reads, in catalogue order. */
  readonly facts: readonly string[];
  readonly context: RuleContext;
  /** The outcome code (0 does not apply, 1 unknown, 2 applies) for a profile; prepare profiles to go fastest. */
  evaluate(profile: Profile | PreparedProfile): OutcomeCode;
  /**
   * Explain-ready evaluation: writes every node's result code at its slot in `out` (by default `results`, this
   * rule's own preallocated array, overwritten by the next call) and returns the outcome code.
   */
  trace(profile: Profile | PreparedProfile, out?: Uint8Array): OutcomeCode;
  /** The preallocated results array `trace` writes by default. */
  readonly results: Uint8Array;
  /** The outcome name for a profile. */
  outcome(profile: Profile | PreparedProfile): Outcome;
}

// The codes of evaluate.ts (FALSE, UNKNOWN, TRUE) as module-local constants: imported bindings may be reached
// through getters when a loader transpiles modules (tsx does), which costs more than the evaluation itself.
const F = 0;
const U = 1;
const T = 2;

type Values = readonly unknown[];
type Fn = (v: Values) => number;
/** An evaluator over any input (a prepared profile, a row number of a column store…) returning a result code. */
export type Evaluator<A> = (input: A) => number;
type TraceFn = (v: Values, o: Uint8Array) => number;

// Leaves: one small closure per operator, each reading its fact's slot; undefined (missing) gives unknown.

const exists = (k: number, want: boolean): Fn =>
  want ? (v) => (v[k] === undefined ? F : T) : (v) => (v[k] === undefined ? T : F);

const eq =
  (k: number, x: unknown): Fn =>
  (v) => {
    const a = v[k];
    return a === undefined ? U : a === x ? T : F;
  };

const ne =
  (k: number, x: unknown): Fn =>
  (v) => {
    const a = v[k];
    return a === undefined ? U : a === x ? F : T;
  };

const inSet =
  (k: number, s: ReadonlySet<unknown>): Fn =>
  (v) => {
    const a = v[k];
    return a === undefined ? U : s.has(a) ? T : F;
  };

const notInSet =
  (k: number, s: ReadonlySet<unknown>): Fn =>
  (v) => {
    const a = v[k];
    return a === undefined ? U : s.has(a) ? F : T;
  };

const gt =
  (k: number, x: number): Fn =>
  (v) => {
    const a = v[k] as number | undefined;
    return a === undefined ? U : a > x ? T : F;
  };
const gte =
  (k: number, x: number): Fn =>
  (v) => {
    const a = v[k] as number | undefined;
    return a === undefined ? U : a >= x ? T : F;
  };
const lt =
  (k: number, x: number): Fn =>
  (v) => {
    const a = v[k] as number | undefined;
    return a === undefined ? U : a < x ? T : F;
  };
const lte =
  (k: number, x: number): Fn =>
  (v) => {
    const a = v[k] as number | undefined;
    return a === undefined ? U : a <= x ? T : F;
  };

/** A list fact holds one code (contains, or intersects with a single code). */
const has =
  (k: number, x: string): Fn =>
  (v) => {
    const a = v[k] as readonly string[] | undefined;
    if (a === undefined) return U;
    for (let i = 0; i < a.length; i++) if (a[i] === x) return T;
    return F;
  };

/** A list fact shares a code with a set. */
const intersects =
  (k: number, s: ReadonlySet<string>): Fn =>
  (v) => {
    const a = v[k] as readonly string[] | undefined;
    if (a === undefined) return U;
    for (let i = 0; i < a.length; i++) if (s.has(a[i] as string)) return T;
    return F;
  };

/** Mask-encoded codes (closed vocabularies): the fact holds one of the codes of mask `m`. */
const maskAny =
  (k: number, m: number): Fn =>
  (v) => {
    const a = v[k] as number | undefined;
    return a === undefined ? U : (a & m) !== 0 ? T : F;
  };

/** Mask-encoded codes: the fact holds none of the codes of mask `m`. */
const maskNone =
  (k: number, m: number): Fn =>
  (v) => {
    const a = v[k] as number | undefined;
    return a === undefined ? U : (a & m) === 0 ? T : F;
  };

/** Ordered enum comparisons become set membership: `riskLevel lte medium` is `in [low, medium]`. */
export function rankSet(spec: FactSpec, op: 'gt' | 'gte' | 'lt' | 'lte', value: string): string[] {
  const values = spec.values ?? [];
  const at = values.indexOf(value);
  const keep = (i: number): boolean => (op === 'gt' ? i > at : op === 'gte' ? i >= at : op === 'lt' ? i < at : i <= at);
  return values.filter((_, i) => keep(i));
}

/** A leaf on a mask-encoded fact: every operator but exists is a bit test. */
function compileMaskLeaf(node: LeafNode, spec: FactSpec, k: number, context: RuleContext): Fn {
  const { op, value } = node;
  const mask = (codes: readonly string[]): number => context.maskOf(node.fact, codes) ?? 0;
  switch (op) {
    case 'exists':
      return exists(k, value !== false);
    case 'eq':
    case 'contains':
      return maskAny(k, mask([value as string]));
    case 'in':
    case 'intersects':
      return maskAny(k, mask(value as string[]));
    case 'ne':
      return maskNone(k, mask([value as string]));
    case 'not_in':
      return maskNone(k, mask(value as string[]));
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return maskAny(k, mask(rankSet(spec, op, value as string)));
  }
}

/** The closure for one leaf over a prepared profile. */
export function compileLeaf(node: LeafNode, context: RuleContext): Fn {
  const k = context.slotOf(node.fact);
  const spec = context.facts[node.fact] as FactSpec;
  if (context.maskOf(node.fact, []) !== undefined) return compileMaskLeaf(node, spec, k, context);
  const { op, value } = node;
  switch (op) {
    case 'exists':
      return exists(k, value !== false);
    case 'eq':
      return eq(k, value);
    case 'ne':
      return ne(k, value);
    case 'in':
    case 'not_in': {
      const list = value as readonly unknown[];
      if (list.length === 1) return op === 'in' ? eq(k, list[0]) : ne(k, list[0]);
      return op === 'in' ? inSet(k, new Set(list)) : notInSet(k, new Set(list));
    }
    case 'contains':
      return has(k, value as string);
    case 'intersects': {
      const list = value as readonly string[];
      return list.length === 1 ? has(k, list[0] as string) : intersects(k, new Set(list));
    }
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      if (spec.type === 'enum') return inSet(k, new Set(rankSet(spec, op, value as string)));
      return op === 'gt'
        ? gt(k, value as number)
        : op === 'gte'
          ? gte(k, value as number)
          : op === 'lt'
            ? lt(k, value as number)
            : lte(k, value as number);
  }
}

// Combinators: Kleene logic on codes ordered false < unknown < true, short-circuiting on the deciding value.

function allOf<A>(cs: readonly Evaluator<A>[]): Evaluator<A> {
  const [a, b, c] = cs as [Evaluator<A>, Evaluator<A>, Evaluator<A>];
  switch (cs.length) {
    case 1:
      return a;
    case 2:
      return (v) => {
        const x = a(v);
        if (x === F) return F;
        const y = b(v);
        return y < x ? y : x;
      };
    case 3:
      return (v) => {
        let r = a(v);
        if (r === F) return F;
        let y = b(v);
        if (y === F) return F;
        if (y < r) r = y;
        y = c(v);
        return y < r ? y : r;
      };
    default:
      return (v) => {
        let r = T;
        for (let i = 0; i < cs.length; i++) {
          const x = (cs[i] as Evaluator<A>)(v);
          if (x < r) {
            if (x === F) return F;
            r = x;
          }
        }
        return r;
      };
  }
}

function anyOf<A>(cs: readonly Evaluator<A>[]): Evaluator<A> {
  const [a, b, c] = cs as [Evaluator<A>, Evaluator<A>, Evaluator<A>];
  switch (cs.length) {
    case 1:
      return a;
    case 2:
      return (v) => {
        const x = a(v);
        if (x === T) return T;
        const y = b(v);
        return y > x ? y : x;
      };
    case 3:
      return (v) => {
        let r = a(v);
        if (r === T) return T;
        let y = b(v);
        if (y === T) return T;
        if (y > r) r = y;
        y = c(v);
        return y > r ? y : r;
      };
    default:
      return (v) => {
        let r = F;
        for (let i = 0; i < cs.length; i++) {
          const x = (cs[i] as Evaluator<A>)(v);
          if (x > r) {
            if (x === T) return T;
            r = x;
          }
        }
        return r;
      };
  }
}

const notOf =
  <A>(c: Evaluator<A>): Evaluator<A> =>
  (v) =>
    T - c(v);

/** Builds the short-circuiting closure tree of a numbered rule, given a closure for each leaf. */
function closureTree<A>(node: RuleNode, leaf: (node: LeafNode) => Evaluator<A>): Evaluator<A> {
  switch (node.kind) {
    case 'all':
      return allOf(node.children.map((c) => closureTree(c, leaf)));
    case 'any':
      return anyOf(node.children.map((c) => closureTree(c, leaf)));
    case 'not':
      return notOf(closureTree(node.child, leaf));
    case 'leaf':
      return leaf(node);
  }
}

// Explain-ready closures: no short-circuit, every node writes its result at its slot.

/** A recording leaf; bit tests (the commonest leaves) get their own closure to save a call. */
function traceLeaf(node: LeafNode, context: RuleContext): TraceFn {
  const s = node.slot;
  const k = context.slotOf(node.fact);
  const masked = context.maskOf(node.fact, []) !== undefined;
  const { op, value } = node;
  if (masked && op !== 'exists') {
    const codes = (op === 'in' || op === 'not_in' || op === 'intersects' ? value : [value]) as string[];
    const spec = context.facts[node.fact] as FactSpec;
    const ranked =
      op === 'gt' || op === 'gte' || op === 'lt' || op === 'lte' ? rankSet(spec, op, value as string) : codes;
    const m = context.maskOf(node.fact, ranked) ?? 0;
    return op === 'ne' || op === 'not_in'
      ? (v, o) => {
          const a = v[k] as number | undefined;
          return (o[s] = a === undefined ? U : (a & m) === 0 ? T : F);
        }
      : (v, o) => {
          const a = v[k] as number | undefined;
          return (o[s] = a === undefined ? U : (a & m) !== 0 ? T : F);
        };
  }
  if (op === 'eq') {
    return (v, o) => {
      const a = v[k];
      return (o[s] = a === undefined ? U : a === value ? T : F);
    };
  }
  const f = compileLeaf(node, context);
  return (v, o) => (o[s] = f(v));
}

function traceNode(node: RuleNode, context: RuleContext): TraceFn {
  const s = node.slot;
  switch (node.kind) {
    case 'all':
    case 'any': {
      const cs = node.children.map((c) => traceNode(c, context));
      const [a, b, c] = cs as [TraceFn, TraceFn, TraceFn];
      if (cs.length === 2) {
        return node.kind === 'all'
          ? (v, o) => {
              const x = a(v, o);
              const y = b(v, o);
              return (o[s] = x < y ? x : y);
            }
          : (v, o) => {
              const x = a(v, o);
              const y = b(v, o);
              return (o[s] = x > y ? x : y);
            };
      }
      if (cs.length === 3) {
        return node.kind === 'all'
          ? (v, o) => {
              let r = a(v, o);
              let y = b(v, o);
              if (y < r) r = y;
              y = c(v, o);
              return (o[s] = y < r ? y : r);
            }
          : (v, o) => {
              let r = a(v, o);
              let y = b(v, o);
              if (y > r) r = y;
              y = c(v, o);
              return (o[s] = y > r ? y : r);
            };
      }
      return node.kind === 'all'
        ? (v, o) => {
            let r = T;
            for (let i = 0; i < cs.length; i++) {
              const x = (cs[i] as TraceFn)(v, o);
              if (x < r) r = x;
            }
            o[s] = r;
            return r;
          }
        : (v, o) => {
            let r = F;
            for (let i = 0; i < cs.length; i++) {
              const x = (cs[i] as TraceFn)(v, o);
              if (x > r) r = x;
            }
            o[s] = r;
            return r;
          };
    }
    case 'not': {
      const c = traceNode(node.child, context);
      return (v, o) => (o[s] = T - c(v, o));
    }
    case 'leaf':
      return traceLeaf(node, context);
  }
}

const asContext = (c: RuleContext | ContextOptions | undefined): RuleContext =>
  c === undefined ? DEFAULT_CONTEXT : 'prepare' in c ? c : createContext(c);

/**
 * Checks and compiles a rule against a context (default: shipped jurisdictions, profile-v1 facts). Throws
 * InvalidRuleError listing every problem when the rule does not pass checkRule.
 */
export function compile(rule: unknown, context?: RuleContext | ContextOptions): CompiledRule {
  const ctx = asContext(context);
  const issues = checkRule(rule, ctx.facts);
  if (issues.length > 0) throw new InvalidRuleError(issues);
  const checked = rule as Rule;
  const { root, size, leaves } = numberRule(checked);
  const fn = closureTree<Values>(root, (leaf) => compileLeaf(leaf, ctx));
  const tr = traceNode(root, ctx);
  const results = new Uint8Array(size);
  const read = new Set(leaves.map((l) => l.fact));
  const prepare = (p: Profile): PreparedProfile => ctx.prepare(p);
  // Array.isArray rather than the imported isPrepared, inline in each entry point: imported bindings may cost a
  // getter call (see F, U, T) and every call counts at tens of nanoseconds per evaluation.
  const isArray = Array.isArray;
  return Object.freeze({
    rule: checked,
    id: checked.id,
    root,
    size,
    leaves,
    facts: Object.freeze(ctx.paths.filter((p) => read.has(p))),
    context: ctx,
    results,
    evaluate: (p: Profile | PreparedProfile) =>
      fn(isArray(p) ? (p as PreparedProfile) : prepare(p as Profile)) as OutcomeCode,
    trace: (p: Profile | PreparedProfile, out: Uint8Array = results) =>
      tr(isArray(p) ? (p as PreparedProfile) : prepare(p as Profile), out) as OutcomeCode,
    outcome: (p: Profile | PreparedProfile) =>
      outcomeOf(fn(isArray(p) ? (p as PreparedProfile) : prepare(p as Profile))),
  });
}
