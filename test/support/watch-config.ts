// A watch configuration for tests: what config.ts would give, with fast retries, private webhooks allowed and links on
// https://horizon.example.org unless told otherwise.
import { DEFAULT_LIMITS, type WatchConfig } from '../../src/config/config.ts';

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
