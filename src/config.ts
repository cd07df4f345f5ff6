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

/** One trusted user pool and the app clients whose tokens it may issue to us. */
export interface UserPoolConfig {
  userPoolId: string;
  clientIds: string[];
}

export interface AuthorizerConfig {
  /** The trusted pools, in the order given; at least one. */
  pools: UserPoolConfig[];
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

// aws-jwt-verify 5.2's own pattern (CognitoJwtVerifier.USER_POOL_ID_REGEX), so a pool id we accept
// is one the verifier accepts: commercial, GovCloud and European Sovereign Cloud (`eusc-`) regions.
const USER_POOL_ID = /^(?:eusc-[a-z]{2}|[a-z]{2})-(gov-)?[a-z]+-\d_[a-zA-Z0-9]+$/;
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

/**
 * `COGNITO_USER_POOL_ID`: one pool id or several, comma-separated (`us-east-1_AbC,eu-west-1_XyZ`).
 * The one place a pool id is checked (authorizer and API).
 */
function readUserPoolIds(env: Env, required: boolean): string[] {
  const raw = env.COGNITO_USER_POOL_ID?.trim() ?? '';
  if (raw === '') {
    if (!required) return [];
    throw new ConfigError('COGNITO_USER_POOL_ID', 'is required (for example us-east-1_AbCdEf123)');
  }
  const ids = raw.split(',').map((id) => id.trim());
  const seen = new Set<string>();
  for (const id of ids) {
    if (!USER_POOL_ID.test(id)) {
      throw new ConfigError(
        'COGNITO_USER_POOL_ID',
        `must be user pool ids like us-east-1_AbCdEf123, separated by commas; got "${id.slice(0, 60)}"`,
      );
    }
    if (seen.has(id)) throw new ConfigError('COGNITO_USER_POOL_ID', `lists ${id} twice`);
    seen.add(id);
  }
  return ids;
}

/**
 * `COGNITO_CLIENT_IDS`: app client ids, comma-separated. With one pool they may be bare
 * (`1example23456789,2example`); with several, each is qualified by its pool
 * (`us-east-1_AbC:1example23456789,eu-west-1_XyZ:3example`), and every pool needs at least one.
 * A pool id never contains `:`, a client id neither (Cognito's pattern is `[\w+]+`), so the form
 * cannot be misread.
 */
function readPools(env: Env, poolIds: readonly string[]): UserPoolConfig[] {
  const clients = new Map<string, Set<string>>(poolIds.map((id) => [id, new Set<string>()]));
  const single = poolIds.length === 1 ? poolIds[0] : undefined;
  const example =
    single === undefined ? `${poolIds[0] ?? 'us-east-1_AbC'}:1example23456789` : '1example23456789';
  const raw = readRequired(env, 'COGNITO_CLIENT_IDS', example);
  for (const entry of raw.split(',').map((part) => part.trim())) {
    const colon = entry.indexOf(':');
    const poolId = colon === -1 ? single : entry.slice(0, colon);
    const clientId = colon === -1 ? entry : entry.slice(colon + 1);
    if (poolId === undefined) {
      throw new ConfigError(
        'COGNITO_CLIENT_IDS',
        `must qualify each client id with its pool when COGNITO_USER_POOL_ID lists several (for example ${example}); got "${entry.slice(0, 60)}"`,
      );
    }
    const set = clients.get(poolId);
    if (set === undefined) {
      throw new ConfigError(
        'COGNITO_CLIENT_IDS',
        `names pool "${poolId.slice(0, 60)}", which COGNITO_USER_POOL_ID does not list`,
      );
    }
    if (!CLIENT_ID.test(clientId)) {
      throw new ConfigError(
        'COGNITO_CLIENT_IDS',
        `must be app client ids separated by commas (letters, digits, _ or +); got "${clientId.slice(0, 60)}"`,
      );
    }
    set.add(clientId);
  }
  return poolIds.map((userPoolId) => {
    const clientIds = [...(clients.get(userPoolId) ?? [])];
    if (clientIds.length === 0) {
      throw new ConfigError('COGNITO_CLIENT_IDS', `names no app client for pool ${userPoolId}`);
    }
    return { userPoolId, clientIds };
  });
}

/** Reads the authorizer's configuration; throws {@link ConfigError} on the first bad variable. */
export function readAuthorizerConfig(env: Env = process.env): AuthorizerConfig {
  const pools = readPools(env, readUserPoolIds(env, true));

  const jwksFile = env.COGNITO_JWKS_FILE?.trim() || undefined;
  if (jwksFile !== undefined && !isLocalRun(env)) {
    throw new ConfigError(
      'COGNITO_JWKS_FILE',
      'is honoured only in local runs (IS_LOCAL or IS_OFFLINE set to true); unset it in deployed stages so keys come from the user pool',
    );
  }

  return {
    pools,
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

interface PostgresSettings {
  kind: 'postgres';
  /** Where the database is, with no password in it, for logs and messages. */
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

/** PostgreSQL named by DATABASE_URL: the password, if any, is part of the URL. */
export interface PostgresUrlDatabaseConfig extends PostgresSettings {
  auth: 'url';
  /** The DATABASE_URL without its ssl* parameters (pg would let them override {@link ssl}). */
  connectionString: string;
}

/**
 * PostgreSQL named by DATABASE_HOST and friends, signing in with IAM database authentication:
 * a token signed locally from the function's credentials for each new connection, no password
 * stored anywhere.
 */
export interface PostgresIamDatabaseConfig extends PostgresSettings {
  auth: 'iam';
  host: string;
  port: number;
  database: string;
  user: string;
  /** The region the tokens are signed for (the database's; Lambda sets AWS_REGION). */
  region: string;
}

export type PostgresDatabaseConfig = PostgresUrlDatabaseConfig | PostgresIamDatabaseConfig;

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

function readSslCaFile(env: Env, ssl: DatabaseSslMode, fromUrl?: string): string | undefined {
  const sslCaFile = env.DATABASE_SSL_CA_FILE?.trim() || fromUrl || undefined;
  if (sslCaFile !== undefined && ssl === 'off') {
    throw new ConfigError(
      'DATABASE_SSL_CA_FILE',
      'is set but TLS is off; set DATABASE_SSL to require or verify-full, or unset the CA file',
    );
  }
  return sslCaFile;
}

function readDatabaseTimeouts(
  env: Env,
): Pick<PostgresSettings, 'statementTimeoutMs' | 'connectTimeoutMs'> {
  return {
    // Cognito gives a trigger 5 seconds in all, retries included. An attempt is bounded by the
    // connect timeout plus the statement's read timeout (statement + 0.5 s): 1 s each keeps an
    // attempt at 2.5 s, so that a retry still fits after one that timed out.
    statementTimeoutMs: readInteger(env, 'DATABASE_STATEMENT_TIMEOUT_MS', 1000, 100, 60_000),
    connectTimeoutMs: readInteger(env, 'DATABASE_CONNECT_TIMEOUT_MS', 1000, 100, 30_000),
  };
}

function readPostgresUrl(env: Env, raw: string): PostgresUrlDatabaseConfig {
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
  const sslCaFile = readSslCaFile(env, ssl, urlCaFile);

  return {
    kind: 'postgres',
    auth: 'url',
    connectionString: url.href,
    displayUrl: redactDatabaseUrl(url),
    ssl,
    sslCaFile,
    ...readDatabaseTimeouts(env),
  };
}

/** A DNS name or an IPv4 address: what RDS and RDS Proxy endpoints are. No scheme, port or path. */
const DATABASE_HOST =
  /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
/** PostgreSQL identifiers as RDS accepts them for database and user names. */
const DATABASE_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$-]{0,62}$/;
/** Set only together with DATABASE_HOST; any of them alone is a half-done configuration. */
const DATABASE_PART_VARIABLES = [
  'DATABASE_PORT',
  'DATABASE_NAME',
  'DATABASE_USER',
  'DATABASE_AUTH',
];

function readIdentifier(env: Env, name: string, example: string): string {
  const value = readRequired(env, name, example);
  if (!DATABASE_IDENTIFIER.test(value)) {
    throw new ConfigError(
      name,
      `must be a PostgreSQL name (a letter or _, then letters, digits, _, $ or -; at most 63), for example ${example}; got "${value.slice(0, 70)}"`,
    );
  }
  return value;
}

/**
 * DATABASE_HOST, DATABASE_PORT, DATABASE_NAME, DATABASE_USER with DATABASE_AUTH=iam: IAM database
 * authentication (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.IAMDBAuth.html).
 */
function readPostgresParts(env: Env, host: string): PostgresIamDatabaseConfig {
  if (!DATABASE_HOST.test(host)) {
    throw new ConfigError(
      'DATABASE_HOST',
      `must be a host name such as an RDS Proxy endpoint (no scheme, port or path), for example my-proxy.proxy-abc123.us-east-1.rds.amazonaws.com; got "${host.slice(0, 80)}"`,
    );
  }
  const authRaw = env.DATABASE_AUTH?.trim() || 'iam';
  if (authRaw.toLowerCase() !== 'iam') {
    throw new ConfigError(
      'DATABASE_AUTH',
      `must be iam (the only sign-in for DATABASE_HOST; a password belongs in DATABASE_URL instead); got "${authRaw.slice(0, 20)}"`,
    );
  }
  const region = env.AWS_REGION?.trim() ?? '';
  if (!/^[a-z]{2}(-gov)?-[a-z]+-\d$/.test(region)) {
    throw new ConfigError(
      'AWS_REGION',
      `must be the database's region (Lambda sets it; for example us-east-1) to sign IAM tokens; got "${region.slice(0, 30)}"`,
    );
  }
  // RDS accepts IAM tokens only over TLS, and a token sent to whoever intercepts the connection
  // is a 15-minute password: no plain TCP here.
  const ssl = readChoice(env, 'DATABASE_SSL', DATABASE_SSL_MODES, 'verify-full');
  if (ssl === 'off') {
    throw new ConfigError(
      'DATABASE_SSL',
      'must be verify-full (or require) with DATABASE_AUTH=iam: RDS takes IAM tokens only over TLS',
    );
  }
  const port = readInteger(env, 'DATABASE_PORT', 5432, 1, 65_535);
  const database = readIdentifier(env, 'DATABASE_NAME', 'profiles');
  const user = readIdentifier(env, 'DATABASE_USER', 'cognito_gate');
  return {
    kind: 'postgres',
    auth: 'iam',
    host,
    port,
    database,
    user,
    region,
    displayUrl: `postgres://${user}@${host}:${port}/${database} (IAM auth)`,
    ssl,
    sslCaFile: readSslCaFile(env, ssl),
    ...readDatabaseTimeouts(env),
  };
}

/**
 * Reads where profiles live: DATABASE_HOST (+ DATABASE_PORT, DATABASE_NAME, DATABASE_USER,
 * DATABASE_AUTH=iam and Lambda's AWS_REGION) for IAM authentication, else DATABASE_URL:
 * `pglite:memory:`, `pglite:<directory>` (the default, `pglite:./.data/profiles`) or a
 * `postgres://` / `postgresql://` URL. For PostgreSQL also DATABASE_SSL, DATABASE_SSL_CA_FILE,
 * DATABASE_STATEMENT_TIMEOUT_MS and DATABASE_CONNECT_TIMEOUT_MS. Throws {@link ConfigError};
 * never echoes a password.
 */
export function readDatabaseConfig(env: Env = process.env): DatabaseConfig {
  const host = env.DATABASE_HOST?.trim() ?? '';
  const url = env.DATABASE_URL?.trim() ?? '';
  if (host !== '') {
    if (url !== '') {
      throw new ConfigError(
        'DATABASE_HOST',
        'cannot be combined with DATABASE_URL: set DATABASE_HOST (with DATABASE_NAME, DATABASE_USER, DATABASE_AUTH=iam) or DATABASE_URL, not both',
      );
    }
    return readPostgresParts(env, host);
  }
  const stray = DATABASE_PART_VARIABLES.find((name) => (env[name]?.trim() ?? '') !== '');
  if (stray !== undefined) {
    throw new ConfigError(
      stray,
      'is set but DATABASE_HOST is not; set DATABASE_HOST too (IAM authentication), or unset it and use DATABASE_URL',
    );
  }
  const raw = url || DEFAULT_DATABASE_URL;

  if (raw.startsWith('pglite:')) {
    // A deployed function has a read-only file system and one container per request at a time:
    // an embedded database there would lose data silently.
    if (env.AWS_LAMBDA_FUNCTION_NAME !== undefined && !isLocalRun(env)) {
      throw new ConfigError(
        'DATABASE_URL',
        'must be a postgres:// URL in deployed stages (PGlite is for local runs and tests), or unset with DATABASE_HOST set for IAM authentication',
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
   * The pools that `GET /me` and `PATCH /me` ask (AdminGetUser) for the attributes of a user whose
   * profile does not exist yet: the caller's own pool (the authorizer passes it on). Empty (local
   * runs only) skips Cognito: the profile is then made from the token's claims alone, which needs
   * an `email` claim (the dev key's access tokens carry one; Cognito's access tokens do not, and id
   * tokens are refused unless COGNITO_TOKEN_USE allows them); without one, 409 `email_required`. Required in
   * deployed stages, where access tokens are the norm and admin-created users have no profile until
   * their first call.
   */
  userPoolIds: string[];
  /** How long `GET /health` waits for the database before answering 503. */
  healthCheckTimeoutMs: number;
  logLevel: LogLevel;
}

/** Reads the profile API's configuration; throws {@link ConfigError} naming the variable. */
export function readApiConfig(env: Env = process.env): ApiConfig {
  const userPoolIds = readUserPoolIds(env, false);
  if (userPoolIds.length === 0 && env.AWS_LAMBDA_FUNCTION_NAME !== undefined && !isLocalRun(env)) {
    throw new ConfigError(
      'COGNITO_USER_POOL_ID',
      'is required in deployed stages (for example us-east-1_AbCdEf123): GET and PATCH /me read the attributes of users without a profile from the pool',
    );
  }
  return {
    userPoolIds,
    healthCheckTimeoutMs: readInteger(env, 'HEALTH_CHECK_TIMEOUT_MS', 1000, 50, 10_000),
    logLevel: readLogLevel(env),
  };
}
