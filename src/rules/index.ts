// Bulk and push matching: postings of stored profiles by categorical facts, so a rule is evaluated only on the
// profiles that can satisfy its required conditions; and one changed profile re-checked against many rules.

import type { LeafNode, RuleNode } from './ast.ts';
import type { CompiledRule } from './compile.ts';
import { DEFAULT_CONTEXT, isPrepared } from './context.ts';
import type { PreparedProfile, RuleContext } from './context.ts';
import { TRUE, UNKNOWN } from './evaluate.ts';
import type { FactSpec, Profile } from './facts.ts';

/** The facts stored profiles are indexed on. */
export const INDEXED_FACTS: readonly string[] = Object.freeze([
  'jurisdictions',
  'sectors',
  'scenarios',
  'activities',
  'product.riskLevel',
]);

export interface MatchOptions {
  /** Also return the profiles for which the outcome is unknown (default false: only those it applies to). */
  readonly unknown?: boolean;
}

/** The stored profiles a rule applies to (and, if asked, those it may apply to), with how they were found. */
export interface IndexMatch {
  readonly applies: string[];
  readonly unknown: string[];
  /** How many profiles were evaluated. */
  readonly candidates: number;
  /** The fact whose postings gave the candidates, or undefined for a full scan. */
  readonly via: string | undefined;
}

/** How a rule will be matched: the postings of one required condition, or none (scan). */
export interface MatchPlan {
  readonly fact: string;
  readonly keys: readonly string[];
  /** Upper bound on the candidates (sum of the postings' lengths). */
  readonly estimate: number;
}

/** The conditions every applying (or undecided) profile must satisfy (or leave undecided): leaves under top-level alls. */
function requiredLeaves(node: RuleNode, out: LeafNode[] = []): LeafNode[] {
  if (node.kind === 'leaf') out.push(node);
  else if (node.kind === 'all') for (const c of node.children) requiredLeaves(c, out);
  return out;
}

/** The codes a profile must hold for a required condition to hold, or undefined when it cannot be indexed. */
function keysOf(leaf: LeafNode, spec: FactSpec): readonly string[] | undefined {
  const v = leaf.value;
  if (spec.type === 'list') {
    if (leaf.op === 'intersects') return v as readonly string[];
    if (leaf.op === 'contains') return [v as string];
    return undefined;
  }
  if (spec.type !== 'enum') return undefined;
  const values = spec.values ?? [];
  const at = values.indexOf(v as string);
  switch (leaf.op) {
    case 'eq':
      return [v as string];
    case 'in':
      return v as readonly string[];
    case 'gt':
      return values.slice(at + 1);
    case 'gte':
      return values.slice(at);
    case 'lt':
      return values.slice(0, at);
    case 'lte':
      return values.slice(0, at + 1);
    case 'ne':
    case 'not_in':
    case 'exists':
    case 'contains':
    case 'intersects':
      return undefined;
  }
}

const NONE = new Int32Array(0);

/**
 * An in-memory index of stored profiles (by id) for push matching. A new or changed rule is matched by taking the
 * postings of its most selective required condition on an indexed fact (a profile in Shenzhen is posted under
 * cn-gd-shenzhen, cn-gd and cn), plus, when unknown outcomes are wanted, the profiles missing that fact; only those
 * candidates are evaluated. Changed profiles go to a small overlay that is always scanned until `compact()`.
 */
export class ProfileIndex {
  private ids: string[] = [];
  private rows: PreparedProfile[] = [];
  private postings = new Map<string, Map<string, Int32Array>>();
  private missing = new Map<string, Int32Array>();
  private ordinal = new Map<string, number>();
  /** Ordinals replaced or removed since the last build. */
  private dead = new Uint8Array(0);
  private deadCount = 0;
  /** Profiles added or changed since the last build, by id. */
  private overlay = new Map<string, PreparedProfile>();
  private stamp = new Uint32Array(0);
  private generation = 0;

  private constructor(readonly context: RuleContext) {}

  /** Builds the index from [id, profile] pairs (ids unique; a repeated id keeps its last profile). */
  static build(entries: Iterable<readonly [string, Profile | PreparedProfile]>, context: RuleContext = DEFAULT_CONTEXT): ProfileIndex {
    const index = new ProfileIndex(context);
    const byId = new Map<string, PreparedProfile>();
    for (const [id, profile] of entries) byId.set(id, isPrepared(profile) ? profile : context.prepare(profile));
    index.load(byId);
    return index;
  }

  private load(byId: ReadonlyMap<string, PreparedProfile>): void {
    const ctx = this.context;
    this.ids = [...byId.keys()];
    this.rows = [...byId.values()];
    this.ordinal = new Map(this.ids.map((id, i) => [id, i]));
    this.dead = new Uint8Array(this.ids.length);
    this.deadCount = 0;
    this.stamp = new Uint32Array(this.ids.length);
    this.overlay = new Map();
    this.postings = new Map();
    this.missing = new Map();
    for (const fact of INDEXED_FACTS) {
      const slot = ctx.slotOf(fact);
      if (slot < 0) continue;
      const lists = new Map<string, number[]>();
      const missing: number[] = [];
      this.rows.forEach((row, o) => {
        const v = row[slot];
        if (v === undefined) missing.push(o);
        else if (Array.isArray(v)) {
          for (const code of v as readonly string[]) {
            let list = lists.get(code);
            if (list === undefined) lists.set(code, (list = []));
            list.push(o);
          }
        } else {
          let list = lists.get(v as string);
          if (list === undefined) lists.set(v as string, (list = []));
          list.push(o);
        }
      });
      this.postings.set(fact, new Map([...lists].map(([code, list]) => [code, Int32Array.from(list)])));
      this.missing.set(fact, Int32Array.from(missing));
    }
  }

