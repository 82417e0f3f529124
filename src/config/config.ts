// The only reader of process.env: every setting Horizon takes, validated at once and handed out typed and grouped.
import net from 'node:net';
import path from 'node:path';

/** Which proxies' X-Forwarded-* headers to believe (Fastify's trustProxy): none, all, a hop count, or addresses. */
export type TrustProxy = boolean | number | readonly string[];

/** Settings of one Horizon process. */
export interface Config {
  /**
   * NODE_ENV=production: HORIZON_PUBLIC_URL and HORIZON_SECRET_KEY are required (nothing is guessed or generated);
   * anything else is development.
   */
  readonly mode: 'development' | 'production';
  readonly http: {
    readonly host: string;
    readonly port: number;
    readonly limits: HttpLimits;
    /** HORIZON_TRUST_PROXY: true (every proxy), a hop count (1, 2 …), or proxy addresses/CIDRs; default none. */
    readonly trustProxy: TrustProxy;
  };
  readonly database:
    { readonly kind: 'pglite'; readonly dataDir: string } | { readonly kind: 'postgres'; readonly url: string };
  readonly logLevel: 'silent' | 'error' | 'warn' | 'info' | 'debug';
  readonly watch: WatchConfig;
  /**
   * The 32-byte key webhook secrets are encrypted with at rest (HORIZON_SECRET_KEY: 64 hex digits or base64). Unset in
   * development: an embedded database keeps a generated one in its data folder (watch/secrets.ts).
   */
  readonly secretKey: Buffer | undefined;
  /** The editorial workspace (change sets). */
  readonly editorial: EditorialConfig;
  /** The editors' attention list (src/editorial/attention.ts). */
  readonly attention: {
    /**
     * An article without review_by is due for review once its latest revision is older than this many days
     * (HORIZON_REVIEW_AFTER_DAYS, 1 to 3650, default 365).
     */
    readonly reviewAfterDays: number;
  };
  /** Accounts of the editorial workspace: how long sign-in sessions last. */
  readonly accounts: AccountsConfig;
}

/** Change sets' rules a deployment may set. */
export interface EditorialConfig {
  /**
   * EDITORIAL_SELF_APPROVAL=true lets the author of a change set approve and publish it (a single-editor deployment);
   * off by default: a second person reviews every change.
   */
  readonly selfApproval: boolean;
}

/** Sign-in sessions: ended after this long unused (HORIZON_SESSION_IDLE_MINUTES) or after sign-in (…_MAX_HOURS). */
export interface AccountsConfig {
  readonly sessions: { readonly idleSeconds: number; readonly maxAgeSeconds: number };
}

/** Two hours unused, twelve after signing in. */
export const DEFAULT_ACCOUNTS: AccountsConfig = { sessions: { idleSeconds: 2 * 3600, maxAgeSeconds: 12 * 3600 } };

/**
 * How long the web server waits for a client and how many it holds at once, so slow or idle clients cannot pile up:
 * a request whose headers or body trickle in is cut off (408) at its deadline, an idle connection closed, and
 * connections beyond the cap closed as they arrive.
 */
export interface HttpLimits {
  /** Time a client has to send a request's headers (HTTP_HEADERS_TIMEOUT_MS). */
  readonly headersTimeoutMs: number;
  /** Time a client has to send a whole request, body included (HTTP_REQUEST_TIMEOUT_MS); at least the headers'. */
  readonly requestTimeoutMs: number;
  /** A connection with no traffic either way for this long is closed (HTTP_IDLE_TIMEOUT_MS). */
  readonly idleTimeoutMs: number;
  /** A kept-alive connection waits this long for its next request (HTTP_KEEP_ALIVE_TIMEOUT_MS). */
  readonly keepAliveTimeoutMs: number;
  /** Connections open at once; more are closed as they arrive (HTTP_MAX_CONNECTIONS). */
  readonly maxConnections: number;
}

/** The limits when the environment sets none (also what buildApp uses when given none). */
export const DEFAULT_HTTP_LIMITS: HttpLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  idleTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  maxConnections: 1_000,
};

/** The watch service: where links point, how deliveries go out, how often they are retried. */
export interface WatchConfig {
  /**
   * The site's public address, the only source of absolute links (feeds, the calendar, JSON-LD, e-mails, webhooks):
   * HORIZON_PUBLIC_URL, an origin such as https://horizon.example; required in production; in development
   * http://HOST:PORT. Never taken from a request's Host or X-Forwarded-* headers.
   */
  readonly publicUrl: string;
  /** Whether HORIZON_PUBLIC_URL gave it (else it is http://HOST:PORT, and with port 0 the port the server got). */
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

  const limits = httpLimits(env, problems);
  const mode = env.NODE_ENV?.trim() === 'production' ? 'production' : 'development';
  const trustProxy = trustProxyOf(env.HORIZON_TRUST_PROXY, problems);
  const watch = watchConfig(env, problems, host, port);
  if (mode === 'production' && !watch.publicUrlConfigured) {
    problems.push('HORIZON_PUBLIC_URL is required when NODE_ENV=production (e.g. https://horizon.example)');
  }
  const secretKey = secretKeyOf(env.HORIZON_SECRET_KEY, problems);
  if (mode === 'production' && !secretKey && !env.HORIZON_SECRET_KEY?.trim()) {
    problems.push(
      'HORIZON_SECRET_KEY is required when NODE_ENV=production: 32 random bytes as 64 hex digits or base64 ' +
        '(e.g. openssl rand -hex 32)',
    );
  }
  const editorial = { selfApproval: booleanOf(env, problems, 'EDITORIAL_SELF_APPROVAL') };
  const attention = { reviewAfterDays: wholeNumber(env, problems, 'HORIZON_REVIEW_AFTER_DAYS', 365, 1, 3650) };
  const accounts: AccountsConfig = {
    sessions: {
      idleSeconds: 60 * wholeNumber(env, problems, 'HORIZON_SESSION_IDLE_MINUTES', 120, 1, 7 * 24 * 60),
      maxAgeSeconds: 3600 * wholeNumber(env, problems, 'HORIZON_SESSION_MAX_HOURS', 12, 1, 30 * 24),
    },
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    mode,
    http: { host, port, limits, trustProxy },
    database,
    logLevel: level,
    watch,
    secretKey,
    editorial,
    attention,
    accounts,
  };
}

