/**
 * The emulate-authorizer-cache osls plugin, driven with the parts of the `serverless` object it
 * reads; the service is shaped as serverless.yml's (its authorizer, identity sources and TTL). The
 * CLI runs it in test/e2e/local-stack-authorizer-cache.test.ts.
 */

import { ServerlessError } from '../../support/serverless-error';

interface FunctionConfig {
  handler: string;
  environment?: Record<string, string>;
  events?: unknown[];
}

interface FakeService {
  provider: { httpApi?: { authorizers?: Record<string, unknown> } };
  functions: Record<string, FunctionConfig>;
}

interface EmulatePlugin {
  hooks: Record<string, () => void>;
  emulateAuthorizerCache(env: Record<string, string | undefined>): void;
}

/* eslint-disable @typescript-eslint/no-require-imports */
const EmulateAuthorizerCache =
  require('../../../tools/serverless/emulate-authorizer-cache.cjs') as (new (
    serverless: unknown,
    options: Record<string, unknown>,
  ) => EmulatePlugin) & { CACHED_HANDLER: string };
/* eslint-enable @typescript-eslint/no-require-imports */

const PRODUCTION_HANDLER = 'src/handlers/authorizer.handler';

function stackService(): FakeService {
  return {
    provider: {
      httpApi: {
        authorizers: {
          cognitoJwt: {
            type: 'request',
            functionName: 'authorizer',
            identitySource: ['$request.header.Authorization', '$context.routeKey'],
            resultTtlInSeconds: 300,
          },
        },
      },
    },
    functions: {
      authorizer: { handler: PRODUCTION_HANDLER, environment: { HTTP_API_RESPONSE: 'simple' } },
      whoami: {
        handler: 'src/handlers/whoami.handler',
        events: [
          { httpApi: { method: 'GET', path: '/whoami', authorizer: { name: 'cognitoJwt' } } },
        ],
      },
    },
  };
}

function run(
  commands: string[],
  env: Record<string, string | undefined>,
  service = stackService(),
) {
  const serverless = { processedInput: { commands }, classes: { Error: ServerlessError }, service };
  new EmulateAuthorizerCache(serverless, {}).emulateAuthorizerCache(env);
  return service;
}

describe('emulate-authorizer-cache', () => {
  it('puts the cache in front of the authorizer for serverless offline, with the stack settings', () => {
    const service = run(['offline', 'start'], { AUTHORIZER_CACHE: 'emulate' });
    const authorizer = service.functions.authorizer;
    expect(authorizer?.handler).toBe(EmulateAuthorizerCache.CACHED_HANDLER);
    expect(authorizer?.environment?.HTTP_API_RESPONSE).toBe('simple');
    expect(JSON.parse(authorizer?.environment?.AUTHORIZER_CACHE_SETTINGS ?? '')).toEqual({
      identitySources: ['$request.header.Authorization', '$context.routeKey'],
      ttlSeconds: 300,
    });
    expect(service.functions.whoami?.handler).toBe('src/handlers/whoami.handler');
  });

  it.each([
    [['offline', 'start'], undefined],
    [['offline', 'start'], 'off'],
    [['package'], 'emulate'],
    [['deploy'], 'emulate'],
    [['invoke', 'local'], 'emulate'],
  ])('leaves %j with AUTHORIZER_CACHE=%s untouched', (commands, value) => {
    const service = run(commands, { AUTHORIZER_CACHE: value });
    expect(service).toEqual(stackService());
  });

  it('refuses another value, naming the variable', () => {
    expect(() => run(['offline', 'start'], { AUTHORIZER_CACHE: 'on' })).toThrow(
      'AUTHORIZER_CACHE must be "emulate" (cache authorizer answers as API Gateway does) or "off"; got "on"',
    );
  });

  it('reads a REST authorizer from its http events, the token header by default', () => {
    const service: FakeService = {
      provider: {},
      functions: {
        authorizer: { handler: PRODUCTION_HANDLER },
        whoami: {
          handler: 'src/handlers/whoami.handler',
          events: [{ http: { method: 'get', path: 'whoami', authorizer: { name: 'authorizer' } } }],
        },
      },
    };
    run(['offline'], { AUTHORIZER_CACHE: 'emulate' }, service);
    expect(
      JSON.parse(service.functions.authorizer?.environment?.AUTHORIZER_CACHE_SETTINGS ?? ''),
    ).toEqual({
      identitySources: ['method.request.header.Authorization'],
      ttlSeconds: 300,
    });
  });

  it('refuses one function behind authorizers with different keys', () => {
    const service = stackService();
    service.functions.whoami?.events?.push({
      http: {
        method: 'get',
        path: 'whoami',
        authorizer: { name: 'authorizer', resultTtlInSeconds: 0 },
      },
    });
    expect(() => run(['offline', 'start'], { AUTHORIZER_CACHE: 'emulate' }, service)).toThrow(
      ServerlessError,
    );
  });
});
