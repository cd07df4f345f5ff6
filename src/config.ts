/**
 * The one module that reads the environment. Each function reads and validates the variables of
 * one concern once, at cold start, and throws {@link ConfigError} naming the variable at fault.
 */
import { parseAccessRules, type AccessRule } from './auth/access-rules';
import { ConfigError } from './config-error';
import { databaseDir as LOCAL_DATABASE_DIR } from '../local/local-stage.json';
import type { LogLevel } from './logger';

export type Env = Readonly<Record<string, string | undefined>>;

export type TokenUse = 'access' | 'id' | 'any';
export type HttpApiResponseMode = 'simple' | 'iam';

export interface AuthorizerConfig {
  userPoolId: string;
  clientIds: string[];
  tokenUse: TokenUse;
  /** Local runs only: trust the keys in this JWKS file instead of fetching the pool's JWKS. */
  jwksFile: string | undefined;
  accessRules: AccessRule[];
  httpApiResponse: HttpApiResponseMode;
  /** Upper bound on verified tokens remembered per container (0 turns the cache off). */
  tokenCacheSize: number;
  /** Bound on one JWKS fetch, connect to last byte. */
  jwksFetchTimeoutMs: number;
  /** After a failed JWKS fetch (or one without the wanted kid), no fetch of that URI for this long. */
  jwksBackoffSeconds: number;
  logLevel: LogLevel;
}

const USER_POOL_ID = /^[a-z]{2}(-gov)?-[a-z]+-\d_[0-9A-Za-z]+$/;
const CLIENT_ID = /^[\w+]{1,128}$/;
const LOG_LEVELS: readonly LogLevel[] = ['DEBUG', 'INFO', 'WARN', 'ERROR', 'SILENT'];

function readRequired(env: Env, name: string, example: string): string {
  const value = env[name]?.trim();
  if (!value) throw new ConfigError(name, `is required (for example ${example})`);
  return value;
}

function readChoice<T extends string>(
  env: Env,
  name: string,
  choices: readonly T[],
  fallback: T,
): T {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const found = choices.find((choice) => choice.toLowerCase() === raw.toLowerCase());
  if (found === undefined) {
    throw new ConfigError(name, `must be one of ${choices.join(', ')}; got "${raw.slice(0, 40)}"`);
  }
  return found;
}

function readBoolean(env: Env, name: string): boolean {
  return env[name]?.trim().toLowerCase() === 'true';
}

function readInteger(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigError(
      name,
      `must be a whole number from ${min} to ${max}; got "${raw.slice(0, 40)}"`,
    );
  }
  return Number(raw);
}

/** `true` under `serverless invoke local` (IS_LOCAL) and serverless-offline (IS_OFFLINE). */
export function isLocalRun(env: Env = process.env): boolean {
  return readBoolean(env, 'IS_LOCAL') || readBoolean(env, 'IS_OFFLINE');
}

export function readLogLevel(env: Env = process.env): LogLevel {
  return readChoice(env, 'LOG_LEVEL', LOG_LEVELS, 'INFO');
}

