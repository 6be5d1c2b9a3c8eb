import path from 'node:path';

/**
 * Configuration is read once from the environment and validated as a whole, so that an
 * operator sees every bad variable at once, by name, and never the value of a secret.
 */
export interface Config {
  port: number;
  host: string;
  /** Absent means embedded PGlite under `dataDir`. */
  databaseUrl: string | undefined;
  dataDir: string;
  publicBaseUrl: string;
  smtpUrl: string | undefined;
  mailFrom: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** 32-byte key (hex or base64) that encrypts TOTP secrets at rest; generated under dataDir when absent. */
  secretKey: string | undefined;
  /** Run the job worker inside the server process (default on PGlite, off on PostgreSQL). */
  inlineWorker: boolean;
  sessionTtlHours: number;
  bodyLimitBytes: number;
  /** Apply migrations automatically when serving. */
  autoMigrate: boolean;
  /** Seed demo data when the database is empty. */
  seedDemo: boolean;
  /** A JSON rate feed polled by the worker (src/fx/fetcher.ts). */
  fxFeedUrl: string | undefined;
  fxFeedIntervalMinutes: number;
  /** Trust X-Forwarded-For from this many proxy hops (0 = use the socket's address). */
  trustProxyHops: number;
  /** Offer the asynchronous test payout rail (src/payments/rails.ts) beside the manual one. */
  payoutTestRail: boolean;
  /** Virtual-account payments through Xendit, when both its keys are set. */
  xendit: { secretKey: string; callbackToken: string; apiUrl: string } | undefined;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export function loadConfig(env: Env = process.env, overrides: Partial<Config> = {}): Config {
  const problems: string[] = [];
  const reader = new EnvReader(env, problems);

  const databaseUrl = reader.optional('DATABASE_URL', (v) => {
    if (!/^postgres(ql)?:\/\//.test(v)) throw new Error('must start with postgres:// or postgresql://');
    return v;
  });
  const inlineWorkerDefault = databaseUrl === undefined;
  const config: Config = {
    port: reader.withDefault('PORT', 3000, parsePort),
    host: reader.withDefault('HOST', '0.0.0.0', (v) => v),
    databaseUrl,
    dataDir: path.resolve(reader.withDefault('JEMBATAN_DATA_DIR', './data', (v) => v)),
    publicBaseUrl: reader.withDefault('PUBLIC_BASE_URL', '', parseUrl),
    smtpUrl: reader.optional('SMTP_URL', (v) => {
      if (!/^smtps?:\/\//.test(v)) throw new Error('must start with smtp:// or smtps://');
      return v;
    }),
    mailFrom: reader.withDefault('MAIL_FROM', 'Jembatan <no-reply@jembatan.local>', (v) => v),
    logLevel: reader.withDefault('LOG_LEVEL', 'info', (v) => {
      if (!(LOG_LEVELS as readonly string[]).includes(v)) throw new Error(`must be one of ${LOG_LEVELS.join(', ')}`);
      return v as Config['logLevel'];
    }),
    secretKey: reader.optional('JEMBATAN_SECRET_KEY', (v) => {
      if (decodeKey(v) === undefined) throw new Error('must be 32 bytes, hex (64 characters) or base64');
      return v;
    }, { secret: true }),
    inlineWorker: reader.withDefault('JEMBATAN_INLINE_WORKER', inlineWorkerDefault, parseBoolean),
    sessionTtlHours: reader.withDefault('SESSION_TTL_HOURS', 12, (v) => parseIntInRange(v, 1, 24 * 90)),
    bodyLimitBytes: reader.withDefault('BODY_LIMIT_BYTES', 1024 * 1024, (v) => parseIntInRange(v, 1024, 100 * 1024 * 1024)),
    autoMigrate: reader.withDefault('JEMBATAN_AUTO_MIGRATE', true, parseBoolean),
    seedDemo: reader.withDefault('JEMBATAN_SEED_DEMO', true, parseBoolean),
    fxFeedUrl: reader.optional('FX_FEED_URL', parseUrl),
    fxFeedIntervalMinutes: reader.withDefault('FX_FEED_INTERVAL_MINUTES', 60, (v) => parseIntInRange(v, 1, 24 * 60)),
    trustProxyHops: reader.withDefault('TRUST_PROXY_HOPS', 0, (v) => parseIntInRange(v, 0, 5)),
    xendit: undefined,
    payoutTestRail: reader.withDefault('PAYOUT_TEST_RAIL', false, parseBoolean),
  };
  const xenditSecret = reader.optional('XENDIT_SECRET_KEY', (v) => v, { secret: true });
  const xenditToken = reader.optional('XENDIT_CALLBACK_TOKEN', (v) => {
    if (v.length < 16) throw new Error('must be at least 16 characters');
    return v;
  }, { secret: true });
  const xenditUrl = reader.withDefault('XENDIT_API_URL', 'https://api.xendit.co', parseUrl);
  if ((xenditSecret === undefined) !== (xenditToken === undefined)) problems.push('XENDIT_SECRET_KEY and XENDIT_CALLBACK_TOKEN: set both, or neither');
  else if (xenditSecret && xenditToken) config.xendit = { secretKey: xenditSecret, callbackToken: xenditToken, apiUrl: xenditUrl.replace(/\/$/, '') };
  if (problems.length > 0) throw new ConfigError(problems);
  const merged = { ...config, ...overrides };
  if (!merged.publicBaseUrl) merged.publicBaseUrl = `http://localhost:${merged.port}`;
  return merged;
}

class EnvReader {
  constructor(private readonly env: Env, private readonly problems: string[]) {}

  optional<T>(name: string, parse: (v: string) => T, opts: { secret?: boolean } = {}): T | undefined {
    const raw = this.env[name];
    if (raw === undefined || raw === '') return undefined;
    try {
      return parse(raw);
    } catch (err) {
      const shown = opts.secret ? '(value hidden)' : JSON.stringify(raw);
      this.problems.push(`${name}=${shown}: ${(err as Error).message}`);
      return undefined;
    }
  }

  withDefault<T>(name: string, fallback: T, parse: (v: string) => T): T {
    return this.optional(name, parse) ?? fallback;
  }
}

function parsePort(v: string): number {
  return parseIntInRange(v, 0, 65535);
}

function parseIntInRange(v: string, min: number, max: number): number {
  if (!/^\d+$/.test(v)) throw new Error('must be a whole number');
  const n = Number(v);
  if (n < min || n > max) throw new Error(`must be between ${min} and ${max}`);
  return n;
}

function parseBoolean(v: string): boolean {
  const s = v.toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(s)) return true;
  if (['0', 'false', 'no', 'off'].includes(s)) return false;
  throw new Error('must be true or false');
}

function parseUrl(v: string): string {
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    throw new Error('must be an absolute URL such as https://pay.example.co.id');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('must be an http or https URL');
  return v.replace(/\/+$/, '');
}

export function decodeKey(v: string): Buffer | undefined {
  if (/^[0-9a-fA-F]{64}$/.test(v)) return Buffer.from(v, 'hex');
  const b = Buffer.from(v, 'base64');
  return b.length === 32 ? b : undefined;
}

/** The URL shown to people, never with a password in it. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable URL)';
  }
}
