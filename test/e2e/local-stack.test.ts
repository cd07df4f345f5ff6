/**
 * The local stack over HTTP, as an API consumer sees it: serverless-offline with every function, the
 * authorizer trusting the dev key, the embedded PGlite store.
 */
import { loadDevKeyPair, localStage } from '../../scripts/lib/dev-key';
import { buildCognitoClaims, generateKeyPair, signJwt } from '../../scripts/lib/sign-jwt';
import { startLocalStack, type LocalStack } from '../support/local-stack';

jest.setTimeout(120_000);

let stack: LocalStack;

beforeAll(async () => {
  stack = await startLocalStack();
});

afterAll(async () => {
  await stack.stop();
});

function devToken(options: { sub?: string; groups?: string[] } = {}): string {
  return signJwt(
    loadDevKeyPair(),
    buildCognitoClaims({
      userPoolId: localStage.userPoolId,
      clientId: localStage.clientId,
      issuedAt: Math.floor(Date.now() / 1000) - 5,
      ...options,
    }),
  );
}

async function get(path: string, token?: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${stack.baseUrl}${path}`, {
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
}

describe('the local stack', () => {
  it('answers 401 without a token', async () => {
    expect((await get('/whoami')).status).toBe(401);
  });

  it('answers 403 with a forged token', async () => {
    const forged = signJwt(
      { ...generateKeyPair('forger'), kid: loadDevKeyPair().kid },
      buildCognitoClaims({
        userPoolId: localStage.userPoolId,
        clientId: localStage.clientId,
        issuedAt: Math.floor(Date.now() / 1000),
      }),
    );
    expect((await get('/whoami', forged)).status).toBe(403);
  });

  it('lets a valid dev token through to the route, with the claims as context', async () => {
    const response = await get('/whoami', devToken({ sub: 'e2e-user-1' }));
    expect(response).toEqual({
      status: 200,
      body: expect.objectContaining({ sub: 'e2e-user-1', groups: [] }) as unknown,
    });
  });

  it('answers 403 on the admin route without the admin group, 200 with it', async () => {
    expect((await get('/admin/whoami', devToken())).status).toBe(403);
    expect((await get('/admin/whoami', devToken({ groups: ['admin'] }))).status).toBe(200);
  });

  it('never logs the token', async () => {
    const token = devToken({ sub: 'e2e-user-2' });
    await get('/whoami', token);
    const [, payload, signature] = token.split('.');
    expect(stack.output()).toContain('"decision":"allow"');
    expect(stack.output()).not.toContain(payload);
    expect(stack.output()).not.toContain(signature);
  });
});