/** Reads the authorizer's configuration; throws {@link ConfigError} on the first bad variable. */
export function readAuthorizerConfig(env: Env = process.env): AuthorizerConfig {
  const userPoolId = readRequired(env, 'COGNITO_USER_POOL_ID', 'us-east-1_AbCdEf123');
  if (!USER_POOL_ID.test(userPoolId)) {
    throw new ConfigError(
      'COGNITO_USER_POOL_ID',
      `must look like <region>_<id>, for example us-east-1_AbCdEf123; got "${userPoolId.slice(0, 60)}"`,
    );
  }

  const clientIds = readRequired(env, 'COGNITO_CLIENT_IDS', '1example23456789')
    .split(',')
    .map((id) => id.trim());
  const badClientId = clientIds.find((id) => !CLIENT_ID.test(id));
  if (badClientId !== undefined) {
    throw new ConfigError(
      'COGNITO_CLIENT_IDS',
      `must be app client ids separated by commas (letters, digits, _ or +); got "${badClientId.slice(0, 60)}"`,
    );
  }

  const jwksFile = env.COGNITO_JWKS_FILE?.trim() || undefined;
  if (jwksFile !== undefined && !isLocalRun(env)) {
    throw new ConfigError(
      'COGNITO_JWKS_FILE',
      'is honoured only in local runs (IS_LOCAL or IS_OFFLINE set to true); unset it in deployed stages so keys come from the user pool',
    );
  }

  return {
    userPoolId,
    clientIds: [...new Set(clientIds)],
    tokenUse: readChoice(env, 'COGNITO_TOKEN_USE', ['access', 'id', 'any'] as const, 'access'),
    jwksFile,
    accessRules: parseAccessRules(env.ACCESS_RULES ?? '', 'ACCESS_RULES'),
    httpApiResponse: readChoice(env, 'HTTP_API_RESPONSE', ['simple', 'iam'] as const, 'simple'),
    tokenCacheSize: readInteger(env, 'TOKEN_CACHE_SIZE', 1000, 0, 100_000),
    // The function timeout is 6 s (serverless.yml) and a request may wait for two fetches (the
    // cold-start one, then a refetch for an unknown kid): 2 x 2.5 s still leaves a decision.
    jwksFetchTimeoutMs: readInteger(env, 'JWKS_FETCH_TIMEOUT_MS', 1500, 100, 2500),
    // aws-jwt-verify's own penalty box waits 10 s; longer than an hour would outlast a key rotation.
    jwksBackoffSeconds: readInteger(env, 'JWKS_BACKOFF_SECONDS', 10, 1, 3600),
    logLevel: readLogLevel(env),
  };
}

// --- profile store ---

/**
 * How the pg driver protects the connection:
 * - `off`: plain TCP (local servers, tests).
 * - `require`: TLS, and the server certificate must chain to a trusted CA, but its host name is
 *   not compared (libpq's `verify-ca`). Stricter than libpq's `require`, which accepts any
 *   certificate: we never want TLS that a man in the middle can terminate. Useful behind RDS
 *   Proxy or a CNAME whose name is not in the certificate.
 * - `verify-full`: TLS, trusted chain and matching host name. The choice for RDS endpoints.
 */
export type DatabaseSslMode = 'off' | 'require' | 'verify-full';

export interface PgliteDatabaseConfig {
  kind: 'pglite';
  /** Directory holding the database files; `undefined` keeps the database in memory. */
  dataDir: string | undefined;
  /**
   * Close the database after each invocation. `serverless invoke local` runs one invocation and
   * then waits for Node's event loop to drain, which an open on-disk PGlite never lets happen.
   */
  closeAfterEachInvocation: boolean;
}

export interface PostgresDatabaseConfig {
  kind: 'postgres';
  /** The DATABASE_URL without its ssl* parameters (pg would let them override {@link ssl}). */
  connectionString: string;
  /** The URL with the password masked, for logs and messages. */
  displayUrl: string;
  ssl: DatabaseSslMode;
  /**
   * PEM bundle trusted instead of Node's CAs (for RDS: the region's or global bundle); Node's `ca`
   * option replaces its default store, https://nodejs.org/api/tls.html#tlscreatesecurecontextoptions
   */
  sslCaFile: string | undefined;
  statementTimeoutMs: number;
  connectTimeoutMs: number;
}

export type DatabaseConfig = PgliteDatabaseConfig | PostgresDatabaseConfig;

// The local stage's database (local/local-stage.json, which local/local-stage.cjs also reads for
// serverless.yml), relative to the working directory. Only this key is bundled.
const DEFAULT_DATABASE_URL = `pglite:./${LOCAL_DATABASE_DIR}`;
const DATABASE_SSL_MODES: readonly DatabaseSslMode[] = ['off', 'require', 'verify-full'];
/** libpq's sslmode values, mapped onto ours; `allow` and `prefer` (TLS only if offered) are refused. */
const LIBPQ_SSL_MODES: Readonly<Record<string, DatabaseSslMode>> = {
  disable: 'off',
  require: 'require',
  'verify-ca': 'require',
  'verify-full': 'verify-full',
};
/** Query parameters pg-connection-string turns into TLS settings; we set TLS ourselves. */
const URL_SSL_PARAMETERS = ['ssl', 'sslmode', 'sslrootcert', 'sslcert', 'sslkey', 'uselibpqcompat'];

