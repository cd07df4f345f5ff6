import {
  buildTestAuthorizer,
  CLIENT_ID,
  freezeClock,
  generateKeyPair,
  httpApiV1Event,
  httpApiV2Event,
  makeToken,
  NOW_SECONDS,
  restRequestEvent,
  restTokenEvent,
  STAGE_ARN,
  SUB,
  USER_POOL_ID,
} from '../../support/authorizer-fixtures';
import type { JsonWebKeyPair } from '../../../tools/dev-stack/sign-jwt';

const ADMIN_RULES = JSON.stringify([
  { route: 'GET /profiles/{handle}', groups: ['admin'] },
  { route: 'DELETE /profiles/{handle}', scopes: ['profiles/write'] },
]);

let key: JsonWebKeyPair;
let otherKey: JsonWebKeyPair;

beforeAll(() => {
  key = generateKeyPair('test-key-1');
  otherKey = generateKeyPair('test-key-1');
});

beforeEach(() => {
  freezeClock();
});

afterEach(() => {
  jest.useRealTimers();
});

async function expectUnauthorized(promise: Promise<unknown>): Promise<void> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  // API Gateway answers 401 only for this exact error; any other becomes 500.
  expect(error).toBeInstanceOf(Error);
  expect(error).toEqual(new Error('Unauthorized'));
  expect((error as Error).constructor).toBe(Error);
}

describe('authorizer on REST TOKEN events', () => {
  it('allows a valid access token for the whole stage with the caller as context', async () => {
    const { authorize } = buildTestAuthorizer([key]);
    const result = await authorize(
      restTokenEvent(`Bearer ${makeToken(key, { groups: ['a', 'b'] })}`),
    );
    expect(result).toEqual({
      principalId: SUB,
      policyDocument: {
        Version: '2012-10-17',
        Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: `${STAGE_ARN}/*` }],
      },
      context: {
        sub: SUB,
        username: 'jane',
        clientId: CLIENT_ID,
        tokenUse: 'access',
        scope: 'aws.cognito.signin.user.admin',
        groups: '["a","b"]',
        authTime: NOW_SECONDS - 60,
        principalKind: 'user',
        userPoolId: USER_POOL_ID,
      },
    });
  });

  it('accepts the Bearer scheme in any case', async () => {
    const { authorize } = buildTestAuthorizer([key]);
    await expect(authorize(restTokenEvent(`bEaReR ${makeToken(key)}`))).resolves.toHaveProperty(
      'principalId',
      SUB,
    );
  });

  it('denies an expired token with 401', async () => {
    const { authorize, logs } = buildTestAuthorizer([key]);
    const token = makeToken(key, { issuedAt: NOW_SECONDS - 7200, expiresIn: 3600 });
    await expectUnauthorized(authorize(restTokenEvent(`Bearer ${token}`)));
    expect(logs[0]).toMatchObject({ decision: 'unauthorized', reason: 'expired' });
  });

  it('denies a token signed by another key under the trusted kid', async () => {
    const { authorize, logs } = buildTestAuthorizer([key]);
    await expectUnauthorized(authorize(restTokenEvent(`Bearer ${makeToken(otherKey)}`)));
    expect(logs[0]).toMatchObject({ reason: 'invalid_signature' });
  });

  it('denies a token whose kid is not in the JWKS without fetching', async () => {
    const { authorize, logs } = buildTestAuthorizer([key]);
    const stranger = { ...otherKey, kid: 'unknown-kid' };
    await expectUnauthorized(authorize(restTokenEvent(`Bearer ${makeToken(stranger)}`)));
    expect(logs[0]).toMatchObject({ reason: 'unknown_key' });
  });

  it.each([
    ['missing', undefined, 'missing_token'],
    ['empty', '', 'missing_token'],
    ['Basic credentials', 'Basic dXNlcjpwYXNz', 'not_bearer'],
    ['a bare token without scheme', 'a.b.c', 'not_bearer'],
    ['two tokens', 'Bearer a.b.c Bearer d.e.f', 'multiple_tokens'],
    ['two comma-joined tokens', 'Bearer a.b.c, Bearer d.e.f', 'multiple_tokens'],
    ['not a JWT', 'Bearer not-a-jwt', 'malformed_token'],
    ['longer than 8 KiB', `Bearer ${'a'.repeat(4096)}.${'b'.repeat(4096)}.c`, 'token_too_long'],
  ])('denies a header that is %s before any cryptography', async (_label, header, reason) => {
    const { authorize, logs } = buildTestAuthorizer([key]);
    await expectUnauthorized(authorize(restTokenEvent(header)));
    expect(logs[0]).toMatchObject({ decision: 'unauthorized', reason });
  });
});

