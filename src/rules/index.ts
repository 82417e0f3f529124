// Bulk and push matching: stored profiles kept as columns with bitmap postings on categorical facts, so a new rule is
// evaluated for a million profiles in milliseconds; and one changed profile re-checked against many rules.

import type { LeafNode, Op, RuleNode } from './ast.ts';
import { compileLeaf, rankSet } from './compile.ts';
import type { CompiledRule } from './compile.ts';
import { DEFAULT_CONTEXT, isPrepared } from './context.ts';
import type { PreparedProfile, RuleContext } from './context.ts';
import type { FactSpec, Profile } from './facts.ts';

/** The facts whose codes have postings: a required condition on one of them narrows the candidates. */
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

/**
 * The stored profiles a rule applies to (and, if asked, those it may apply to), with how they were found. Matching
 * yields row numbers; the ids are looked up when `applies` or `unknown` is first read (a million id strings take
 * longer to gather than the match itself), so a caller that only counts or pages can use the rows.
 */
export interface IndexMatch {
  /** Ids of the profiles the rule applies to, in row order. */
  readonly applies: readonly string[];
  /** Ids of the profiles for which it is unknown (only with `unknown: true`). */
  readonly unknown: readonly string[];
  /** The same as ascending row numbers (see ProfileIndex.idOf). */
  readonly appliesRows: Int32Array;
  readonly unknownRows: Int32Array;
  /** How many profiles were candidates. */
  readonly candidates: number;
  /** The fact whose postings gave the candidates, or undefined when every profile was a candidate. */
  readonly via: string | undefined;
}

/** An IndexMatch that looks its ids up on first read. */
class LazyMatch implements IndexMatch {
  private ids: { applies?: readonly string[]; unknown?: readonly string[] } = {};
  constructor(
    private readonly index: ProfileIndex,
    readonly appliesRows: Int32Array,
    readonly unknownRows: Int32Array,
    readonly candidates: number,
    readonly via: string | undefined,
  ) {}
  get applies(): readonly string[] {
    return (this.ids.applies ??= this.index.idsOf(this.appliesRows));
  }
  get unknown(): readonly string[] {
    return (this.ids.unknown ??= this.index.idsOf(this.unknownRows));
  }
}

/** How a rule will be matched: the postings of one required condition. */
export interface MatchPlan {
  readonly fact: string;
  readonly keys: readonly string[];
  /** Upper bound on the candidates (sum of the postings' sizes). */
  readonly estimate: number;
}

// Result codes of evaluate.ts, local for speed (see compile.ts).
const F = 0;
const U = 1;
const T = 2;

/** A set of rows: bit (o & 31) of word (o >>> 5). */
type Bits = Uint32Array;

const popcount = (x: number): number => {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
};
const countBits = (b: Bits): number => {
  let n = 0;
  for (let w = 0; w < b.length; w++) n += popcount(b[w] as number);
  return n;
};

/**
 * Every stored profile's value of one fact. Codes of closed vocabularies (masks) and booleans also have one
 * bitmap per code (or for true) — the postings — and a bitmap of the profiles missing the fact; numbers a range index.
 */
type Column =
  | { readonly kind: 'mask'; readonly data: Int32Array; readonly codes: readonly Bits[]; readonly missing: Bits }
  | { readonly kind: 'boolean'; readonly data: Int8Array; readonly yes: Bits; readonly missing: Bits }
  | {
      readonly kind: 'number';
      readonly data: Float64Array;
      /** Rows with a value, ordered by value, and their values in that order: a range index. */
      readonly order: Int32Array;
      readonly sorted: Float64Array;
      readonly missing: Bits;
    }
  | { readonly kind: 'value'; readonly data: unknown[] };

