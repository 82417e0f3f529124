// Interface text: one ICU MessageFormat catalogue per language (src/locales/*.json), formatted by intl-messageformat
// with compiled messages cached. Browser-safe (no Node APIs): the check page's script imports it too.
import type { IntlMessageFormat } from 'intl-messageformat';
import type { Lang } from '../domain/types.ts';
import en from '../locales/en.json' with { type: 'json' };
import zh from '../locales/zh.json' with { type: 'json' };
import type { MessageParams } from './keys.ts';
import { compileMessage, formatCompiled } from './format.ts';

export type { MessageParams } from './keys.ts';

/** A key of the catalogue (src/i18n/keys.ts is generated from src/locales/en.json). */
export type MessageKey = keyof MessageParams;

/** The parameters a message takes: none, or the object its placeholders name. */
export type MessageArgs<K extends MessageKey> = MessageParams[K] extends undefined ? [] : [params: MessageParams[K]];

/** Formats the message `key` in one language. */
export type Translate = <K extends MessageKey>(key: K, ...args: MessageArgs<K>) => string;

// Both catalogues must have every key: a key missing from zh.json fails the typecheck here.
const CATALOGUES: Readonly<Record<Lang, Readonly<Record<MessageKey, string>>>> = { en, zh };

/** Compiled messages by language; a message without placeholders is kept as its text. */
const compiled: Record<Lang, Map<MessageKey, IntlMessageFormat | string>> = { en: new Map(), zh: new Map() };

function compile(lang: Lang, key: MessageKey): IntlMessageFormat | string {
  let message = compiled[lang].get(key);
  if (message === undefined) {
    message = compileMessage(lang, CATALOGUES[lang][key]);
    compiled[lang].set(key, message);
  }
  return message;
}

/** The message `key` in `lang`, with its placeholders filled. */
export function translate<K extends MessageKey>(lang: Lang, key: K, ...args: MessageArgs<K>): string {
  return formatCompiled(compile(lang, key), args[0]);
}

/** The sources of the messages of `lang` whose keys start with `prefix` (for a page to embed, e.g. 'check.'). */
export function messagesOf(lang: Lang, prefix: string): Partial<Record<MessageKey, string>> {
  return Object.fromEntries(Object.entries(CATALOGUES[lang]).filter(([key]) => key.startsWith(prefix)));
}

const translators: Record<Lang, Translate> = {
  en: (key, ...args) => translate('en', key, ...args),
  zh: (key, ...args) => translate('zh', key, ...args),
};

/** The formatter of one language, e.g. `const t = translator(ctx.lang); t('subDaysBefore', { n: 3 })`. */
export function translator(lang: Lang): Translate {
  return translators[lang];
}

/** Parameters of a message whose placeholders may also take a `T` (such as a piece of safe markup). */
export type RichParams<K extends MessageKey, T> = {
  readonly [P in keyof NonNullable<MessageParams[K]>]: NonNullable<MessageParams[K]>[P] | T;
};

/** The message `key` as parts: its text, and the `T` values given for placeholders left whole (for markup). */
export function translateParts<K extends MessageKey, T extends object>(
  lang: Lang,
  key: K,
  params: RichParams<K, T>,
): (string | T)[] {
  const message = compile(lang, key);
  if (typeof message === 'string') return [message];
  const out = message.format<T>(params as Record<string, string | number | T>);
  return Array.isArray(out) ? out : [out];
}

/** A message to show later, in a language not yet known: its key and parameters (errors carry one). */
export type Message = {
  readonly [K in MessageKey]: MessageParams[K] extends undefined
    ? { readonly key: K; readonly params?: undefined }
    : { readonly key: K; readonly params: MessageParams[K] };
}[MessageKey];

/** A message built elsewhere, in `lang`. */
export function formatMessage(lang: Lang, message: Message): string {
  const args = (message.params === undefined ? [] : [message.params]) as MessageArgs<MessageKey>;
  return translate(lang, message.key, ...args);
}
