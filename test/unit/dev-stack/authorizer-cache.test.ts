/**
 * The emulated API Gateway authorizer cache (AUTHORIZER_CACHE=emulate) in front of the real
 * authorizer, with real RS256 tokens and a frozen clock: what a cached answer is replayed for, and
 * for how long a token keeps working after its `exp`.
 */
import {
  AuthorizerCacheSettingsError,
  createAuthorizerCache,
  parseAuthorizerCacheSettings,
  toCacheKey,
  type AuthorizerCacheSettings,
} from '../../../tools/dev-stack/authorizer-cache';
import { decideAnswer } from '../../../tools/dev-stack/evaluate-policy';
import {
  buildTestAuthorizer,
  freezeClock,
  generateKeyPair,
  httpApiV2Event,
  makeToken,
  NOW_SECONDS,
  restTokenEvent,
} from '../../support/authorizer-fixtures';
import type { JsonWebKeyPair } from '../../../tools/dev-stack/sign-jwt';
import { readDeployedAccessRules } from '../../support/serverless-settings';

// The rules a deploy uses, read from serverless.yml.
const ACCESS_RULES = readDeployedAccessRules();
const REST: AuthorizerCacheSettings = {
  identitySources: ['method.request.header.Authorization'],
  ttlSeconds: 300,
};
const HTTP_API: AuthorizerCacheSettings = {
  identitySources: ['$request.header.Authorization', '$context.routeKey'],
  ttlSeconds: 300,
};

let key: JsonWebKeyPair;

beforeAll(() => {
  key = generateKeyPair('cache-key-1');
});

beforeEach(() => {
  freezeClock();
});

afterEach(() => {
  jest.useRealTimers();
});

/** The real authorizer behind the emulated cache; `invocations` counts runs of the function. */
function cachedAuthorizer(settings: AuthorizerCacheSettings) {
  const { authorize } = buildTestAuthorizer([key], { ACCESS_RULES });
  const cache = createAuthorizerCache(settings, { nowMs: () => Date.now() });
  const calls = { invocations: 0 };
  const request = async (event: unknown) => {
    const lookup = await cache.answer(event, () => {
      calls.invocations += 1;
      return authorize(event);
    });
    return { ...lookup, decision: decideAnswer(lookup.answer, event) };
  };
  return { request, calls, authorize };
}

const advanceSeconds = (seconds: number) => {
  jest.setSystemTime(Date.now() + seconds * 1000);
};

describe('the emulated authorizer cache, REST (one policy for the whole stage)', () => {
  it('refuses /admin/whoami from the policy cached on /whoami for a non-admin token', async () => {
    const { request, calls } = cachedAuthorizer(REST);
    const bearer = `Bearer ${makeToken(key)}`;

    const first = await request(restTokenEvent(bearer, 'GET/whoami'));
    const second = await request(restTokenEvent(bearer, 'GET/admin/whoami'));

    expect(first).toMatchObject({ cached: false, decision: 'allow' });
    expect(second).toMatchObject({ cached: true, decision: 'deny' });
    expect(calls.invocations).toBe(1);
  });

  it('allows /admin/whoami from the cached policy for an admin token', async () => {
    const { request, calls } = cachedAuthorizer(REST);
    const bearer = `Bearer ${makeToken(key, { groups: ['admin'] })}`;

    await request(restTokenEvent(bearer, 'GET/whoami'));
    const admin = await request(restTokenEvent(bearer, 'GET/admin/whoami'));

    expect(admin).toMatchObject({ cached: true, decision: 'allow' });
    expect(calls.invocations).toBe(1);
  });

  it('replays the cached Allow after the token expired, until the TTL ends', async () => {
    const { request, calls, authorize } = cachedAuthorizer(REST);
    const token = makeToken(key, { issuedAt: NOW_SECONDS - 60, expiresIn: 120 });
    const event = () => restTokenEvent(`Bearer ${token}`, 'GET/whoami');
    await request(event());

    advanceSeconds(299); // exp was 60 s after the start: expired for 239 s
    await expect(authorize(event())).rejects.toThrow('Unauthorized');
    expect(await request(event())).toMatchObject({
      cached: true,
      ageSeconds: 299,
      decision: 'allow',
    });

    advanceSeconds(1); // the TTL is over: the function runs and refuses
    await expect(request(event())).rejects.toThrow('Unauthorized');
    // A thrown Unauthorized is not cached: the next request runs the function again.
    await expect(request(event())).rejects.toThrow('Unauthorized');
    expect(calls.invocations).toBe(3);
  });
});

