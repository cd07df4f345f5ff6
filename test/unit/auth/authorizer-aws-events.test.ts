/**
 * What API Gateway really sends (concrete paths in ARNs, templates in routeKey/resource), duplicate
 * credentials, machine callers, step-up and several pools: real RS256 tokens, AWS-shaped events.
 */
import fc from 'fast-check';
import {
  buildTestAuthorizer,
  CLIENT_ID,
  freezeClock,
  generateKeyPair,
  httpApiV2Event,
  makeToken,
  NOW_SECONDS,
  restRequestEvent,
  restTokenEvent,
  STAGE_ARN,
  USER_POOL_ID,
} from '../../support/authorizer-fixtures';
import { iamMatches } from '../../support/iam-pattern';
import type { JsonWebKeyPair } from '../../../tools/dev-stack/sign-jwt';

const RULES = JSON.stringify([
  { route: 'GET /admin/whoami', groups: ['admin'] },
  { route: 'GET /profiles/{handle}', groups: ['admin'] },
  { route: 'GET /me', principal: 'user' },
  { route: 'POST /payouts', amr: ['mfa', 'otp', 'webauthn'], maxAuthAgeSeconds: 300 },
]);
const MACHINE = 'm2mclient0000000000000001';

let key: JsonWebKeyPair;

beforeAll(() => {
  key = generateKeyPair('test-key-1');
});
beforeEach(() => {
  freezeClock();
});
afterEach(() => jest.useRealTimers());

function bearer(options: Parameters<typeof makeToken>[1] = {}, claims = {}) {
  return `Bearer ${makeToken(key, options, claims)}`;
}

/** A client-credentials access token: sub = client_id, no username, custom scope. */
function machineBearer() {
  return bearer(
    { clientId: MACHINE, sub: MACHINE, scope: 'payouts/read' },
    { username: undefined },
  );
}

describe('HTTP API rules bind to routeKey, not the ARN spelling', () => {
  it.each(['GET/admin/whoami/', 'GET//admin/whoami', 'GET/Admin/whoami', 'GET/admin//whoami'])(
    'refuses a non-admin on GET /admin/whoami reached as %s',
    async (methodPath) => {
      const { authorize, logs } = buildTestAuthorizer([key], { ACCESS_RULES: RULES });
      const event = httpApiV2Event({ authorization: bearer() }, methodPath, 'GET /admin/whoami');
      await expect(authorize(event)).resolves.toEqual({ isAuthorized: false });
      expect(logs[0]).toMatchObject({ decision: 'forbidden', reason: 'missing_group' });
    },
  );

  it('refuses GET /profiles/{handle} whose ARN path holds a decoded %2F', async () => {
    const { authorize } = buildTestAuthorizer([key], { ACCESS_RULES: RULES });
    const event = httpApiV2Event(
      { authorization: bearer() },
      'GET/profiles/a/b',
      'GET /profiles/{handle}',
    );
    await expect(authorize(event)).resolves.toEqual({ isAuthorized: false });
  });

  it('refuses HEAD on a GET-protected route', async () => {
    const { authorize } = buildTestAuthorizer([key], { ACCESS_RULES: RULES });
    const event = httpApiV2Event(
      { authorization: bearer() },
      'HEAD/admin/whoami',
      'GET /admin/whoami',
    );
    await expect(authorize(event)).resolves.toEqual({ isAuthorized: false });
  });

  it('matches the concrete path under $default and a greedy route', async () => {
    const { authorize } = buildTestAuthorizer([key], { ACCESS_RULES: RULES });
    for (const routeKey of ['$default', 'ANY /{proxy+}']) {
      const event = httpApiV2Event({ authorization: bearer() }, 'GET/admin/whoami/', routeKey);
      await expect(authorize(event)).resolves.toEqual({ isAuthorized: false });
    }
    const open = httpApiV2Event({ authorization: bearer() }, 'GET/whoami', '$default');
    await expect(authorize(open)).resolves.toMatchObject({ isAuthorized: true });
  });

  it('does not refuse another route the gateway chose, however its path looks', async () => {
    const { authorize } = buildTestAuthorizer([key], { ACCESS_RULES: RULES });
    const event = httpApiV2Event(
      { authorization: bearer() },
      'GET/profiles/me',
      'GET /profiles/me',
    );
    await expect(authorize(event)).resolves.toMatchObject({ isAuthorized: true });
  });

  it('falls back to the ARN when the event has no routeKey', async () => {
    const { authorize } = buildTestAuthorizer([key], { ACCESS_RULES: RULES });
    const event = httpApiV2Event({ authorization: bearer() }, 'GET/admin/whoami/');
    delete (event as { routeKey?: string }).routeKey;
    await expect(authorize(event)).resolves.toEqual({ isAuthorized: false });
  });
});

