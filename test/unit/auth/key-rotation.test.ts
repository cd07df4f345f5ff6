/**
 * Keys fetched from the pool's JWKS endpoint: the network is replaced by an in-memory fetcher that
 * counts requests; verification, caching and the refetch limits are aws-jwt-verify's own.
 */
import type { Fetcher } from 'aws-jwt-verify/https';
import { createAuthorizer } from '../../../src/auth/create-authorizer';
import { createTokenVerifier } from '../../../src/auth/token-verifier';
import { createLogger } from '../../../src/logger';
import type { JsonWebKeyPair } from '../../../tools/dev-stack/sign-jwt';
import {
  freezeClock,
  generateKeyPair,
  httpApiV2Event,
  makeToken,
  NOW_SECONDS,
  testConfig,
  USER_POOL_ID,
} from '../../support/authorizer-fixtures';

const JWKS_URI = `https://cognito-idp.eu-west-1.amazonaws.com/${USER_POOL_ID}/.well-known/jwks.json`;

interface JwksServer {
  keys: JsonWebKeyPair[];
  /** URIs fetched, in order. */
  requests: string[];
  fetcher: Fetcher;
}

function jwksServer(initial: JsonWebKeyPair[]): JwksServer {
  const server: JwksServer = {
    keys: initial,
    requests: [],
    fetcher: {
      fetch: (uri: string) => {
        server.requests.push(uri);
        const body = JSON.stringify({ keys: server.keys.map((key) => key.publicJwk) });
        return Promise.resolve(new TextEncoder().encode(body).buffer);
      },
    },
  };
  return server;
}

/** How often the pool's JWKS (the issuer's, not the library's other candidate URIs) was fetched. */
const poolFetches = (server: JwksServer) =>
  server.requests.filter((uri) => uri === JWKS_URI).length;

let oldKey: JsonWebKeyPair;
let newKey: JsonWebKeyPair;

beforeAll(() => {
  oldKey = generateKeyPair('key-2026-01');
  newKey = generateKeyPair('key-2026-06');
});

beforeEach(() => {
  freezeClock();
});

afterEach(() => {
  jest.useRealTimers();
});

function buildAuthorizer(server: JwksServer) {
  const config = testConfig();
  const verifier = createTokenVerifier(config, { fetcher: server.fetcher });
  const logger = createLogger({ service: 'test', level: 'SILENT' });
  return { verifier, authorize: createAuthorizer(config, { verifier, logger }) };
}

describe('authorizer with the pool JWKS', () => {
  it('loads the JWKS once during the cold start and verifies without fetching again', async () => {
    const server = jwksServer([oldKey]);
    const { verifier, authorize } = buildAuthorizer(server);
    await verifier.hydrate();
    for (const sub of ['a', 'b', 'c']) {
      const token = makeToken(oldKey, { sub });
      await expect(
        authorize(httpApiV2Event({ authorization: `Bearer ${token}` })),
      ).resolves.toMatchObject({
        isAuthorized: true,
      });
    }
    expect(poolFetches(server)).toBe(1);
  });

  it('fetches the JWKS again for a kid it has not seen, so key rotation works', async () => {
    const server = jwksServer([oldKey]);
    const { verifier, authorize } = buildAuthorizer(server);
    await verifier.hydrate();
    server.keys = [oldKey, newKey];
    const token = makeToken(newKey);
    await expect(
      authorize(httpApiV2Event({ authorization: `Bearer ${token}` })),
    ).resolves.toMatchObject({
      isAuthorized: true,
    });
    expect(poolFetches(server)).toBe(2);
  });

  it('does not let tokens with random kids cause a fetch storm', async () => {
    const server = jwksServer([oldKey]);
    const { verifier, authorize } = buildAuthorizer(server);
    await verifier.hydrate();
    for (let i = 0; i < 50; i += 1) {
      const stranger = { ...newKey, kid: `random-${i}` };
      await expect(
        authorize(httpApiV2Event({ authorization: `Bearer ${makeToken(stranger)}` })),
      ).resolves.toEqual({ isAuthorized: false });
    }
    // One refetch for the first unknown kid; then the penalty box refuses to fetch for 10 s.
    expect(poolFetches(server)).toBe(2);
  });

  it('backs off after a failed cold-start fetch, then fetches again once the period is over', async () => {
    const server = jwksServer([oldKey]);
    let failNext = true;
    const flaky: Fetcher = {
      fetch: (uri) => {
        if (failNext && uri === JWKS_URI) {
          failNext = false;
          return Promise.reject(new Error('network down'));
        }
        return server.fetcher.fetch(uri);
      },
    };
    const config = testConfig();
    const verifier = createTokenVerifier(config, { fetcher: flaky });
    await expect(verifier.hydrate()).resolves.toBeUndefined();
    const authorize = createAuthorizer(config, {
      verifier,
      logger: createLogger({ service: 't', level: 'SILENT' }),
    });
    const event = () => httpApiV2Event({ authorization: `Bearer ${makeToken(oldKey)}` });
    // Within the backoff period: a clean deny, no fetch.
    await expect(authorize(event())).resolves.toEqual({ isAuthorized: false });
    expect(poolFetches(server)).toBe(0);
    jest.setSystemTime((NOW_SECONDS + config.jwksBackoffSeconds) * 1000);
    await expect(authorize(event())).resolves.toMatchObject({ isAuthorized: true });
    expect(poolFetches(server)).toBe(1);
  });
});