describe('authorizer on REST REQUEST events', () => {
  it.each(['Authorization', 'authorization', 'AUTHORIZATION'])(
    'reads the %s header',
    async (name) => {
      const { authorize } = buildTestAuthorizer([key]);
      const result = await authorize(restRequestEvent({ [name]: `Bearer ${makeToken(key)}` }));
      expect(result).toHaveProperty('principalId', SUB);
    },
  );

  it('denies when headers is null', async () => {
    const { authorize, logs } = buildTestAuthorizer([key]);
    await expectUnauthorized(authorize(restRequestEvent(null)));
    expect(logs[0]).toMatchObject({ reason: 'missing_token', eventKind: 'rest-request' });
  });

  it('denies two Authorization headers that differ only in case', async () => {
    const { authorize, logs } = buildTestAuthorizer([key]);
    const token = makeToken(key);
    await expectUnauthorized(
      authorize(
        restRequestEvent({ Authorization: `Bearer ${token}`, authorization: `Bearer ${token}` }),
      ),
    );
    expect(logs[0]).toMatchObject({ reason: 'multiple_tokens' });
  });

  it('denies a header repeated in multiValueHeaders', async () => {
    const { authorize } = buildTestAuthorizer([key]);
    const token = makeToken(key);
    const event = restRequestEvent({ Authorization: `Bearer ${token}` });
    event.multiValueHeaders = { Authorization: [`Bearer ${token}`, `Bearer ${token}`] };
    await expectUnauthorized(authorize(event));
  });
});

describe('authorizer on HTTP API events', () => {
  it('answers payload 2.0 with a simple response and context', async () => {
    const { authorize } = buildTestAuthorizer([key]);
    const result = await authorize(httpApiV2Event({ authorization: `Bearer ${makeToken(key)}` }));
    expect(result).toEqual({
      isAuthorized: true,
      context: expect.objectContaining({
        sub: SUB,
        username: 'jane',
        tokenUse: 'access',
        groups: '[]',
        principalKind: 'user',
      }) as unknown,
    });
  });

  it('reads a payload 2.0 header that was not lower-cased (serverless-offline)', async () => {
    const { authorize } = buildTestAuthorizer([key]);
    const result = await authorize(httpApiV2Event({ Authorization: `Bearer ${makeToken(key)}` }));
    expect(result).toMatchObject({ isAuthorized: true });
  });

  it('answers a bad token on payload 2.0 with isAuthorized false, never an error', async () => {
    const { authorize } = buildTestAuthorizer([key]);
    await expect(
      authorize(httpApiV2Event({ authorization: `Bearer ${makeToken(otherKey)}` })),
    ).resolves.toEqual({
      isAuthorized: false,
    });
    await expect(authorize(httpApiV2Event({}))).resolves.toEqual({ isAuthorized: false });
  });

  it('answers payload 2.0 with an IAM policy when HTTP_API_RESPONSE is iam', async () => {
    const { authorize } = buildTestAuthorizer([key], { HTTP_API_RESPONSE: 'iam' });
    const allowed = await authorize(httpApiV2Event({ authorization: `Bearer ${makeToken(key)}` }));
    expect(allowed).toMatchObject({
      principalId: SUB,
      policyDocument: {
        Statement: [{ Effect: 'Allow', Resource: `${STAGE_ARN.replace('/prod', '/$default')}/*` }],
      },
    });
    const denied = await authorize(httpApiV2Event({ authorization: 'Bearer x.y.z' }));
    expect(denied).toMatchObject({
      principalId: 'anonymous',
      policyDocument: {
        Statement: [{ Effect: 'Deny', Resource: `${STAGE_ARN.replace('/prod', '/$default')}/*` }],
      },
    });
  });

  it('answers payload 1.0 with an IAM policy', async () => {
    const { authorize } = buildTestAuthorizer([key]);
    const result = await authorize(httpApiV1Event({ Authorization: `Bearer ${makeToken(key)}` }));
    expect(result).toMatchObject({
      principalId: SUB,
      policyDocument: { Statement: [{ Effect: 'Allow', Resource: `${STAGE_ARN}/*` }] },
    });
  });
});

