/**
 * The profile store on PostgreSQL (RDS in deployed stages) through a `pg` Pool, created once per
 * Lambda container at cold start.
 */
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import { Pool, type PoolClient, type PoolConfig } from 'pg';
import type { PostgresDatabaseConfig } from '../../config';
import { ConfigError } from '../../config-error';
import { describeError, type Logger } from '../../logger';
import { createIamAuthTokenSource, type AuthTokenSource } from './iam-auth-token';
import type { SqlDatabase, SqlRow, SqlTransaction } from './sql-executor';
import type { ProfileStore } from './profile-store';
import { queryTimeoutMs } from './query-timeout';
import { SqlProfileStore } from './sql-profile-store';
import { isBrokenConnectionError } from './transient-error';

/**
 * A Lambda container serves one invocation at a time, so it never needs more than one connection.
 * Connections must scale with concurrent work, not with warm containers: hundreds of containers
 * each holding one would exhaust max_connections (see the README's "Connections under load").
 */
const POOL_SIZE = 1;
/**
 * Besides the release at the end of every invocation (see {@link PostgresProfileStore}), a
 * connection idle this long is closed: for the functions that keep theirs across invocations
 * (GET /health). Timers do not run while Lambda has the container frozen, so this does not stop a
 * connection from going stale during a freeze (RDS Proxy, NAT gateways and failovers drop them);
 * that case is the stale-connection retry below.
 */
const IDLE_TIMEOUT_MS = 1500;
function buildTlsOptions(config: PostgresDatabaseConfig): ConnectionOptions | false {
  if (config.ssl === 'off') return false;
  let ca: string | undefined;
  if (config.sslCaFile !== undefined) {
    try {
      ca = readFileSync(config.sslCaFile, 'utf8');
    } catch (error) {
      throw new ConfigError(
        'DATABASE_SSL_CA_FILE',
        `cannot read ${config.sslCaFile} (${describeError(error)})`,
        { cause: error },
      );
    }
  }
  // Node does not trust the Amazon RDS CAs by default. Either point DATABASE_SSL_CA_FILE at the
  // RDS bundle packaged with the function (`ca` then replaces Node's store), or set
  // NODE_EXTRA_CA_CERTS=/var/runtime/ca-cert.pem, which the Node.js 20+ runtimes ship with the
  // RDS CAs in it. Certificates are always verified: an unverified TLS connection would hand
  // the database password to anyone able to intercept it.
  return {
    rejectUnauthorized: true,
    ...(ca === undefined ? {} : { ca }),
    // The name the certificate must carry (pg derives the same from `host` when given parts; set
    // here so the check does not depend on that). Never an IP address: RFC 6066 forbids it in SNI.
    ...(config.auth === 'iam' && isIP(config.host) === 0 ? { servername: config.host } : {}),
    // `require` checks the chain but not the host name (libpq's verify-ca), for RDS Proxy
    // endpoints or CNAMEs that the certificate does not name.
    ...(config.ssl === 'require' ? { checkServerIdentity: () => undefined } : {}),
  };
}

export interface PostgresPoolOptions {
  /** IAM only: where each new connection's token comes from (tests sign with fixed credentials). */
  authToken?: AuthTokenSource;
}

/**
 * Where to connect and how to sign in. IAM: host, port, database and user as separate parts and
 * `password` as a function, which pg calls for every new connection when the server asks for a
 * password. (Given a `connectionString` instead, pg takes the URL's empty password and never
 * calls the function.)
 */
function buildConnectionOptions(
  config: PostgresDatabaseConfig,
  options: PostgresPoolOptions,
): PoolConfig {
  if (config.auth === 'url') return { connectionString: config.connectionString };
  const token = options.authToken ?? createIamAuthTokenSource(config);
  return {
    host: config.host,
    port: config.port,
    database: config.database,
    user: config.user,
    password: token,
  };
}

/**
 * Creates the pool. It connects lazily, so a cold start does not wait for the database; the
 * first query pays for the connection (and TLS handshake, and signing an IAM token).
 */
export function createPostgresPool(
  config: PostgresDatabaseConfig,
  logger: Logger,
  options: PostgresPoolOptions = {},
): Pool {
  const pool = new Pool({
    ...buildConnectionOptions(config, options),
    ssl: buildTlsOptions(config),
    max: POOL_SIZE,
    idleTimeoutMillis: IDLE_TIMEOUT_MS,
    // Bounds both opening a connection and waiting for a free one. Without it an unreachable
    // database (security group, paused cluster) hangs until the Lambda times out.
    connectionTimeoutMillis: config.connectTimeoutMs,
    // Sent as a startup parameter, so no extra round trip per connection. (Behind RDS Proxy,
    // startup parameters it does not track can pin the session to one database connection.)
    statement_timeout: config.statementTimeoutMs,
    query_timeout: queryTimeoutMs(config),
    // Lets an idle connection notice a dead peer while the container runs.
    keepAlive: true,
    application_name: 'cognito-gate',
  });
  // An idle client whose connection dies (the server restarted, RDS Proxy or a NAT timed it out
  // while the Lambda was frozen) makes the pool emit `error`; with no listener Node would throw
  // it as an uncaught exception and kill the container mid-invocation. The pool has already
  // discarded the client, so logging is all there is to do.
  pool.on('error', (error) => {
    logger.warn('idle database connection lost', {
      database: config.displayUrl,
      error: describeError(error),
    });
  });
  return pool;
}

