// The only reader of process.env: every setting Horizon takes, validated at once and handed out typed and grouped.
import path from 'node:path';

/** Settings of one Horizon process. */
export interface Config {
  readonly http: { readonly host: string; readonly port: number };
  readonly database:
    { readonly kind: 'pglite'; readonly dataDir: string } | { readonly kind: 'postgres'; readonly url: string };
  readonly logLevel: 'silent' | 'error' | 'warn' | 'info' | 'debug';
  readonly watch: WatchConfig;
}

/** The watch service: where links point, how deliveries go out, how often they are retried. */
export interface WatchConfig {
  /** The site's public address, for links in feeds, e-mails and webhooks (HORIZON_PUBLIC_URL; default http://HOST:PORT). */
  readonly publicUrl: string;
  /** Whether HORIZON_PUBLIC_URL gave it: if not, the web server links to the address each request was made to. */
  readonly publicUrlConfigured: boolean;
  /** SMTP server for e-mail alerts, e.g. smtp://user:pass@mail.example:587 (SMTP_URL); none: e-mail is refused. */
  readonly smtpUrl?: string;
  /** Sender of e-mail alerts (MAIL_FROM). */
  readonly mailFrom: string;
  /** Allow webhooks to private, loopback and link-local addresses (WEBHOOK_ALLOW_PRIVATE=1); off by default. */
  readonly allowPrivateWebhooks: boolean;
  /** How long a webhook receiver may take to answer (WEBHOOK_TIMEOUT_MS). */
  readonly webhookTimeoutMs: number;
  /** Tries before a delivery is dead-lettered (DELIVERY_MAX_ATTEMPTS). */
  readonly maxAttempts: number;
  /** First retry delay; each further retry doubles it, with jitter (DELIVERY_RETRY_BASE_MS). */
  readonly retryBaseMs: number;
  /** How long a worker holds a claimed delivery before another may take it over (DELIVERY_LEASE_MS). */
  readonly leaseMs: number;
  /** Time zone whose calendar day the scheduler follows (WATCH_TIMEZONE), default Asia/Shanghai. */
  readonly timezone: string;
  /** Rate limits of subscribing and of confirmation e-mails (docs/WEBHOOKS.md, "Consent and limits"). */
  readonly limits: SubscriptionLimits;
}

/** How many of each act the watch service counts are allowed in its window (src/watch/limits.ts counts them). */
export interface SubscriptionLimits {
  /** Subscriptions and re-verifications one client address may ask for in an hour (SUBSCRIBE_LIMIT_PER_CLIENT). */
  readonly perClientPerHour: number;
  /** Subscriptions and re-verifications for one e-mail address or webhook host in a day (SUBSCRIBE_LIMIT_PER_TARGET). */
  readonly perTargetPerDay: number;
  /** Confirmation e-mails one address may be sent in a day, whoever asks (CONFIRM_LIMIT_PER_ADDRESS). */
  readonly confirmationsPerAddressPerDay: number;
}

export const DEFAULT_LIMITS: SubscriptionLimits = {
  perClientPerHour: 20,
  perTargetPerDay: 10,
  confirmationsPerAddressPerDay: 3,
};

/** Overrides given on the command line; they win over the environment. */
export interface ConfigOverrides {
  readonly dataDir?: string | undefined;
  readonly port?: string | undefined;
  readonly host?: string | undefined;
}