describe('authorizer claim checks', () => {
  it.each([
    ['a token without exp', {}, { exp: undefined }, {}, 'missing_exp'],
    [
      'a token issued more than 5 s in the future',
      {},
      { iat: NOW_SECONDS + 30 },
      {},
      'issued_in_future',
    ],
    [
      'a token living longer than 24 hours',
      { issuedAt: NOW_SECONDS - 10, expiresIn: 86401 },
      {},
      {},
      'lifetime_too_long',
    ],
    ['a token with a crit header', {}, {}, { crit: ['exp'] }, 'crit_header'],
    ['a token not yet valid (nbf)', {}, { nbf: NOW_SECONDS + 600 }, {}, 'not_yet_valid'],
    ['a token of another pool', { userPoolId: 'eu-west-1_OtherPool' }, {}, {}, 'wrong_issuer'],
    ['a token of another app client', { clientId: 'someotherclient' }, {}, {}, 'wrong_client'],
    [
      'an id token where access tokens are required',
      { tokenUse: 'id' as const },
      {},
      {},
      'wrong_token_use',
    ],
    ['a token signed with alg none', {}, {}, { alg: 'none' }, 'invalid_signature'],
    ['a token with an HS256 header', {}, {}, { alg: 'HS256' }, 'invalid_signature'],
  ])('denies %s', async (_label, options, claims, header, reason) => {
    const { authorize, logs } = buildTestAuthorizer([key]);
    const token = makeToken(key, options, claims, header);
    await expect(authorize(httpApiV2Event({ authorization: `Bearer ${token}` }))).resolves.toEqual({
      isAuthorized: false,
    });
    expect(logs[0]).toMatchObject({ decision: 'unauthorized', reason });
  });

  it('tolerates an iat up to 5 seconds ahead (clock skew)', async () => {
    const { authorize } = buildTestAuthorizer([key]);
    const token = makeToken(key, {}, { iat: NOW_SECONDS + 5 });
    await expect(
      authorize(httpApiV2Event({ authorization: `Bearer ${token}` })),
    ).resolves.toMatchObject({
      isAuthorized: true,
    });
  });

  it('accepts id tokens with COGNITO_TOKEN_USE=id and passes the email on', async () => {
    const { authorize } = buildTestAuthorizer([key], { COGNITO_TOKEN_USE: 'id' });
    const token = makeToken(key, { tokenUse: 'id', email: 'jane@example.com' });
    const result = await authorize(httpApiV2Event({ authorization: `Bearer ${token}` }));
    expect(result).toEqual({
      isAuthorized: true,
      context: {
        sub: SUB,
        username: 'jane',
        clientId: CLIENT_ID,
        tokenUse: 'id',
        scope: '',
        groups: '[]',
        authTime: NOW_SECONDS - 60,
        principalKind: 'user',
        userPoolId: USER_POOL_ID,
        email: 'jane@example.com',
      },
    });
  });

  it('accepts both token uses with COGNITO_TOKEN_USE=any', async () => {
    const { authorize } = buildTestAuthorizer([key], { COGNITO_TOKEN_USE: 'any' });
    for (const tokenUse of ['id', 'access'] as const) {
      const token = makeToken(key, { tokenUse });
      await expect(
        authorize(httpApiV2Event({ authorization: `Bearer ${token}` })),
      ).resolves.toMatchObject({
        isAuthorized: true,
      });
    }
  });

  it('accepts any of several configured app clients', async () => {
    const { authorize } = buildTestAuthorizer([key], {
      COGNITO_CLIENT_IDS: `${CLIENT_ID}, secondclient`,
    });
    const token = makeToken(key, { clientId: 'secondclient' });
    await expect(
      authorize(httpApiV2Event({ authorization: `Bearer ${token}` })),
    ).resolves.toMatchObject({
      isAuthorized: true,
    });
  });

  it('passes only strings, numbers and booleans as context values', async () => {
    const { authorize } = buildTestAuthorizer([key], { HTTP_API_RESPONSE: 'iam' });
    const token = makeToken(
      key,
      { groups: ['g1', 'g2'] },
      { 'custom:tags': ['x'], extra: { nested: true } },
    );
    const result = (await authorize(httpApiV2Event({ authorization: `Bearer ${token}` }))) as {
      context: Record<string, unknown>;
    };
    for (const value of Object.values(result.context)) {
      expect(['string', 'number', 'boolean']).toContain(typeof value);
    }
  });
});

