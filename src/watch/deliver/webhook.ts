// Webhook delivery: one signed POST of a JSON body to a subscriber's URL, classified for the outbox worker as delivered,
// worth retrying, or not; and the verification handshake (a signed challenge the receiver must echo) that a webhook
// subscription passes before anything is delivered to it. The SSRF guard runs again at send time (DNS answers change), the connection is made through
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

/** The start of a response body, at most READ_BYTES (squashed to a short error text); the rest is cancelled unread. */
async function bodyStart(res: Response, squash = true): Promise<string> {
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
  return squash ? text.replace(/\s+/g, ' ').trim().slice(0, ERROR_CHARS) : text;
}

type Failure = Extract<DeliveryResult, { ok: false }>;

function failure(retryable: boolean, error: string, status?: number): Failure {
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

/** One signed POST through the guard; the response, or the failure that kept it from coming. */
async function postSigned(
  target: WebhookTarget,
  delivery: WebhookDelivery,
  options: WebhookOptions,
): Promise<{ readonly res: Response } | Failure> {
  const guard = { allowPrivate: options.allowPrivate, ...(options.lookup ? { lookup: options.lookup } : {}) };
  const verdict = await inspectWebhookUrl(target.url, guard);
  if (!verdict.ok) return failure(verdict.retryable, `refused: ${verdict.reason}`);

  const timestamp = Math.floor((options.now ?? Date.now)() / 1000);
  const signal = AbortSignal.timeout(options.timeoutMs);
  try {
    const res = await guardedFetch(
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
    return { res };
  } catch (e) {
    if (e instanceof OutgoingRefused) return failure(e.retryable, `refused: ${e.reason}`);
    return failure(true, describeFetchError(e, options.timeoutMs));
  }
}

/** A non-2xx answer as a failure: redirects (never followed) and 4xx but 408 and 429 are not worth retrying. */
async function refusedAnswer(res: Response): Promise<Failure> {
  const status = res.status;
  const text = await bodyStart(res);
  const said = text ? `: ${text}` : '';
  if (status >= 300 && status < 400) {
    const location = res.headers.get('location');
    return failure(false, `HTTP ${status}: redirects are not followed${location ? ` (to ${location})` : ''}`, status);
  }
  const retryable = status === 408 || status === 429 || status >= 500;
  return failure(retryable, `HTTP ${status}${said}`, status);
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
  const sent = await postSigned(target, delivery, options);
  if (!('res' in sent)) return sent;
  const { res } = sent;
  if (res.status >= 200 && res.status < 300) {
    res.body?.cancel().catch(() => undefined);
    return { ok: true, status: res.status };
  }
  return refusedAnswer(res);
}

export const WEBHOOK_EVENT_VERIFICATION = 'horizon.url_verification';

/** What a verification handshake came to: passed, or why not (in English, for the owner and the logs). */
export type HandshakeResult = { readonly ok: true } | { readonly ok: false; readonly error: string };

/**
 * The verification handshake (as Slack's url_verification): POSTs `{"type":"horizon.url_verification",
 * "subscription", "challenge"}`, signed like a delivery, and passes only if the receiver answers 2xx with the
 * challenge: the bare challenge as the whole body, or a JSON object whose `challenge` is it. An answer that repeats
 * the request (an echo service's) does not count: the receiver must mean to take Horizon's webhooks.
 */
export async function sendChallenge(
  target: WebhookTarget,
  subscriptionId: string,
  challenge: string,
  options: WebhookOptions,
): Promise<HandshakeResult> {
  const body = JSON.stringify({ type: WEBHOOK_EVENT_VERIFICATION, subscription: subscriptionId, challenge });
  const sent = await postSigned(
    target,
    { idempotencyKey: `hz_verify_${challenge.slice(0, 16)}`, event: WEBHOOK_EVENT_VERIFICATION, body },
    options,
  );
  if (!('res' in sent)) return { ok: false, error: sent.error };
  const { res } = sent;
  if (res.status < 200 || res.status >= 300) return { ok: false, error: (await refusedAnswer(res)).error };
  const answer = (await bodyStart(res, false)).trim();
  if (answer === challenge) return { ok: true };
  let parsed: unknown;
  try {
    parsed = JSON.parse(answer);
  } catch {
    parsed = undefined;
  }
  const echoed =
    typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  if (echoed?.challenge === challenge && echoed.type !== WEBHOOK_EVENT_VERIFICATION) return { ok: true };
  return {
    ok: false,
    error:
      echoed?.challenge === challenge
        ? `HTTP ${res.status}: the answer repeats the request instead of answering the challenge`
        : `HTTP ${res.status}: the answer does not echo the challenge`,
  };
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
