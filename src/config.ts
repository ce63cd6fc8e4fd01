// Configuration from environment variables, checked once at start-up with the variable named in every error.
import os from 'node:os';
import type { Argon2Params } from './auth/password-hasher.ts';
import { lockoutSettings, type AdjustableLockout, type LockoutPolicy } from './auth/lockout-settings.ts';
import type { ServiceKey } from './auth/service-keys.ts';
import type { SessionPolicy } from './auth/sessions.ts';
import type { PasswordPolicy } from './auth/passwords.ts';

export interface Config {
  port: number;
  host: string;
  /** Base of every URL in responses, without a trailing slash. */
  publicUrl: string;
  dataDir: string;
  /** A CouchDB database URL; when set, used instead of the embedded store under dataDir. */
  databaseUrl: string | undefined;
  /** Request bodies larger than this many bytes are refused with 413. */
  bodyLimitBytes: number;
  /** JSON nested deeper than this is refused. */
  maxJsonDepth: number;
  /** Subrequests one batch may hold. */
  batchMaxRequests: number;
  corsOrigins: '*' | string[];
  password: PasswordPolicy;
  argon2: Argon2Params;
  hashConcurrency: number;
  hashQueue: number;
  /** Hashing jobs one client address may have waiting or running. */
  hashQueuePerAddress: number;
  sessions: SessionPolicy;
  lockout: LockoutPolicy;
  /** How often expired sessions are deleted from storage. */
  sweepSeconds: number;
  admin: { name: string; email: string; password: string } | undefined;
  /** Seconds a request may take to arrive in full before the socket is closed. */
  requestTimeoutSeconds: number;
  /** How many stored resources the pool queries of one request may read, for users and anonymous callers. */
  queryScanLimit: { user: number; anonymous: number };
  mail: MailConfig;
  accounts: AccountPolicy;
  /** A port of its own for /websocket, besides the API's. */
  wsPort: number | undefined;
  live: LivePolicy;
  /** Other backends that may act as a service with `X-Service-Key`. The keys are never printed. */
  serviceKeys: readonly ServiceKey[];
}

export interface MailConfig {
  /** `smtp://user:pass@host:port` or `smtps://…`; without it, mails are written as .eml files to <dataDir>/outbox/. Never printed. */
  smtpUrl: string | undefined;
  /** The sender of every mail. */
  from: string;
  /** Base of every link in a mail (the frontend owns those pages), without a trailing slash. */
  frontendUrl: string;
  /** How long a process may take to send one mail before another may try it. */
  leaseSeconds: number;
  /** The wait after the first failed attempt; it doubles after each further one, up to six hours. */
  retrySeconds: number;
  /** Attempts before a mail is set aside, logged and kept. */
  maxAttempts: number;
  /** How often each process looks for mails that are due (it looks at once after storing one). */
  pollSeconds: number;
}

export interface AccountPolicy {
  /** `mail`: a registered user is hidden until it follows the link mailed to it. */
  activation: 'none' | 'mail';
  activationDays: number;
  passwordResetMinutes: number;
  emailChangeHours: number;
  /** Password reset requests per hour from one client address, and for one email address. */
  resetRequestsPerAddress: number;
  resetRequestsPerEmail: number;
}

