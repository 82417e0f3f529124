// Compiles a rule into nested JavaScript closures: a fast evaluator and an explain-ready one that records every result.

import { numberRule } from './ast.ts';
import type { LeafNode, Rule, RuleNode } from './ast.ts';
import { checkRule } from './check.ts';
import type { RuleIssue } from './check.ts';
import { DEFAULT_CONTEXT, createContext, isPrepared } from './context.ts';
import type { ContextOptions, PreparedProfile, RuleContext } from './context.ts';
import { FALSE as F, TRUE as T, UNKNOWN as U, outcomeOf } from './evaluate.ts';
import type { Outcome, OutcomeCode } from './evaluate.ts';
import type { FactSpec, Profile } from './facts.ts';

/** A rule that failed the check; `issues` says where and why. */
export class InvalidRuleError extends Error {
  constructor(readonly issues: readonly RuleIssue[]) {
    super(`The rule has ${issues.length} problem${issues.length === 1 ? '' : 's'}: ${issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ')}`);
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

type Values = readonly unknown[];
type Fn = (v: Values) => number;
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

/** Ordered enum comparisons become set membership: `riskLevel lte medium` is `in [low, medium]`. */
function rankSet(spec: FactSpec, op: 'gt' | 'gte' | 'lt' | 'lte', value: string): Set<unknown> {
  const values = spec.values ?? [];
  const at = values.indexOf(value);
  const keep = (i: number): boolean => (op === 'gt' ? i > at : op === 'gte' ? i >= at : op === 'lt' ? i < at : i <= at);
  return new Set(values.filter((_, i) => keep(i)));
}

function compileLeaf(node: LeafNode, context: RuleContext): Fn {
  const k = context.slotOf(node.fact);
  const spec = context.facts[node.fact] as FactSpec;
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
      if (spec.type === 'enum') return inSet(k, rankSet(spec, op, value as string));
      return op === 'gt' ? gt(k, value as number) : op === 'gte' ? gte(k, value as number) : op === 'lt' ? lt(k, value as number) : lte(k, value as number);
  }
}

// Combinators: Kleene logic on codes ordered false < unknown < true, short-circuiting on the deciding value.

function allOf(cs: readonly Fn[]): Fn {
  const [a, b, c] = cs as [Fn, Fn, Fn];
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
          const x = (cs[i] as Fn)(v);
          if (x < r) {
            if (x === F) return F;
            r = x;
          }
        }
        return r;
      };
  }
}

function anyOf(cs: readonly Fn[]): Fn {
  const [a, b, c] = cs as [Fn, Fn, Fn];
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
          const x = (cs[i] as Fn)(v);
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
  (c: Fn): Fn =>
  (v) =>
    T - c(v);

function compileNode(node: RuleNode, context: RuleContext): Fn {
  switch (node.kind) {
    case 'all':
      return allOf(node.children.map((c) => compileNode(c, context)));
    case 'any':
      return anyOf(node.children.map((c) => compileNode(c, context)));
    case 'not':
      return notOf(compileNode(node.child, context));
    case 'leaf':
      return compileLeaf(node, context);
  }
}

// Explain-ready closures: no short-circuit, every node writes its result at its slot.

function traceNode(node: RuleNode, context: RuleContext): TraceFn {
  const s = node.slot;
  switch (node.kind) {
    case 'all':
    case 'any': {
      const cs = node.children.map((c) => traceNode(c, context));
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
    case 'leaf': {
      const f = compileLeaf(node, context);
      return (v, o) => (o[s] = f(v));
    }
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
  const fn = compileNode(root, ctx);
  const tr = traceNode(root, ctx);
  const results = new Uint8Array(size);
  const read = new Set(leaves.map((l) => l.fact));
  const prepare = ctx.prepare;
  const values = (p: Profile | PreparedProfile): Values => (isPrepared(p) ? p : prepare(p));
  return Object.freeze({
    rule: checked,
    id: checked.id,
    root,
    size,
    leaves,
    facts: Object.freeze(ctx.paths.filter((p) => read.has(p))),
    context: ctx,
    results,
    evaluate: (p: Profile | PreparedProfile) => fn(values(p)) as OutcomeCode,
    trace: (p: Profile | PreparedProfile, out: Uint8Array = results) => tr(values(p), out) as OutcomeCode,
    outcome: (p: Profile | PreparedProfile) => outcomeOf(fn(values(p))),
  });
}
