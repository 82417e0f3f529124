// What rules are compiled against: the fact catalogue and the jurisdiction tree; and profiles prepared once for them.

import { FACTS, JURISDICTION_TREE, isFactValue } from './facts.ts';
import type { FactCatalogue, FactSpec, JurisdictionTree, Profile } from './facts.ts';
import { withAncestors } from './interpret.ts';

declare const prepared: unique symbol;

/**
 * A profile prepared for evaluation: one slot per fact in catalogue order, holding the fact's value or undefined
 * when it is missing or invalid; hierarchical lists already include ancestors; the last slot is the source profile.
 * Prepare once, evaluate against any number of rules compiled with the same context.
 */
export type PreparedProfile = readonly unknown[] & { readonly [prepared]: true };

/** Options for a context: a jurisdiction tree (code → parent) and a fact catalogue. */
export interface ContextOptions {
  readonly jurisdictions?: JurisdictionTree;
  readonly facts?: FactCatalogue;
}

/** The fact catalogue and jurisdiction tree rules are compiled against, with profile preparation. */
export interface RuleContext {
  readonly facts: FactCatalogue;
  readonly tree: JurisdictionTree;
  /** Fact paths in slot order. */
  readonly paths: readonly string[];
  /** The slot of a fact in a prepared profile, or -1. */
  slotOf(path: string): number;
  /** A code with its ancestors, nearest first (cached; the same frozen array each time). */
  ancestors(code: string): readonly string[];
  /** Prepares a profile: reads every fact once, drops invalid values, expands jurisdictions. */
  prepare(profile: Profile): PreparedProfile;
  /** Prepares one fact's raw value for its slot (used to try values when explaining). */
  prepareValue(path: string, value: unknown): unknown;
  /** The source profile of a prepared one. */
  sourceOf(prepared: PreparedProfile): Profile;
}

/** Whether a value is a prepared profile rather than a raw one. */
export const isPrepared = (value: Profile | PreparedProfile): value is PreparedProfile => Array.isArray(value);

const EMPTY: readonly string[] = Object.freeze([]);

/**
 * Creates a rule context. With no tree, the shipped jurisdictions are used; the catalogue's jurisdiction codes are
 * then those of the tree, so rules naming codes outside it fail the check.
 */
export function createContext(options: ContextOptions = {}): RuleContext {
  const tree = options.jurisdictions ?? JURISDICTION_TREE;
  let facts = options.facts ?? FACTS;
  if (options.jurisdictions !== undefined && facts.jurisdictions !== undefined) {
    const codes = tree instanceof Map ? [...tree.keys()] : Object.keys(tree);
    facts = Object.freeze({ ...facts, jurisdictions: Object.freeze({ ...facts.jurisdictions, values: Object.freeze(codes) }) });
  }
  const paths = Object.freeze(Object.keys(facts));
  const specs: readonly FactSpec[] = paths.map((p) => facts[p] as FactSpec);
  const keys: readonly (readonly string[])[] = paths.map((p) => p.split('.'));
  const slots = new Map(paths.map((p, i) => [p, i]));
  const cache = new Map<string, readonly string[]>();

  const ancestors = (code: string): readonly string[] => {
    let hit = cache.get(code);
    if (hit === undefined) {
      hit = Object.freeze(withAncestors(tree, code));
      if (cache.size < 100_000) cache.set(code, hit);
    }
    return hit;
  };

  const prepareSpec = (spec: FactSpec, raw: unknown): unknown => {
    if (!isFactValue(spec, raw)) return undefined;
    if (spec.type !== 'list') return raw;
    const list = raw as readonly unknown[];
    if (spec.hierarchical) {
      if (list.length === 0) return EMPTY;
      if (list.length === 1) return typeof list[0] === 'string' ? ancestors(list[0]) : EMPTY;
      const out: string[] = [];
      for (const code of list) {
        if (typeof code !== 'string') continue;
        for (const a of ancestors(code)) if (!out.includes(a)) out.push(a);
      }
      return out;
    }
    for (const v of list) if (typeof v !== 'string') return list.filter((x) => typeof x === 'string');
    return list;
  };

  return Object.freeze({
    facts,
    tree,
    paths,
    slotOf: (path: string) => slots.get(path) ?? -1,
    ancestors,
    prepare(profile: Profile): PreparedProfile {
      const out = new Array<unknown>(specs.length + 1);
      for (let i = 0; i < specs.length; i++) {
        const path = keys[i] as readonly string[];
        let v: unknown = profile;
        for (let k = 0; k < path.length && v !== undefined; k++) {
          v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[path[k] as string] : undefined;
        }
        out[i] = v === undefined ? undefined : prepareSpec(specs[i] as FactSpec, v);
      }
      out[specs.length] = profile;
      return out as unknown as PreparedProfile;
    },
    prepareValue(path: string, value: unknown): unknown {
      const spec = facts[path];
      return spec === undefined || value === undefined ? undefined : prepareSpec(spec, value);
    },
    sourceOf: (p: PreparedProfile) => p[specs.length] as Profile,
  });
}

/** The context of the shipped jurisdictions and the profile-v1 facts. */
export const DEFAULT_CONTEXT: RuleContext = createContext();
