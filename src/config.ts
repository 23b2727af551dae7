import path from 'node:path';
import { parseIpBlock, type IpBlock } from './policy/index.ts';

/** Log levels pino accepts, plus `silent`. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
/** A pino log level name. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Runtime modes; `production` turns off the GraphiQL page. */
export const NODE_ENVS = ['development', 'production', 'test'] as const;
/** The mode the server runs in. */
export type NodeEnv = (typeof NODE_ENVS)[number];

/** The root user's access key as given in PORTCULLIS_ROOT_ACCESS_KEY. */
export interface RootAccessKey {
  readonly accessKeyId: string;
  readonly secret: string;
}

/** Everything the server reads from its environment, validated and frozen. */
export interface Config {
  /** TCP port for HTTP and WebSocket; 0 asks the OS for a free one. */
  readonly port: number;
  /** Interface to bind; undefined lets Node bind every interface. */
  readonly host: string | undefined;
  /** PostgreSQL URL; undefined selects embedded PGlite under `dataDir`. */
  readonly databaseUrl: string | undefined;
  /** READ_DATABASE_URL: a PostgreSQL read replica for query operations' directory reads (needs DATABASE_URL). */
  readonly readDatabaseUrl: string | undefined;
  /** Absolute directory for the embedded database. */
  readonly dataDir: string;
  /** The 12-digit account created on an empty database. */
  readonly accountId: string;
  /** The root access key to create on an empty database, or undefined to generate one. */
  readonly rootAccessKey: RootAccessKey | undefined;
  /** The root sign-in password to set on an empty database, or undefined to generate one. */
  readonly rootPassword: string | undefined;
  /**
   * PORTCULLIS_SECRETS_KEY: 32 bytes (base64 or 64 hex digits) that encrypt TOTP seeds. Required at
   * start-up in production; elsewhere, when unset, a key is generated in DATA_DIR/secrets.key.
   */
  readonly secretsKey: string | undefined;
  /** Minimum level written to the log. */
  readonly logLevel: LogLevel;
  /** Runtime mode. */
  readonly nodeEnv: NodeEnv;
  /** Connections in the PostgreSQL pool (ignored by PGlite). */
  readonly dbPoolSize: number;
  /** Per-statement timeout in milliseconds; 0 disables it. */
  readonly dbStatementTimeoutMs: number;
  /** How long start-up waits for the database to answer before giving up. */
  readonly dbConnectTimeoutMs: number;
  /** How long shutdown waits for in-flight requests before cutting connections. */
  readonly shutdownTimeoutMs: number;
  /** REDIS_URL: when set, committed revisions are also announced over Redis pub/sub (wake-ups only). */
  readonly redisUrl: string | undefined;
  /** SUBSCRIPTIONS_PER_CONNECTION: live subscriptions one WebSocket may hold at once. */
  readonly subscriptionsPerConnection: number;
  /** WS_KEEPALIVE_MS: WebSocket ping interval; a peer that misses a pong for as long is dropped. 0 disables. */
  readonly wsKeepAliveMs: number;
  /** SAML_AUDIENCE: the service-provider entity id SAML assertions must name as their Audience (default `urn:portcullis:webservices`). */
  readonly samlAudience: string;
  /** SAML_RECIPIENT: the SAML endpoint URL assertions must name as their Recipient (default `http://localhost:<PORT>/saml`). */
  readonly samlRecipient: string;
  /** SAML_SP_PRIVATE_KEY: a PEM private key that signs the AuthnRequests of SP-initiated console sign-in (unsigned when unset). */
  readonly samlSigningKey: string | undefined;
  /** SAML_SP_DECRYPTION_KEY: a PEM private key that decrypts encrypted SAML assertions (refused when unset). */
  readonly samlDecryptionKey: string | undefined;
  /** MAX_BODY_BYTES: largest HTTP request body or WebSocket message accepted (413 beyond). */
  readonly maxBodyBytes: number;
  /** MAX_QUERY_DEPTH: deepest field nesting an operation may select, introspection fields included (default 15: getIntrospectionQuery's depth). */
  readonly maxQueryDepth: number;
  /** MAX_QUERY_ALIASES: aliased fields one document may hold. */
  readonly maxQueryAliases: number;
  /** MAX_QUERY_COST: estimated fields resolved, lists multiplied by `first`/`last` or 10 (default 500k, GitHub's node limit). */
  readonly maxQueryCost: number;
  /** MAX_QUERY_TOKENS: lexical tokens the parser reads before giving up. */
  readonly maxQueryTokens: number;
  /** GRAPHQL_INTROSPECTION: whether __schema/__type are answered to authenticated callers (default: not in production; never to anonymous ones). */
  readonly introspection: boolean;
  /** GRAPHIQL: whether GET /graphql from a browser serves GraphiQL (default: not in production). */
  readonly graphiql: boolean;
  /** RATE_LIMIT_PER_SECOND: steady operations per second per credential (or client IP); 0 disables. */
  readonly rateLimitPerSecond: number;
  /** RATE_LIMIT_BURST: operations a credential may send at once before the steady rate applies. */
  readonly rateLimitBurst: number;
  /** DB_HEALTH_INTERVAL_MS: how often the database is pinged to detect an outage and its end. */
  readonly dbHealthIntervalMs: number;
  /**
   * TRUST_PROXY: reverse proxies (addresses or CIDR blocks, comma-separated) whose X-Forwarded-For
   * names the client; empty (the default) trusts none (see client-address.ts).
   */
  readonly trustedProxies: readonly IpBlock[];
  /** METRICS_PORT: port of the separate /metrics listener (default 9464); 0 asks the OS for a free one. */
  readonly metricsPort: number;
  /** METRICS_HOST: interface of the /metrics listener (default 127.0.0.1: only this machine may scrape). */
  readonly metricsHost: string;
  /** CORS_ORIGINS: browser origins allowed to call the API cross-origin (default none: same-origin only). */
  readonly corsOrigins: readonly string[];
  /** AUDIT_RETENTION_DAYS: days audit-only change-log rows (AccessDenied, SignInFailed) and session records (RoleAssumed, …) are kept; 0 keeps them for ever. */
  readonly auditRetentionDays: number;
}