/** The URL with any password replaced by `***`, safe to log. */
export function redactDatabaseUrl(url: URL): string {
  const copy = new URL(url.href);
  if (copy.password !== '') copy.password = '***';
  return copy.href;
}

function readPostgresUrl(env: Env, raw: string): PostgresDatabaseConfig {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    // The value is not echoed: it may hold a password.
    throw new ConfigError(
      'DATABASE_URL',
      'is not a valid URL (value not shown: it may hold a password); expected postgres://user:password@host:5432/database',
    );
  }
  if (url.hostname === '' || url.pathname.length <= 1) {
    throw new ConfigError(
      'DATABASE_URL',
      `must name a host and a database, as in postgres://user:password@host:5432/database; got ${redactDatabaseUrl(url)}`,
    );
  }

  const urlSslMode = url.searchParams.get('sslmode') ?? undefined;
  let sslFromUrl: DatabaseSslMode = 'off';
  if (urlSslMode !== undefined) {
    const mapped = LIBPQ_SSL_MODES[urlSslMode];
    if (mapped === undefined) {
      throw new ConfigError(
        'DATABASE_URL',
        `sslmode must be one of ${Object.keys(LIBPQ_SSL_MODES).join(', ')} (or set DATABASE_SSL); got "${urlSslMode.slice(0, 20)}"`,
      );
    }
    sslFromUrl = mapped;
  }
  const urlCaFile = url.searchParams.get('sslrootcert') ?? undefined;
  for (const name of URL_SSL_PARAMETERS) url.searchParams.delete(name);

  // DATABASE_SSL, when set, wins over the URL's sslmode.
  const ssl = env.DATABASE_SSL?.trim()
    ? readChoice(env, 'DATABASE_SSL', DATABASE_SSL_MODES, 'off')
    : sslFromUrl;
  const sslCaFile = env.DATABASE_SSL_CA_FILE?.trim() || urlCaFile || undefined;
  if (sslCaFile !== undefined && ssl === 'off') {
    throw new ConfigError(
      'DATABASE_SSL_CA_FILE',
      'is set but TLS is off; set DATABASE_SSL to require or verify-full, or unset the CA file',
    );
  }

  return {
    kind: 'postgres',
    connectionString: url.href,
    displayUrl: redactDatabaseUrl(url),
    ssl,
    sslCaFile,
    // Cognito gives a trigger 5 seconds in all, retries included. An attempt is bounded by the
    // connect timeout plus the statement's read timeout (statement + 0.5 s): 1 s each keeps an
    // attempt at 2.5 s, so that a retry still fits after one that timed out.
    statementTimeoutMs: readInteger(env, 'DATABASE_STATEMENT_TIMEOUT_MS', 1000, 100, 60_000),
    connectTimeoutMs: readInteger(env, 'DATABASE_CONNECT_TIMEOUT_MS', 1000, 100, 30_000),
  };
}

/**
 * Reads where profiles live from DATABASE_URL: `pglite:memory:`, `pglite:<directory>` (the
 * default, `pglite:./.data/profiles`) or a `postgres://` / `postgresql://` URL, plus
 * DATABASE_SSL, DATABASE_SSL_CA_FILE, DATABASE_STATEMENT_TIMEOUT_MS and
 * DATABASE_CONNECT_TIMEOUT_MS for PostgreSQL. Throws {@link ConfigError}; never echoes a password.
 */