/** The bounds of live change notifications over WebSocket (docs/websockets.md). */
export interface LivePolicy {
  maxSubscriptions: number;
  maxConnectionsPerAddress: number;
  /** The transactions remembered for connections that resume. */
  resumeWindow: number;
  /** How often each connection is pinged; one that has not answered the last ping by then is dropped. */
  heartbeatSeconds: number;
  /** Bytes a connection may have waiting to be sent before it is closed as too slow. */
  maxBufferedBytes: number;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Readonly<Record<string, string | undefined>>;

export function readConfig(env: Env = process.env): Config {
  const port = integer(env, 'PORT', 6541, 0, 65535);
  const publicUrl = url(env, 'PUBLIC_URL', `http://localhost:${port}`);
  const adminName = env.ADMIN_NAME;
  const adminEmail = env.ADMIN_EMAIL;
  const adminPassword = env.ADMIN_PASSWORD;
  const adminSettings = [adminName, adminEmail, adminPassword].filter((value) => value !== undefined && value !== '');
  if (adminSettings.length !== 0 && adminSettings.length !== 3) {
    throw new ConfigError('ADMIN_NAME, ADMIN_EMAIL and ADMIN_PASSWORD go together: set all three or none');
  }
  const queryScanLimit = integer(env, 'QUERY_SCAN_LIMIT', 10_000, 1, 10_000_000);
  const queryScanLimitAnonymous = integer(env, 'QUERY_SCAN_LIMIT_ANONYMOUS', Math.min(1_000, queryScanLimit), 1, 10_000_000);
  if (queryScanLimitAnonymous > queryScanLimit) {
    throw new ConfigError(`QUERY_SCAN_LIMIT_ANONYMOUS must not be above QUERY_SCAN_LIMIT (${queryScanLimit}), not ${queryScanLimitAnonymous}`);
  }
  const wsPort = env.WS_PORT ? integer(env, 'WS_PORT', 0, 1, 65535) : undefined;
  if (wsPort !== undefined && wsPort === port) throw new ConfigError(`WS_PORT must differ from PORT (${port}): /websocket is served on PORT anyway`);
  return {
    port,
    host: env.HOST || '0.0.0.0',
    publicUrl,
    dataDir: env.DATA_DIR || './var/data',
    databaseUrl: env.DATABASE_URL ? url(env, 'DATABASE_URL', '') : undefined,
    bodyLimitBytes: integer(env, 'BODY_LIMIT_BYTES', 1_000_000, 1024, 100_000_000),
    maxJsonDepth: integer(env, 'MAX_JSON_DEPTH', 32, 4, 1000),
    batchMaxRequests: integer(env, 'BATCH_MAX_REQUESTS', 100, 1, 10_000),
    corsOrigins: !env.CORS_ORIGINS || env.CORS_ORIGINS === '*' ? '*' : env.CORS_ORIGINS.split(',').map((origin) => origin.trim()),
    password: {
      minLength: integer(env, 'PASSWORD_MIN_LENGTH', 8, 1, 1024),
      maxLength: integer(env, 'PASSWORD_MAX_LENGTH', 1024, 8, 65536),
    },
    argon2: {
      memoryCost: integer(env, 'ARGON2_MEMORY_KIB', 19456, 19456, 4_194_304),
      timeCost: integer(env, 'ARGON2_TIME_COST', 2, 2, 100),
      parallelism: integer(env, 'ARGON2_PARALLELISM', 1, 1, 16),
    },
    // Leave a core for requests: hashing is what a burst of logins would otherwise spend them on.
    hashConcurrency: integer(env, 'HASH_CONCURRENCY', Math.max(1, os.availableParallelism() - 1), 1, 64),
    hashQueue: integer(env, 'HASH_QUEUE', 64, 0, 100_000),
    hashQueuePerAddress: integer(env, 'HASH_QUEUE_PER_ADDRESS', 4, 1, 100_000),
    sessions: {
      idleSeconds: integer(env, 'TOKEN_IDLE_SECONDS', 3 * 60 * 60, 1, 10 * 365 * 24 * 3600),
      maxAgeSeconds: integer(env, 'TOKEN_MAX_AGE_SECONDS', 30 * 24 * 60 * 60, 1, 10 * 365 * 24 * 3600),
      touchIntervalSeconds: integer(env, 'TOKEN_TOUCH_SECONDS', 60, 0, 3600),
      revalidateSeconds: integer(env, 'TOKEN_REVALIDATE_SECONDS', 5, 0, 3600),
      cacheSize: integer(env, 'TOKEN_CACHE_SIZE', 100_000, 1, 10_000_000),
      perUser: integer(env, 'SESSIONS_PER_USER', 100, 1, 100_000),
    },
    lockout: {
      ...(Object.fromEntries(lockoutSettings.map(({ env: name, key, fallback, min, max }) => [key, integer(env, name, fallback, min, max)])) as AdjustableLockout),
      trackedKeys: integer(env, 'LOCKOUT_TRACKED', 100_000, 100, 10_000_000),
    },
    sweepSeconds: integer(env, 'SESSION_SWEEP_SECONDS', 3600, 10, 7 * 86400),
    admin: adminSettings.length === 3 ? { name: adminName!, email: adminEmail!, password: adminPassword! } : undefined,
    requestTimeoutSeconds: integer(env, 'REQUEST_TIMEOUT_SECONDS', 30, 1, 3600),
    queryScanLimit: { user: queryScanLimit, anonymous: queryScanLimitAnonymous },
    mail: {
      smtpUrl: env.SMTP_URL ? smtpUrl(env.SMTP_URL) : undefined,
      from: mailAddress(env, 'MAIL_FROM', `noreply@${new URL(publicUrl).hostname}`),
      frontendUrl: url(env, 'FRONTEND_URL', publicUrl),
      leaseSeconds: integer(env, 'MAIL_LEASE_SECONDS', 600, 1, 86400),
      retrySeconds: integer(env, 'MAIL_RETRY_SECONDS', 60, 1, 86400),
      maxAttempts: integer(env, 'MAIL_MAX_ATTEMPTS', 10, 1, 1000),
      pollSeconds: integer(env, 'MAIL_POLL_SECONDS', 10, 1, 3600),
    },
    accounts: {
      activation: oneOf(env, 'ACCOUNT_ACTIVATION', ['none', 'mail'] as const, 'none'),
      activationDays: integer(env, 'ACTIVATION_DAYS', 7, 1, 365),
      passwordResetMinutes: integer(env, 'PASSWORD_RESET_MINUTES', 60, 1, 7 * 24 * 60),
      emailChangeHours: integer(env, 'EMAIL_CHANGE_HOURS', 48, 1, 30 * 24),
      resetRequestsPerAddress: integer(env, 'RESET_REQUESTS_PER_ADDRESS', 20, 1, 1_000_000),
      resetRequestsPerEmail: integer(env, 'RESET_REQUESTS_PER_EMAIL', 3, 1, 1_000_000),
    },
    wsPort,
    live: {
      maxSubscriptions: integer(env, 'WS_MAX_SUBSCRIPTIONS', 1_000, 1, 100_000),
      maxConnectionsPerAddress: integer(env, 'WS_MAX_CONNECTIONS_PER_ADDRESS', 100, 1, 1_000_000),
      resumeWindow: integer(env, 'WS_RESUME_WINDOW', 1_000, 0, 1_000_000),
      heartbeatSeconds: integer(env, 'WS_HEARTBEAT_SECONDS', 30, 1, 3600),
      maxBufferedBytes: integer(env, 'WS_MAX_BUFFERED_BYTES', 1_048_576, 1024, 1_073_741_824),
    },
    serviceKeys: serviceKeys(env.SERVICE_KEYS),
  };
}

/** The shortest service key accepted: a key is a password that no rate limit alone can keep from being guessed. */
export const minServiceKeyLength = 32;

/**
 * `SERVICE_KEYS=name:key,other:key`. No message quotes a key, nor an entry that may be one: entries are
 * named by their position and, once it is known, their name.
 */
function serviceKeys(raw: string | undefined): ServiceKey[] {
  if (raw === undefined || raw.trim() === '') return [];
  const keys: ServiceKey[] = [];
  raw.split(',').forEach((entry, index) => {
    const position = `SERVICE_KEYS entry ${index + 1}`;
    const separator = entry.indexOf(':');
    if (separator < 0) throw new ConfigError(`${position} must be name:key (the entry is not shown, since it may be a key)`);
    const name = entry.slice(0, separator).trim();
    const key = entry.slice(separator + 1).trim();
    if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(name)) {
      throw new ConfigError(`${position} must start with a name of 1 to 64 letters, digits, '_', '.' or '-' (the entry is not shown, since it may be a key)`);
    }
    if (key.length < minServiceKeyLength) throw new ConfigError(`${position} (${name}): the key must be at least ${minServiceKeyLength} characters (it is not shown)`);
    if (/\s/.test(key)) throw new ConfigError(`${position} (${name}): the key must not contain whitespace (it is not shown)`);
    if (keys.some((other) => other.name === name)) throw new ConfigError(`${position}: the name ${name} is given twice`);
    if (keys.some((other) => other.key === key)) throw new ConfigError(`${position} (${name}): the key is the same as another service's`);
    keys.push({ name, key });
  });
  return keys;
}

