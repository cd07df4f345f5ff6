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
        'DATABASE_URL: must be a postgres:// URL in deployed stages (PGlite is for local runs and tests), or unset with DATABASE_HOST set for IAM authentication',
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
      auth: 'url',
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

describe('readDatabaseConfig with DATABASE_HOST (IAM authentication)', () => {
  // What serverless.yml sets on the database functions of a deployed stage (AWS_REGION: Lambda).
  const BASE: Readonly<Record<string, string>> = {
    DATABASE_HOST: 'profiles.proxy-abc123.eu-west-1.rds.amazonaws.com',
    DATABASE_PORT: '5432',
    DATABASE_NAME: 'profiles',
    DATABASE_USER: 'cognito_gate',
    DATABASE_AUTH: 'iam',
    DATABASE_SSL: 'verify-full',
    AWS_REGION: 'eu-west-1',
    AWS_LAMBDA_FUNCTION_NAME: 'cognito-gate-prod-getMe',
  };
  const env = (overrides: Record<string, string | undefined> = {}): Env => ({
    ...structuredClone(BASE),
    ...overrides,
  });

  it('reads the parts, verify-full TLS and the region to sign for', () => {
    expect(readDatabaseConfig(env())).toEqual({
      kind: 'postgres',
      auth: 'iam',
      host: 'profiles.proxy-abc123.eu-west-1.rds.amazonaws.com',
      port: 5432,
      database: 'profiles',
      user: 'cognito_gate',
      region: 'eu-west-1',
      displayUrl:
        'postgres://cognito_gate@profiles.proxy-abc123.eu-west-1.rds.amazonaws.com:5432/profiles (IAM auth)',
      ssl: 'verify-full',
      sslCaFile: undefined,
      statementTimeoutMs: 1000,
      connectTimeoutMs: 1000,
    });
  });

  it('defaults the port to 5432, the auth to iam and TLS to verify-full', () => {
    expect(
      readDatabaseConfig(
        env({ DATABASE_PORT: undefined, DATABASE_AUTH: undefined, DATABASE_SSL: undefined }),
      ),
    ).toMatchObject({ port: 5432, auth: 'iam', ssl: 'verify-full' });
  });

  it('accepts DATABASE_SSL=require for an endpoint the certificate does not name', () => {
    expect(readDatabaseConfig(env({ DATABASE_SSL: 'require' }))).toMatchObject({ ssl: 'require' });
  });

  it('refuses plain TCP: RDS takes IAM tokens only over TLS', () => {
    expect(readError(env({ DATABASE_SSL: 'off' }))).toMatchObject({
      variable: 'DATABASE_SSL',
      message:
        'DATABASE_SSL: must be verify-full (or require) with DATABASE_AUTH=iam: RDS takes IAM tokens only over TLS',
    });
  });

  it('refuses DATABASE_HOST together with DATABASE_URL', () => {
    expect(readError(env({ DATABASE_URL: SERVER }))).toMatchObject({
      variable: 'DATABASE_HOST',
      message: expect.stringContaining('cannot be combined with DATABASE_URL') as unknown,
    });
  });

  it.each([
    ['DATABASE_NAME', 'DATABASE_NAME: is required (for example profiles)'],
    ['DATABASE_USER', 'DATABASE_USER: is required (for example cognito_gate)'],
  ])('requires %s', (variable, message) => {
    expect(readError(env({ [variable]: undefined }))).toMatchObject({ variable, message });
  });

  it('requires AWS_REGION to sign tokens', () => {
    expect(readError(env({ AWS_REGION: undefined })).message).toMatch(
      /^AWS_REGION: must be the database's region/,
    );
  });

  it.each([
    ['a scheme', 'postgres://db.example.com'],
    ['a port', 'db.example.com:5432'],
    ['a path', 'db.example.com/profiles'],
    ['a space', 'db example.com'],
  ])('rejects a DATABASE_HOST with %s', (_case, host) => {
    expect(readError(env({ DATABASE_HOST: host }))).toMatchObject({ variable: 'DATABASE_HOST' });
  });

  it.each(['0', '65536', '5432a', '-1'])('rejects DATABASE_PORT=%s', (port) => {
    expect(readError(env({ DATABASE_PORT: port }))).toMatchObject({
      variable: 'DATABASE_PORT',
      message: `DATABASE_PORT: must be a whole number from 1 to 65535; got "${port}"`,
    });
  });

  it.each([
    ['DATABASE_NAME', 'profiles; drop'],
    ['DATABASE_USER', '1user'],
  ])('rejects %s=%s, which is not a PostgreSQL name', (variable, value) => {
    expect(readError(env({ [variable]: value })).message).toMatch(
      new RegExp(`^${variable}: must be a PostgreSQL name`),
    );
  });

  it('refuses DATABASE_AUTH=password: a password belongs in DATABASE_URL', () => {
    expect(readError(env({ DATABASE_AUTH: 'password' }))).toMatchObject({
      variable: 'DATABASE_AUTH',
      message:
        'DATABASE_AUTH: must be iam (the only sign-in for DATABASE_HOST; a password belongs in DATABASE_URL instead); got "password"',
    });
  });

  it.each(['DATABASE_PORT', 'DATABASE_NAME', 'DATABASE_USER', 'DATABASE_AUTH'])(
    'refuses %s without DATABASE_HOST, a half-done configuration',
    (variable) => {
      expect(readError({ DATABASE_URL: SERVER, [variable]: BASE[variable] ?? 'x' })).toMatchObject({
        variable,
      });
    },
  );

  it('still refuses PGlite in a deployed function, naming both ways out', () => {
    expect(readError({ AWS_LAMBDA_FUNCTION_NAME: 'f' }).message).toContain(
      'DATABASE_HOST set for IAM authentication',
    );
  });
});
