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

/** The text of a node as a reader sees it: entities decoded, runs of white space as one space, trimmed. */
export function text(node: Root | Element): string {
  const raw = 'documentElement' in node ? (node.documentElement?.textContent ?? '') : (node.textContent ?? '');
  return raw.replace(/\s+/g, ' ').trim();
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
