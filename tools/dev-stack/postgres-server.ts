/**
 * A throwaway PostgreSQL server for tests: initdb into a fresh temporary directory, start
 * `postgres` on a free port of 127.0.0.1 with trust authentication, and remove it all on stop.
 *
 * Durability is switched off (fsync, synchronous_commit, full_page_writes): the data dies with
 * the run anyway, and it makes CREATE DATABASE per test cheap.
 */
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import {
  accessSync,
  chownSync,
  constants,
  mkdirSync,
  mkdtempSync,
  openSync,
  closeSync,
  writeFileSync,
} from 'node:fs';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { findFreePort } from './free-port';

const execFileAsync = promisify(execFile);

export interface PostgresServer {
  /** `postgres://postgres@127.0.0.1:<port>/postgres` (trust authentication, no password). */
  url: string;
  port: number;
  /** Milliseconds from initdb to the first accepted query. */
  startMs: number;
  /** Stops the server and removes its directory. Safe to call more than once. */
  stop(): Promise<void>;
  /** Fast shutdown (sessions get 57P01), keeping the data: connections are refused until {@link start}. */
  halt(): Promise<void>;
  /** Starts a halted server again on the same port and data. */
  start(): Promise<void>;
  /** {@link halt}, `downMs` of nothing listening, {@link start}. */
  restart(options?: { downMs?: number }): Promise<void>;
  /** SIGSTOP to the server and all its processes: connections stay open and nothing answers. */
  pause(): void;
  /** SIGCONT: undoes {@link pause}. */
  resume(): void;
}

export interface PostgresServerOptions {
  /** More `-c name=value` settings, e.g. `{ max_connections: '15' }`. */
  settings?: Readonly<Record<string, string>>;
  /**
   * Serve TLS with this certificate and key (PEM). Both are copied into the server's directory,
   * owned by the server's account with mode 0600, as PostgreSQL requires of a key.
   */
  tls?: { certPem: string; keyPem: string };
  /**
   * pg_hba.conf lines replacing initdb's trust-everything file, e.g. to make a role sign in with
   * a password (scram-sha-256) over TLS only. The `postgres` superuser must stay reachable by
   * `host all postgres 127.0.0.1/32 trust` for start-up probing and set-up.
   */
  hba?: string[];
}

/** The processes whose parent is `pid` (the postmaster's backends and workers), from /proc. */
function listChildren(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The command name (field 2) is in parentheses and may hold spaces: split after it.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) children.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return children;
}

const READY_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 10_000;

