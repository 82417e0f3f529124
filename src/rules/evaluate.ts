// Three-valued outcomes: the small integer codes compiled rules return, their names, and Kleene logic on them.

/** Result codes, ordered false < unknown < true so that `all` is the minimum and `any` the maximum. */
export const FALSE = 0;
export const UNKNOWN = 1;
export const TRUE = 2;
export type OutcomeCode = typeof FALSE | typeof UNKNOWN | typeof TRUE;

/** What a rule says about a profile. */
export type Outcome = 'applies' | 'does_not_apply' | 'unknown';

/** Outcome names by code. */
export const OUTCOMES: readonly Outcome[] = Object.freeze(['does_not_apply', 'unknown', 'applies']);

/** The name of an outcome code. */
export const outcomeOf = (code: number): Outcome => OUTCOMES[code] ?? 'unknown';

/** The code of an outcome name. */
export const codeOf = (outcome: Outcome): OutcomeCode =>
  outcome === 'applies' ? TRUE : outcome === 'does_not_apply' ? FALSE : UNKNOWN;

/** Kleene conjunction: false if any is false, else unknown if any is unknown, else true. */
export const and3 = (a: OutcomeCode, b: OutcomeCode): OutcomeCode => (a < b ? a : b);
/** Kleene disjunction: true if any is true, else unknown if any is unknown, else false. */
export const or3 = (a: OutcomeCode, b: OutcomeCode): OutcomeCode => (a > b ? a : b);
/** Kleene negation: flips true and false, keeps unknown. */
export const not3 = (a: OutcomeCode): OutcomeCode => (TRUE - a) as OutcomeCode;
