// Webhook delivery: one signed POST of a JSON body to a subscriber's URL, classified for the outbox worker as delivered,
// worth retrying, or not. The SSRF guard runs again at send time (DNS answers change), the connection is made through
// guarded-fetch.ts (only to an address the guard passed, whatever the name resolves to by then), and redirects are
// not followed.
import type { Response } from 'undici';
import type { StoredEvent } from '../types.ts';
import { inspectWebhookUrl, type HostLookup } from './address-guard.ts';
import { guardedFetch, OutgoingRefused } from './guarded-fetch.ts';
import { signWebhook, WEBHOOK_HEADERS } from './signature.ts';

/** What one delivery attempt came to (shared by the webhook and e-mail channels). */
export type DeliveryResult =
  | { readonly ok: true; readonly status: number }
  | { readonly ok: false; readonly retryable: boolean; readonly status?: number; readonly error: string };

export interface WebhookTarget {
  readonly url: string;
  /** The subscription's signing secret. */
  readonly secret: string;
}

export interface WebhookDelivery {
  /** Stable across retries of the same delivery: receivers dedupe by it. */
  readonly idempotencyKey: string;
  /** The Horizon-Event header, e.g. 'horizon.changes'. */
  readonly event: string;
  /** The JSON text to send, exactly as signed. */
  readonly body: string;
}

export interface WebhookOptions {
  /** How long the receiver may take to answer (headers and the little of the body that is read). */
  readonly timeoutMs: number;
  /** Let private and loopback addresses through (WEBHOOK_ALLOW_PRIVATE=1). */
  readonly allowPrivate: boolean;
  /** Now in milliseconds since the epoch, for the signature's timestamp (default Date.now). */
  readonly now?: () => number;
  readonly lookup?: HostLookup;
}

export const WEBHOOK_USER_AGENT = 'Horizon-Webhooks/1';
export const WEBHOOK_EVENT_CHANGES = 'horizon.changes';

/** How much of a receiver's answer is read, and kept for the error text. */
const READ_BYTES = 2048;
const ERROR_CHARS = 200;

/** The start of a response body, at most READ_BYTES; the rest is cancelled unread. */
async function bodyStart(res: Response): Promise<string> {
  if (!res.body) return '';
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < READ_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } catch {
    // A body cut short (or timed out) still leaves the status to go by.
  } finally {
    reader.cancel().catch(() => undefined);
  }
  const text = new TextDecoder().decode(Buffer.concat(chunks).subarray(0, READ_BYTES));
  return text.replace(/\s+/g, ' ').trim().slice(0, ERROR_CHARS);
}

function failure(retryable: boolean, error: string, status?: number): DeliveryResult {
  return status === undefined ? { ok: false, retryable, error } : { ok: false, retryable, status, error };
}

/** The error text of a fetch that threw: timeouts by name, network errors by their cause's code. */
function describeFetchError(e: unknown, timeoutMs: number): string {
  if (e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError')) {
    return `timed out after ${timeoutMs} ms`;
  }
  const cause = e instanceof Error ? (e.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  const detail =
    typeof cause?.code === 'string'
      ? cause.code
      : typeof cause?.message === 'string'
        ? cause.message
        : e instanceof Error
          ? e.message
          : String(e);
  return `network error: ${detail}`;
}

/**
 * POSTs one delivery. 2xx: delivered. 408, 429, 5xx, network errors and timeouts: retryable. Other 4xx, redirects
 * (never followed: they could point at a private address) and refused addresses: not retryable.
 */
export async function sendWebhook(
  target: WebhookTarget,
  delivery: WebhookDelivery,
  options: WebhookOptions,
): Promise<DeliveryResult> {
  const guard = { allowPrivate: options.allowPrivate, ...(options.lookup ? { lookup: options.lookup } : {}) };
  const verdict = await inspectWebhookUrl(target.url, guard);
  if (!verdict.ok) return failure(verdict.retryable, `refused: ${verdict.reason}`);

  const timestamp = Math.floor((options.now ?? Date.now)() / 1000);
  const signal = AbortSignal.timeout(options.timeoutMs);
  let res: Response;
  try {
    res = await guardedFetch(
      target.url,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': WEBHOOK_USER_AGENT,
          [WEBHOOK_HEADERS.signature]: signWebhook(target.secret, timestamp, delivery.body),
          [WEBHOOK_HEADERS.idempotencyKey]: delivery.idempotencyKey,
          [WEBHOOK_HEADERS.event]: delivery.event,
        },
        body: delivery.body,
        signal,
      },
      guard,
    );
  } catch (e) {
    if (e instanceof OutgoingRefused) return failure(e.retryable, `refused: ${e.reason}`);
    return failure(true, describeFetchError(e, options.timeoutMs));
  }

  const status = res.status;
  if (status >= 200 && status < 300) {
    res.body?.cancel().catch(() => undefined);
    return { ok: true, status };
  }
  const text = await bodyStart(res);
  const said = text ? `: ${text}` : '';
  if (status >= 300 && status < 400) {
    const location = res.headers.get('location');
    return failure(false, `HTTP ${status}: redirects are not followed${location ? ` (to ${location})` : ''}`, status);
  }
  const retryable = status === 408 || status === 429 || status >= 500;
  return failure(retryable, `HTTP ${status}${said}`, status);
}

/** The JSON body of a horizon.changes webhook: snake_case keys, absent fields left out, links on the public site. */
export function webhookBody(subscriptionId: string, events: readonly StoredEvent[], publicUrl: string): string {
  const base = publicUrl.replace(/\/+$/, '');
  return JSON.stringify({
    type: WEBHOOK_EVENT_CHANGES,
    subscription: subscriptionId,
    events: events.map((e) => ({
      id: e.id,
      kind: e.kind,
      occurred_at: e.occurredAt,
      ...(e.instrument === undefined ? {} : { instrument: e.instrument }),
      ...(e.article === undefined ? {} : { article: e.article }),
      ...(e.jurisdiction === undefined ? {} : { jurisdiction: e.jurisdiction }),
      topics: e.topics,
      programmes: e.programmes,
      ...(e.day === undefined ? {} : { day: e.day }),
      ...(e.aheadDays === undefined ? {} : { ahead_days: e.aheadDays }),
      title: { en: e.title.en, zh: e.title.zh },
      summary: { en: e.summary.en, zh: e.summary.zh },
      url: `${base}${e.path.startsWith('/') ? '' : '/'}${e.path}`,
    })),
  });
}
