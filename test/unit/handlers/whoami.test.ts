import type { Context } from 'aws-lambda';
import { handler } from '../../../src/handlers/whoami';

const context = {
  awsRequestId: 'req-1',
  getRemainingTimeInMillis: () => 3000,
} as unknown as Context;

function event(lambda: Record<string, unknown> | undefined) {
  return {
    version: '2.0',
    routeKey: 'GET /whoami',
    rawPath: '/whoami',
    headers: {},
    requestContext: {
      http: { method: 'GET', path: '/whoami' },
      authorizer: lambda === undefined ? undefined : { lambda },
    },
  } as unknown as Parameters<typeof handler>[0];
}

describe('whoami handler', () => {
  it('answers with the claims the authorizer passed on', async () => {
    const response = await handler(
      event({
        sub: 'abc',
        username: 'jane',
        groups: '["admin","ops"]',
        scope: 'openid',
        clientId: 'c1',
        principalKind: 'user',
      }),
      context,
    );
    expect(response).toEqual({
      statusCode: 200,
      headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' },
      body: JSON.stringify({
        sub: 'abc',
        username: 'jane',
        groups: ['admin', 'ops'],
        scope: 'openid',
        clientId: 'c1',
        principalKind: 'user',
      }),
    });
  });

  it('answers 500 with a generic JSON body when the authorizer context is missing', async () => {
    const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const response = await handler(event(undefined), context);
    write.mockRestore();
    expect(response).toMatchObject({
      statusCode: 500,
      body: '{"error":{"code":"internal_error","message":"Something went wrong on our side."}}',
    });
  });
});