/** Every problem found in the environment, reported together. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const LOG_LEVELS = ['silent', 'error', 'warn', 'info', 'debug'] as const;

/** Reads and validates the configuration; throws ConfigError listing every problem. */
export function loadConfig(
  overrides: ConfigOverrides = {},
  env: Readonly<Record<string, string | undefined>> = process.env,
): Config {
  const problems: string[] = [];

  const portText = overrides.port ?? env.PORT ?? '3000';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) {
    problems.push(`PORT must be a whole number from 0 to 65535 (got "${portText}")`);
  }
  const host = overrides.host ?? env.HOST ?? '127.0.0.1';

  const url = env.DATABASE_URL?.trim();
  let database: Config['database'];
  if (url && !overrides.dataDir) {
    if (!/^postgres(ql)?:\/\//.test(url)) {
      problems.push(`DATABASE_URL must start with postgres:// or postgresql:// (got "${url}")`);
    }
    database = { kind: 'postgres', url };
  } else {
    const dir = overrides.dataDir ?? env.HORIZON_DATA_DIR ?? 'data';
    if (dir.trim() === '') problems.push('HORIZON_DATA_DIR must not be empty');
    database = { kind: 'pglite', dataDir: path.resolve(dir) };
  }

  const level = (env.LOG_LEVEL ?? 'info') as Config['logLevel'];
  if (!LOG_LEVELS.includes(level)) {
    problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got "${String(env.LOG_LEVEL)}")`);
  }

  const watch = watchConfig(env, problems, host, port);
  if (problems.length > 0) throw new ConfigError(problems);
  return { http: { host, port }, database, logLevel: level, watch };
}

function watchConfig(
  env: Readonly<Record<string, string | undefined>>,
  problems: string[],
  host: string,
  port: number,
): WatchConfig {
  const whole = (name: string, fallback: number, min: number, max: number): number => {
    const text = env[name]?.trim() || String(fallback);
    const n = Number(text);
    if (!/^\d+$/.test(text) || n < min || n > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max} (got "${text}")`);
      return fallback;
    }
    return n;
  };
  const publicUrl = (env.HORIZON_PUBLIC_URL?.trim() || `http://${host}:${port}`).replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]+/.test(publicUrl)) {
    problems.push(`HORIZON_PUBLIC_URL must be an http:// or https:// address (got "${publicUrl}")`);
  }
  const smtpUrl = env.SMTP_URL?.trim() || undefined;
  if (smtpUrl && !/^smtps?:\/\//.test(smtpUrl)) {
    problems.push(`SMTP_URL must start with smtp:// or smtps:// (got "${smtpUrl}")`);
  }
  const allow = env.WEBHOOK_ALLOW_PRIVATE?.trim() ?? '0';
  if (!['0', '1', 'true', 'false', ''].includes(allow)) {
    problems.push(`WEBHOOK_ALLOW_PRIVATE must be 1 or 0 (got "${allow}")`);
  }
  const timezone = env.WATCH_TIMEZONE?.trim() || 'Asia/Shanghai';
  try {
    new Intl.DateTimeFormat('en', { timeZone: timezone });
  } catch {
    problems.push(`WATCH_TIMEZONE must be an IANA time zone such as Asia/Shanghai (got "${timezone}")`);
  }
  return {
    publicUrl,
    publicUrlConfigured: Boolean(env.HORIZON_PUBLIC_URL?.trim()),
    ...(smtpUrl ? { smtpUrl } : {}),
    mailFrom: env.MAIL_FROM?.trim() || 'Horizon <alerts@horizon.invalid>',
    allowPrivateWebhooks: allow === '1' || allow === 'true',
    webhookTimeoutMs: whole('WEBHOOK_TIMEOUT_MS', 10_000, 100, 120_000),
    maxAttempts: whole('DELIVERY_MAX_ATTEMPTS', 8, 1, 100),
    retryBaseMs: whole('DELIVERY_RETRY_BASE_MS', 30_000, 1, 86_400_000),
    leaseMs: whole('DELIVERY_LEASE_MS', 60_000, 100, 3_600_000),
    timezone,
    limits: {
      perClientPerHour: whole('SUBSCRIBE_LIMIT_PER_CLIENT', DEFAULT_LIMITS.perClientPerHour, 1, 100_000),
      perTargetPerDay: whole('SUBSCRIBE_LIMIT_PER_TARGET', DEFAULT_LIMITS.perTargetPerDay, 1, 100_000),
      confirmationsPerAddressPerDay: whole(
        'CONFIRM_LIMIT_PER_ADDRESS',
        DEFAULT_LIMITS.confirmationsPerAddressPerDay,
        1,
        100,
      ),
    },
  };
}
