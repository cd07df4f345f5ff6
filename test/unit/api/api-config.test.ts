import { readApiConfig } from '../../../src/config';
import { ConfigError } from '../../../src/config-error';

describe('readApiConfig', () => {
  it('needs no variables in local runs', () => {
    expect(readApiConfig({})).toEqual({
      userPoolIds: [],
      healthCheckTimeoutMs: 1000,
      logLevel: 'INFO',
    });
  });

  it('reads the pool, the health check timeout and the log level', () => {
    expect(
      readApiConfig({
        COGNITO_USER_POOL_ID: 'eu-west-1_AbCdEf123',
        HEALTH_CHECK_TIMEOUT_MS: '500',
        LOG_LEVEL: 'debug',
      }),
    ).toEqual({
      userPoolIds: ['eu-west-1_AbCdEf123'],
      healthCheckTimeoutMs: 500,
      logLevel: 'DEBUG',
    });
  });

  it('requires COGNITO_USER_POOL_ID in deployed stages', () => {
    const read = () => readApiConfig({ AWS_LAMBDA_FUNCTION_NAME: 'cognito-gate-dev-getMe' });
    expect(read).toThrow(ConfigError);
    expect(read).toThrow(/^COGNITO_USER_POOL_ID: is required in deployed stages/);
    expect(
      readApiConfig({ AWS_LAMBDA_FUNCTION_NAME: 'cognito-gate-local-getMe', IS_LOCAL: 'true' })
        .userPoolIds,
    ).toEqual([]);
  });

  it('rejects a malformed pool id, naming the variable', () => {
    expect(() => readApiConfig({ COGNITO_USER_POOL_ID: 'my-pool' })).toThrow(
      'COGNITO_USER_POOL_ID: must be user pool ids like us-east-1_AbCdEf123',
    );
  });

  it('rejects a health check timeout out of range', () => {
    expect(() => readApiConfig({ HEALTH_CHECK_TIMEOUT_MS: '0' })).toThrow(
      'HEALTH_CHECK_TIMEOUT_MS: must be a whole number from 50 to 10000; got "0"',
    );
  });
});
