import fc from 'fast-check';
import { readDatabaseConfig, type Env } from '../../src/config';
import { ConfigError } from '../../src/config-error';

const SERVER = 'postgres://app:s3cret@db.example.com:5432/profiles';

function readError(env: Env): ConfigError {
  try {
    readDatabaseConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('readDatabaseConfig', () => {
  it('defaults to PGlite in ./.data/profiles', () => {
    expect(readDatabaseConfig({})).toEqual({
      kind: 'pglite',
      dataDir: './.data/profiles',
      closeAfterEachInvocation: false,
    });
  });

  it('closes PGlite after each invocation under serverless invoke local only', () => {
    const closes = (env: Record<string, string>) =>
      readDatabaseConfig(env).kind === 'pglite' &&
      (readDatabaseConfig(env) as { closeAfterEachInvocation: boolean }).closeAfterEachInvocation;
    expect(closes({ IS_LOCAL: 'true' })).toBe(true);
    expect(closes({ IS_LOCAL: 'true', IS_OFFLINE: 'true' })).toBe(false);
    expect(closes({ IS_OFFLINE: 'true' })).toBe(false);
  });

  it('refuses PGlite in a deployed Lambda function', () => {
    expect(
      readError({ AWS_LAMBDA_FUNCTION_NAME: 'cognito-gate-prod-postConfirmation' }),
    ).toMatchObject({
      variable: 'DATABASE_URL',
      message:
        'DATABASE_URL: must be a postgres:// URL in deployed stages (PGlite is for local runs and tests)',
    });
  });

  it('reads pglite:memory: and pglite:<directory>', () => {
    expect(readDatabaseConfig({ DATABASE_URL: 'pglite:memory:' })).toEqual({
      kind: 'pglite',
      dataDir: undefined,
      closeAfterEachInvocation: false,
    });
    expect(readDatabaseConfig({ DATABASE_URL: 'pglite:/var/tmp/db' })).toEqual({
      kind: 'pglite',
      dataDir: '/var/tmp/db',
      closeAfterEachInvocation: false,
    });
  });

  it.each(['pglite:', 'pglite:memory'])('rejects %s', (url) => {
    expect(readError({ DATABASE_URL: url })).toMatchObject({ variable: 'DATABASE_URL' });
  });

  it('reads a PostgreSQL URL with the default timeouts and TLS off', () => {
    expect(readDatabaseConfig({ DATABASE_URL: SERVER })).toEqual({
      kind: 'postgres',
      connectionString: SERVER,
      displayUrl: 'postgres://app:***@db.example.com:5432/profiles',
      ssl: 'off',
      sslCaFile: undefined,
      statementTimeoutMs: 1000,
      connectTimeoutMs: 1000,
    });
  });

  it('accepts the postgresql:// scheme', () => {
    expect(readDatabaseConfig({ DATABASE_URL: 'postgresql://h/db' })).toMatchObject({
      kind: 'postgres',
    });
  });

  it('takes TLS settings out of the URL, where pg would let them override ours', () => {
    const config = readDatabaseConfig({
      DATABASE_URL: `${SERVER}?sslmode=verify-full&sslrootcert=/opt/rds.pem&application_name=x`,
    });

    expect(config).toMatchObject({
      connectionString: `${SERVER}?application_name=x`,
      ssl: 'verify-full',
      sslCaFile: '/opt/rds.pem',
    });
  });

  it.each([
    ['require', 'require'],
    ['verify-ca', 'require'],
    ['disable', 'off'],
  ])('maps sslmode=%s to %s', (sslmode, ssl) => {
    expect(readDatabaseConfig({ DATABASE_URL: `${SERVER}?sslmode=${sslmode}` })).toMatchObject({
      ssl,
    });
  });

  it('lets DATABASE_SSL win over the URL', () => {
    const config = readDatabaseConfig({
      DATABASE_URL: `${SERVER}?sslmode=require`,
      DATABASE_SSL: 'verify-full',
      DATABASE_SSL_CA_FILE: '/opt/rds.pem',
    });

    expect(config).toMatchObject({ ssl: 'verify-full', sslCaFile: '/opt/rds.pem' });
  });

  it('refuses sslmode=prefer, which would silently fall back to plain TCP', () => {
    expect(readError({ DATABASE_URL: `${SERVER}?sslmode=prefer` }).message).toMatch(
      /^DATABASE_URL: sslmode must be one of disable, require, verify-ca, verify-full/,
    );
  });

  it('rejects an unknown DATABASE_SSL', () => {
    expect(readError({ DATABASE_URL: SERVER, DATABASE_SSL: 'yes' })).toMatchObject({
      variable: 'DATABASE_SSL',
    });
  });

  it('rejects a CA file while TLS is off', () => {
    expect(readError({ DATABASE_URL: SERVER, DATABASE_SSL_CA_FILE: '/opt/rds.pem' })).toMatchObject(
      { variable: 'DATABASE_SSL_CA_FILE' },
    );
  });

  it('reads the timeouts', () => {
    expect(
      readDatabaseConfig({
        DATABASE_URL: SERVER,
        DATABASE_STATEMENT_TIMEOUT_MS: '800',
        DATABASE_CONNECT_TIMEOUT_MS: '2000',
      }),
    ).toMatchObject({ statementTimeoutMs: 800, connectTimeoutMs: 2000 });
  });

  it.each(['DATABASE_STATEMENT_TIMEOUT_MS', 'DATABASE_CONNECT_TIMEOUT_MS'])(
    'rejects a bad %s',
    (variable) => {
      expect(readError({ DATABASE_URL: SERVER, [variable]: '1.5s' })).toMatchObject({ variable });
    },
  );

  it.each([
    ['an unknown scheme', 'mysql://app:PASSWORD@h/db'],
    ['a URL without a database', 'postgres://app:PASSWORD@h'],
    ['a malformed URL', 'postgres://app:PASSWORD@h:99999/db'],
    ['no scheme', 'app:PASSWORD@h/db'],
  ])('rejects %s without echoing the password', (_case, url) => {
    const error = readError({ DATABASE_URL: url });

    expect(error.variable).toBe('DATABASE_URL');
    expect(error.message).not.toContain('PASSWORD');
  });

  it('never puts a password into a message', () => {
    const password = fc.stringMatching(/^[A-Za-z0-9]{12,24}$/).map((p) => `Pw${p}`);
    // Each suffix makes the URL invalid in a different way.
    const badSuffix = fc.constantFrom('', '/db?sslmode=prefer', ':99999/db', ':port/db');
    fc.assert(
      fc.property(password, badSuffix, (secret, suffix) => {
        const error = readError({ DATABASE_URL: `postgres://u:${secret}@h${suffix}` });
        return !error.message.includes(secret);
      }),
    );
  });
});
