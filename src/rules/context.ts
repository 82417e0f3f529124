// What rules are compiled against: the fact catalogue and the jurisdiction tree; and profiles prepared once for them.

import { FACTS, JURISDICTION_TREE, isFactValue } from './facts.ts';
import type { FactCatalogue, FactSpec, JurisdictionTree, Profile } from './facts.ts';
import { withAncestors } from './interpret.ts';

declare const prepared: unique symbol;

/**
 * A profile prepared for evaluation: one slot per fact in catalogue order, holding the fact's encoded value, or
 * undefined when it is missing or invalid; the last slot is the source profile. Codes of a closed vocabulary of at
 * most 30 (enums, and lists such as sectors) are encoded as a bit mask, a list's mask OR-ing its codes' bits;
 * jurisdictions include their ancestors. Prepare once, evaluate against every rule compiled with the same context.
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
  /** The mask of these codes when the fact is mask-encoded (unknown codes add nothing), else undefined. */
  maskOf(path: string, codes: readonly string[]): number | undefined;
  /** A prepared slot's value as plain data: masks back to codes (in vocabulary order), others as they are. */
  decode(path: string, value: unknown): unknown;
  /** Prepares a profile: reads every fact once, drops invalid values, encodes codes, expands jurisdictions. */
  prepare(profile: Profile): PreparedProfile;
  /** Prepares one fact's raw value for its slot (used to try values when explaining). */
  prepareValue(path: string, value: unknown): unknown;
  /** The source profile of a prepared one. */
  sourceOf(prepared: PreparedProfile): Profile;
}

/** Whether a value is a prepared profile rather than a raw one. */
export const isPrepared = (value: Profile | PreparedProfile): value is PreparedProfile => Array.isArray(value);

/** The most codes a vocabulary may have to be encoded as a bit mask (masks stay small integers). */
export const MAX_MASK_CODES = 30;

/**
 * Creates a rule context. With no tree, the shipped jurisdictions are used; the catalogue's jurisdiction codes are
 * then those of the tree, so rules naming codes outside it fail the check.
 */