/** Builds a column from the prepared values of rows 0…n-1. */
function buildColumn(spec: FactSpec, masked: boolean, n: number, valueAt: (o: number) => unknown): Column {
  const words = (n + 31) >>> 5;
  if (masked) {
    const data = new Int32Array(n).fill(-1);
    const codes = (spec.values ?? []).map(() => new Uint32Array(words));
    const missing = new Uint32Array(words);
    for (let o = 0; o < n; o++) {
      const v = valueAt(o);
      const bit = 1 << (o & 31);
      if (v === undefined) {
        missing[o >>> 5] = (missing[o >>> 5] as number) | bit;
        continue;
      }
      data[o] = v as number;
      for (let b = 0, m = v as number; m !== 0; b++, m >>>= 1) {
        if ((m & 1) !== 0) {
          const set = codes[b] as Bits;
          set[o >>> 5] = (set[o >>> 5] as number) | bit;
        }
      }
    }
    return { kind: 'mask', data, codes, missing };
  }
  if (spec.type === 'boolean') {
    const data = new Int8Array(n).fill(-1);
    const yes = new Uint32Array(words);
    const missing = new Uint32Array(words);
    for (let o = 0; o < n; o++) {
      const v = valueAt(o);
      const bit = 1 << (o & 31);
      if (v === undefined) missing[o >>> 5] = (missing[o >>> 5] as number) | bit;
      else {
        data[o] = v === true ? 1 : 0;
        if (v === true) yes[o >>> 5] = (yes[o >>> 5] as number) | bit;
      }
    }
    return { kind: 'boolean', data, yes, missing };
  }
  if (spec.type === 'number') {
    const data = new Float64Array(n).fill(Number.NaN);
    for (let o = 0; o < n; o++) {
      const v = valueAt(o);
      if (v !== undefined) data[o] = v as number;
    }
    const missing = new Uint32Array(words);
    const known: number[] = [];
    for (let o = 0; o < n; o++) {
      if (Number.isNaN(data[o])) missing[o >>> 5] = (missing[o >>> 5] as number) | (1 << (o & 31));
      else known.push(o);
    }
    const order = Int32Array.from(known).sort((a, b) => (data[a] as number) - (data[b] as number));
    const sorted = Float64Array.from(order, (o) => data[o] as number);
    return { kind: 'number', data, order, sorted, missing };
  }
  return { kind: 'value', data: Array.from({ length: n }, (_, o) => valueAt(o)) };
}

/** A prepared value back from a column. */
function readColumn(column: Column, o: number): unknown {
  switch (column.kind) {
    case 'mask':
    case 'boolean': {
      const v = column.data[o] as number;
      return v < 0 ? undefined : column.kind === 'boolean' ? v === 1 : v;
    }
    case 'number': {
      const v = column.data[o] as number;
      return Number.isNaN(v) ? undefined : v;
    }
    case 'value':
      return column.data[o];
  }
}

/**
 * Evaluates a node for every row as two bitmaps, the rows where it is true and those where it is false (the rest
 * are unknown). Rows outside `scope` (the candidates) may be left wrong: callers only read rows in scope.
 */
type BitsEval = (t: Bits, f: Bits) => void;

/** Scratch bitmaps by tree depth, reused across matches. */
class BitsPool {
  private levels: Bits[][] = [];
  constructor(private readonly words: number) {}
  at(depth: number): [Bits, Bits] {
    let pair = this.levels[depth];
    if (pair === undefined) this.levels[depth] = pair = [new Uint32Array(this.words), new Uint32Array(this.words)];
    return pair as [Bits, Bits];
  }
}

/** What a bitmap evaluator reads: the columns, the rows that exist and the candidates. */
interface Scope {
  readonly columns: readonly Column[];
  readonly context: RuleContext;
  readonly rows: number;
  /** Every existing row. */
  readonly live: Bits;
  /** The candidates of the current match (rows computed row by row are limited to these). */
  scope: Bits;
}

/** t := the rows of `sets` combined by OR; f := known rows not in t. Used for codes and booleans. */
function fromSets(sets: readonly Bits[], missing: Bits, live: Bits, t: Bits, f: Bits, negate: boolean): void {
  const yes = negate ? f : t;
  const no = negate ? t : f;
  yes.fill(0);
  for (const s of sets) for (let w = 0; w < yes.length; w++) yes[w] = (yes[w] as number) | (s[w] as number);
  for (let w = 0; w < no.length; w++) no[w] = (live[w] as number) & ~(missing[w] as number) & ~(yes[w] as number);
}

/** Computes a leaf row by row over the candidates, from a per-row result code. */
function rowByRow(scope: Scope, code: (o: number) => number): BitsEval {
  return (t, f) => {
    t.fill(0);
    f.fill(0);
    const s = scope.scope;
    const n = scope.rows;
    for (let w = 0; w < s.length; w++) {
      let x = s[w] as number;
      let tw = 0;
      let fw = 0;
      while (x !== 0) {
        const b = 31 - Math.clz32(x & -x);
        x &= x - 1;
        const o = (w << 5) | b;
        if (o >= n) break;
        const c = code(o);
        if (c === T) tw |= 1 << b;
        else if (c === F) fw |= 1 << b;
      }
      t[w] = tw;
      f[w] = fw;
    }
  };
}