/** A true/false setting (1/0 too), false when unset. */
function booleanOf(env: Readonly<Record<string, string | undefined>>, problems: string[], name: string): boolean {
  const text = env[name]?.trim() ?? '';
  if (['', '0', 'false'].includes(text)) return false;
  if (['1', 'true'].includes(text)) return true;
  problems.push(`${name} must be true or false (got "${text}")`);
  return false;
}

/** HORIZON_TRUST_PROXY: unset, 0 or false (default: no proxy is believed), 1 or true, a hop count, or addresses. */
function trustProxyOf(value: string | undefined, problems: string[]): TrustProxy {
  const text = value?.trim() ?? '';
  if (text === '' || text === '0' || text === 'false') return false;
  if (text === 'true') return true;
  if (/^\d+$/.test(text)) {
    if (Number(text) <= 100) return Number(text);
    problems.push(`HORIZON_TRUST_PROXY hop count must be at most 100 (got "${text}")`);
    return false;
  }
  const entries = text.split(',').map((e) => e.trim());
  const bad = entries.filter((e) => !isAddressOrRange(e));
  if (bad.length > 0) {
    problems.push(
      `HORIZON_TRUST_PROXY must be true, a hop count, or IP addresses / CIDR ranges separated by commas (got "${bad.join(', ')}")`,
    );
    return false;
  }
  return entries;
}

function isAddressOrRange(entry: string): boolean {
  const [address = '', bits, ...rest] = entry.split('/');
  const family = net.isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
}

/** HORIZON_SECRET_KEY: exactly 32 bytes, written as 64 hex digits or base64 (standard or URL-safe). */
function secretKeyOf(value: string | undefined, problems: string[]): Buffer | undefined {
  const text = value?.trim() ?? '';
  if (text === '') return undefined;
  const key = /^[0-9a-fA-F]{64}$/.test(text)
    ? Buffer.from(text, 'hex')
    : /^[A-Za-z0-9+/_-]{43}=?$/.test(text)
      ? Buffer.from(text, 'base64')
      : undefined;
  if (key?.length !== 32) {
    problems.push('HORIZON_SECRET_KEY must be 32 bytes written as 64 hex digits or base64 (e.g. openssl rand -hex 32)');
    return undefined;
  }
  return key;
}

/** A public URL as an origin (scheme, host, port), or a problem: no path, query, fragment or credentials. */
function publicOrigin(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (url.username || url.password || url.search || url.hash || (url.pathname !== '/' && url.pathname !== '')) {
    return undefined;
  }
  return url.origin;
}

/** A whole number setting within bounds, or its fallback (with a problem noted when it was set but bad). */
function wholeNumber(
  env: Readonly<Record<string, string | undefined>>,
  problems: string[],
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const text = env[name]?.trim() || String(fallback);
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < min || n > max) {
    problems.push(`${name} must be a whole number from ${min} to ${max} (got "${text}")`);
    return fallback;
  }
  return n;
}

function httpLimits(env: Readonly<Record<string, string | undefined>>, problems: string[]): HttpLimits {
  const d = DEFAULT_HTTP_LIMITS;
  const ms = (name: string, fallback: number) => wholeNumber(env, problems, name, fallback, 100, 3_600_000);
  const limits: HttpLimits = {
    headersTimeoutMs: ms('HTTP_HEADERS_TIMEOUT_MS', d.headersTimeoutMs),
    requestTimeoutMs: ms('HTTP_REQUEST_TIMEOUT_MS', d.requestTimeoutMs),
    idleTimeoutMs: ms('HTTP_IDLE_TIMEOUT_MS', d.idleTimeoutMs),
    keepAliveTimeoutMs: ms('HTTP_KEEP_ALIVE_TIMEOUT_MS', d.keepAliveTimeoutMs),
    maxConnections: wholeNumber(env, problems, 'HTTP_MAX_CONNECTIONS', d.maxConnections, 1, 1_000_000),
  };
  if (limits.headersTimeoutMs > limits.requestTimeoutMs) {
    problems.push(
      `HTTP_HEADERS_TIMEOUT_MS (${limits.headersTimeoutMs}) must not exceed HTTP_REQUEST_TIMEOUT_MS (${limits.requestTimeoutMs})`,
    );
  }
  return limits;
}

function watchConfig(
  env: Readonly<Record<string, string | undefined>>,
  problems: string[],
  host: string,
  port: number,
): WatchConfig {
  const whole = (name: string, fallback: number, min: number, max: number): number =>
    wholeNumber(env, problems, name, fallback, min, max);
  const given = env.HORIZON_PUBLIC_URL?.trim() ?? '';
  const fallback = `http://${net.isIPv6(host) ? `[${host}]` : host}:${port}`;
  const publicUrl = given === '' ? fallback : (publicOrigin(given) ?? given);
  if (given !== '' && publicOrigin(given) === undefined) {
    problems.push(
      `HORIZON_PUBLIC_URL must be an http:// or https:// origin without a path, query or credentials (got "${given.replace(/\/\/[^/@]*@/, '//***@')}")`,
    );
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
    publicUrlConfigured: given !== '',
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