export function createContext(options: ContextOptions = {}): RuleContext {
  const tree = options.jurisdictions ?? JURISDICTION_TREE;
  let facts = options.facts ?? FACTS;
  if (options.jurisdictions !== undefined && facts.jurisdictions !== undefined) {
    const codes = tree instanceof Map ? [...tree.keys()] : Object.keys(tree);
    facts = Object.freeze({
      ...facts,
      jurisdictions: Object.freeze({ ...facts.jurisdictions, values: Object.freeze(codes) }),
    });
  }
  const paths = Object.freeze(Object.keys(facts));
  const specs: readonly FactSpec[] = paths.map((p) => facts[p] as FactSpec);
  const keys: readonly (readonly string[])[] = paths.map((p) => p.split('.'));
  const slots = new Map(paths.map((p, i) => [p, i]));
  /** Per slot: code → bit, for closed vocabularies small enough to be masks. */
  const bits: readonly (ReadonlyMap<string, number> | undefined)[] = specs.map((s) =>
    (s.type === 'list' || s.type === 'enum') && s.values !== undefined && s.values.length <= MAX_MASK_CODES
      ? new Map(s.values.map((code, i) => [code, 1 << i]))
      : undefined,
  );
  const ancestorCache = new Map<string, readonly string[]>();
  const maskCache = new Map<string, number>();
  const ancestors = (code: string): readonly string[] => {
    let hit = ancestorCache.get(code);
    if (hit === undefined) {
      hit = withAncestors(tree, code);
      if (ancestorCache.size < 100_000) ancestorCache.set(code, hit);
    }
    return hit;
  };
  /** The bits of a code and, for a tree, of its ancestors. */
  const codeMask = (slot: number, spec: FactSpec, code: string): number => {
    const map = bits[slot] as ReadonlyMap<string, number>;
    if (!spec.hierarchical) return map.get(code) ?? 0;
    let m = maskCache.get(code);
    if (m === undefined) {
      m = 0;
      for (const a of ancestors(code)) m |= map.get(a) ?? 0;
      if (maskCache.size < 100_000) maskCache.set(code, m);
    }
    return m;
  };

  /** One encoder per slot, chosen once: raw value → prepared value (undefined when invalid). */
  const encoders: readonly ((raw: unknown) => unknown)[] = specs.map((spec, slot) => {
    const map = bits[slot];
    switch (spec.type) {
      case 'boolean':
        return (raw) => (typeof raw === 'boolean' ? raw : undefined);
      case 'number':
        return (raw) => (typeof raw === 'number' && Number.isFinite(raw) ? raw : undefined);
      case 'string':
        return (raw) => (typeof raw === 'string' ? raw : undefined);
      case 'enum':
        if (map !== undefined) return (raw) => (typeof raw === 'string' ? map.get(raw) : undefined);
        return (raw) => (isFactValue(spec, raw) ? raw : undefined);
      case 'list':
        if (map !== undefined) {
          return (raw) => {
            if (!Array.isArray(raw)) return undefined;
            let m = 0;
            for (let i = 0; i < raw.length; i++) {
              const code: unknown = raw[i];
              if (typeof code === 'string') m |= spec.hierarchical ? codeMask(slot, spec, code) : (map.get(code) ?? 0);
            }
            return m;
          };
        }
        return (raw) => {
          if (!Array.isArray(raw)) return undefined;
          const out: string[] = [];
          for (const code of raw as readonly unknown[]) {
            if (typeof code !== 'string') continue;
            for (const a of spec.hierarchical ? ancestors(code) : [code]) if (!out.includes(a)) out.push(a);
          }
          return out;
        };
    }
  });
  /** Where each fact sits in a raw profile: a key, then a field of the object found there, then any deeper keys. */
  const heads = keys.map((k) => k[0] as string);
  const tails = keys.map((k) => k[1]);
  const deeper = keys.map((k) => k.slice(2));

  return Object.freeze({
    facts,
    tree,
    paths,
    slotOf: (path: string) => slots.get(path) ?? -1,
    maskOf(path: string, codes: readonly string[]): number | undefined {
      const map = bits[slots.get(path) ?? -1];
      if (map === undefined) return undefined;
      let m = 0;
      for (const c of codes) m |= map.get(c) ?? 0;
      return m;
    },
    decode(path: string, value: unknown): unknown {
      const slot = slots.get(path) ?? -1;
      const map = bits[slot];
      if (map === undefined || typeof value !== 'number') return value;
      const codes = [...map].filter(([, bit]) => (value & bit) !== 0).map(([code]) => code);
      return specs[slot]?.type === 'enum' ? codes[0] : codes;
    },
    prepare(profile: Profile): PreparedProfile {
      const n = specs.length;
      const out = new Array<unknown>(n + 1);
      const p = profile as Record<string, unknown>;
      for (let i = 0; i < n; i++) {
        let v = p[heads[i] as string];
        const tail = tails[i];
        if (tail !== undefined)
          v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[tail] : undefined;
        for (const key of deeper[i] as readonly string[])
          v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined;
        out[i] = v === undefined ? undefined : (encoders[i] as (raw: unknown) => unknown)(v);
      }
      out[n] = profile;
      return out as unknown as PreparedProfile;
    },
    prepareValue(path: string, value: unknown): unknown {
      const slot = slots.get(path);
      return slot === undefined || value === undefined
        ? undefined
        : (encoders[slot] as (raw: unknown) => unknown)(value);
    },
    sourceOf: (p: PreparedProfile) => p[specs.length] as Profile,
  });
}

/** The context of the shipped jurisdictions and the profile-v1 facts. */
export const DEFAULT_CONTEXT: RuleContext = createContext();
