// Static check of an authored rule: shape, facts, operators, value types and conditions that can never hold.

import { OPS, joinPath } from './ast.ts';
import type { Op, Rule } from './ast.ts';
import { FACTS } from './facts.ts';
import type { FactCatalogue, FactSpec, FactType } from './facts.ts';
import { testCondition } from './interpret.ts';

/** One problem in a rule: where (`all[1].any[0].value`, '' for the root) and what. */
export interface RuleIssue {
  readonly path: string;
  readonly message: string;
}

/** The operators each type of fact accepts. */
export const OPS_BY_TYPE: Readonly<Record<FactType, readonly Op[]>> = Object.freeze({
  list: ['intersects', 'contains', 'exists'],
  enum: ['eq', 'ne', 'in', 'not_in', 'gt', 'gte', 'lt', 'lte', 'exists'],
  boolean: ['eq', 'ne', 'exists'],
  number: ['eq', 'ne', 'in', 'not_in', 'gt', 'gte', 'lt', 'lte', 'exists'],
  string: ['eq', 'ne', 'in', 'not_in', 'exists'],
});

/** Operators whose value is a list. */
const LIST_VALUED: ReadonlySet<Op> = new Set(['in', 'not_in', 'intersects']);
const ANNOTATION_KEYS = ['id', 'label', 'citation'];
const SHAPE_KEYS = ['all', 'any', 'not', 'fact'] as const;
const LABEL_KEYS = ['en', 'zh'];
const CITATION_KEYS = ['source', 'instrument', 'provision'];

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const show = (v: unknown): string => (typeof v === 'string' ? `'${v}'` : (JSON.stringify(v) ?? String(v)));

/** The operators a fact of this spec accepts (ordering comparisons only on ordered enums). */
export function opsFor(spec: FactSpec): readonly Op[] {
  if (spec.type === 'enum' && !spec.ordered)
    return OPS_BY_TYPE.enum.filter((op) => !op.startsWith('g') && !op.startsWith('l'));
  return OPS_BY_TYPE[spec.type];
}

/** Values worth trying for a scalar fact constrained by these literals: one in every region they cut out. */
export function sampleScalars(spec: FactSpec, literals: readonly unknown[]): unknown[] {
  switch (spec.type) {
    case 'boolean':
      return [true, false];
    case 'enum':
      return [...(spec.values ?? literals)];
    case 'string':
      return [...new Set([...literals, '\u0000another value'])];
    case 'number': {
      const xs = [...new Set([...literals.filter((x): x is number => typeof x === 'number'), spec.min ?? 0])].sort(
        (a, b) => a - b,
      );
      const points = new Set<number>();
      xs.forEach((x, i) => {
        for (const p of [x, x - 1, x + 1, x - 0.5, x + 0.5]) points.add(p);
        const next = xs[i + 1];
        if (next !== undefined) points.add((x + next) / 2);
      });
      for (const p of [...points]) {
        points.add(Math.floor(p));
        points.add(Math.ceil(p));
      }
      return [...points]
        .filter((p) => (spec.min === undefined || p >= spec.min) && (!spec.integer || Number.isInteger(p)))
        .sort((a, b) => a - b);
    }
    case 'list':
      return [];
  }
}

/**
 * Checks an authored rule against a fact catalogue and lists every problem with its path: unknown facts or
 * operators, wrong value types, codes outside a closed set, empty all/any, and conditions that can never hold
 * (alone, or together with their siblings under one `all`). An empty list means the rule can be compiled.
 */