/** A bad environment value; the message is one line naming the variable and the rule. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly variable: string,
    readonly rule: string,
    readonly shownValue: string,
  ) {
    super(`${variable} must be ${rule}, got ${shownValue}`);
  }
}

/** The environment shape `loadConfig` reads (process.env by default). */
export type Env = Readonly<Record<string, string | undefined>>;

const ACCOUNT_ID = /^\d{12}$/;
// AWS: AccessKeyId is 16 to 128 word characters.
const ACCESS_KEY_ID = /^\w{16,128}$/;
// Secrets are opaque, but whitespace in one is always a copy-paste accident.
const SECRET = /^\S{16,128}$/;

/** Reads, validates and freezes the configuration; throws ConfigError on the first bad value. */
export function loadConfig(env: Env = process.env, cwd: string = process.cwd()): Config {
  const read = (name: string): string | undefined => {
    const value = env[name];
    // An empty assignment (`PORT=`) means "not set", as in most shells' config files.
    return value === undefined || value === '' ? undefined : value;
  };

  const nodeEnv = oneOf(read, 'NODE_ENV', NODE_ENVS, 'development');
  const config: Config = {
    port: integer(read, 'PORT', 4000, 0, 65_535),
    host: read('HOST'),
    databaseUrl: databaseUrl(read('DATABASE_URL')),
    readDatabaseUrl: readDatabaseUrl(read('READ_DATABASE_URL'), read('DATABASE_URL')),
    dataDir: path.resolve(cwd, read('DATA_DIR') ?? './.data'),
    accountId: accountId(read('PORTCULLIS_ACCOUNT_ID') ?? '111122223333'),
    rootAccessKey: rootAccessKey(read('PORTCULLIS_ROOT_ACCESS_KEY')),
    rootPassword: rootPassword(read('PORTCULLIS_ROOT_PASSWORD')),
    secretsKey: secretsKey(read('PORTCULLIS_SECRETS_KEY')),
    logLevel: oneOf(read, 'LOG_LEVEL', LOG_LEVELS, 'info'),
    nodeEnv,
    dbPoolSize: integer(read, 'DB_POOL_SIZE', 10, 1, 1_000),
    dbStatementTimeoutMs: integer(read, 'DB_STATEMENT_TIMEOUT_MS', 30_000, 0, 3_600_000),
    dbConnectTimeoutMs: integer(read, 'DB_CONNECT_TIMEOUT_MS', 10_000, 100, 600_000),
    shutdownTimeoutMs: integer(read, 'SHUTDOWN_TIMEOUT_MS', 10_000, 0, 600_000),
    redisUrl: redisUrl(read('REDIS_URL')),
    subscriptionsPerConnection: integer(read, 'SUBSCRIPTIONS_PER_CONNECTION', 100, 1, 10_000),
    wsKeepAliveMs: integer(read, 'WS_KEEPALIVE_MS', 12_000, 0, 600_000),
    auditRetentionDays: integer(read, 'AUDIT_RETENTION_DAYS', 90, 0, 36_500),
    ...limits(read, nodeEnv),
    ...exposure(read),
    ...samlServiceProvider(read),
  };
  return Object.freeze(config);
}

