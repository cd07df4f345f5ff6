/**
 * IAM database authentication and verify-full TLS against a real PostgreSQL server.
 *
 * The shared test server (jest-global-setup) trusts every connection, so it never asks for a
 * password and pg would never call the password function. This file starts its own throwaway
 * server that, like RDS with IAM auth, takes the role's password only over TLS (hostssl +
 * scram-sha-256), with a self-signed certificate made by openssl for `localhost`. The role's
 * password is set to the token a Signer produces with fixed credentials at a frozen clock: a
 * connection succeeds only if that exact token is what pg sent.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Signer } from '@aws-sdk/rds-signer';
import { Client, type Pool } from 'pg';
import { readDatabaseConfig, type PostgresIamDatabaseConfig } from '../../src/config';
import {
  createIamAuthTokenSource,
  TOKEN_REUSE_MS,
  type AuthTokenSource,
} from '../../src/profile/store/iam-auth-token';
import { createPostgresPool } from '../../src/profile/store/postgres-profile-store';
import {
  findPostgresBinDir,
  startPostgresServer,
  type PostgresServer,
} from '../../tools/dev-stack/postgres-server';
import { captureLogs } from '../support/capture-logs';

jest.setTimeout(60_000);

/** Made-up credentials in AWS's documented example format; signing needs no network. */
const CREDENTIALS = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};
const FROZEN_AT = new Date('2026-12-02T05:00:00.000Z');
const ROLE = 'iam_user';

/** Fakes only Date (the Signer's clock); pg's and Jest's timers keep running for real. */
function freezeDate(at: Date): void {
  jest.useFakeTimers({
    now: at,
    doNotFake: [
      'hrtime',
      'nextTick',
      'performance',
      'queueMicrotask',
      'setImmediate',
      'clearImmediate',
      'setInterval',
      'clearInterval',
      'setTimeout',
      'clearTimeout',
    ],
  });
}

const binDir = findPostgresBinDir();