describe('authorizer access rules', () => {
  it('gives REST callers without the group a policy that denies exactly the protected routes', async () => {
    const { authorize, logs } = buildTestAuthorizer([key], { ACCESS_RULES: ADMIN_RULES });
    const result = await authorize(restTokenEvent(`Bearer ${makeToken(key)}`, 'GET/profiles/jane'));
    expect(result).toMatchObject({
      principalId: SUB,
      policyDocument: {
        Statement: [
          { Effect: 'Allow', Resource: `${STAGE_ARN}/*` },
          {
            Effect: 'Deny',
            Resource: [
              `${STAGE_ARN}/GET/profiles/?*`,
              `${STAGE_ARN}/GET//profiles/?*`,
              `${STAGE_ARN}/GET/profiles//?*`,
              `${STAGE_ARN}/HEAD/profiles/?*`,
              `${STAGE_ARN}/HEAD//profiles/?*`,
              `${STAGE_ARN}/HEAD/profiles//?*`,
              `${STAGE_ARN}/DELETE/profiles/?*`,
              `${STAGE_ARN}/DELETE//profiles/?*`,
              `${STAGE_ARN}/DELETE/profiles//?*`,
              // The refused request itself, by its concrete ARN.
              `${STAGE_ARN}/GET/profiles/jane`,
            ],
          },
        ],
      },
    });
    expect(logs[0]).toMatchObject({ decision: 'forbidden', reason: 'missing_group', sub: SUB });
  });

  it('gives an admin a policy without the group rule among the denials', async () => {
    const { authorize, logs } = buildTestAuthorizer([key], { ACCESS_RULES: ADMIN_RULES });
    const token = makeToken(key, { groups: ['admin'] });
    const result = await authorize(restTokenEvent(`Bearer ${token}`, 'GET/profiles/jane'));
    expect(result).toMatchObject({
      policyDocument: {
        Statement: [
          { Effect: 'Allow', Resource: `${STAGE_ARN}/*` },
          {
            Effect: 'Deny',
            Resource: [
              `${STAGE_ARN}/DELETE/profiles/?*`,
              `${STAGE_ARN}/DELETE//profiles/?*`,
              `${STAGE_ARN}/DELETE/profiles//?*`,
            ],
          },
        ],
      },
    });
    expect(logs[0]).toMatchObject({ decision: 'allow' });
  });

  it('gives the same cache-safe policy whichever route the token is first used on', async () => {
    const { authorize } = buildTestAuthorizer([key], { ACCESS_RULES: ADMIN_RULES });
    const token = makeToken(key);
    const onOpenRoute = await authorize(restTokenEvent(`Bearer ${token}`, 'GET/whoami'));
    const onAdminRoute = await authorize(restTokenEvent(`Bearer ${token}`, 'GET/profiles/jane'));
    // The same denials, plus the refused request's own ARN when it was the first.
    const denied = (result: unknown) =>
      (result as { policyDocument: { Statement: { Resource: string[] }[] } }).policyDocument
        .Statement[1]?.Resource;
    expect(denied(onAdminRoute)).toEqual([
      ...(denied(onOpenRoute) ?? []),
      `${STAGE_ARN}/GET/profiles/jane`,
    ]);
  });

  it('answers HTTP API simple responses per route: 403 only where a rule refuses', async () => {
    const { authorize, logs } = buildTestAuthorizer([key], { ACCESS_RULES: ADMIN_RULES });
    const token = makeToken(key);
    const headers = { authorization: `Bearer ${token}` };
    await expect(
      authorize(httpApiV2Event(headers, 'GET/profiles/jane', 'GET /profiles/{handle}')),
    ).resolves.toEqual({ isAuthorized: false });
    await expect(authorize(httpApiV2Event(headers, 'GET/whoami'))).resolves.toMatchObject({
      isAuthorized: true,
    });
    await expect(
      authorize(httpApiV2Event(headers, 'DELETE/profiles/jane', 'DELETE /profiles/{handle}')),
    ).resolves.toEqual({ isAuthorized: false });
    expect(logs.map((line) => line.reason)).toEqual(['missing_group', 'allowed', 'missing_scope']);
  });

  it('allows a scope-protected route when the token carries the scope', async () => {
    const { authorize } = buildTestAuthorizer([key], { ACCESS_RULES: ADMIN_RULES });
    const token = makeToken(key, { scope: 'openid profiles/write' });
    await expect(
      authorize(
        httpApiV2Event(
          { authorization: `Bearer ${token}` },
          'DELETE/profiles/jane',
          'DELETE /profiles/{handle}',
        ),
      ),
    ).resolves.toMatchObject({ isAuthorized: true });
  });
});

