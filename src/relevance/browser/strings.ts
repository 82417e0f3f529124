// The check page's own words, for the server-rendered shell and the browser script alike: the `check.*` messages of
// the catalogue (src/locales/), shaped as the page uses them. The server formats them with its translator; the page
// embeds their sources (CheckData.messages) and the script formats those, so it bundles no catalogue.
import type { Translate } from '../../i18n/messages.ts';

type Kind = 'pilot' | 'scenario-call' | 'incentive' | 'obligation' | 'encouragement';
type Band = 'applies' | 'unknown' | 'does_not_apply';

export interface CheckStrings {
  readonly title: string;
  readonly lede: string;
  readonly privacy: string;
  readonly noscript: string;
  readonly apiNote: string;
  readonly programmesChecked: (n: number) => string;
  readonly questionsHeading: string;
  readonly questionsIntro: string;
  readonly moreQuestions: string;
  readonly showAll: string;
  readonly dontKnow: string;
  readonly yes: string;
  readonly no: string;
  readonly noneOfThese: string;
  readonly otherFields: string;
  readonly helpsDecide: (n: number) => string;
  readonly invalidNumber: string;
  readonly resultsHeading: string;
  readonly resultsJump: (summary: string) => string;
  readonly summary: (applies: number, unknown: number, none: number) => string;
  readonly bands: Readonly<Record<Band, string>>;
  readonly bandIntro: Readonly<Record<Band, string>>;
  readonly kinds: Readonly<Record<Kind, string>>;
  readonly conditions: string;
  readonly conditionResult: Readonly<Record<Band, string>>;
  /** A condition's result before its text, for screen readers (`met: `). */
  readonly conditionLabel: (result: string) => string;
  readonly yourAnswer: string;
  readonly notAnswered: string;
  readonly effect: string;
  readonly instrument: string;
  readonly provision: string;
  readonly sources: string;
  readonly moreAbout: string;
  readonly citedFrom: string;
  readonly answer: string;
  readonly failsOnlyOn: string;
  readonly notInEffect: (status: string) => string;
  readonly noneInBand: string;
  /** The fold of those that do not apply; `more` when near misses are shown above it. */
  readonly showDoesNotApply: (n: number, more: boolean) => string;
  readonly saveHeading: string;
  readonly saveIntro: string;
  readonly nameLabel: string;
  readonly nameHelp: string;
  readonly saveButton: string;
  readonly saving: string;
  readonly savedIntro: string;
  readonly savedId: string;
  readonly savedToken: string;
  readonly keepToken: string;
  readonly saveFailed: string;
  readonly remember: string;
  readonly rememberHelp: string;
  readonly listSeparator: string;
  /** Between a label ending in a colon and its text: a space in English, none in Chinese. */
  readonly gap: string;
}

/** The page's words, formatted by `t` (the server's translator, or one over the embedded messages). */
export function checkStrings(t: Translate): CheckStrings {
  const bands = (family: 'bands' | 'bandIntro' | 'conditionResult'): Readonly<Record<Band, string>> => ({
    applies: t(`check.${family}.applies`),
    unknown: t(`check.${family}.unknown`),
    does_not_apply: t(`check.${family}.does_not_apply`),
  });
  return {
    title: t('check.title'),
    lede: t('check.lede'),
    privacy: t('check.privacy'),
    noscript: t('check.noscript'),
    apiNote: t('check.apiNote'),
    questionsHeading: t('check.questionsHeading'),
    questionsIntro: t('check.questionsIntro'),
    moreQuestions: t('check.moreQuestions'),
    showAll: t('check.showAll'),
    dontKnow: t('check.dontKnow'),
    yes: t('check.yes'),
    no: t('check.no'),
    noneOfThese: t('check.noneOfThese'),
    otherFields: t('check.otherFields'),
    invalidNumber: t('check.invalidNumber'),
    resultsHeading: t('check.resultsHeading'),
    conditions: t('check.conditions'),
    yourAnswer: t('check.yourAnswer'),
    notAnswered: t('check.notAnswered'),
    effect: t('check.effect'),
    instrument: t('check.instrument'),
    provision: t('check.provision'),
    sources: t('check.sources'),
    moreAbout: t('check.moreAbout'),
    citedFrom: t('check.citedFrom'),
    answer: t('check.answer'),
    failsOnlyOn: t('check.failsOnlyOn'),
    noneInBand: t('check.noneInBand'),
    saveHeading: t('check.saveHeading'),
    saveIntro: t('check.saveIntro'),
    nameLabel: t('check.nameLabel'),
    nameHelp: t('check.nameHelp'),
    saveButton: t('check.saveButton'),
    saving: t('check.saving'),
    savedIntro: t('check.savedIntro'),
    savedId: t('check.savedId'),
    savedToken: t('check.savedToken'),
    keepToken: t('check.keepToken'),
    saveFailed: t('check.saveFailed'),
    remember: t('check.remember'),
    rememberHelp: t('check.rememberHelp'),
    listSeparator: t('check.listSeparator'),
    gap: t('check.gap'),
    programmesChecked: (n) => t('check.programmesChecked', { n }),
    helpsDecide: (n) => t('check.helpsDecide', { n }),
    resultsJump: (summary) => t('check.resultsJump', { summary }),
    summary: (applies, unknown, none) => t('check.summary', { applies, unknown, none }),
    bands: bands('bands'),
    bandIntro: bands('bandIntro'),
    conditionResult: bands('conditionResult'),
    kinds: {
      pilot: t('check.kinds.pilot'),
      'scenario-call': t('check.kinds.scenario-call'),
      incentive: t('check.kinds.incentive'),
      obligation: t('check.kinds.obligation'),
      encouragement: t('check.kinds.encouragement'),
    },
    conditionLabel: (result) => t('check.conditionLabel', { result }),
    notInEffect: (status) => t('check.notInEffect', { status }),
    showDoesNotApply: (n, more) => t('check.showDoesNotApply', { n, more: more ? 'yes' : 'no' }),
  };
}
