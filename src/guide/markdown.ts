// Article Markdown to safe HTML: markdown-it (no raw HTML) then sanitize-html; `## ` sections; instrument: links.
import MarkdownIt from 'markdown-it';
import type { Token } from 'markdown-it';
import sanitizeHtml from 'sanitize-html';

const md = new MarkdownIt({ html: false, linkify: false, typographer: false });
const TokenClass = new md.core.State('', md, {}).Token;

const INSTRUMENT = /^instrument:(.+)$/;

/** How an `instrument:ID` link is shown: where it points, a tooltip, and markup placed after it (a status badge). */
export interface InstrumentLink {
  readonly href: string;
  readonly title?: string;
  /** Trusted markup (it still passes through the sanitizer). */
  readonly after?: string;
}

export interface RenderedSection {
  /** The heading's id (the section is labelled by it); null for text before the first `## ` heading. */
  readonly id: string | null;
  /** The heading as plain text. */
  readonly title: string | null;
  /** Sanitized HTML of the heading and its content. */
  readonly html: string;
}

const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: [
    'h2',
    'h3',
    'h4',
    'h5',
    'h6',
    'p',
    'ul',
    'ol',
    'li',
    'blockquote',
    'pre',
    'code',
    'em',
    'strong',
    's',
    'del',
    'a',
    'span',
    'br',
    'hr',
    'table',
    'thead',
    'tbody',
    'tr',
    'th',
    'td',
    'sup',
    'sub',
  ],
  allowedAttributes: {
    a: ['href', 'class', 'title', 'rel', 'hreflang'],
    span: ['class', 'title'],
    h2: ['id'],
    h3: ['id'],
    ol: ['start'],
  },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowProtocolRelative: false,
  transformTags: {
    a: (tagName, attribs) => {
      const href = attribs.href ?? '';
      return /^https?:/i.test(href)
        ? { tagName, attribs: { ...attribs, rel: 'noopener noreferrer', class: 'external' } }
        : { tagName, attribs };
    },
  },
};

/** Sanitizes rendered article HTML. */
export function sanitize(markup: string): string {
  return sanitizeHtml(markup, SANITIZE);
}

function walkLinks(tokens: readonly Token[], visit: (open: Token, children: Token[], index: number) => void): void {
  for (const token of tokens) {
    const children = token.children;
    if (token.type !== 'inline' || !children) continue;
    for (let i = children.length - 1; i >= 0; i--) {
      const child = children[i];
      if (child?.type === 'link_open') visit(child, children, i);
    }
  }
}

/** The ids of the instruments an article's Markdown links to, in order of first appearance. */
export function instrumentIds(markdown: string): string[] {
  const ids = new Set<string>();
  for (const token of md.parse(markdown, {})) {
    for (const child of token.children ?? []) {
      if (child.type !== 'link_open') continue;
      const id = INSTRUMENT.exec(String(child.attrGet('href') ?? ''))?.[1];
      if (id !== undefined) ids.add(id);
    }
  }
  return [...ids];
}

const RESERVED = new Set(['main', 'as-of', 'asof-statement', 'contents']);

function slug(text: string, used: Set<string>): string {
  const base =
    text
      .normalize('NFKC')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, '-')
      .replace(/^-+|-+$/g, '') || 'section';
  let id = base;
  for (let n = 2; used.has(id) || RESERVED.has(id); n++) id = `${base}-${n}`;
  used.add(id);
  return id;
}

function plainText(inline: Token | undefined): string {
  return (inline?.children ?? [])
    .filter((c) => c.type === 'text' || c.type === 'code_inline')
    .map((c) => c.content)
    .join('')
    .trim();
}

/**
 * Renders an article body as sections, one per `## ` heading (text before the first heading is a section of its
 * own). Every `instrument:ID` link is rewritten by `link`; other links are kept when their scheme is safe.
 */
export function renderSections(markdown: string, link: (id: string) => InstrumentLink): RenderedSection[] {
  const env = {};
  const tokens = md.parse(markdown, env);
  walkLinks(tokens, (open, children, index) => {
    const id = INSTRUMENT.exec(String(open.attrGet('href') ?? ''))?.[1];
    if (id === undefined) return;
    const target = link(id);
    open.attrSet('href', target.href);
    open.attrJoin('class', 'instrument-link');
    if (target.title && !open.attrGet('title')) open.attrSet('title', target.title);
    if (target.after) {
      let close = index + 1;
      while (close < children.length && children[close]?.type !== 'link_close') close++;
      const badge = new TokenClass('html_inline', '', 0);
      badge.content = ` ${target.after}`;
      children.splice(close + 1, 0, badge);
    }
  });

  const groups: { id: string | null; title: string | null; tokens: Token[] }[] = [];
  const used = new Set<string>();
  tokens.forEach((token, i) => {
    if (token.type === 'heading_open' && token.tag === 'h2') {
      const title = plainText(tokens[i + 1]);
      const id = slug(title, used);
      token.attrSet('id', id);
      groups.push({ id, title, tokens: [] });
    } else if (groups.length === 0) {
      groups.push({ id: null, title: null, tokens: [] });
    }
    groups[groups.length - 1]?.tokens.push(token);
  });
  return groups
    .map((g) => ({ id: g.id, title: g.title, html: sanitize(md.renderer.render(g.tokens, md.options, env)) }))
    .filter((g) => g.id !== null || g.html.trim() !== '');
}