/**
 * Adapts a pool to {@link SqlDatabase}. A statement that meets a dead connection on a *reused*
 * connection (reset, terminated, or silent until the read timeout: what a thawed Lambda finds after
 * its connection was dropped during the freeze) is retried once on a new connection. A new
 * connection that fails is not retried here: that is the database itself failing, which the
 * triggers' retry and the API's 503 handle. Every statement the store sends is safe to repeat: at
 * worst a create that did commit before the connection broke reports `created: false`.
 *
 * `pool` may be a function, for a store that replaces its pool (see {@link PostgresProfileStore}).
 */
export function toPostgresDatabase(pool: Pool | (() => Pool), logger: Logger): SqlDatabase {
  const currentPool = typeof pool === 'function' ? pool : () => pool;
  // Connections that have already served a statement: only these can be stale.
  const used = new WeakSet<PoolClient>();

  // A checked-out client has no pool listener for `error`; a socket error outside a query (a
  // reset between two statements) would otherwise be thrown as uncaught. The statement under way
  // gets the error anyway, so the listener only has to exist. (pool.query does the same.)
  const checkOut = async (): Promise<PoolClient> => {
    const client = await currentPool().connect();
    const onError = (error: unknown) => {
      logger.debug('database connection failed while checked out', { error: describeError(error) });
    };
    client.on('error', onError);
    const release = client.release.bind(client);
    client.release = (error?: Error | boolean) => {
      client.removeListener('error', onError);
      release(error);
    };
    return client;
  };

  const run = async (text: string, params: readonly unknown[]): Promise<SqlRow[]> => {
    for (let attempt = 1; ; attempt += 1) {
      const client = await checkOut();
      const reused = used.has(client);
      used.add(client);
      try {
        const result = await client.query<SqlRow>(text, [...params]);
        client.release();
        return result.rows;
      } catch (error) {
        // A broken connection is destroyed rather than handed out again.
        client.release(isBrokenConnectionError(error) ? toError(error) : undefined);
        if (attempt > 1 || !reused || !isBrokenConnectionError(error)) throw error;
        logger.warn('database connection was stale; retrying on a new one', {
          error: describeError(error),
        });
      }
    }
  };

  return {
    query: (text, params = []) => run(text, params),
    async transaction<T>(work: (tx: SqlTransaction) => Promise<T>): Promise<T> {
      const client = await checkOut();
      used.add(client);
      let broken: Error | undefined;
      try {
        await client.query('BEGIN');
        const result = await work({
          query: async (text, params = []) => (await client.query<SqlRow>(text, [...params])).rows,
          execScript: async (sql) => {
            // Without parameters pg uses the simple query protocol, which runs several statements.
            await client.query(sql);
          },
        });
        await client.query('COMMIT');
        return result;
      } catch (error) {
        try {
          await client.query('ROLLBACK');
        } catch (rollbackError) {
          // The connection is unusable; make the pool discard it instead of reusing it.
          broken = toError(rollbackError);
        }
        throw error;
      } finally {
        client.release(broken);
      }
    },
  };
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(describeError(error));
}

/**
 * Opens the PostgreSQL profile store of one Lambda container: at most one connection, opened on
 * first need and closed by `releaseConnections` when the invocation ends, so that a frozen
 * container holds none. (Behind RDS Proxy a connection to the proxy is cheap to reopen and the
 * proxy multiplexes the database's own connections by transaction; directly on RDS, the release
 * is what keeps max_connections for the containers that are working.) Does not migrate: that is
 * `npm run db:migrate`'s job.
 */
export function createPostgresProfileStore(
  config: PostgresDatabaseConfig,
  logger: Logger,
  options: PostgresPoolOptions = {},
): ProfileStore {
  let pool: Pool | undefined;
  let closed = false;
  const currentPool = (): Pool => {
    if (closed) throw new Error('the profile store is closed');
    pool ??= createPostgresPool(config, logger, options);
    return pool;
  };
  const endPool = async (closing: boolean): Promise<void> => {
    if (closing) closed = true;
    const ending = pool;
    pool = undefined;
    // Resolves once no client is checked out; the sockets close in the background.
    await ending?.end();
  };
  return new SqlProfileStore(
    toPostgresDatabase(currentPool, logger),
    () => endPool(true),
    () => endPool(false),
  );
}
