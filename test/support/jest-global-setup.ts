/**
 * Starts one throwaway PostgreSQL server for the whole Jest run and hands its URL to the test
 * workers through TEST_DATABASE_URL (workers are forked after global setup, with its env).
 * A TEST_DATABASE_URL set beforehand is used as is: no server is started.
 *
 * Without PostgreSQL binaries the server variants of the tests are skipped with a loud warning,
 * unless CI=true or REQUIRE_POSTGRES=true: there a missing server must fail the run, not
 * silently test less.
 */
import {
  findPostgresBinDir,
  startPostgresServer,
  type PostgresServer,
} from '../../tools/dev-stack/postgres-server';

declare global {
  var cognitoGateTestServer:
    { server: PostgresServer; removeSignalHandlers: () => void } | undefined;
}

function isRequired(): boolean {
  const flag = (name: string) =>
    ['true', '1'].includes(process.env[name]?.trim().toLowerCase() ?? '');
  return flag('CI') || flag('REQUIRE_POSTGRES');
}

function warnLoudly(reason: string): void {
  const bar = '!'.repeat(78);
  process.stderr.write(
    [
      '',
      bar,
      '!!  PostgreSQL SERVER TESTS WILL BE SKIPPED',
      `!!  ${reason}`,
      '!!  Only the PGlite variants of the profile store tests will run.',
      '!!  Install PostgreSQL (e.g. apt-get install postgresql) or set PG_BIN to the',
      '!!  directory holding initdb and postgres, or set TEST_DATABASE_URL.',
      '!!  Set REQUIRE_POSTGRES=true (CI=true does too) to make this an error.',
      bar,
      '',
      '',
    ].join('\n'),
  );
}

/** Stops the server on Ctrl-C or kill, then lets the signal do what it would have done. */
function installSignalHandlers(server: PostgresServer): () => void {
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  const onSignal = (signal: NodeJS.Signals) => {
    removeAll();
    void server.stop().finally(() => {
      process.kill(process.pid, signal);
    });
  };
  const removeAll = () => {
    for (const signal of signals) process.off(signal, onSignal);
  };
  for (const signal of signals) process.once(signal, onSignal);
  return removeAll;
}

export default async function globalSetup(): Promise<void> {
  if (process.env.TEST_DATABASE_URL?.trim()) return;

  let binDir: string | undefined;
  let reason: string;
  try {
    binDir = findPostgresBinDir();
    reason =
      'No initdb/postgres found (looked at PG_BIN, pg_config --bindir, /usr/lib/postgresql/*/bin, PATH).';
  } catch (error) {
    reason = error instanceof Error ? error.message : String(error);
  }

  if (binDir !== undefined) {
    try {
      const server = await startPostgresServer(binDir);
      process.env.TEST_DATABASE_URL = server.url;
      globalThis.cognitoGateTestServer = {
        server,
        removeSignalHandlers: installSignalHandlers(server),
      };
      process.stderr.write(
        `\nTest PostgreSQL server (${binDir}) on port ${server.port}, started in ${server.startMs} ms\n`,
      );
      return;
    } catch (error) {
      reason = `Starting PostgreSQL from ${binDir} failed: ${error instanceof Error ? error.message : String(error)}`;
    }
  }

  if (isRequired()) {
    throw new Error(`${reason}\nPostgreSQL is required here (CI or REQUIRE_POSTGRES is set).`);
  }
  warnLoudly(reason);
}