describe('REST rules bind to resource + httpMethod, and the cached policy refuses every spelling', () => {
  it('refuses a REST REQUEST on the template whatever the path spelling', async () => {
    const { authorize } = buildTestAuthorizer([key], { ACCESS_RULES: RULES });
    const event = restRequestEvent(
      { Authorization: bearer() },
      'GET/admin/whoami///',
      'GET /admin/whoami',
    );
    const result = (await authorize(event)) as {
      policyDocument: { Statement: { Effect: string; Resource: string | string[] }[] };
    };
    // The spelling this request used is denied by its exact ARN, too.
    expect(result.policyDocument.Statement[1]?.Resource).toContain(
      `${STAGE_ARN}/GET/admin/whoami///`,
    );
  });

  it('denies, in the stage-wide policy, each spelling of a protected route (property)', async () => {
    const { authorize } = buildTestAuthorizer([key], { ACCESS_RULES: RULES });
    const policy = (await authorize(restTokenEvent(bearer(), 'GET/whoami'))) as {
      policyDocument: { Statement: { Effect: string; Resource: string | string[] }[] };
    };
    const denies = [policy.policyDocument.Statement[1]?.Resource ?? []].flat();
    const denied = (methodPath: string) =>
      denies.some((pattern) => iamMatches(pattern, `${STAGE_ARN}/${methodPath}`));
    fc.assert(
      fc.property(
        fc.constantFrom('GET', 'HEAD'),
        fc.constantFrom('admin/whoami', 'profiles/jane'),
        fc.constantFrom('', '/'),
        fc.nat(2),
        (method, path, trailing, doubled) => {
          const parts = path.split('/');
          if (doubled < parts.length) parts[doubled] = `/${parts[doubled] ?? ''}`;
          expect(denied(`${method}/${parts.join('/')}${trailing}`)).toBe(true);
        },
      ),
    );
    // Never an unprotected route.
    for (const open of [
      'GET/whoami',
      'GET/admin/whoamix',
      'GET/admin',
      'GET/profiles',
      'GET/profiles/',
      'POST/admin/whoami',
      'PATCH/profiles/jane',
      'GET/x/admin/whoami',
      'GET/me',
    ]) {
      expect([open, denied(open)]).toEqual([open, false]);
    }
  });
});

describe('one credential', () => {
  it.each([
    ['both authorization and Authorization keys (2.0)', { authorization: 'A', Authorization: 'A' }],
    ['comma-joined values (2.0)', { authorization: 'A, A' }],
  ])('refuses %s', async (_what, raw) => {
    const { authorize, logs } = buildTestAuthorizer([key]);
    const token = bearer();
    const headers = Object.fromEntries(
      Object.entries(raw).map(([k, v]) => [k, v.replace(/A/g, token)]),
    );
    await expect(authorize(httpApiV2Event(headers))).resolves.toEqual({ isAuthorized: false });
    expect(logs[0]).toMatchObject({ reason: 'multiple_tokens' });
  });

  it('refuses case variants split across REST multiValueHeaders', async () => {
    const { authorize, logs } = buildTestAuthorizer([key]);
    const token = bearer();
    const event = restRequestEvent({ Authorization: token });
    event.multiValueHeaders = { Authorization: [token], authorization: [token] };
    await expect(authorize(event)).rejects.toEqual(new Error('Unauthorized'));
    expect(logs[0]).toMatchObject({ reason: 'multiple_tokens' });
  });

  it('never allows a header set holding two Authorization entries (property)', async () => {
    const { authorize } = buildTestAuthorizer([key]);
    const token = bearer();
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(
          fc.constantFrom('authorization', 'Authorization', 'AUTHORIZATION', 'aUtHoRiZaTiOn'),
          {
            minLength: 2,
            maxLength: 4,
          },
        ),
        async (names) => {
          const headers = Object.fromEntries(names.map((name) => [name, token]));
          await expect(authorize(httpApiV2Event(headers))).resolves.toEqual({
            isAuthorized: false,
          });
        },
      ),
      { numRuns: 30 },
    );
  });

  it.each([
    ['no sub', { sub: undefined }, 'invalid_claims'],
    // aws-jwt-verify itself refuses a sub that is not a string.
    ['a numeric sub', { sub: 12345 }, 'malformed_token'],
    ['an empty sub', { sub: '' }, 'invalid_claims'],
  ])('gives a verified token with %s no Allow', async (_what, claims, reason) => {
    const { authorize, logs } = buildTestAuthorizer([key]);
    await expect(authorize(restTokenEvent(bearer({}, claims)))).rejects.toEqual(
      new Error('Unauthorized'),
    );
    expect(logs[0]).toMatchObject({ decision: 'unauthorized', reason });
  });

  it('never allows a token whose sub is not a printable string (property)', async () => {
    const { authorize } = buildTestAuthorizer([key]);
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.integer(),
          fc.constant(null),
          fc.array(fc.string()),
          fc.constant(''),
          fc.constant(' x'),
        ),
        async (sub) => {
          const event = httpApiV2Event({ authorization: bearer({}, { sub }) });
          await expect(authorize(event)).resolves.toEqual({ isAuthorized: false });
        },
      ),
      { numRuns: 20 },
    );
  });

  it('passes a group named "ops,admin" as one group, JSON-encoded', async () => {
    const { authorize } = buildTestAuthorizer([key], { ACCESS_RULES: RULES });
    const event = httpApiV2Event(
      { authorization: bearer({ groups: ['ops,admin'] }) },
      'GET/profiles/jane',
      'GET /profiles/{handle}',
    );
    await expect(authorize(event)).resolves.toEqual({ isAuthorized: false });
    const open = await authorize(
      httpApiV2Event({ authorization: bearer({ groups: ['ops,admin'] }) }),
    );
    expect(open).toMatchObject({ context: { groups: '["ops,admin"]' } });
  });
});