describe('the emulated authorizer cache, HTTP API simple responses', () => {
  it('runs the authorizer again on another route: the route key is part of the key', async () => {
    const { request, calls } = cachedAuthorizer(HTTP_API);
    const headers = { authorization: `Bearer ${makeToken(key)}` };

    const whoami = await request(httpApiV2Event(headers, 'GET/whoami'));
    const again = await request(httpApiV2Event(headers, 'GET/whoami'));
    const admin = await request(httpApiV2Event(headers, 'GET/admin/whoami'));

    expect([whoami.decision, again.cached, admin.cached, admin.decision]).toEqual([
      'allow',
      true,
      false,
      'deny',
    ]);
    expect(calls.invocations).toBe(2);
  });

  it('keys a parameterised route by its route key, not by the concrete path', async () => {
    const { request, calls } = cachedAuthorizer(HTTP_API);
    const headers = { authorization: `Bearer ${makeToken(key, { groups: ['admin'] })}` };

    await request(httpApiV2Event(headers, 'GET/profiles/ann', 'GET /profiles/{handle}'));
    const other = await request(
      httpApiV2Event(headers, 'GET/profiles/bob', 'GET /profiles/{handle}'),
    );

    expect(other).toMatchObject({ cached: true, decision: 'allow' });
    expect(calls.invocations).toBe(1);
  });

  it('would replay an Allow cached on /whoami on /admin/whoami if the key were the token alone', async () => {
    // Why serverless.yml adds $context.routeKey: a simple response cannot name routes.
    const { request } = cachedAuthorizer({
      identitySources: ['$request.header.Authorization'],
      ttlSeconds: 300,
    });
    const headers = { authorization: `Bearer ${makeToken(key)}` };

    await request(httpApiV2Event(headers, 'GET/whoami'));
    const admin = await request(httpApiV2Event(headers, 'GET/admin/whoami'));

    expect(admin).toMatchObject({ cached: true, decision: 'allow' });
  });

  it('replays isAuthorized true after exp within the TTL, and re-evaluates after it', async () => {
    const { request, calls } = cachedAuthorizer({ ...HTTP_API, ttlSeconds: 60 });
    const token = makeToken(key, { issuedAt: NOW_SECONDS - 10, expiresIn: 20 });
    const event = () => httpApiV2Event({ authorization: `Bearer ${token}` }, 'GET/whoami');
    await request(event());

    advanceSeconds(59); // 49 s past exp
    expect(await request(event())).toMatchObject({ cached: true, decision: 'allow' });
    advanceSeconds(1);
    expect(await request(event())).toMatchObject({ cached: false, decision: 'deny' });
    expect(calls.invocations).toBe(2);
  });

  it('caches a refusal too, for the TTL', async () => {
    const { request, calls } = cachedAuthorizer(HTTP_API);
    const headers = { authorization: `Bearer ${makeToken(key)}` };

    await request(httpApiV2Event(headers, 'GET/admin/whoami'));
    const again = await request(httpApiV2Event(headers, 'GET/admin/whoami'));

    expect(again).toMatchObject({ cached: true, decision: 'deny' });
    expect(calls.invocations).toBe(1);
  });

  it('caches nothing with a TTL of 0', async () => {
    const { request, calls } = cachedAuthorizer({ ...HTTP_API, ttlSeconds: 0 });
    const headers = { authorization: `Bearer ${makeToken(key)}` };

    await request(httpApiV2Event(headers, 'GET/whoami'));
    expect(await request(httpApiV2Event(headers, 'GET/whoami'))).toMatchObject({ cached: false });
    expect(calls.invocations).toBe(2);
  });

  it('does not cache a request missing an identity source', async () => {
    const { request, calls } = cachedAuthorizer(HTTP_API);

    await request(httpApiV2Event({}, 'GET/whoami'));
    await request(httpApiV2Event({}, 'GET/whoami'));

    expect(calls.invocations).toBe(2);
  });
});

describe('toCacheKey', () => {
  it('reads header names in any case, and the route key', () => {
    const upper = httpApiV2Event({ Authorization: 'Bearer a' }, 'GET/whoami');
    const lower = httpApiV2Event({ authorization: 'Bearer a' }, 'GET/whoami');
    expect(toCacheKey(upper, HTTP_API.identitySources)).toBe('["Bearer a","GET /whoami"]');
    expect(toCacheKey(lower, HTTP_API.identitySources)).toBe('["Bearer a","GET /whoami"]');
  });

  it('is undefined when a value is empty', () => {
    const event = httpApiV2Event({ authorization: '' }, 'GET/whoami');
    expect(toCacheKey(event, HTTP_API.identitySources)).toBeUndefined();
  });
});

describe('parseAuthorizerCacheSettings', () => {
  it('accepts the settings serverless.yml yields', () => {
    expect(parseAuthorizerCacheSettings(JSON.stringify(HTTP_API))).toEqual(HTTP_API);
  });

  it.each([
    ['missing', undefined, 'authorizer cache settings are missing'],
    ['not JSON', '{', 'authorizer cache settings are not JSON'],
    [
      'an unknown identity source',
      JSON.stringify({ identitySources: ['$request.body.token'], ttlSeconds: 300 }),
      'identitySource must list',
    ],
    [
      'a TTL over an hour',
      JSON.stringify({ identitySources: ['$request.header.Authorization'], ttlSeconds: 3601 }),
      'resultTtlInSeconds must be an integer from 0 to 3600; got 3601',
    ],
  ])('refuses settings %s', (_label, json, message) => {
    expect(() => parseAuthorizerCacheSettings(json)).toThrow(AuthorizerCacheSettingsError);
    expect(() => parseAuthorizerCacheSettings(json)).toThrow(message);
  });
});
