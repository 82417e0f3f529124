// Formatting one ICU message, with no catalogue attached: the check page's script formats the few messages its page
// embeds (src/relevance/browser/strings.ts) without bundling whole catalogues. Browser-safe.
import { IntlMessageFormat } from 'intl-messageformat';
import type { Lang } from '../domain/types.ts';
import type { MessageKey, Translate } from './messages.ts';
import { languageTag } from './languages.ts';

/** A message compiled for `lang`; a message without placeholders is kept as its text. */
export function compileMessage(lang: Lang, source: string): IntlMessageFormat | string {
  return source.includes('{')
    ? new IntlMessageFormat(source, languageTag(lang), undefined, { ignoreTag: true })
    : source;
}

/** A message's text with its placeholders filled. */
export function formatCompiled(message: IntlMessageFormat | string, params?: object): string {
  return typeof message === 'string' ? message : String(message.format(params as Record<string, string | number>));
}

/**
 * The formatter of messages given as sources (some keys of one catalogue, e.g. embedded in a page); a key not given
 * is shown as itself.
 */
export function messagesTranslator(lang: Lang, sources: Readonly<Partial<Record<MessageKey, string>>>): Translate {
  const compiled = new Map<MessageKey, IntlMessageFormat | string>();
  return (key, ...args) => {
    let message = compiled.get(key);
    if (message === undefined) {
      message = compileMessage(lang, sources[key] ?? key);
      compiled.set(key, message);
    }
    return formatCompiled(message, args[0]);
  };
}