function oneOf<const T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!(allowed as readonly string[]).includes(raw)) throw new ConfigError(`${name} must be one of ${allowed.join(', ')}, not ${JSON.stringify(raw)}`);
  return raw as T;
}

/** An SMTP server's URL; it holds a password, so no message quotes it. */
function smtpUrl(raw: string): string {
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError('SMTP_URL must be a URL such as smtp://user:password@host:587 (the value given is not shown)');
  }
  if ((parsed.protocol !== 'smtp:' && parsed.protocol !== 'smtps:') || parsed.hostname === '') {
    throw new ConfigError('SMTP_URL must start with smtp:// or smtps:// and name a host (the value given is not shown)');
  }
  return raw;
}

/** `name@host` or `Display Name <name@host>`. */
function mailAddress(env: Env, name: string, fallback: string): string {
  const raw = env[name] || fallback;
  if (!/^([^<>\r\n]*<[^<>@\s]+@[^<>@\s]+>|[^<>@\s]+@[^<>@\s]+)$/.test(raw.trim())) {
    throw new ConfigError(`${name} must be an address such as noreply@example.org or "Example <noreply@example.org>", not ${JSON.stringify(raw)}`);
  }
  return raw.trim();
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(`${name} must be a whole number, not ${JSON.stringify(raw)}`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(`${name} must be between ${min} and ${max}, not ${value}`);
  return value;
}

function url(env: Env, name: string, fallback: string): string {
  const raw = env[name] || fallback;
  // A URL may carry a password, which must not end up in a message.
  const shown = raw.includes('@') ? 'the value given (not shown, since it may hold a password)' : JSON.stringify(raw);
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(`${name} must be an absolute http(s) URL, not ${shown}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new ConfigError(`${name} must be an http(s) URL, not ${shown}`);
  }
  return raw.replace(/\/+$/, '');
}
