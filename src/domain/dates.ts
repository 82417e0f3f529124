// Calendar dates with a precision (day, month, year), as lifecycle events carry them.
// One module per function: the package's index imports all ~250 of them (a third of the CLI's start-up).
import { format } from 'date-fns/format';
import { isValid } from 'date-fns/isValid';
import { lastDayOfMonth } from 'date-fns/lastDayOfMonth';

export type Precision = 'day' | 'month' | 'year';

const DATE_TEXT = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;
const DAY_TEXT = /^\d{4}-\d{2}-\d{2}$/;

/** A parsed partial date: its precision and the first and last day it may stand for. */
export interface PartialDate {
  readonly text: string;
  readonly precision: Precision;
  readonly first: string;
  readonly last: string;
}

/** Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; returns null for text that is not a date or a day that does not exist. */
export function parsePartialDate(text: string): PartialDate | null {
  const m = DATE_TEXT.exec(text);
  if (!m) return null;
  const year = Number(m[1]);
  if (m[3] !== undefined) {
    return isDay(text) ? { text, precision: 'day', first: text, last: text } : null;
  }
  if (m[2] !== undefined) {
    const month = Number(m[2]);
    if (month < 1 || month > 12) return null;
    const first = `${m[1]}-${m[2]}-01`;
    return {
      text,
      precision: 'month',
      first,
      last: format(lastDayOfMonth(new Date(year, month - 1, 1)), 'yyyy-MM-dd'),
    };
  }
  return { text, precision: 'year', first: `${m[1]}-01-01`, last: `${m[1]}-12-31` };
}

/** True when text is `YYYY-MM-DD` and that day exists (2024-02-29 yes, 2023-02-29 and 2024-02-30 no). */
export function isDay(text: string): boolean {
  if (!DAY_TEXT.test(text)) return false;
  const [y, m, d] = text.split('-').map(Number) as [number, number, number];
  const date = new Date(y, m - 1, d);
  return isValid(date) && date.getFullYear() === y && date.getMonth() === m - 1 && date.getDate() === d;
}

/** Today's date in UTC as `YYYY-MM-DD`. */
/** The day `days` after (negative: before) a YYYY-MM-DD day, as YYYY-MM-DD (the one day arithmetic of Horizon). */
export function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (YYYY-MM-DD each; negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

export function today(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

const MONTHS_EN = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** A partial date for readers: "5 September 2022", "October 2023", "2017" (en) or "2022年9月5日" (zh). */
export function formatPartialDate(text: string, lang: 'en' | 'zh'): string {
  const d = parsePartialDate(text);
  if (!d) return text;
  const [y, m, day] = text.split('-').map(Number) as [number, number | undefined, number | undefined];
  if (lang === 'zh') {
    return d.precision === 'day' ? `${y}年${m}月${day}日` : d.precision === 'month' ? `${y}年${m}月` : `${y}年`;
  }
  const month = m === undefined ? '' : (MONTHS_EN[m - 1] ?? '');
  return d.precision === 'day' ? `${day} ${month} ${y}` : d.precision === 'month' ? `${month} ${y}` : `${y}`;
}
