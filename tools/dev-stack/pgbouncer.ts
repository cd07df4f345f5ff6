/**
 * Debian's pgbouncer in transaction mode in front of a throwaway PostgreSQL server: the local
 * stand-in for RDS Proxy, which likewise multiplexes many client connections onto a few database
 * connections, one transaction at a time
 * (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-proxy.howitworks.html).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chownSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { findFreePort } from './free-port';

export const PGBOUNCER_BIN = process.env.PGBOUNCER_BIN ?? '/usr/sbin/pgbouncer';

export interface Pgbouncer {
  port: number;
  stop(): Promise<void>;
}

export interface PgbouncerOptions {
  /** The PostgreSQL server's port on 127.0.0.1. */
  serverPort: number;
  /** The database clients name, served by the same name on the server. */
  database: string;
  /** The role clients connect as (trust authentication, as the test server has). */
  user: string;
  /** Server connections per database and user: what the proxy may open at most. */
  poolSize: number;
}

function readPostgresIds(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith('postgres:'));
  const [, , uid, gid] = line?.split(':') ?? [];
  return uid === undefined || gid === undefined
    ? undefined
    : { uid: Number(uid), gid: Number(gid) };
}

/** Starts pgbouncer and waits until it accepts a query. */
export async function startPgbouncer(options: PgbouncerOptions): Promise<Pgbouncer> {
  const dir = mkdtempSync(join(tmpdir(), 'cognito-gate-pgbouncer-'));
  const port = await findFreePort();
  const config = join(dir, 'pgbouncer.ini');
  writeFileSync(join(dir, 'users.txt'), `"${options.user}" ""\n`);
  writeFileSync(
    config,
    [
      '[databases]',
      `${options.database} = host=127.0.0.1 port=${options.serverPort} dbname=${options.database}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      `unix_socket_dir = ${dir}`,
      'auth_type = trust',
      `auth_file = ${join(dir, 'users.txt')}`,
      'pool_mode = transaction',
      `default_pool_size = ${options.poolSize}`,
      'max_client_conn = 2000',
      // pg sends statement_timeout as a startup parameter, which transaction pooling cannot keep
      // per client (RDS Proxy pins the session for it instead).
      'ignore_startup_parameters = statement_timeout',
      `logfile = ${join(dir, 'pgbouncer.log')}`,
      `pidfile = ${join(dir, 'pgbouncer.pid')}`,
      '',
    ].join('\n'),
  );
  // pgbouncer refuses to run as root; -u drops to the postgres account.
  const ids = readPostgresIds();
  if (ids !== undefined) chownSync(dir, ids.uid, ids.gid);
  for (const file of ['pgbouncer.ini', 'users.txt']) {
    if (ids !== undefined) chownSync(join(dir, file), ids.uid, ids.gid);
  }
  const child: ChildProcess = spawn(
    PGBOUNCER_BIN,
    [...(ids === undefined ? [] : ['-u', 'postgres']), config],
    { stdio: 'ignore' },
  );
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGINT');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 10_000;
  for (;;) {
    const client = new Client({
      connectionString: `postgres://${options.user}@127.0.0.1:${port}/${options.database}`,
      connectionTimeoutMillis: 1000,
    });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('SELECT 1');
      return { port, stop };
    } catch (error) {
      if (Date.now() > deadline || child.exitCode !== null) {
        let log = '';
        try {
          log = readFileSync(join(dir, 'pgbouncer.log'), 'utf8');
        } catch {
          // No log written.
        }
        await stop();
        throw new Error(`pgbouncer did not start:\n${log}`, { cause: error });
      }
    } finally {
      await client.end().catch(() => undefined);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