describe('machine callers', () => {
  it('marks a client-credentials token as a machine and refuses it on user-only rules', async () => {
    const { authorize, logs } = buildTestAuthorizer([key], {
      ACCESS_RULES: RULES,
      COGNITO_CLIENT_IDS: `${CLIENT_ID},${MACHINE}`,
    });
    const whoami = await authorize(httpApiV2Event({ authorization: machineBearer() }));
    expect(whoami).toMatchObject({
      isAuthorized: true,
      context: {
        sub: MACHINE,
        clientId: MACHINE,
        username: '',
        principalKind: 'machine',
        groups: '[]',
      },
    });
    const me = httpApiV2Event({ authorization: machineBearer() }, 'GET/me');
    await expect(authorize(me)).resolves.toEqual({ isAuthorized: false });
    expect(logs[1]).toMatchObject({ decision: 'forbidden', reason: 'wrong_principal' });
  });
});

describe('step-up', () => {
  const payout = (authorization: string) =>
    httpApiV2Event({ authorization }, 'POST/payouts', 'POST /payouts');

  it('allows a recent sign-in with a strong method', async () => {
    const { authorize } = buildTestAuthorizer([key], { ACCESS_RULES: RULES });
    const token = bearer({ issuedAt: NOW_SECONDS - 60 }, { amr: ['pwd', 'mfa'] });
    await expect(authorize(payout(token))).resolves.toMatchObject({ isAuthorized: true });
  });

  it('refuses a token without one of the amr values: step_up_required', async () => {
    const { authorize, logs } = buildTestAuthorizer([key], { ACCESS_RULES: RULES });
    await expect(authorize(payout(bearer({}, { amr: ['pwd'] })))).resolves.toEqual({
      isAuthorized: false,
    });
    expect(logs[0]).toMatchObject({ decision: 'forbidden', reason: 'step_up_required' });
  });

  it('refuses a sign-in older than maxAuthAgeSeconds: auth_too_old, also from the token cache', async () => {
    const { authorize, logs } = buildTestAuthorizer([key], { ACCESS_RULES: RULES });
    const token = bearer({ issuedAt: NOW_SECONDS - 60 }, { amr: ['otp'] });
    // Verified twice, so the token is in the cache for the third request.
    for (let call = 0; call < 2; call += 1) {
      await expect(authorize(payout(token))).resolves.toMatchObject({ isAuthorized: true });
    }
    jest.setSystemTime((NOW_SECONDS + 241) * 1000);
    await expect(authorize(payout(token))).resolves.toEqual({ isAuthorized: false });
    expect(logs[2]).toMatchObject({ reason: 'auth_too_old', cached: true });
  });
});

describe('several pools', () => {
  const OTHER_POOL = 'us-west-2_OtherPool9';
  const env = {
    COGNITO_USER_POOL_ID: `${USER_POOL_ID},${OTHER_POOL}`,
    COGNITO_CLIENT_IDS: `${USER_POOL_ID}:${CLIENT_ID},${OTHER_POOL}:otherclient1`,
  };

  it('accepts each pool with its own clients only, and passes the pool on', async () => {
    const { authorize } = buildTestAuthorizer([key], env);
    const other = bearer({ userPoolId: OTHER_POOL, clientId: 'otherclient1' });
    await expect(authorize(httpApiV2Event({ authorization: other }))).resolves.toMatchObject({
      isAuthorized: true,
      context: { userPoolId: OTHER_POOL },
    });
    const crossed = bearer({ userPoolId: OTHER_POOL, clientId: CLIENT_ID });
    await expect(authorize(httpApiV2Event({ authorization: crossed }))).resolves.toEqual({
      isAuthorized: false,
    });
  });

  it("accepts Cognito's newer issuer form (issuer-cognito-idp) for a configured pool", async () => {
    const { authorize } = buildTestAuthorizer([key], env);
    const region = OTHER_POOL.split('_')[0] ?? '';
    const token = bearer(
      { userPoolId: OTHER_POOL, clientId: 'otherclient1' },
      { iss: `https://issuer-cognito-idp.${region}.amazonaws.com/${OTHER_POOL}` },
    );
    await expect(authorize(httpApiV2Event({ authorization: token }))).resolves.toMatchObject({
      isAuthorized: true,
      context: { userPoolId: OTHER_POOL },
    });
  });
});