/** Abuse limits, API exposure and outage detection, read with the same rules. */
function limits(read: (name: string) => string | undefined, nodeEnv: NodeEnv) {
  const exposed = nodeEnv !== 'production';
  return {
    maxBodyBytes: integer(read, 'MAX_BODY_BYTES', 1_048_576, 1_024, 104_857_600),
    // 15 is graphql-js's getIntrospectionQuery (GraphiQL's) with its nine `ofType` levels; data queries
    // of this schema need far less, and the field cost bounds what depth alone would let through.
    maxQueryDepth: integer(read, 'MAX_QUERY_DEPTH', 15, 1, 1_000),
    maxQueryAliases: integer(read, 'MAX_QUERY_ALIASES', 1_000, 0, 100_000),
    maxQueryCost: integer(read, 'MAX_QUERY_COST', 500_000, 1, 100_000_000),
    maxQueryTokens: integer(read, 'MAX_QUERY_TOKENS', 15_000, 100, 10_000_000),
    introspection: boolean(read, 'GRAPHQL_INTROSPECTION', exposed),
    graphiql: boolean(read, 'GRAPHIQL', exposed),
    rateLimitPerSecond: integer(read, 'RATE_LIMIT_PER_SECOND', 500, 0, 1_000_000),
    rateLimitBurst: integer(read, 'RATE_LIMIT_BURST', 1_000, 1, 1_000_000),
    dbHealthIntervalMs: integer(read, 'DB_HEALTH_INTERVAL_MS', 2_000, 100, 600_000),
    trustedProxies: trustedProxies(read('TRUST_PROXY')),
  };
}

/**
 * Portcullis as a SAML service provider: the Audience its assertions must name (as AWS's
 * `urn:amazon:webservices`) and the Recipient, the URL of the SAML endpoint IdPs post to (as AWS's
 * `https://signin.aws.amazon.com/saml`). Both are what an administrator enters in the IdP.
 */
function samlServiceProvider(read: (name: string) => string | undefined) {
  const port = read('PORT') ?? '4000';
  return {
    samlAudience: read('SAML_AUDIENCE') ?? 'urn:portcullis:webservices',
    samlRecipient: read('SAML_RECIPIENT') ?? `http://localhost:${port === '0' ? '4000' : port}/saml`,
    samlSigningKey: read('SAML_SP_PRIVATE_KEY') || undefined,
    samlDecryptionKey: read('SAML_SP_DECRYPTION_KEY') || undefined,
  };
}

/** What besides the API is reachable, and from where: metrics and cross-origin browsers. */
function exposure(read: (name: string) => string | undefined) {
  return {
    metricsPort: integer(read, 'METRICS_PORT', 9464, 0, 65_535),
    metricsHost: read('METRICS_HOST') ?? '127.0.0.1',
    corsOrigins: corsOrigins(read('CORS_ORIGINS')),
  };
}

/** CORS_ORIGINS: comma-separated origins (`scheme://host[:port]`, nothing after), each exactly as browsers send it. */
function corsOrigins(raw: string | undefined): readonly string[] {
  if (raw === undefined) return Object.freeze([]);
  const origins = raw.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
  for (const origin of origins) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {
      parsed = undefined;
    }
    if (parsed === undefined || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || parsed.origin !== origin) {
      throw new ConfigError('CORS_ORIGINS', 'a comma-separated list of origins such as https://console.example.com (no path, no trailing slash)', quote(origin));
    }
  }
  return Object.freeze(origins);
}

function trustedProxies(raw: string | undefined): readonly IpBlock[] {
  if (raw === undefined) return [];
  const blocks = parseTrustedProxies(raw);
  if (blocks === undefined) throw new ConfigError('TRUST_PROXY', 'a comma-separated list of IP addresses or CIDR blocks', quote(raw));
  return Object.freeze(blocks);
}

function boolean(read: (name: string) => string | undefined, name: string, fallback: boolean): boolean {
  const raw = read(name);
  if (raw === undefined) return fallback;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new ConfigError(name, 'true, false, 1 or 0', quote(raw));
}

/** Shows a user-supplied value in an error message, quoted and cut short. */
function quote(value: string): string {
  const shown = value.length > 60 ? `${value.slice(0, 60)}…` : value;
  return `'${shown}'`;
}

