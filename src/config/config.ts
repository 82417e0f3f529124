// The only reader of process.env: every setting Horizon takes, validated at once and handed out typed and grouped.
import path from 'node:path';

/** Settings of one Horizon process. */
export interface Config {
  readonly http: { readonly host: string; readonly port: number };
  readonly database:
    { readonly kind: 'pglite'; readonly dataDir: string } | { readonly kind: 'postgres'; readonly url: string };
  readonly logLevel: 'silent' | 'error' | 'warn' | 'info' | 'debug';
}

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

  if (problems.length > 0) throw new ConfigError(problems);
  return { http: { host, port }, database, logLevel: level };
}