  /** How many profiles are stored. */
  get size(): number {
    return this.rows.length - this.deadCount + this.overlay.size;
  }

  private kill(id: string): void {
    const o = this.ordinal.get(id);
    if (o !== undefined && this.dead[o] === 0) {
      this.dead[o] = 1;
      this.deadCount++;
    }
  }

  /** Adds or replaces a profile; it is matched from the overlay until `compact()`. */
  upsert(id: string, profile: Profile | PreparedProfile): void {
    this.kill(id);
    this.overlay.set(id, isPrepared(profile) ? profile : this.context.prepare(profile));
  }

  /** Removes a profile. */
  remove(id: string): void {
    this.kill(id);
    this.overlay.delete(id);
  }

  /** Rebuilds the postings with the overlay folded in. */
  compact(): void {
    const byId = new Map<string, PreparedProfile>();
    this.ids.forEach((id, o) => {
      if (this.dead[o] !== 1) byId.set(id, this.rows[o] as PreparedProfile);
    });
    for (const [id, p] of this.overlay) byId.set(id, p);
    this.load(byId);
  }

  /** The postings a rule would be matched through, or undefined when it needs a full scan. */
  plan(rule: CompiledRule, options: MatchOptions = {}): MatchPlan | undefined {
    let best: MatchPlan | undefined;
    for (const leaf of requiredLeaves(rule.root)) {
      const postings = this.postings.get(leaf.fact);
      const spec = this.context.facts[leaf.fact];
      if (postings === undefined || spec === undefined) continue;
      const keys = keysOf(leaf, spec);
      if (keys === undefined) continue;
      let estimate = options.unknown ? (this.missing.get(leaf.fact)?.length ?? 0) : 0;
      for (const k of keys) estimate += postings.get(k)?.length ?? 0;
      if (best === undefined || estimate < best.estimate) best = { fact: leaf.fact, keys, estimate };
    }
    return best !== undefined && best.estimate < this.rows.length ? best : undefined;
  }

  /** The stored profiles a compiled rule applies to (and, with `unknown`, those it may apply to). */
  match(rule: CompiledRule, options: MatchOptions = {}): IndexMatch {
    const wantUnknown = options.unknown === true;
    const applies: string[] = [];
    const unknown: string[] = [];
    const { ids, rows, dead } = this;
    let candidates = 0;
    const check = (o: number): void => {
      if (dead[o] === 1) return;
      candidates++;
      const code = rule.evaluate(rows[o] as PreparedProfile);
      if (code === TRUE) applies.push(ids[o] as string);
      else if (code === UNKNOWN && wantUnknown) unknown.push(ids[o] as string);
    };
    const plan = this.plan(rule, options);
    if (plan === undefined) {
      for (let o = 0; o < rows.length; o++) check(o);
    } else {
      const postings = this.postings.get(plan.fact) as Map<string, Int32Array>;
      const lists = plan.keys.map((k) => postings.get(k) ?? NONE).filter((l) => l.length > 0);
      if (wantUnknown) lists.push(this.missing.get(plan.fact) ?? NONE);
      if (lists.length === 1) {
        const list = lists[0] as Int32Array;
        for (let i = 0; i < list.length; i++) check(list[i] as number);
      } else {
        if (++this.generation === 0xffffffff) {
          this.stamp.fill(0);
          this.generation = 1;
        }
        const { stamp, generation } = this;
        for (const list of lists) {
          for (let i = 0; i < list.length; i++) {
            const o = list[i] as number;
            if (stamp[o] === generation) continue;
            stamp[o] = generation;
            check(o);
          }
        }
      }
    }
    for (const [id, row] of this.overlay) {
      candidates++;
      const code = rule.evaluate(row);
      if (code === TRUE) applies.push(id);
      else if (code === UNKNOWN && wantUnknown) unknown.push(id);
    }
    return { applies, unknown, candidates, via: plan?.fact };
  }
}

/** The rules a profile is matched by. */
export interface ProfileMatch {
  readonly applies: CompiledRule[];
  readonly unknown: CompiledRule[];
}

/**
 * Re-checks one (changed) profile against many compiled rules, preparing it once. Rules are expected to share a
 * context (the first rule's is used to prepare a raw profile).
 */
export function matchProfile(profile: Profile | PreparedProfile, rules: readonly CompiledRule[]): ProfileMatch {
  const applies: CompiledRule[] = [];
  const unknown: CompiledRule[] = [];
  const first = rules[0];
  if (first === undefined) return { applies, unknown };
  const prepared = isPrepared(profile) ? profile : first.context.prepare(profile);
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i] as CompiledRule;
    const code = rule.evaluate(prepared);
    if (code === TRUE) applies.push(rule);
    else if (code === UNKNOWN) unknown.push(rule);
  }
  return { applies, unknown };
}
