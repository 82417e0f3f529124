// Webhook signing: an HMAC-SHA256 over "<timestamp>.<body>" keyed by the subscription's secret, sent as
// `Horizon-Signature: t=<unix seconds>,v1=<hex>`. Pure (node:crypto only); receivers verify the same way (docs/WEBHOOKS.md).
import { createHmac, timingSafeEqual } from 'node:crypto';

/** The headers of a webhook request that carry Horizon's metadata. */
export const WEBHOOK_HEADERS = {
  signature: 'Horizon-Signature',
  idempotencyKey: 'Idempotency-Key',
  event: 'Horizon-Event',
} as const;

/** How old (or how far in the future) a signed timestamp may be before verification refuses it. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

function hmacHex(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex');
}

/** The Horizon-Signature header value for a body sent at `timestamp` (unix seconds). */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw new RangeError(`timestamp must be whole unix seconds (got ${timestamp})`);
  }
  return `t=${timestamp},v1=${hmacHex(secret, timestamp, body)}`;
}

/** A parsed Horizon-Signature header: its timestamp and every v1 signature (a header may carry several). */
export interface ParsedSignature {
  readonly timestamp: number;
  readonly signatures: readonly string[];
}

/** Parses `t=<seconds>,v1=<hex>[,v1=<hex>…]`; unknown schemes are ignored; undefined when malformed. */
export function parseSignatureHeader(header: string): ParsedSignature | undefined {
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) return undefined;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't') {
      if (timestamp !== undefined || !/^\d{1,15}$/.test(value)) return undefined;
      timestamp = Number(value);
    } else if (key === 'v1') {
      if (!/^[0-9a-f]{64}$/i.test(value)) return undefined;
      signatures.push(value.toLowerCase());
    }
  }
  if (timestamp === undefined || signatures.length === 0) return undefined;
  return { timestamp, signatures };
}

export interface VerifyOptions {
  /** Largest accepted difference between the signed timestamp and now, in seconds (default 300). */
  readonly toleranceSeconds?: number;
  /** Now, in milliseconds since the epoch (default Date.now()). */
  readonly now?: number;
}

/** True when `header` is a valid, fresh signature of `body` (the raw request body, byte for byte) under `secret`. */
export function verifyWebhookSignature(
  secret: string,
  header: string | null | undefined,
  body: string,
  { toleranceSeconds = DEFAULT_TOLERANCE_SECONDS, now = Date.now() }: VerifyOptions = {},
): boolean {
  if (!header) return false;
  const parsed = parseSignatureHeader(header);
  if (!parsed) return false;
  if (Math.abs(Math.floor(now / 1000) - parsed.timestamp) > toleranceSeconds) return false;
  const expected = Buffer.from(hmacHex(secret, parsed.timestamp, body), 'hex');
  let ok = false;
  for (const signature of parsed.signatures) {
    // Both are 32 bytes (the header parser accepts only 64 hex digits), as timingSafeEqual requires.
    if (timingSafeEqual(expected, Buffer.from(signature, 'hex'))) ok = true;
  }
  return ok;
}
