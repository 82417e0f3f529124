// Timing and printing helpers shared by the benchmark modules: rates over repeated passes, medians, plain tables.
import v8 from 'node:v8';
import vm from 'node:vm';

v8.setFlagsFromString('--expose-gc');
const collect = vm.runInNewContext('gc') as () => void;

/** Runs a full garbage collection, so garbage left by set-up is not collected during a timed section. */
export const settle = (): void => collect();

/** The median of a non-empty list of numbers. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** Milliseconds since an arbitrary origin, sub-microsecond resolution. */
export const now = (): number => performance.now();

export interface Rate {
  /** Median operations per second over the samples. */
  readonly perSecond: number;
  readonly samples: number;
  readonly operations: number;
}

/**
 * Measures a pass that performs `ops` operations and returns a checksum (kept so the work cannot be optimised away):
 * warms up, then takes `samples` samples, each repeating the pass for at least `minMs`, and returns the median rate.
 */
export function rate(
  pass: () => number,
  ops: number,
  options: { samples?: number; minMs?: number; warmupMs?: number } = {},
): Rate & { checksum: number } {
  const { samples = 5, minMs = 150, warmupMs = 150 } = options;
  let checksum = 0;
  const warmEnd = now() + warmupMs;
  do checksum += pass();
  while (now() < warmEnd);
  const rates: number[] = [];
  let operations = 0;
  for (let s = 0; s < samples; s++) {
    let n = 0;
    const t0 = now();
    let t = t0;
    do {
      checksum += pass();
      n += ops;
      t = now();
    } while (t - t0 < minMs);
    operations += n;
    rates.push((n / (t - t0)) * 1000);
  }
  return { perSecond: median(rates), samples, operations, checksum };
}

/** The same for an asynchronous pass (engines whose API returns promises). */
export async function rateAsync(
  pass: () => Promise<number>,
  ops: number,
  options: { samples?: number; minMs?: number; warmupMs?: number } = {},
): Promise<Rate & { checksum: number }> {
  const { samples = 5, minMs = 150, warmupMs = 150 } = options;
  let checksum = 0;
  const warmEnd = now() + warmupMs;
  do checksum += await pass();
  while (now() < warmEnd);
  const rates: number[] = [];
  let operations = 0;
  for (let s = 0; s < samples; s++) {
    let n = 0;
    const t0 = now();
    let t = t0;
    do {
      checksum += await pass();
      n += ops;
      t = now();
    } while (t - t0 < minMs);
    operations += n;
    rates.push((n / (t - t0)) * 1000);
  }
  return { perSecond: median(rates), samples, operations, checksum };
}

/** Formats a number with SI-style exponent for rates (e.g. 4.1e7) or fixed decimals. */
export const sci = (x: number): string =>
  x >= 1e4 ? x.toExponential(2).replace('e+', 'e') : x.toFixed(x >= 100 ? 0 : 2);
export const fixed = (x: number, d = 1): string => x.toFixed(d);
export const ratio = (x: number): string => `${x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2)}×`;

/** Prints rows as an aligned Markdown table. */
export function printTable(header: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`);
  for (const r of rows) console.log(line(r));
}

/** Heap in use, in MiB. */
export const heapMiB = (): number => process.memoryUsage().heapUsed / 1048576;