function hasServerBinaries(dir: string): boolean {
  try {
    accessSync(join(dir, 'initdb'), constants.X_OK);
    accessSync(join(dir, 'postgres'), constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function compareVersionsDescending(a: string, b: string): number {
  return Number.parseFloat(b) - Number.parseFloat(a);
}

/**
 * Where initdb and postgres live: PG_BIN, else `pg_config --bindir`, else the highest
 * /usr/lib/postgresql/<version>/bin (Debian, Ubuntu), else PATH. `undefined` when none has both.
 * A PG_BIN without them is an error, not a reason to look elsewhere.
 */
export function findPostgresBinDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const explicit = env.PG_BIN?.trim();
  if (explicit) {
    if (!hasServerBinaries(explicit)) {
      throw new Error(`PG_BIN=${explicit} does not contain executable initdb and postgres`);
    }
    return explicit;
  }

  const candidates: string[] = [];
  try {
    candidates.push(
      execFileSync('pg_config', ['--bindir'], { encoding: 'utf8', stdio: 'pipe' }).trim(),
    );
  } catch {
    // No pg_config on PATH (it lives in libpq-dev on Debian): try the next place.
  }
  try {
    const versions = readdirSync('/usr/lib/postgresql').sort(compareVersionsDescending);
    candidates.push(...versions.map((version) => join('/usr/lib/postgresql', version, 'bin')));
  } catch {
    // Not a Debian-style layout.
  }
  candidates.push(...(env.PATH ?? '').split(delimiter).filter(Boolean));
  return candidates.find(hasServerBinaries);
}

/** The uid and gid of the `postgres` account, from /etc/passwd. */
function readPostgresAccount(): { uid: number; gid: number } {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith('postgres:'));
  const [, , uid, gid] = line?.split(':') ?? [];
  if (uid === undefined || gid === undefined) {
    throw new Error(
      'running as root, and initdb refuses to: create a "postgres" user to run the test server as',
    );
  }
  return { uid: Number(uid), gid: Number(gid) };
}

function readLogTail(logFile: string): string {
  try {
    return readFileSync(logFile, 'utf8').split('\n').slice(-20).join('\n');
  } catch {
    return '(no log)';
  }
}

/**
 * A detached process that removes the server if this process dies without calling stop()
 * (SIGKILL, a crashed Jest): it waits for its stdin, a pipe from us, to close. stop() writes
 * "stopped" first, and the watchdog then just exits.
 */
const WATCHDOG_SOURCE = `
const [pid, dir] = process.argv.slice(1);
let stopped = false;
process.stdin.on('data', (chunk) => { if (String(chunk).includes('stopped')) stopped = true; });
process.stdin.on('close', () => {
  if (stopped) process.exit(0);
  try { process.kill(Number(pid), 'SIGQUIT'); } catch {}
  const deadline = Date.now() + 5000;
  const poll = () => {
    let alive = true;
    try { process.kill(Number(pid), 0); } catch { alive = false; }
    if (alive && Date.now() < deadline) { setTimeout(poll, 100); return; }
    if (alive) { try { process.kill(Number(pid), 'SIGKILL'); } catch {} }
    require('node:fs').rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  };
  poll();
});
`;

function startWatchdog(pid: number, dir: string): ChildProcess {
  const watchdog = spawn(process.execPath, ['-e', WATCHDOG_SOURCE, String(pid), dir], {
    stdio: ['pipe', 'ignore', 'ignore'],
    detached: true,
  });
  watchdog.unref();
  // The pipe must not keep this process alive either.
  (watchdog.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  return watchdog;
}

/** The server process ended before accepting connections (typically: its port was taken). */
class ServerExitedError extends Error {
  constructor(log: string) {
    super(`postgres exited during start-up:\n${log}`);
    this.name = 'ServerExitedError';
  }
}

async function waitUntilReady(
  url: string,
  dataDir: string,
  server: ChildProcess,
  logFile: string,
): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (server.exitCode !== null || server.signalCode !== null) {
      throw new ServerExitedError(readLogTail(logFile));
    }
    const client = new Client({ connectionString: url, connectionTimeoutMillis: 1000 });
    try {
      await client.connect();
      // Another test run's server may have taken the port between our probe and our bind.
      const { rows } = await client.query<{ data_directory: string }>('SHOW data_directory');
      if (rows[0]?.data_directory === dataDir) return;
    } catch (error) {
      if (Date.now() > deadline) {
        const log = readLogTail(logFile);
        throw new Error(
          `postgres did not accept connections within ${READY_TIMEOUT_MS} ms:\n${log}`,
          {
            cause: error,
          },
        );
      }
    } finally {
      await client.end().catch(() => undefined);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      resolve(false);
    }, timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** Starts a throwaway server; see {@link PostgresServer}. */
export async function startPostgresServer(
  binDir: string,
  options: PostgresServerOptions = {},
): Promise<PostgresServer> {
  const started = performance.now();
  const root = mkdtempSync(join(tmpdir(), 'cognito-gate-pg-'));
  const dataDir = join(root, 'data');
  const socketDir = join(root, 'socket');
  const logFile = join(root, 'postgres.log');
  mkdirSync(socketDir);

  // initdb and postgres refuse to run as root; run them as the postgres account instead.
  const account = process.getuid?.() === 0 ? readPostgresAccount() : undefined;
  if (account !== undefined) {
    chownSync(root, account.uid, account.gid);
    chownSync(socketDir, account.uid, account.gid);
  }
  const asAccount = account === undefined ? {} : { uid: account.uid, gid: account.gid };

  let server: ChildProcess | undefined;
  let watchdog: ChildProcess | undefined;
  let stopping: Promise<void> | undefined;

  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (server !== undefined) {
        // A paused server would never act on the signal.
        const pid = server.pid;
        if (pid !== undefined) {
          for (const each of [pid, ...listChildren(pid)]) {
            try {
              process.kill(each, 'SIGCONT');
            } catch {
              // Not running.
            }
          }
        }
        // SIGINT is PostgreSQL's "fast" shutdown: roll back sessions and exit at once.
        server.kill('SIGINT');
        if (!(await waitForExit(server, STOP_TIMEOUT_MS))) {
          server.kill('SIGKILL');
          await waitForExit(server, STOP_TIMEOUT_MS);
        }
      }
      rmSync(root, { recursive: true, force: true });
      if (watchdog?.stdin) {
        watchdog.stdin.end('stopped\n');
      }
    })();
    return stopping;
  };

  try {
    await execFileAsync(
      join(binDir, 'initdb'),
      ['-D', dataDir, '--auth=trust', '-U', 'postgres', '-E', 'UTF8', '--no-locale', '--no-sync'],
      { ...asAccount, cwd: root },
    );

    const extraSettings = Object.entries(options.settings ?? {}).flatMap(([name, value]) => [
      '-c',
      `${name}=${value}`,
    ]);
    if (options.hba !== undefined) {
      writeFileSync(join(dataDir, 'pg_hba.conf'), `${options.hba.join('\n')}\n`);
    }
    if (options.tls !== undefined) {
      const certFile = join(root, 'server.crt');
      const keyFile = join(root, 'server.key');
      writeFileSync(certFile, options.tls.certPem, { mode: 0o600 });
      writeFileSync(keyFile, options.tls.keyPem, { mode: 0o600 });
      if (account !== undefined) {
        chownSync(certFile, account.uid, account.gid);
        chownSync(keyFile, account.uid, account.gid);
      }
      // prettier-ignore
      extraSettings.push('-c', 'ssl=on', '-c', `ssl_cert_file=${certFile}`, '-c', `ssl_key_file=${keyFile}`);
    }
    const spawnServer = (port: number): ChildProcess => {
      const logFd = openSync(logFile, 'a');
      try {
        return spawn(
          join(binDir, 'postgres'),
          // prettier-ignore
          [
            '-D', dataDir,
            '-p', String(port),
            '-k', socketDir,
            '-c', 'listen_addresses=127.0.0.1',
            '-c', 'fsync=off',
            '-c', 'synchronous_commit=off',
            '-c', 'full_page_writes=off',
            ...extraSettings,
          ],
          { ...asAccount, cwd: root, stdio: ['ignore', logFd, logFd] },
        );
      } finally {
        closeSync(logFd);
      }
    };
    const signalAll = (signal: NodeJS.Signals) => {
      const pid = server?.pid;
      if (pid === undefined) return;
      // Children first when stopping, so that none runs on while its parent is held.
      const pids = [...listChildren(pid), pid];
      for (const each of signal === 'SIGCONT' ? pids.reverse() : pids) {
        try {
          process.kill(each, signal);
        } catch {
          // Already gone.
        }
      }
    };

    // The free port is only free when probed; if the server loses it, try another.
    for (let attempt = 1; ; attempt += 1) {
      const port = await findFreePort();
      server = spawnServer(port);
      const pid = server.pid;
      if (pid === undefined) throw new Error(`could not spawn ${join(binDir, 'postgres')}`);
      watchdog?.stdin?.end('stopped\n');
      watchdog = startWatchdog(pid, root);

      const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
      try {
        await waitUntilReady(url, dataDir, server, logFile);
        const halt = async () => {
          const running = server;
          if (running === undefined) throw new Error('the server is not running');
          running.kill('SIGINT');
          await waitForExit(running, STOP_TIMEOUT_MS);
        };
        const start = async () => {
          server = spawnServer(port);
          const newPid = server.pid;
          if (newPid === undefined) throw new Error('could not restart postgres');
          watchdog?.stdin?.end('stopped\n');
          watchdog = startWatchdog(newPid, root);
          await waitUntilReady(url, dataDir, server, logFile);
        };
        const restart = async ({ downMs = 0 }: { downMs?: number } = {}) => {
          await halt();
          await new Promise((resolve) => setTimeout(resolve, downMs));
          await start();
        };
        return {
          url,
          port,
          startMs: Math.round(performance.now() - started),
          stop,
          halt,
          start,
          restart,
          pause: () => {
            signalAll('SIGSTOP');
          },
          resume: () => {
            signalAll('SIGCONT');
          },
        };
      } catch (error) {
        if (!(error instanceof ServerExitedError) || attempt >= 3) throw error;
      }
    }
  } catch (error) {
    await stop();
    throw error;
  }
}