describe('authorizer verified-token cache', () => {
  it('serves a token from the cache once it has been verified twice', async () => {
    const { authorize, logs } = buildTestAuthorizer([key]);
    const event = httpApiV2Event({ authorization: `Bearer ${makeToken(key)}` });
    for (let call = 0; call < 4; call += 1) await authorize(event);
    expect(logs.map((line) => line.cached)).toEqual([false, false, true, true]);
  });

  it('stops serving a cached token at its exp', async () => {
    const { authorize, logs } = buildTestAuthorizer([key]);
    const event = httpApiV2Event({
      authorization: `Bearer ${makeToken(key, { expiresIn: 3600 })}`,
    });
    for (let call = 0; call < 3; call += 1) {
      await expect(authorize(event)).resolves.toMatchObject({ isAuthorized: true });
    }
    expect(logs[2]).toMatchObject({ cached: true });
    jest.setSystemTime((NOW_SECONDS - 60 + 3600 + 1) * 1000);
    await expect(authorize(event)).resolves.toEqual({ isAuthorized: false });
    expect(logs[3]).toMatchObject({ reason: 'expired' });
  });

  it('verifies a token that differs from a cached one only in its signature', async () => {
    const { authorize, logs } = buildTestAuthorizer([key]);
    const token = makeToken(key);
    for (let call = 0; call < 3; call += 1) {
      await authorize(httpApiV2Event({ authorization: `Bearer ${token}` }));
    }
    expect(logs[2]).toMatchObject({ cached: true });
    const last = token.at(-2) === 'A' ? 'B' : 'A';
    const tampered = `${token.slice(0, -2)}${last}${token.slice(-1)}`;
    await expect(
      authorize(httpApiV2Event({ authorization: `Bearer ${tampered}` })),
    ).resolves.toEqual({
      isAuthorized: false,
    });
    expect(logs[3]).toMatchObject({ reason: 'invalid_signature' });
    expect(logs[3]?.cached).toBeUndefined();
  });

  it('keeps no more tokens than TOKEN_CACHE_SIZE', async () => {
    const { authorize, logs } = buildTestAuthorizer([key], { TOKEN_CACHE_SIZE: '2' });
    const [a, b, c] = ['a', 'b', 'c'].map((sub) =>
      httpApiV2Event({ authorization: `Bearer ${makeToken(key, { sub })}` }),
    );
    // Each verified twice, so each is remembered; c's entry pushes out a's.
    for (const event of [a, b, c, a, b, c]) await authorize(event);
    await authorize(c);
    await authorize(a);
    expect(logs.map((line) => line.cached)).toEqual([
      ...[false, false, false, false, false, false],
      true,
      false,
    ]);
  });
});

describe('authorizer logs', () => {
  it('writes one decision line with reason, sub and latency, and never the token', async () => {
    const { authorize, logs, rawLogs } = buildTestAuthorizer([key]);
    const token = makeToken(key);
    await authorize(restRequestEvent({ Authorization: `Bearer ${token}` }), 'req-1');
    await expectUnauthorized(
      authorize(restRequestEvent({ Authorization: `Bearer ${makeToken(otherKey)}` })),
    );
    expect(logs).toHaveLength(2);
    expect(logs[0]).toMatchObject({
      level: 'INFO',
      message: 'authorization decision',
      decision: 'allow',
      reason: 'allowed',
      sub: SUB,
      requestId: 'req-1',
      latencyMs: expect.any(Number) as unknown,
    });
    const [header, payload, signature] = token.split('.') as [string, string, string];
    for (const line of rawLogs) {
      for (const secret of [header, payload, signature, 'Bearer', 'Authorization']) {
        expect(line).not.toContain(secret);
      }
    }
  });
});

describe('authorizer on malformed events', () => {
  it.each([
    ['null', null],
    ['a string', 'Bearer x'],
    ['an empty object', {}],
    ['an unknown type', { type: 'COOKIE', methodArn: `${STAGE_ARN}/GET/x` }],
    [
      'a TOKEN event with a numeric token',
      { type: 'TOKEN', authorizationToken: 42, methodArn: `${STAGE_ARN}/GET/x` },
    ],
    ['a REQUEST event with a numeric header', { type: 'REQUEST', headers: { authorization: 42 } }],
  ])('answers %s with Unauthorized', async (_label, event) => {
    const { authorize, logs } = buildTestAuthorizer([key]);
    await expectUnauthorized(authorize(event));
    expect(logs[0]).toMatchObject({ decision: 'unauthorized', reason: 'malformed_event' });
  });

  it('denies a valid token when the REST event names no route', async () => {
    const { authorize, logs } = buildTestAuthorizer([key]);
    const event = restTokenEvent(`Bearer ${makeToken(key)}`);
    event.methodArn = 'not-an-arn';
    await expectUnauthorized(authorize(event));
    expect(logs[0]).toMatchObject({ reason: 'malformed_event' });
  });
});
