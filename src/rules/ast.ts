// Rules as data: the authored shape (`{all}`, `{any}`, `{not}`, `{fact, op, value}`), factories, and the numbered tree.

import type { Bilingual } from './facts.ts';

/** The comparison operators a condition may use. */
export const OPS = ['eq', 'ne', 'in', 'not_in', 'intersects', 'contains', 'gt', 'gte', 'lt', 'lte', 'exists'] as const;
export type Op = (typeof OPS)[number];

/** A label in one or both languages. */
export type RuleLabel = Readonly<Partial<Bilingual>>;

/** Where a condition comes from: a source id, an instrument id and a provision within it. */
export interface RuleCitation {
  readonly source?: string;
  readonly instrument?: string;
  readonly provision?: string;
}

/** What every node may carry besides its logic. */
export interface Annotations {
  readonly id?: string;
  readonly label?: RuleLabel;
  readonly citation?: RuleCitation;
}

export interface AllRule extends Annotations {
  readonly all: readonly Rule[];
}
export interface AnyRule extends Annotations {
  readonly any: readonly Rule[];
}
export interface NotRule extends Annotations {
  readonly not: Rule;
}
/** A leaf: compare the profile's `fact` with `value` by `op`. `exists` takes an optional boolean (default true). */
export interface Condition extends Annotations {
  readonly fact: string;
  readonly op: Op;
  readonly value?: unknown;
}

/** A rule as authored in a bundle: plain JSON/YAML data. */
export type Rule = AllRule | AnyRule | NotRule | Condition;

export type RuleKind = 'all' | 'any' | 'not' | 'leaf';

/** Which of the four shapes a (checked) rule node has. */
export function kindOf(rule: Rule): RuleKind {
  if ('all' in rule) return 'all';
  if ('any' in rule) return 'any';
  if ('not' in rule) return 'not';
  return 'leaf';
}

function freeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) freeze(v);
    Object.freeze(value);
  }
  return value;
}

const withAnnotations = <T extends object>(node: T, meta: Annotations | undefined): T =>
  freeze(meta === undefined ? node : { ...node, ...meta });

/** `all` of the children: applies when every child applies. */
export const all = (children: readonly Rule[], meta?: Annotations): AllRule =>
  withAnnotations({ all: [...children] }, meta);

/** `any` of the children: applies when at least one child applies. */
export const any = (children: readonly Rule[], meta?: Annotations): AnyRule =>
  withAnnotations({ any: [...children] }, meta);

/** `not` the child: applies when the child does not apply (unknown stays unknown). */
export const not = (child: Rule, meta?: Annotations): NotRule => withAnnotations({ not: child }, meta);

/** A leaf condition on one fact. */
export const cond = (fact: string, op: Op, value?: unknown, meta?: Annotations): Condition =>
  withAnnotations(value === undefined ? { fact, op } : { fact, op, value }, meta);

interface NodeBase {
  /** Position of this node's result in an explain-ready results array (pre-order). */
  readonly slot: number;
  /** Where the node sits in the authored rule, e.g. `all[1].any[0]` ('' for the root). */
  readonly path: string;
  readonly id?: string;
  readonly label?: RuleLabel;
  readonly citation?: RuleCitation;
}
export interface AllNode extends NodeBase {
  readonly kind: 'all';
  readonly children: readonly RuleNode[];
}
export interface AnyNode extends NodeBase {
  readonly kind: 'any';
  readonly children: readonly RuleNode[];
}
export interface NotNode extends NodeBase {
  readonly kind: 'not';
  readonly child: RuleNode;
}
export interface LeafNode extends NodeBase {
  readonly kind: 'leaf';
  readonly fact: string;
  readonly op: Op;
  readonly value: unknown;
}
/** A checked rule as a numbered, frozen tree with a `kind` on every node: what compile and explain walk. */
export type RuleNode = AllNode | AnyNode | NotNode | LeafNode;

/** Joins a child's step to its parent's path: `all[1]` + `any[0]` → `all[1].any[0]`. */
export const joinPath = (parent: string, step: string): string => (parent === '' ? step : `${parent}.${step}`);

/** Numbers a checked rule's nodes in pre-order and gives each a `kind` and its path. */
export function numberRule(rule: Rule): { root: RuleNode; size: number; leaves: readonly LeafNode[] } {
  let next = 0;
  const leaves: LeafNode[] = [];
  const annotations = (r: Rule): Annotations => ({
    ...(r.id === undefined ? {} : { id: r.id }),
    ...(r.label === undefined ? {} : { label: r.label }),
    ...(r.citation === undefined ? {} : { citation: r.citation }),
  });
  const walk = (r: Rule, path: string): RuleNode => {
    const slot = next++;
    const meta = annotations(r);
    if ('all' in r || 'any' in r) {
      const kind = 'all' in r ? 'all' : 'any';
      const list = 'all' in r ? r.all : r.any;
      const children = list.map((c, i) => walk(c, joinPath(path, `${kind}[${i}]`)));
      return Object.freeze({ kind, slot, path, ...meta, children: Object.freeze(children) });
    }
    if ('not' in r)
      return Object.freeze({ kind: 'not', slot, path, ...meta, child: walk(r.not, joinPath(path, 'not')) });
    const leaf: LeafNode = Object.freeze({
      kind: 'leaf',
      slot,
      path,
      ...meta,
      fact: r.fact,
      op: r.op,
      value:
        r.op === 'exists'
          ? (r.value ?? true)
          : Array.isArray(r.value)
            ? Object.freeze([...(r.value as unknown[])])
            : r.value,
    });
    leaves.push(leaf);
    return leaf;
  };
  const root = walk(rule, '');
  return { root, size: next, leaves: Object.freeze(leaves) };
}

/** A visitor over the numbered tree: one method per kind, each given the node and its children's results. */
export interface RuleVisitor<R> {
  all(node: AllNode, children: readonly R[]): R;
  any(node: AnyNode, children: readonly R[]): R;
  not(node: NotNode, child: R): R;
  leaf(node: LeafNode): R;
}

/** Folds the tree bottom-up with a visitor. */
export function fold<R>(node: RuleNode, visitor: RuleVisitor<R>): R {
  switch (node.kind) {
    case 'all':
      return visitor.all(
        node,
        node.children.map((c) => fold(c, visitor)),
      );
    case 'any':
      return visitor.any(
        node,
        node.children.map((c) => fold(c, visitor)),
      );
    case 'not':
      return visitor.not(node, fold(node.child, visitor));
    case 'leaf':
      return visitor.leaf(node);
  }
}

/** Every node of the tree in pre-order (slot order). */
export function nodesOf(root: RuleNode): RuleNode[] {
  const out: RuleNode[] = [];
  const walk = (n: RuleNode): void => {
    out.push(n);
    if (n.kind === 'all' || n.kind === 'any') n.children.forEach(walk);
    else if (n.kind === 'not') walk(n.child);
  };
  walk(root);
  return out;
}