export function checkRule(rule: unknown, facts: FactCatalogue = FACTS): RuleIssue[] {
  const issues: RuleIssue[] = [];
  const issue = (path: string, message: string): void => {
    issues.push({ path, message });
  };

  const checkText = (value: unknown, path: string, keys: readonly string[], what: string): void => {
    if (!isObject(value)) {
      issue(path, `${what} must be an object with ${keys.join(', ')}`);
      return;
    }
    for (const [k, v] of Object.entries(value)) {
      if (!keys.includes(k)) issue(joinPath(path, k), `unknown key '${k}' in ${what}; use ${keys.join(', ')}`);
      else if (typeof v !== 'string' || v.trim() === '')
        issue(joinPath(path, k), `${what}.${k} must be a non-empty string`);
    }
  };

  /** Checks one code or number against the fact; returns whether it is valid. */
  const checkScalar = (spec: FactSpec, value: unknown, path: string): boolean => {
    const want = spec.type === 'list' || spec.type === 'enum' ? 'string' : spec.type;
    if (want === 'number' ? typeof value !== 'number' || !Number.isFinite(value) : typeof value !== want) {
      issue(path, `${spec.path} compares with a ${want === 'string' ? 'code (string)' : want}, not ${show(value)}`);
      return false;
    }
    if (
      spec.values !== undefined &&
      (spec.type === 'enum' || spec.type === 'list') &&
      !spec.values.includes(value as string)
    ) {
      issue(path, `${show(value)} is not a value of ${spec.path} (${spec.values.join(', ')})`);
      return false;
    }
    return true;
  };

  /** Whether some valid value of the fact satisfies a condition (false: it can never hold). */
  const satisfiable = (spec: FactSpec, conds: readonly { op: Op; value: unknown }[]): boolean => {
    const literals = conds.flatMap((c) => (Array.isArray(c.value) ? (c.value as unknown[]) : [c.value]));
    return sampleScalars(spec, literals).some((x) =>
      conds.every((c) => testCondition(spec, c.op, x, c.value) === true),
    );
  };

  /** Checks a leaf; returns its fact spec, op and value when the leaf is well-formed. */
  const checkLeaf = (
    r: Record<string, unknown>,
    path: string,
  ): { spec: FactSpec; op: Op; value: unknown } | undefined => {
    for (const k of Object.keys(r)) {
      if (!['fact', 'op', 'value', ...ANNOTATION_KEYS].includes(k))
        issue(joinPath(path, k), `unknown key '${k}' in a condition`);
    }
    const fact = r.fact;
    const spec =
      typeof fact === 'string' && Object.prototype.hasOwnProperty.call(facts, fact) ? facts[fact] : undefined;
    if (spec === undefined) {
      issue(joinPath(path, 'fact'), `unknown fact ${show(fact)}; known facts: ${Object.keys(facts).join(', ')}`);
      return undefined;
    }
    const op = r.op;
    if (typeof op !== 'string' || !(OPS as readonly string[]).includes(op)) {
      issue(joinPath(path, 'op'), `unknown operator ${show(op)}; use one of ${OPS.join(', ')}`);
      return undefined;
    }
    const allowed = opsFor(spec);
    if (!allowed.includes(op as Op)) {
      issue(
        joinPath(path, 'op'),
        `${op} does not apply to ${spec.path}, a ${spec.type} fact; use one of ${allowed.join(', ')}`,
      );
      return undefined;
    }
    const valuePath = joinPath(path, 'value');
    const value = r.value;
    if (op === 'exists') {
      if (value !== undefined && typeof value !== 'boolean') {
        issue(valuePath, `exists takes true (the fact is known) or false (it is not), not ${show(value)}`);
        return undefined;
      }
      return { spec, op, value: value ?? true };
    }
    if (value === undefined || value === null) {
      issue(valuePath, `${op} needs a value`);
      return undefined;
    }
    if (LIST_VALUED.has(op as Op)) {
      if (!Array.isArray(value)) {
        issue(valuePath, `${op} compares with a list of values, not ${show(value)}`);
        return undefined;
      }
      if (value.length === 0) {
        issue(valuePath, `${op} with an empty list ${op === 'not_in' ? 'always holds' : 'can never hold'}`);
        return undefined;
      }
      let ok = true;
      value.forEach((v, i) => {
        ok = checkScalar(spec, v, `${valuePath}[${i}]`) && ok;
      });
      if (!ok) return undefined;
    } else if (!checkScalar(spec, value, valuePath)) return undefined;
    if (spec.type !== 'list' && !satisfiable(spec, [{ op: op as Op, value }])) {
      issue(valuePath, `${spec.path} ${op} ${show(value)} can never hold`);
      return undefined;
    }
    return { spec, op: op as Op, value };
  };

  const checkNode = (r: unknown, path: string): { spec: FactSpec; op: Op; value: unknown } | undefined => {
    if (!isObject(r)) {
      issue(path, `a condition must be an object with one of all, any, not or fact, not ${show(r)}`);
      return undefined;
    }
    const shapes = SHAPE_KEYS.filter((k) => k in r);
    if (shapes.length !== 1) {
      issue(
        path,
        shapes.length === 0
          ? 'a condition needs one of all, any, not or fact'
          : `a condition has exactly one of all, any, not or fact, not ${shapes.join(' and ')}`,
      );
      return undefined;
    }
    if (r.id !== undefined && (typeof r.id !== 'string' || r.id === ''))
      issue(joinPath(path, 'id'), 'id must be a non-empty string');
    if (r.label !== undefined) checkText(r.label, joinPath(path, 'label'), LABEL_KEYS, 'label');
    if (r.citation !== undefined) checkText(r.citation, joinPath(path, 'citation'), CITATION_KEYS, 'citation');
    const shape = shapes[0];
    if (shape === 'fact') return checkLeaf(r, path);
    for (const k of Object.keys(r)) {
      if (k !== shape && !ANNOTATION_KEYS.includes(k)) issue(joinPath(path, k), `unknown key '${k}' beside ${shape}`);
    }
    if (shape === 'not') {
      checkNode(r.not, joinPath(path, 'not'));
      return undefined;
    }
    const children = r[shape as 'all' | 'any'];
    if (!Array.isArray(children)) {
      issue(joinPath(path, shape as string), `${shape} must be a list of conditions`);
      return undefined;
    }
    if (children.length === 0) {
      issue(joinPath(path, shape as string), `${shape} needs at least one condition`);
      return undefined;
    }
    const leaves = children.map((c, i) => checkNode(c, joinPath(path, `${shape}[${i}]`)));
    if (shape === 'all') checkConjunction(leaves, path);
    return undefined;
  };

  /** Sibling conditions under one `all` on the same single-valued fact that no value satisfies together. */
  const checkConjunction = (
    leaves: readonly ({ spec: FactSpec; op: Op; value: unknown } | undefined)[],
    path: string,
  ): void => {
    const byFact = new Map<string, { i: number; op: Op; value: unknown }[]>();
    leaves.forEach((leaf, i) => {
      if (leaf === undefined || leaf.op === 'exists' || leaf.spec.type === 'list') return;
      const list = byFact.get(leaf.spec.path) ?? [];
      list.push({ i, op: leaf.op, value: leaf.value });
      byFact.set(leaf.spec.path, list);
    });
    for (const [fact, conds] of byFact) {
      const spec = facts[fact];
      if (spec === undefined || conds.length < 2) continue;
      for (let k = 2; k <= conds.length; k++) {
        if (satisfiable(spec, conds.slice(0, k))) continue;
        const last = conds[k - 1];
        const earlier = conds.slice(0, k - 1).map((c) => joinPath(path, `all[${c.i}]`));
        if (last !== undefined) {
          issue(
            joinPath(path, `all[${last.i}]`),
            `can never hold together with ${earlier.join(', ')}: no ${fact} satisfies them all`,
          );
        }
        break;
      }
    }
  };

  checkNode(rule, '');
  return issues;
}

/** Whether a value passed checkRule: a type guard for callers that then treat it as a Rule. */
export const isValidRule = (rule: unknown, facts: FactCatalogue = FACTS): rule is Rule =>
  checkRule(rule, facts).length === 0;