describe('IAM database authentication over verify-full TLS', () => {
  if (binDir === undefined) {
    it('is not run: no PostgreSQL binaries (CI requires them)', () => {
      expect(process.env.CI).not.toBe('true');
    });
    return;
  }

  let server: PostgresServer;
  let certDir: string;
  let caFile: string;
  let admin: Client;
  const pools: Pool[] = [];

  beforeAll(async () => {
    certDir = mkdtempSync(join(tmpdir(), 'cognito-gate-tls-'));
    caFile = join(certDir, 'server.crt');
    const keyFile = join(certDir, 'server.key');
    // prettier-ignore
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1',
      '-keyout', keyFile, '-out', caFile,
      '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost',
    ], { stdio: 'ignore' });
    server = await startPostgresServer(binDir, {
      tls: { certPem: readFileSync(caFile, 'utf8'), keyPem: readFileSync(keyFile, 'utf8') },
      hba: [
        'host all postgres 127.0.0.1/32 trust',
        `hostssl all ${ROLE} 127.0.0.1/32 scram-sha-256`,
        `hostssl all ${ROLE} ::1/128 scram-sha-256`,
      ],
    });
    admin = new Client({ connectionString: server.url });
    await admin.connect();
    await admin.query(`CREATE ROLE ${ROLE} LOGIN`);
  });

  afterAll(async () => {
    // Either may be missing when the set-up failed half-way.
    const started = { admin, server } as Partial<{ admin: Client; server: PostgresServer }>;
    await started.admin?.end();
    await started.server?.stop();
    rmSync(certDir, { recursive: true, force: true });
  });

  afterEach(async () => {
    jest.useRealTimers();
    await Promise.all(pools.splice(0).map((pool) => pool.end()));
  });

  function readConfig(overrides: Record<string, string> = {}): PostgresIamDatabaseConfig {
    const config = readDatabaseConfig({
      DATABASE_HOST: 'localhost',
      DATABASE_PORT: String(server.port),
      DATABASE_NAME: 'postgres',
      DATABASE_USER: ROLE,
      DATABASE_AUTH: 'iam',
      DATABASE_SSL: 'verify-full',
      DATABASE_SSL_CA_FILE: caFile,
      AWS_REGION: 'us-east-1',
      ...overrides,
    });
    if (config.kind !== 'postgres' || config.auth !== 'iam') throw new Error('expected IAM');
    return config;
  }

  /** The token an independent Signer makes for this host, port and user at the current Date. */
  function expectedToken(config: PostgresIamDatabaseConfig): Promise<string> {
    return new Signer({
      hostname: config.host,
      port: config.port,
      username: config.user,
      region: config.region,
      credentials: CREDENTIALS,
    }).getAuthToken();
  }

  async function setRolePassword(password: string): Promise<void> {
    await admin.query(`ALTER ROLE ${ROLE} PASSWORD ${admin.escapeLiteral(password)}`);
  }

  function countingSource(source: AuthTokenSource) {
    const calls = { count: 0 };
    const counted: AuthTokenSource = () => {
      calls.count += 1;
      return source();
    };
    return { calls, counted };
  }

  function openPool(config: PostgresIamDatabaseConfig, authToken: AuthTokenSource): Pool {
    const pool = createPostgresPool(config, captureLogs().logger, { authToken });
    pools.push(pool);
    return pool;
  }

  it('sends the signed token as the password of each new connection', async () => {
    freezeDate(FROZEN_AT);
    const config = readConfig();
    const token = await expectedToken(config);
    expect(token).toMatch(
      /^localhost:\d+\/\?Action=connect&DBUser=iam_user&X-Amz-Algorithm=AWS4-HMAC-SHA256&/,
    );
    expect(token).toContain('X-Amz-Date=20261202T050000Z');
    expect(token).toContain('X-Amz-Expires=900');
    await setRolePassword(token);
    const { calls, counted } = countingSource(
      createIamAuthTokenSource(config, { credentials: CREDENTIALS }),
    );
    const pool = openPool(config, counted);

    const first = await pool.connect();
    const { rows } = await first.query<{ user: string; tls: boolean }>(
      'SELECT current_user AS user, ssl AS tls FROM pg_stat_ssl WHERE pid = pg_backend_pid()',
    );
    // Discarded, not returned: the next query needs a new connection.
    first.release(true);
    await pool.query('SELECT 1');
    await pool.query('SELECT 1');

    expect(rows).toEqual([{ user: ROLE, tls: true }]);
    // Two connections opened, two passwords asked; the third query reused the second connection.
    expect(calls.count).toBe(2);
  });

  it('is refused when the token is not the one the server expects', async () => {
    freezeDate(FROZEN_AT);
    const config = readConfig();
    await setRolePassword('not-the-token');
    const pool = openPool(config, createIamAuthTokenSource(config, { credentials: CREDENTIALS }));

    await expect(pool.query('SELECT 1')).rejects.toThrow(
      `password authentication failed for user "${ROLE}"`,
    );
  });

  it('signs a new token once the cached one is 10 minutes old, before its 15 minutes run out', async () => {
    freezeDate(FROZEN_AT);
    const config = readConfig();
    const source = createIamAuthTokenSource(config, { credentials: CREDENTIALS });
    const firstToken = await source();
    expect(firstToken).toBe(await expectedToken(config));

    jest.setSystemTime(FROZEN_AT.getTime() + TOKEN_REUSE_MS - 1);
    await expect(source()).resolves.toBe(firstToken);

    jest.setSystemTime(FROZEN_AT.getTime() + TOKEN_REUSE_MS);
    const renewed = await expectedToken(config);
    expect(renewed).not.toBe(firstToken);
    await setRolePassword(renewed);
    const pool = openPool(config, source);

    await expect(pool.query<{ ok: number }>('SELECT 1 AS ok')).resolves.toMatchObject({
      rows: [{ ok: 1 }],
    });
  });

  it('refuses a certificate no trusted CA vouches for, before any token is sent', async () => {
    const config = readConfig({ DATABASE_SSL_CA_FILE: '' });
    const { calls, counted } = countingSource(
      createIamAuthTokenSource(config, { credentials: CREDENTIALS }),
    );
    const pool = openPool(config, counted);

    await expect(pool.query('SELECT 1')).rejects.toMatchObject({
      code: 'DEPTH_ZERO_SELF_SIGNED_CERT',
    });
    expect(calls.count).toBe(0);
  });

  it('refuses a trusted certificate that names another host', async () => {
    // The certificate names localhost only; 127.0.0.1 is the same server under another name.
    const config = readConfig({ DATABASE_HOST: '127.0.0.1' });
    const { calls, counted } = countingSource(
      createIamAuthTokenSource(config, { credentials: CREDENTIALS }),
    );
    const pool = openPool(config, counted);

    await expect(pool.query('SELECT 1')).rejects.toMatchObject({
      code: 'ERR_TLS_CERT_ALTNAME_INVALID',
    });
    expect(calls.count).toBe(0);
  });
});
