import { MissingAuthorizerContextError, readCaller } from '../../../src/auth/authorizer-context';
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
    });
  });

  it('reads the email and groups of an id token', () => {
    const event = buildApiEvent();
    Object.assign(event.requestContext.authorizer.lambda, {
      tokenUse: 'id',
      email: 'ada@example.com',
      groups: 'admin,ops',
    });
    expect(readCaller(event)).toMatchObject({ email: 'ada@example.com', groups: ['admin', 'ops'] });
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
