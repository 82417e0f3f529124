// The jurisdiction tree (shared/TAXONOMY.md) as plain data, and the one set of walks over it: ancestors, descendants,
// depth. Pure: repositories load the tree (code → parent) once; services, pages and the CLI walk it here.
// (The rules engine keeps its own walk in rules/interpret.ts and rules/context.ts: it imports nothing of ours.)

/** The tree: code → parent code (null for a root). */
export type JurisdictionTree = ReadonlyMap<string, string | null>;

/** The tree of a list of jurisdictions (anything with a code and an optional parent). */
export function treeOf(list: readonly { readonly code: string; readonly parent?: string | null | undefined }[]) {
  return new Map(list.map((j) => [j.code, j.parent ?? null])) as JurisdictionTree;
}

/** A jurisdiction and every one above it, nearest first (a loop in bad data ends the walk). */
export function ancestorsOf(tree: JurisdictionTree, code: string): string[] {
  const out: string[] = [];
  for (let c: string | null | undefined = code; c && !out.includes(c); c = tree.get(c)) out.push(c);
  return out;
}

/** ancestorsOf as a memoized lookup, for matching many events against one tree. */
export function ancestorsFrom(tree: JurisdictionTree): (code: string) => readonly string[] {
  const memo = new Map<string, string[]>();
  return (code) => {
    let list = memo.get(code);
    if (!list) {
      list = ancestorsOf(tree, code);
      memo.set(code, list);
    }
    return list;
  };
}

/** The codes and every code below them, each once, in the order met (breadth first). */
export function descendantsOf(tree: JurisdictionTree, codes: readonly string[]): string[] {
  const children = new Map<string, string[]>();
  for (const [code, parent] of tree) {
    if (parent === null) continue;
    const list = children.get(parent) ?? [];
    list.push(code);
    children.set(parent, list);
  }
  const out = new Set<string>();
  const queue = [...codes];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    if (out.has(next)) continue;
    out.add(next);
    queue.push(...(children.get(next) ?? []));
  }
  return [...out];
}

/** How many levels below a root a jurisdiction lies (0 for a root or an unknown code). */
export function depthOf(tree: JurisdictionTree, code: string): number {
  return Math.max(ancestorsOf(tree, code).length - 1, 0);
}
