// Measures one request against a server running in this process: how long the event loop was blocked meanwhile
// (perf_hooks.monitorEventLoopDelay) and how long /healthz, asked over and over during it, took at worst.
import { monitorEventLoopDelay } from 'node:perf_hooks';

export interface StallFigures {
  readonly path: string;
  readonly status: number;
  readonly bytes: number;
  readonly headers: Headers;
  readonly body: string;
  /** Wall time of the request, ms. */
  readonly ms: number;
  /** The longest the event loop was blocked while it was served, ms (sampled every 10 ms). */
  readonly maxBlockMs: number;
  /** The slowest /healthz answer while it was served, ms; and how many were asked. */
  readonly healthzWorstMs: number;
  readonly healthzProbes: number;
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * GETs `path` from the server at `base` while /healthz is asked every 10 ms on another connection, and samples the
 * event loop throughout. The sampler only records a delay when its timer next fires, so it runs on for a moment after
 * the response (a block at the very end would otherwise go unseen).
 */
export async function measureStall(base: string, path: string): Promise<StallFigures> {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  let done = false;
  let worst = 0;
  let probes = 0;
  const probe = (async () => {
    while (!done) {
      const started = performance.now();
      const res = await fetch(`${base}/healthz`);
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`/healthz answered ${res.status}`);
      worst = Math.max(worst, performance.now() - started);
      probes += 1;
      await wait(10);
    }
  })();
  await wait(20); // the first probe is under way
  const started = performance.now();
  const res = await fetch(`${base}${path}`);
  const body = await res.text();
  const ms = performance.now() - started;
  done = true;
  await probe;
  await wait(30);
  histogram.disable();
  return {
    path,
    status: res.status,
    bytes: Buffer.byteLength(body),
    headers: res.headers,
    body,
    ms,
    maxBlockMs: histogram.max / 1e6,
    healthzWorstMs: worst,
    healthzProbes: probes,
  };
}
