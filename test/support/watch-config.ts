// A watch configuration for tests: what config.ts would give, with fast retries, private webhooks allowed and links on
// https://horizon.example.org unless told otherwise.
import { DEFAULT_LIMITS, type SubscriptionLimits, type WatchConfig } from '../../src/config/config.ts';

/** Subscription limits the tests' scenarios never reach (the limits' own tests use small ones). */
export const GENEROUS_LIMITS: SubscriptionLimits = {
  perClientPerHour: 10_000,
  perTargetPerDay: 10_000,
  confirmationsPerAddressPerDay: 100,
};

export function watchConfig(over: Partial<WatchConfig> = {}): WatchConfig {
  return {
    publicUrl: 'https://horizon.example.org',
    publicUrlConfigured: true,
    mailFrom: 'Horizon <alerts@horizon.example.org>',
    allowPrivateWebhooks: true,
    webhookTimeoutMs: 5000,
    maxAttempts: 3,
    retryBaseMs: 1,
    leaseMs: 60_000,
    timezone: 'Asia/Shanghai',
    limits: DEFAULT_LIMITS,
    ...over,
  };
}
