import { readAuthorizerConfig } from '../../src/config';
import { ConfigError } from '../../src/config-error';

const BASE = { COGNITO_USER_POOL_ID: 'us-east-1_AbCdEf123', COGNITO_CLIENT_IDS: 'client1' };

function configError(env: Record<string, string>): ConfigError {
  try {
    readAuthorizerConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('readAuthorizerConfig', () => {
  it('reads a minimal configuration with defaults', () => {
    expect(readAuthorizerConfig(BASE)).toEqual({
      pools: [{ userPoolId: 'us-east-1_AbCdEf123', clientIds: ['client1'] }],
      tokenUse: 'access',
      jwksFile: undefined,
      accessRules: [],
      httpApiResponse: 'simple',
      tokenCacheSize: 1000,
      jwksFetchTimeoutMs: 1500,
      jwksBackoffSeconds: 10,
      logLevel: 'INFO',
    });
  });

  it('reads the JWKS fetch timeout and backoff', () => {
    expect(
      readAuthorizerConfig({ ...BASE, JWKS_FETCH_TIMEOUT_MS: '800', JWKS_BACKOFF_SECONDS: '30' }),
    ).toMatchObject({ jwksFetchTimeoutMs: 800, jwksBackoffSeconds: 30 });
  });

  it('reads several client ids, trimmed and without repeats', () => {
    expect(
      readAuthorizerConfig({ ...BASE, COGNITO_CLIENT_IDS: ' a1 , b2,a1' }).pools[0]?.clientIds,
    ).toEqual(['a1', 'b2']);
  });

  it('reads several pools, each with its pool-qualified client ids', () => {
    expect(
      readAuthorizerConfig({
        COGNITO_USER_POOL_ID: 'us-east-1_AbCdEf123, eu-west-1_XyZ9',
        COGNITO_CLIENT_IDS: 'us-east-1_AbCdEf123:web1,eu-west-1_XyZ9:m2m1,us-east-1_AbCdEf123:web2',
      }).pools,
    ).toEqual([
      { userPoolId: 'us-east-1_AbCdEf123', clientIds: ['web1', 'web2'] },
      { userPoolId: 'eu-west-1_XyZ9', clientIds: ['m2m1'] },
    ]);
  });

  it('accepts pool-qualified client ids with a single pool, and sovereign-cloud pool ids', () => {
    expect(
      readAuthorizerConfig({
        COGNITO_USER_POOL_ID: 'eusc-de-east-1_AbC',
        COGNITO_CLIENT_IDS: 'eusc-de-east-1_AbC:web1',
      }).pools,
    ).toEqual([{ userPoolId: 'eusc-de-east-1_AbC', clientIds: ['web1'] }]);
  });

  it.each([
    [
      { COGNITO_USER_POOL_ID: '' },
      'COGNITO_USER_POOL_ID',
      'COGNITO_USER_POOL_ID: is required (for example us-east-1_AbCdEf123)',
    ],
    [
      { COGNITO_USER_POOL_ID: 'AbCdEf123' },
      'COGNITO_USER_POOL_ID',
      'COGNITO_USER_POOL_ID: must be user pool ids like us-east-1_AbCdEf123, separated by commas; got "AbCdEf123"',
    ],
    [
      { COGNITO_USER_POOL_ID: 'us-east-1_A,us-east-1_A' },
      'COGNITO_USER_POOL_ID',
      'COGNITO_USER_POOL_ID: lists us-east-1_A twice',
    ],
    [
      { COGNITO_USER_POOL_ID: 'us-east-1_A,eu-west-1_B', COGNITO_CLIENT_IDS: 'client1' },
      'COGNITO_CLIENT_IDS',
      'COGNITO_CLIENT_IDS: must qualify each client id with its pool when COGNITO_USER_POOL_ID lists several (for example us-east-1_A:1example23456789); got "client1"',
    ],
    [
      { COGNITO_USER_POOL_ID: 'us-east-1_A,eu-west-1_B', COGNITO_CLIENT_IDS: 'us-east-1_A:c1' },
      'COGNITO_CLIENT_IDS',
      'COGNITO_CLIENT_IDS: names no app client for pool eu-west-1_B',
    ],
    [
      { COGNITO_CLIENT_IDS: 'us-west-2_Other:c1' },
      'COGNITO_CLIENT_IDS',
      'COGNITO_CLIENT_IDS: names pool "us-west-2_Other", which COGNITO_USER_POOL_ID does not list',
    ],
    [
      { COGNITO_CLIENT_IDS: '' },
      'COGNITO_CLIENT_IDS',
      'COGNITO_CLIENT_IDS: is required (for example 1example23456789)',
    ],
    [
      { COGNITO_CLIENT_IDS: 'a,,b' },
      'COGNITO_CLIENT_IDS',
      'COGNITO_CLIENT_IDS: must be app client ids separated by commas (letters, digits, _ or +); got ""',
    ],
    [
      { COGNITO_TOKEN_USE: 'refresh' },
      'COGNITO_TOKEN_USE',
      'COGNITO_TOKEN_USE: must be one of access, id, any; got "refresh"',
    ],
    [
      { HTTP_API_RESPONSE: 'boolean' },
      'HTTP_API_RESPONSE',
      'HTTP_API_RESPONSE: must be one of simple, iam; got "boolean"',
    ],
    [
      { TOKEN_CACHE_SIZE: '-1' },
      'TOKEN_CACHE_SIZE',
      'TOKEN_CACHE_SIZE: must be a whole number from 0 to 100000; got "-1"',
    ],
    [
      { JWKS_FETCH_TIMEOUT_MS: '6000' },
      'JWKS_FETCH_TIMEOUT_MS',
      'JWKS_FETCH_TIMEOUT_MS: must be a whole number from 100 to 2500; got "6000"',
    ],
    [
      { JWKS_BACKOFF_SECONDS: '0' },
      'JWKS_BACKOFF_SECONDS',
      'JWKS_BACKOFF_SECONDS: must be a whole number from 1 to 3600; got "0"',
    ],
    [
      { LOG_LEVEL: 'verbose' },
      'LOG_LEVEL',
      'LOG_LEVEL: must be one of DEBUG, INFO, WARN, ERROR, SILENT; got "verbose"',
    ],
    [{ ACCESS_RULES: 'nope' }, 'ACCESS_RULES', 'ACCESS_RULES: must be a JSON array of rules'],
  ])('stops the cold start on %j naming %s', (override, variable, message) => {
    const error = configError({ ...BASE, ...override });
    expect(error.variable).toBe(variable);
    expect(error.message).toBe(message);
    expect(error.name).toBe('ConfigError');
  });

  it('refuses COGNITO_JWKS_FILE outside local runs', () => {
    const error = configError({ ...BASE, COGNITO_JWKS_FILE: 'local/dev-jwks.json' });
    expect(error.message).toBe(
      'COGNITO_JWKS_FILE: is honoured only in local runs (IS_LOCAL or IS_OFFLINE set to true); unset it in deployed stages so keys come from the user pool',
    );
  });

  it.each(['IS_LOCAL', 'IS_OFFLINE'])('honours COGNITO_JWKS_FILE when %s is true', (flag) => {
    const config = readAuthorizerConfig({
      ...BASE,
      COGNITO_JWKS_FILE: 'local/dev-jwks.json',
      [flag]: 'true',
    });
    expect(config.jwksFile).toBe('local/dev-jwks.json');
  });
});