function integer(
  read: (name: string) => string | undefined,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = read(name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new ConfigError(name, `an integer from ${min} to ${max}`, quote(raw));
  }
  return value;
}

function oneOf<T extends string>(
  read: (name: string) => string | undefined,
  name: string,
  allowed: readonly T[],
  fallback: T,
): T {
  const raw = read(name);
  if (raw === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(name, `one of ${allowed.join(', ')}`, quote(raw));
  }
  return raw as T;
}

/** READ_DATABASE_URL: same URL rule as DATABASE_URL, and only together with it (a replica of PGlite makes no sense). */
function readDatabaseUrl(raw: string | undefined, primary: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  if (primary === undefined) {
    throw new ConfigError('READ_DATABASE_URL', 'set only together with DATABASE_URL', quote(redactUrl(raw)));
  }
  return databaseUrl(raw, 'READ_DATABASE_URL');
}

function databaseUrl(raw: string | undefined, variable = 'DATABASE_URL'): string | undefined {
  if (raw === undefined) return undefined;
  const rule = 'a postgres:// or postgresql:// URL with a host';
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(variable, rule, quote(redactUrl(raw)));
  }
  if ((url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') || url.hostname === '') {
    throw new ConfigError(variable, rule, quote(redactUrl(raw)));
  }
  return raw;
}

function redisUrl(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const rule = 'a redis:// or rediss:// URL with a host';
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('REDIS_URL', rule, quote(redactUrl(raw)));
  }
  if ((url.protocol !== 'redis:' && url.protocol !== 'rediss:') || url.hostname === '') {
    throw new ConfigError('REDIS_URL', rule, quote(redactUrl(raw)));
  }
  return raw;
}

function accountId(raw: string): string {
  if (!ACCOUNT_ID.test(raw)) {
    throw new ConfigError('PORTCULLIS_ACCOUNT_ID', 'exactly 12 digits', quote(raw));
  }
  return raw;
}

function rootAccessKey(raw: string | undefined): RootAccessKey | undefined {
  if (raw === undefined) return undefined;
  const name = 'PORTCULLIS_ROOT_ACCESS_KEY';
  const colon = raw.indexOf(':');
  // Never echo any part of the secret; the key id alone is safe to show.
  if (colon < 0) {
    throw new ConfigError(name, 'ACCESS_KEY_ID:SECRET', 'a value with no colon (value hidden)');
  }
  const accessKeyId = raw.slice(0, colon);
  const secret = raw.slice(colon + 1);
  if (!ACCESS_KEY_ID.test(accessKeyId)) {
    throw new ConfigError(
      name,
      'ACCESS_KEY_ID:SECRET with an ACCESS_KEY_ID of 16 to 128 letters, digits or underscores',
      `access key id ${quote(accessKeyId)}`,
    );
  }
  if (!SECRET.test(secret)) {
    throw new ConfigError(
      name,
      'ACCESS_KEY_ID:SECRET with a SECRET of 16 to 128 non-space characters',
      `a secret of ${secret.length} characters (value hidden)`,
    );
  }
  return Object.freeze({ accessKeyId, secret });
}

function rootPassword(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  // AWS IAM passwords: 8 (the default policy minimum) to 128 characters.
  if (raw.length < 8 || raw.length > 128) {
    throw new ConfigError(
      'PORTCULLIS_ROOT_PASSWORD',
      '8 to 128 characters long',
      `${raw.length} characters (value hidden)`,
    );
  }
  return raw;
}

function secretsKey(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const hex = /^[0-9a-fA-F]{64}$/.test(raw);
  const base64 = /^[A-Za-z0-9+/_-]{43}=?$/.test(raw);
  if (!hex && !base64) {
    throw new ConfigError('PORTCULLIS_SECRETS_KEY', '32 bytes as base64 or 64 hex digits', `${raw.length} characters (value hidden)`);
  }
  return raw;
}

/** Replaces the password in a database URL so it can be shown in logs and errors. */
export function redactUrl(raw: string): string {
  try {
    const url = new URL(raw);
    if (url.password !== '') url.password = '***';
    return url.toString();
  } catch {
    // Unparseable: it may still hold a password between ':' and '@'.
    return raw.replace(/:[^:@/]*@/, ':***@');
  }
}

/** Parses TRUST_PROXY's comma-separated addresses and CIDR blocks; undefined when one is malformed. */
export function parseTrustedProxies(text: string): IpBlock[] | undefined {
  const blocks: IpBlock[] = [];
  for (const item of text.split(',')) {
    const block = parseIpBlock(item.trim());
    if (block === undefined) return undefined;
    blocks.push(block);
  }
  return blocks;
}