/** The first position in ascending `sorted` whose value is ≥ x (or > x when `after`). */
function bound(sorted: Float64Array, x: number, after: boolean): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const v = sorted[mid] as number;
    if (v < x || (after && v === x)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * A condition on a number through the column's range index: the rows that satisfy it are runs of the value order,
 * so the bits of whichever side is smaller (the runs, or the other known rows) are set one by one, and the other
 * side is the known rows less those. No comparison per row.
 */
function numberBits(column: Extract<Column, { kind: 'number' }>, op: Op, value: unknown, live: Bits): BitsEval {
  const { order, sorted, missing } = column;
  const runs: [number, number][] = [];
  const eqRun = (x: number): [number, number] => [bound(sorted, x, false), bound(sorted, x, true)];
  const x = value as number;
  const end = sorted.length;
  switch (op) {
    case 'gt':
      runs.push([bound(sorted, x, true), end]);
      break;
    case 'gte':
      runs.push([bound(sorted, x, false), end]);
      break;
    case 'lt':
      runs.push([0, bound(sorted, x, false)]);
      break;
    case 'lte':
      runs.push([0, bound(sorted, x, true)]);
      break;
    case 'eq':
    case 'ne':
      runs.push(eqRun(x));
      break;
    case 'in':
    case 'not_in':
      for (const v of new Set(value as number[])) runs.push(eqRun(v));
      break;
    case 'contains':
    case 'intersects':
    case 'exists':
      break;
  }
  runs.sort((a, b) => a[0] - b[0]);
  const negate = op === 'ne' || op === 'not_in';
  const inRuns = runs.reduce((k, [a, b]) => k + (b - a), 0);
  // Positions of the smaller side: the runs, or the gaps between them.
  const side: [number, number][] = [];
  const small = inRuns <= end - inRuns;
  if (small) side.push(...runs);
  else {
    let at = 0;
    for (const [a, b] of runs) {
      if (a > at) side.push([at, a]);
      at = Math.max(at, b);
    }
    if (at < end) side.push([at, end]);
  }
  // The side's rows satisfy the condition when it is the runs (less negation); else they fail it.
  const sideHolds = small !== negate;
  return (t, f) => {
    const marked = sideHolds ? t : f;
    const other = sideHolds ? f : t;
    marked.fill(0);
    for (const [a, b] of side) {
      for (let i = a; i < b; i++) {
        const o = order[i] as number;
        marked[o >>> 5] = (marked[o >>> 5] as number) | (1 << (o & 31));
      }
    }
    for (let w = 0; w < other.length; w++)
      other[w] = (live[w] as number) & ~(missing[w] as number) & ~(marked[w] as number);
  };
}

function leafBits(node: LeafNode, scope: Scope): BitsEval {
  const { context, columns, live } = scope;
  const k = context.slotOf(node.fact);
  const column = columns[k] as Column;
  const spec = context.facts[node.fact] as FactSpec;
  const { op, value } = node;
  if (op === 'exists' && (column.kind === 'mask' || column.kind === 'boolean')) {
    const missing = column.missing;
    const want = value !== false;
    return (t, f) => {
      for (let w = 0; w < t.length; w++) {
        const known = (live[w] as number) & ~(missing[w] as number);
        const gone = missing[w] as number;
        t[w] = want ? known : gone;
        f[w] = want ? gone : known;
      }
    };
  }
  if (column.kind === 'mask') {
    const codes =
      op === 'in' || op === 'not_in' || op === 'intersects'
        ? (value as string[])
        : op === 'gt' || op === 'gte' || op === 'lt' || op === 'lte'
          ? rankSet(spec, op, value as string)
          : [value as string];
    const m = context.maskOf(node.fact, codes) ?? 0;
    const sets = column.codes.filter((_, b) => (m & (1 << b)) !== 0);
    const negate = op === 'ne' || op === 'not_in';
    return (t, f) => fromSets(sets, column.missing, live, t, f, negate);
  }
  if (column.kind === 'boolean') {
    // eq true / ne false hold on the `yes` rows; eq false / ne true on the others.
    const onYes = (op === 'eq') === (value === true);
    return (t, f) => fromSets([column.yes], column.missing, live, t, f, !onYes);
  }
  if (column.kind === 'number') {
    const missing = column.missing;
    if (op !== 'exists') return numberBits(column, op, value, live);
    const want = value !== false;
    return (t, f) => {
      for (let w = 0; w < t.length; w++) {
        const known = (live[w] as number) & ~(missing[w] as number);
        t[w] = want ? known : (missing[w] as number);
        f[w] = want ? (missing[w] as number) : known;
      }
    };
  }
  // Anything else (names, lists too large for masks): the prepared-profile leaf on a one-slot scratch row.
  const f = compileLeaf(node, context);
  const scratch: unknown[] = new Array<unknown>(k + 1).fill(undefined);
  return rowByRow(scope, (o) => {
    scratch[k] = readColumn(column, o);
    return f(scratch);
  });
}

/** Kleene logic on bitmap pairs: all is true where every child is, false where any is; any the converse; not swaps. */
function treeBits(node: RuleNode, scope: Scope, pool: BitsPool, depth = 0): BitsEval {
  switch (node.kind) {
    case 'leaf':
      return leafBits(node, scope);
    case 'not': {
      const c = treeBits(node.child, scope, pool, depth + 1);
      return (t, f) => c(f, t);
    }
    case 'all':
    case 'any': {
      const [first, ...rest] = node.children.map((c) => treeBits(c, scope, pool, depth + 1));
      const isAll = node.kind === 'all';
      return (t, f) => {
        (first as BitsEval)(t, f);
        const [t2, f2] = pool.at(depth);
        for (const c of rest) {
          c(t2, f2);
          for (let w = 0; w < t.length; w++) {
            if (isAll) {
              t[w] = (t[w] as number) & (t2[w] as number);
              f[w] = (f[w] as number) | (f2[w] as number);
            } else {
              t[w] = (t[w] as number) | (t2[w] as number);
              f[w] = (f[w] as number) & (f2[w] as number);
            }
          }
        }
      };
    }
  }
}

/** The conditions every applying (or undecided) profile must satisfy (or leave undecided): leaves under top-level alls. */
function requiredLeaves(node: RuleNode, out: LeafNode[] = []): LeafNode[] {
  if (node.kind === 'leaf') out.push(node);
  else if (node.kind === 'all') for (const c of node.children) requiredLeaves(c, out);
  return out;
}

/** The codes a profile must hold for a required condition to hold, or undefined when it cannot narrow. */
function keysOf(leaf: LeafNode, spec: FactSpec): readonly string[] | undefined {
  const v = leaf.value;
  switch (leaf.op) {
    case 'intersects':
    case 'in':
      return v as readonly string[];
    case 'contains':
    case 'eq':
      return [v as string];
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return spec.type === 'enum' ? rankSet(spec, leaf.op, v as string) : undefined;
    case 'ne':
    case 'not_in':
    case 'exists':
      return undefined;
  }
}

/** Appends the rows of a bitmap, ascending, to `out` from position `at`; returns the new length. */
function rowsOf(bits: Bits, n: number, out: Int32Array, at: number): number {
  for (let w = 0; w < bits.length; w++) {
    let x = bits[w] as number;
    while (x !== 0) {
      const b = 31 - Math.clz32(x & -x);
      x &= x - 1;
      const o = (w << 5) | b;
      if (o < n) out[at++] = o;
    }
  }
  return at;
}

/**
 * An in-memory index of stored profiles (by id) for push matching. Profiles are kept as columns, and every code
 * of the categorical facts (jurisdictions with their ancestors, sectors, scenarios, activities, risk level) and
 * every boolean has a bitmap of the profiles holding it. A rule is matched by taking as candidates the profiles in
 * the postings of its most selective required condition (plus, when unknown outcomes are wanted, those missing
 * that fact), then evaluating it on bitmaps: conditions on codes and booleans are word-wide bit operations, numbers
 * go through a range index (rows sorted by value), and only what is left (names, vocabularies too large for masks)
 * is evaluated row by row, for the candidates only. Changed profiles go to a small overlay, evaluated one by one,
 * until `compact()`.
 */
export class ProfileIndex {
  private ids: string[] = [];
  private ordinal = new Map<string, number>();
  private scope: Scope;
  private pool: BitsPool;
  private postings = new Map<string, Map<string, { bits: Bits; size: number }>>();
  private missing = new Map<string, { bits: Bits; size: number }>();
  /** Rows replaced or removed since the last build. */
  private dead: Bits = new Uint32Array(0);
  private deadCount = 0;
  /** Profiles added or changed since the last build, by id. */
  private overlay = new Map<string, PreparedProfile>();
  private evaluators = new WeakMap<CompiledRule, BitsEval>();
  private work = { t: new Uint32Array(0), f: new Uint32Array(0), scope: new Uint32Array(0) };

  private constructor(readonly context: RuleContext) {
    this.scope = { columns: [], context, rows: 0, live: new Uint32Array(0), scope: new Uint32Array(0) };
    this.pool = new BitsPool(0);
  }

  /** Builds the index from [id, profile] pairs (ids unique; a repeated id keeps its last profile). */
  static build(
    entries: Iterable<readonly [string, Profile | PreparedProfile]>,
    context: RuleContext = DEFAULT_CONTEXT,
  ): ProfileIndex {
    const index = new ProfileIndex(context);
    const ids: string[] = [];
    const rows: PreparedProfile[] = [];
    const seen = new Map<string, number>();
    for (const [id, profile] of entries) {
      const row = isPrepared(profile) ? profile : context.prepare(profile);
      const at = seen.get(id);
      if (at !== undefined) rows[at] = row;
      else {
        seen.set(id, ids.length);
        ids.push(id);
        rows.push(row);
      }
    }
    index.load(ids, (o, slot) => (rows[o] as PreparedProfile)[slot]);
    return index;
  }

  /** Lays out the columns and postings for `ids`, reading each fact through `valueAt`. */
  private load(ids: string[], valueAt: (o: number, slot: number) => unknown): void {
    const ctx = this.context;
    const n = ids.length;
    const words = (n + 31) >>> 5;
    this.ids = ids;
    this.ordinal = new Map(ids.map((id, i) => [id, i]));
    this.dead = new Uint32Array(words);
    this.deadCount = 0;
    this.overlay = new Map();
    this.evaluators = new WeakMap();
    this.pool = new BitsPool(words);
    this.work = { t: new Uint32Array(words), f: new Uint32Array(words), scope: new Uint32Array(words) };
    const live = new Uint32Array(words).fill(0xffffffff);
    if ((n & 31) !== 0) live[words - 1] = (1 << (n & 31)) - 1;
    const columns = ctx.paths.map((path, slot) =>
      buildColumn(ctx.facts[path] as FactSpec, ctx.maskOf(path, []) !== undefined, n, (o) => valueAt(o, slot)),
    );
    this.scope = { columns, context: ctx, rows: n, live, scope: live };
    this.postings = new Map();
    this.missing = new Map();
    for (const fact of INDEXED_FACTS) {
      const column = columns[ctx.slotOf(fact)];
      if (column?.kind !== 'mask') continue;
      const vocabulary = ctx.facts[fact]?.values ?? [];
      this.postings.set(
        fact,
        new Map(column.codes.map((bits, b) => [vocabulary[b] as string, { bits, size: countBits(bits) }])),
      );
      this.missing.set(fact, { bits: column.missing, size: countBits(column.missing) });
    }
  }

  /** The id of a row number from a match. */
  idOf(row: number): string {
    const n = this.ids.length;
    if (row < n) return this.ids[row] as string;
    let k = n;
    for (const id of this.overlay.keys()) if (k++ === row) return id;
    throw new RangeError(`No row ${row}`);
  }

  /** The ids of row numbers from a match, in order. */
  idsOf(rows: Int32Array): string[] {
    const n = this.ids.length;
    const overlay = rows.some((r) => r >= n) ? [...this.overlay.keys()] : [];
    const out = new Array<string>(rows.length);
    const ids = this.ids;
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i] as number;
      out[i] = r < n ? (ids[r] as string) : (overlay[r - n] as string);
    }
    return out;
  }

  /** How many profiles are stored. */
  get size(): number {
    return this.ids.length - this.deadCount + this.overlay.size;
  }

  private kill(id: string): void {
    const o = this.ordinal.get(id);
    if (o === undefined) return;
    const bit = 1 << (o & 31);
    if (((this.dead[o >>> 5] as number) & bit) === 0) {
      this.dead[o >>> 5] = (this.dead[o >>> 5] as number) | bit;
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

  /** Rebuilds columns and postings with the overlay folded in. */
  compact(): void {
    const alive = (o: number): boolean => ((this.dead[o >>> 5] as number) & (1 << (o & 31))) === 0;
    const live = this.ids.map((_, o) => o).filter(alive);
    const extra = [...this.overlay];
    const { columns } = this.scope;
    this.load([...live.map((o) => this.ids[o] as string), ...extra.map(([id]) => id)], (o, slot) =>
      o < live.length
        ? readColumn(columns[slot] as Column, live[o] as number)
        : (extra[o - live.length] as [string, PreparedProfile])[1][slot],
    );
  }

  /** The postings a rule would be matched through, or undefined when every profile is a candidate. */
  plan(rule: CompiledRule, options: MatchOptions = {}): MatchPlan | undefined {
    let best: MatchPlan | undefined;
    for (const leaf of requiredLeaves(rule.root)) {
      const postings = this.postings.get(leaf.fact);
      const spec = this.context.facts[leaf.fact];
      if (postings === undefined || spec === undefined) continue;
      const keys = keysOf(leaf, spec);
      if (keys === undefined) continue;
      let estimate = options.unknown ? (this.missing.get(leaf.fact)?.size ?? 0) : 0;
      for (const k of keys) estimate += postings.get(k)?.size ?? 0;
      if (best === undefined || estimate < best.estimate) best = { fact: leaf.fact, keys, estimate };
    }
    return best !== undefined && best.estimate < this.ids.length ? best : undefined;
  }

  /** The stored profiles a compiled rule applies to (and, with `unknown`, those it may apply to). */
  match(rule: CompiledRule, options: MatchOptions = {}): IndexMatch {
    const wantUnknown = options.unknown === true;
    const n = this.ids.length;
    const { live } = this.scope;
    const { t, f } = this.work;
    const scope = this.work.scope;
    const plan = this.plan(rule, options);
    // Candidates: the union of the chosen postings (and the profiles missing that fact), less removed rows.
    if (plan === undefined) scope.set(live);
    else {
      scope.fill(0);
      const postings = this.postings.get(plan.fact) as Map<string, { bits: Bits }>;
      const sets = plan.keys.map((k) => postings.get(k)?.bits).filter((b): b is Bits => b !== undefined);
      if (wantUnknown) sets.push((this.missing.get(plan.fact) as { bits: Bits }).bits);
      for (const s of sets) for (let w = 0; w < scope.length; w++) scope[w] = (scope[w] as number) | (s[w] as number);
    }
    if (this.deadCount > 0)
      for (let w = 0; w < scope.length; w++) scope[w] = (scope[w] as number) & ~(this.dead[w] as number);
    this.scope.scope = scope;
    let evaluator = this.evaluators.get(rule);
    if (evaluator === undefined) this.evaluators.set(rule, (evaluator = treeBits(rule.root, this.scope, this.pool)));
    evaluator(t, f);
    // Applying rows: true and a candidate; unknown rows: a candidate, neither true nor false.
    for (let w = 0; w < t.length; w++) {
      const s = scope[w] as number;
      const tw = (t[w] as number) & s;
      f[w] = wantUnknown ? s & ~tw & ~(f[w] as number) : 0;
      t[w] = tw;
    }
    const extra = this.overlay.size;
    const applies = new Int32Array(countBits(t) + extra);
    const unknown = new Int32Array((wantUnknown ? countBits(f) : 0) + extra);
    let na = rowsOf(t, n, applies, 0);
    let nu = wantUnknown ? rowsOf(f, n, unknown, 0) : 0;
    const candidates = countBits(scope) + extra;
    // Overlay profiles are numbered after the stored ones, in overlay order.
    let o = n;
    for (const row of this.overlay.values()) {
      const code = rule.evaluate(row);
      if (code === T) applies[na++] = o;
      else if (code === U && wantUnknown) unknown[nu++] = o;
      o++;
    }
    return new LazyMatch(this, applies.subarray(0, na), unknown.subarray(0, nu), candidates, plan?.fact);
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
    if (code === T) applies.push(rule);
    else if (code === U) unknown.push(rule);
  }
  return { applies, unknown };
}