export function readDatabaseConfig(env: Env = process.env): DatabaseConfig {
  const raw = env.DATABASE_URL?.trim() || DEFAULT_DATABASE_URL;

  if (raw.startsWith('pglite:')) {
    // A deployed function has a read-only file system and one container per request at a time:
    // an embedded database there would lose data silently.
    if (env.AWS_LAMBDA_FUNCTION_NAME !== undefined && !isLocalRun(env)) {
      throw new ConfigError(
        'DATABASE_URL',
        'must be a postgres:// URL in deployed stages (PGlite is for local runs and tests)',
      );
    }
    const location = raw.slice('pglite:'.length);
    const closeAfterEachInvocation =
      readBoolean(env, 'IS_LOCAL') && !readBoolean(env, 'IS_OFFLINE');
    if (location === 'memory:')
      return { kind: 'pglite', dataDir: undefined, closeAfterEachInvocation };
    if (location === '' || location === 'memory') {
      throw new ConfigError(
        'DATABASE_URL',
        `must be pglite:memory: (in memory) or pglite:<directory>; got "${raw.slice(0, 60)}"`,
      );
    }
    return { kind: 'pglite', dataDir: location, closeAfterEachInvocation };
  }

  if (/^postgres(ql)?:\/\//i.test(raw)) return readPostgresUrl(env, raw);

  // Show only the scheme: the rest may be a URL with a password in it.
  const scheme = /^[a-z][a-z0-9+.-]{0,19}:/i.exec(raw)?.[0];
  throw new ConfigError(
    'DATABASE_URL',
    `must be pglite:memory:, pglite:<directory> or a postgres:// URL; got ${scheme === undefined ? 'a value without a scheme' : `a value starting with "${scheme}"`}`,
  );
}

// --- sign-up triggers ---

export interface SignUpTriggerConfig {
  /** Lower-case domains allowed to sign up; empty allows every domain. */
  allowedEmailDomains: string[];
  /** Lower-case domains whose sign-ups are confirmed and their email verified at once. */
  autoConfirmEmailDomains: string[];
  /** Write normalized `name` / `preferred_username` back to Cognito after confirmation. */
  syncAttributesToCognito: boolean;
  logLevel: LogLevel;
}

const DOMAIN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

function readDomains(env: Env, name: string): string[] {
  const raw = env[name]?.trim() ?? '';
  if (raw === '') return [];
  return raw.split(',').map((part) => {
    const domain = part.trim().toLowerCase();
    if (!DOMAIN.test(domain)) {
      throw new ConfigError(
        name,
        `must be email domains separated by commas, like example.com,example.org; got "${domain.slice(0, 60)}"`,
      );
    }
    return domain;
  });
}

/** Reads the PreSignUp/PostConfirmation options; throws {@link ConfigError} naming the variable. */
export function readSignUpTriggerConfig(env: Env = process.env): SignUpTriggerConfig {
  return {
    allowedEmailDomains: readDomains(env, 'ALLOWED_EMAIL_DOMAINS'),
    autoConfirmEmailDomains: readDomains(env, 'AUTO_CONFIRM_EMAIL_DOMAINS'),
    syncAttributesToCognito:
      readChoice(env, 'SYNC_ATTRIBUTES_TO_COGNITO', ['false', 'true'] as const, 'false') === 'true',
    logLevel: readLogLevel(env),
  };
}

// --- profile API ---

export interface ApiConfig {
  /**
   * The pool that `GET /me` and `PATCH /me` ask (AdminGetUser) for the attributes of a user whose
   * profile does not exist yet. `undefined` (local runs only) skips Cognito: the profile is then
   * made from the token's claims alone, which only id tokens can do (they carry the email); an
   * access token gets 409 `email_required`. Required in deployed stages, where access tokens are
   * the norm and admin-created users have no profile until their first call.
   */
  userPoolId: string | undefined;
  /** How long `GET /health` waits for the database before answering 503. */
  healthCheckTimeoutMs: number;
  logLevel: LogLevel;
}

/** Reads the profile API's configuration; throws {@link ConfigError} naming the variable. */
export function readApiConfig(env: Env = process.env): ApiConfig {
  const userPoolId = env.COGNITO_USER_POOL_ID?.trim() || undefined;
  if (userPoolId === undefined && env.AWS_LAMBDA_FUNCTION_NAME !== undefined && !isLocalRun(env)) {
    throw new ConfigError(
      'COGNITO_USER_POOL_ID',
      'is required in deployed stages (for example us-east-1_AbCdEf123): GET and PATCH /me read the attributes of users without a profile from the pool',
    );
  }
  if (userPoolId !== undefined && !USER_POOL_ID.test(userPoolId)) {
    throw new ConfigError(
      'COGNITO_USER_POOL_ID',
      `must look like <region>_<id>, for example us-east-1_AbCdEf123; got "${userPoolId.slice(0, 60)}"`,
    );
  }
  return {
    userPoolId,
    healthCheckTimeoutMs: readInteger(env, 'HEALTH_CHECK_TIMEOUT_MS', 1000, 50, 10_000),
    logLevel: readLogLevel(env),
  };
}
