/**
 * The local stack over HTTP, as an API consumer sees it: serverless-offline with every function, the
 * authorizer trusting the dev key, the embedded PGlite store.
 */
import { loadDevKeyPair, localStage } from '../../tools/dev-stack/dev-key';
import { buildCognitoClaims, generateKeyPair, signJwt } from '../../tools/dev-stack/sign-jwt';
import { startLocalStack, type LocalStack } from '../../tools/dev-stack/local-stack';

jest.setTimeout(120_000);

let stack: LocalStack;

beforeAll(async () => {
  stack = await startLocalStack();
});

afterAll(async () => {
  await stack.stop();
});

function devToken(
  options: { sub?: string; groups?: string[]; username?: string; email?: string } = {},
): string {
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

async function request(
  method: string,
  path: string,
  token?: string,
  body?: { contentType: string; text: string },
): Promise<{ status: number; body: unknown }> {
  const headers: Record<string, string> = {};
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = body.contentType;
  const response = await fetch(`${stack.baseUrl}${path}`, { method, headers, body: body?.text });
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
}

const get = (path: string, token?: string) => request('GET', path, token);
const patchMe = (token: string, json: string, contentType = 'application/json') =>
  request('PATCH', '/me', token, { contentType, text: json });

const errorBody = (code: string) => ({ error: { code, message: expect.any(String) as unknown } });

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

  it('reports the profile store on /health without authorization', async () => {
    let response = await get('/health');
    // The embedded database may still be starting on the very first call.
    for (let i = 0; i < 20 && response.status === 503; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      response = await get('/health');
    }
    expect(response).toEqual({ status: 200, body: { status: 'ok' } });
  });

  it('creates the profile on the first GET /me and returns the same one after', async () => {
    const token = devToken({ sub: 'e2e-me-1', username: 'ann', email: 'Ann@Example.com' });
    const first = await get('/me', token);
    expect(first).toEqual({
      status: 200,
      body: expect.objectContaining({
        sub: 'e2e-me-1',
        email: 'ann@example.com',
        preferred_username: 'ann',
      }) as unknown,
    });
    expect(await get('/me', token)).toEqual(first);
  });

  it('changes name and handle with PATCH /me', async () => {
    const token = devToken({ sub: 'e2e-me-2', username: 'bob', email: 'bob@example.com' });
    const response = await patchMe(
      token,
      JSON.stringify({ name: '  Bob   Builder ', preferred_username: 'Bob_B' }),
    );
    expect(response).toEqual({
      status: 200,
      body: expect.objectContaining({
        sub: 'e2e-me-2',
        name: 'Bob Builder',
        preferred_username: 'bob_b',
      }) as unknown,
    });
  });

  it.each([
    ['invalid JSON', '{"name":', 'application/json', 400, 'invalid_json'],
    ['an unknown field', '{"nickname":"x"}', 'application/json', 400, 'unknown_field'],
    ['an invisible name', '{"name":"\u200b"}', 'application/json', 400, 'invalid_name'],
    [
      'a reserved handle',
      '{"preferred_username":"admin"}',
      'application/json',
      400,
      'invalid_preferred_username',
    ],
    ['a taken handle', '{"preferred_username":"BOB_B"}', 'application/json', 409, 'handle_taken'],
    [
      'a non-JSON body',
      'name=x',
      'application/x-www-form-urlencoded',
      415,
      'unsupported_media_type',
    ],
  ])('rejects PATCH /me with %s', async (_label, json, contentType, status, code) => {
    const token = devToken({ sub: 'e2e-me-3', username: 'cyd', email: 'cyd@example.com' });
    expect(await patchMe(token, json, contentType)).toEqual({ status, body: errorBody(code) });
  });

  it('serves GET /profiles/{handle} to admins only', async () => {
    const admin = devToken({
      sub: 'e2e-admin',
      username: 'root_user',
      email: 'ops@example.com',
      groups: ['admin'],
    });
    expect(await get('/profiles/bob_b', admin)).toEqual({
      status: 200,
      body: expect.objectContaining({ preferred_username: 'bob_b' }) as unknown,
    });
    expect((await get('/profiles/nobody_here', admin)).status).toBe(404);
    expect((await get('/profiles/bob_b', devToken({ sub: 'e2e-me-2' }))).status).toBe(403);
  });
});
