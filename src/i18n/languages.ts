// The interface languages and their tags. Browser-safe: no imports but types.
import type { Lang } from '../domain/types.ts';

/** The BCP 47 tag of a language, the one used everywhere (html lang, hreflang, xml:lang, e-mail, Intl). */
export function languageTag(lang: Lang): 'en' | 'zh-Hans' {
  return lang === 'zh' ? 'zh-Hans' : 'en';
}

/** A language's name in itself (for "English · 中文" lists): not translated. */
export function languageName(lang: Lang): string {
  return lang === 'zh' ? '中文' : 'English';
}

/** The other interface language (for "read this page in …"). */
export function otherLanguage(lang: Lang): Lang {
  return lang === 'zh' ? 'en' : 'zh';
}

/**
 * The language an Accept-Language header prefers among ours (English when it names neither): the highest q wins,
 * the first listed among equals.
 */
export function acceptedLanguage(header: string | undefined): Lang {
  let best: { lang: Lang; q: number } | undefined;
  for (const part of (header ?? '').split(',')) {
    const [range = '', ...params] = part.trim().toLowerCase().split(';');
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    const primary = range.split('-')[0];
    const lang: Lang | undefined = primary === 'zh' ? 'zh' : primary === 'en' ? 'en' : undefined;
    if (lang && Number.isFinite(q) && q > 0 && (!best || q > best.q)) best = { lang, q };
  }
  return best?.lang ?? 'en';
}

/** The language to answer a request in: a valid ?lang= first, then Accept-Language, then English (never throws). */
export function requestLanguage(query: unknown, acceptLanguage: string | undefined): Lang {
  const lang = (query as Record<string, unknown> | undefined)?.lang;
  return lang === 'en' || lang === 'zh' ? lang : acceptedLanguage(acceptLanguage);
}
