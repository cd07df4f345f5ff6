/**
 * The profile store on PostgreSQL (RDS in deployed stages) through a `pg` Pool, created once per
 * Lambda container at cold start.
 */
import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import { Pool } from 'pg';
import type { PostgresDatabaseConfig } from '../../config';
import { ConfigError } from '../../config-error';
import { describeError, type Logger } from '../../logger';
import type { ProfileStore } from './profile-store';
import type { SqlDatabase, SqlRow, SqlTransaction } from './sql-executor';
import { SqlProfileStore } from './sql-profile-store';

/**
 * A Lambda container serves one invocation at a time, so it never needs more than one
 * connection; the second covers a connection being replaced. Hundreds of containers times a
 * large pool would exhaust RDS's max_connections.
 */
const POOL_SIZE = 2;
/**
 * Connections idle for a minute are closed. Timers do not run
 * while the container is frozen between invocations, so this does not stop a connection from
 * going stale during a freeze (RDS Proxy, NAT gateways and failovers drop them); that case is
 * handled by the `error` listener and the retry below.
 */
const IDLE_TIMEOUT_MS = 60_000;
/**
 * The client-side bound on a query, a little above statement_timeout so that the server's
 * cancellation (a clear SQLSTATE 57014) normally comes first. It still fires when the server or
 * the network went silent: a connection dropped without a reset would otherwise wait for TCP to
 * give up, long after Cognito's 5-second trigger limit.
 */
const QUERY_TIMEOUT_MARGIN_MS = 500;

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
    // `require` checks the chain but not the host name (libpq's verify-ca), for RDS Proxy
    // endpoints or CNAMEs that the certificate does not name.
    ...(config.ssl === 'require' ? { checkServerIdentity: () => undefined } : {}),
  };
}

/**
 * Creates the pool. It connects lazily, so a cold start does not wait for the database; the
 * first query pays for the connection (and TLS handshake).
 */
export function createPostgresPool(config: PostgresDatabaseConfig, logger: Logger): Pool {
  const pool = new Pool({
    connectionString: config.connectionString,
    ssl: buildTlsOptions(config),
    max: POOL_SIZE,
    idleTimeoutMillis: IDLE_TIMEOUT_MS,
    // Bounds both opening a connection and waiting for a free one. Without it an unreachable
    // database (security group, paused cluster) hangs until the Lambda times out.
    connectionTimeoutMillis: config.connectTimeoutMs,
    // Sent as a startup parameter, so no extra round trip per connection. (Behind RDS Proxy,
    // startup parameters it does not track can pin the session to one database connection.)
    statement_timeout: config.statementTimeoutMs,
    query_timeout: config.statementTimeoutMs + QUERY_TIMEOUT_MARGIN_MS,
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
 * Errors meaning the connection was already dead when we used it, as happens after a freeze when
 * the close had not been noticed yet. A connect timeout or refusal is not one of them: retrying
 * those would only double the wait.
 */
function isStaleConnectionError(error: unknown): boolean {
  // Duck-typed rather than `instanceof Error`: socket errors come from Node's internals, which
  // are another realm under Jest.
  if (typeof error !== 'object' || error === null) return false;
  const code = 'code' in error ? error.code : undefined;
  const message = 'message' in error && typeof error.message === 'string' ? error.message : '';
  return (
    code === 'ECONNRESET' ||
    code === 'EPIPE' ||
    message === 'Connection terminated unexpectedly' ||
    message.includes('is not queryable')
  );
}

/**
 * Adapts a pool to {@link SqlDatabase}. A query that meets a stale connection is retried once per
 * pooled connection. Every statement the store sends is safe to repeat: at worst a create that
 * did commit before the connection broke reports `created: false`.
 */
export function toPostgresDatabase(pool: Pool, logger: Logger): SqlDatabase {
  const run = async (text: string, params: readonly unknown[]): Promise<SqlRow[]> => {
    for (let attempt = 1; ; attempt += 1) {
      try {
        const result = await pool.query<SqlRow>(text, [...params]);
        return result.rows;
      } catch (error) {
        if (attempt > POOL_SIZE || !isStaleConnectionError(error)) throw error;
        logger.warn('database connection was stale; retrying on another', {
          attempt,
          error: describeError(error),
        });
      }
    }
  };

  return {
    query: (text, params = []) => run(text, params),
    async transaction<T>(work: (tx: SqlTransaction) => Promise<T>): Promise<T> {
      const client = await pool.connect();
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
          broken = rollbackError instanceof Error ? rollbackError : new Error('rollback failed');
        }
        throw error;
      } finally {
        client.release(broken);
      }
    },
  };
}

/** Opens the PostgreSQL profile store. Does not migrate: that is `npm run db:migrate`'s job. */
export function createPostgresProfileStore(
  config: PostgresDatabaseConfig,
  logger: Logger,
): ProfileStore {
  const pool = createPostgresPool(config, logger);
  return new SqlProfileStore(toPostgresDatabase(pool, logger), () => pool.end());
}
