import fc from 'fast-check';
import type { JwtPayload } from 'aws-jwt-verify/jwt-model';
import {
  MissingAuthorizerContextError,
  readCaller,
  toAuthorizerContext,
} from '../../../src/auth/authorizer-context';
import { TokenRejectedError } from '../../../src/auth/token-rejected-error';
import { buildApiEvent, CALLER_SUB } from '../../fixtures/api/api-events';

describe('readCaller', () => {
  it('reads the caller of an access token', () => {
    expect(readCaller(buildApiEvent())).toEqual({
      sub: CALLER_SUB,
      username: CALLER_SUB,
      tokenUse: 'access',
      clientId: 'cognitogatelocaldevclient1',
      scope: 'aws.cognito.signin.user.admin',
      email: undefined,
      groups: [],
      principalKind: 'user',
      userPoolId: 'us-east-1_LocalDev1',
    });
  });

  it('reads the email and groups of an id token', () => {
    const event = buildApiEvent();
    Object.assign(event.requestContext.authorizer.lambda, {
      tokenUse: 'id',
      email: 'ada@example.com',
      groups: '["admin","ops"]',
    });
    expect(readCaller(event)).toMatchObject({ email: 'ada@example.com', groups: ['admin', 'ops'] });
  });

  it('reads a group whose name holds a comma as one group', () => {
    const event = buildApiEvent();
    event.requestContext.authorizer.lambda.groups = '["ops,admin"]';
    expect(readCaller(event).groups).toEqual(['ops,admin']);
  });

  it('ignores identity in the body, query or headers', () => {
    const event = buildApiEvent();
    event.body = JSON.stringify({ sub: 'someone-else' });
    event.queryStringParameters = { sub: 'someone-else' };
    event.headers['x-sub'] = 'someone-else';
    expect(readCaller(event).sub).toBe(CALLER_SUB);
  });

  it.each([
    ['no requestContext', (e: Record<string, unknown>) => delete e.requestContext],
    [
      'no authorizer',
      (e: Record<string, unknown>) =>
        delete (e.requestContext as Record<string, unknown>).authorizer,
    ],
    [
      'an empty sub',
      (e: Record<string, unknown>) =>
        Object.assign((e.requestContext as { authorizer: { lambda: object } }).authorizer.lambda, {
          sub: '',
        }),
    ],
    [
      'a numeric sub',
      (e: Record<string, unknown>) =>
        Object.assign((e.requestContext as { authorizer: { lambda: object } }).authorizer.lambda, {
          sub: 42,
        }),
    ],
    [
      'a sub with a line break',
      (e: Record<string, unknown>) =>
        Object.assign((e.requestContext as { authorizer: { lambda: object } }).authorizer.lambda, {
          sub: 'a\nb',
        }),
    ],
    ...['admin,ops', '', '{"0":"admin"}', '[1]', '["admin",null]', 'admin'].map(
      (groups): [string, (e: Record<string, unknown>) => void] => [
        `groups ${JSON.stringify(groups)} (not a JSON array of strings)`,
        (e) =>
          Object.assign(
            (e.requestContext as { authorizer: { lambda: object } }).authorizer.lambda,
            { groups },
          ),
      ],
    ),
    ...[undefined, 'robot', 'USER'].map(
      (principalKind): [string, (e: Record<string, unknown>) => void] => [
        `principalKind ${String(principalKind)}`,
        (e) =>
          Object.assign(
            (e.requestContext as { authorizer: { lambda: object } }).authorizer.lambda,
            { principalKind },
          ),
      ],
    ),
  ])('throws MissingAuthorizerContextError (a 500) for %s', (_what, mutate) => {
    const event = buildApiEvent() as unknown as Record<string, unknown>;
    mutate(event);
    expect(() => readCaller(event)).toThrow(MissingAuthorizerContextError);
    expect(() => readCaller(event)).toThrow(/without a valid authorizer context/);
  });

  it.each([null, 'event', 42, []])('throws for an event that is not an object (%j)', (event) => {
    expect(() => readCaller(event)).toThrow(MissingAuthorizerContextError);
  });

  it('drops a user name with control characters', () => {
    const event = buildApiEvent();
    event.requestContext.authorizer.lambda.username = 'jane\u0000';
    expect(readCaller(event).username).toBe('');
  });
});

describe('toAuthorizerContext', () => {
  const base = {
    sub: 'user-sub-1',
    iss: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_TestPool1',
    token_use: 'access',
    client_id: 'webclient1',
    username: 'jane',
    scope: 'openid profile',
    auth_time: 1780272000,
    iat: 1780272000,
    exp: 1780275600,
  };

  it.each([
    ['no sub', { sub: undefined }],
    ['a numeric sub', { sub: 42 }],
    ['an empty sub', { sub: '' }],
    ['a sub with a space', { sub: 'a b' }],
    ['a sub of 129 characters', { sub: 'a'.repeat(129) }],
  ])('refuses a verified token with %s (invalid_claims: no principalId)', (_what, claims) => {
    const payload = JSON.parse(JSON.stringify({ ...base, ...claims })) as JwtPayload;
    expect(() => toAuthorizerContext(payload)).toThrow(TokenRejectedError);
    expect(() => toAuthorizerContext(payload)).toThrow(
      'token must carry a sub claim of 1-128 printable characters',
    );
  });

  it('tells a client-credentials token (sub = client_id, no username) as a machine', () => {
    const { username: _dropped, ...machine } = {
      ...base,
      sub: 'm2mclient1',
      client_id: 'm2mclient1',
    };
    expect(toAuthorizerContext(machine)).toMatchObject({
      principalKind: 'machine',
      groups: '[]',
      userPoolId: 'eu-west-1_TestPool1',
    });
    expect(toAuthorizerContext(base).principalKind).toBe('user');
    // A user name, or a sub other than the client id, is a user.
    expect(toAuthorizerContext({ ...machine, username: 'm2mclient1' }).principalKind).toBe('user');
    expect(toAuthorizerContext({ ...machine, sub: 'other' }).principalKind).toBe('user');
    expect(toAuthorizerContext({ ...machine, token_use: 'id' }).principalKind).toBe('user');
  });

  it("reads the pool from either of Cognito's issuer forms", () => {
    const global = {
      ...base,
      iss: 'https://issuer-cognito-idp.eu-west-1.amazonaws.com/eu-west-1_P2',
    };
    expect(toAuthorizerContext(global).userPoolId).toBe('eu-west-1_P2');
  });

  it('round-trips any group list through the context unchanged (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 20 }), { maxLength: 8 }), (groups) => {
        const context = toAuthorizerContext({ ...base, 'cognito:groups': groups });
        const event = buildApiEvent();
        Object.assign(event.requestContext.authorizer.lambda, context);
        expect(readCaller(event).groups).toEqual(groups);
      }),
    );
  });

  it('keeps only the strings of a cognito:groups claim of mixed types (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string(), fc.integer(), fc.constant(null))), (claim) => {
        const context = toAuthorizerContext({ ...base, 'cognito:groups': claim });
        expect(JSON.parse(context.groups)).toEqual(claim.filter((g) => typeof g === 'string'));
      }),
    );
  });
});
