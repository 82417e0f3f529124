// Webhook receivers in tests: what a receiver that takes Horizon's webhooks answers to the verification challenge, and
// a webhook subscription to such a receiver made through the service.
import assert from 'node:assert/strict';
import type { Database } from '../../src/store/database.ts';
import { createSubscription, validateSubscription } from '../../src/watch/subscriptions.service.ts';
import { TEST_SECRETS } from './server.ts';
import { GENEROUS_LIMITS } from './watch-config.ts';

/** The body an echoing receiver answers to a verification challenge (`{"challenge": …}`); undefined for other bodies. */
export function challengeAnswer(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { type?: unknown; challenge?: unknown };
    if (parsed.type === 'horizon.url_verification' && typeof parsed.challenge === 'string') {
      return JSON.stringify({ challenge: parsed.challenge });
    }
  } catch {
    // Not JSON: not a challenge.
  }
  return undefined;
}

/** Subscribes a webhook at `url` (a receiver that answers the challenge) to every change; asserts it became active. */
export async function subscribeEchoingWebhook(db: Database, url: string) {
  const valid = await validateSubscription(db, { channel: 'webhook', url, watch: {} }, { allowPrivateWebhooks: true });
  const created = await createSubscription(db, valid, undefined, {
    client: '127.0.0.1',
    lang: 'en',
    limits: GENEROUS_LIMITS,
    handshake: { allowPrivate: true, timeoutMs: 5000 },
    secrets: TEST_SECRETS,
  });
  assert.equal(created.subscription.status, 'active', 'the receiver answered the signed challenge');
  return created;
}
