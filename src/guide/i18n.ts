// Labels for codes the content does not define (legal force, source kinds, relations, kinds of change) and date
// formatting, in the page's language. Every word comes from the message catalogue (src/locales/, src/i18n/messages.ts).
import { formatPartialDate } from '../domain/dates.ts';
import type { Lang, LegalForce, RelationType, SourceKind, Status } from '../domain/types.ts';
import { translate } from '../i18n/messages.ts';
import { CHANGE_KINDS, type ChangeKind } from '../watch/types.ts';

const isChangeKind = (kind: string): kind is ChangeKind => (CHANGE_KINDS as readonly string[]).includes(kind);

/** A date of any precision for readers: "1 October 2022" or "2022年10月1日". */
export function formatDate(text: string, lang: Lang): string {
  return formatPartialDate(text, lang);
}

export function legalForceLabel(force: LegalForce, lang: Lang): string {
  return translate(lang, `force.${force}`);
}

export function sourceKindLabel(kind: SourceKind, lang: Lang): string {
  return translate(lang, `sourceKind.${kind}`);
}

export function relationLabel(type: RelationType, direction: 'outgoing' | 'incoming', lang: Lang): string {
  return translate(lang, `relation.${type}.${direction}`);
}

/** Kinds of change the watch service reports (src/watch/types.ts CHANGE_KINDS), for people; unknown codes as they are. */
export function changeKindLabel(kind: string, lang: Lang): string {
  return isChangeKind(kind) ? translate(lang, `changeKind.${kind}`) : kind;
}

/** The words for a status ("Adopted, not yet in force"). */
export function statusLabel(status: Status, lang: Lang): string {
  return translate(lang, `status.${status}`);
}
