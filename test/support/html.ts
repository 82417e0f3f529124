// Reads markup as a browser would (linkedom's DOM), so tests assert elements, attributes and text — not strings.
import assert from 'node:assert/strict';
import { parseHTML } from 'linkedom';

/** A parsed page or fragment: query it with CSS selectors. */
export type Root = Document | Element;

/** Parses a whole page (or a fragment, which lands in <body>). */
export function parseHtml(markup: string): Document {
  return parseHTML(markup).document;
}

/** Every element matching the selector, in document order. */
export function all(root: Root, selector: string): Element[] {
  return Array.from(root.querySelectorAll(selector));
}

/** The first element matching the selector; fails the test when there is none. */
export function one(root: Root, selector: string, message = `an element matching ${selector}`): Element {
  const found = root.querySelector(selector);
  assert.ok(found, message);
  return found;
}

/** Whether some element matches the selector. */
export function has(root: Root, selector: string): boolean {
  return root.querySelector(selector) !== null;
}

/** The text of a node as a reader sees it: script, style and template contents left out, entities decoded, runs of
 *  white space as one space, trimmed. */
export function text(node: Root | Node): string {
  const start = 'documentElement' in node ? node.documentElement : node;
  return start ? visible(start).replace(/\s+/g, ' ').trim() : '';
}

const UNSEEN = new Set(['script', 'style', 'template']);

function visible(node: Node): string {
  if (node.nodeType === 3) return node.nodeValue ?? '';
  if (node.nodeType !== 1 && node.nodeType !== 9 && node.nodeType !== 11) return '';
  if (node.nodeType === 1 && UNSEEN.has((node as Element).localName)) return '';
  return Array.from(node.childNodes, visible).join('');
}

/** The elements matching the selector whose attributes include `want` (`only`: and no others). */
export function withAttrs(
  root: Root,
  selector: string,
  want: Record<string, string>,
  { only = false }: { only?: boolean } = {},
): Element[] {
  return all(root, selector).filter((e) => {
    const have = attrs(e);
    return (
      Object.entries(want).every(([k, v]) => have[k] === v) &&
      (!only || Object.keys(have).length === Object.keys(want).length)
    );
  });
}

/** Whether the element holds only text (no child elements) and that text is exactly `want`, white space included. */
export function isText(element: Element, want: string): boolean {
  return element.children.length === 0 && element.textContent === want;
}

/** The attributes of the page's <html> element. */
export function htmlAttrs(doc: Document): Record<string, string> {
  return attrs(doc.documentElement);
}

/** The text of the first element matching the selector (failing when there is none). */
export function textOf(root: Root, selector: string): string {
  return text(one(root, selector));
}

/** An element's attributes by name (values decoded). */
export function attrs(element: Element): Record<string, string> {
  return Object.fromEntries(Array.from(element.attributes).map((a) => [a.name, a.value]));
}

/** The value of an attribute of the first element matching the selector (failing when either is missing). */
export function attrOf(root: Root, selector: string, name: string): string {
  const value = one(root, selector).getAttribute(name);
  assert.ok(value !== null, `${selector} has ${name}`);
  return value;
}

/** Whether some element matching selector has exactly these attributes and exactly this text, no child elements. */
export const bare = (root: Root, selector: string, want: Record<string, string>, content: string) =>
  withAttrs(root, selector, want, { only: true }).some((e) => isText(e, content));

/** The first element matching selector with exactly these attributes; fails the test when there is none. */
export function exactly(root: Root, selector: string, want: Record<string, string>): Element {
  const found = withAttrs(root, selector, want, { only: true })[0];
  assert.ok(found, `a ${selector} with exactly ${JSON.stringify(want)}`);
  return found;
}

/** Whether the nodes before child in its parent are only white space: the parent opens with child. */
export function opensWith(child: Element): boolean {
  for (let n = child.previousSibling; n; n = n.previousSibling) {
    if (n.nodeType !== 3 || (n.nodeValue ?? '').trim() !== '') return false;
  }
  return true;
}
