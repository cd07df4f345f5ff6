/**
 * The local stack with `AUTHORIZER_CACHE=emulate`: API Gateway's authorizer result cache in front
 * of the authorizer, keyed as serverless.yml says (`$request.header.Authorization`,
 * `$context.routeKey`), for `resultTtlInSeconds` (300 s on the local stage). A production-handler
 * run logs one `authorization decision` line; a cache hit logs `authorizer cache hit` instead.
 */
import { loadDevKeyPair, localStage } from '../../tools/dev-stack/dev-key';
import { buildCognitoClaims, signJwt } from '../../tools/dev-stack/sign-jwt';
import { startLocalStack, type LocalStack } from '../../tools/dev-stack/local-stack';

jest.setTimeout(120_000);

let stack: LocalStack;

beforeAll(async () => {
  stack = await startLocalStack({ AUTHORIZER_CACHE: 'emulate' });
});

afterAll(async () => {
  await stack.stop();
});

function devToken(options: { sub: string; expiresInSeconds?: number }): string {
  const now = Math.floor(Date.now() / 1000);
  return signJwt(
    loadDevKeyPair(),
    buildCognitoClaims({
      userPoolId: localStage.userPoolId,
      clientId: localStage.clientId,
      issuedAt: now - 1,
      sub: options.sub,
      expiresIn: 1 + (options.expiresInSeconds ?? 3600),
    }),
  );
}

async function status(path: string, token: string): Promise<number> {
  const response = await fetch(`${stack.baseUrl}${path}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  await response.arrayBuffer();
  return response.status;
}

/** How many log lines with this message the stack printed after offset `since`. */
function count(message: string, since: number): number {
  return stack
    .output()
    .slice(since)
    .split('\n')
    .filter((line) => line.includes(`"message":"${message}"`)).length;
}

describe('the local stack with AUTHORIZER_CACHE=emulate', () => {
  it('says at start which key and TTL it took from serverless.yml', () => {
    expect(stack.output()).toContain(
      'AUTHORIZER_CACHE=emulate: "authorizer" answers cached as API Gateway does, under ' +
        '$request.header.Authorization, $context.routeKey for 300 s',
    );
  });

  it('answers a repeated request from the cache, without running the authorizer', async () => {
    const token = devToken({ sub: 'cache-user-1' });
    const start = stack.output().length;
    expect(await status('/whoami', token)).toBe(200);
    expect(await status('/whoami', token)).toBe(200);
    expect(count('authorization decision', start)).toBe(1);
    expect(count('authorizer cache hit', start)).toBe(1);
  });

  it('never replays an Allow cached on /whoami on the admin route', async () => {
    const token = devToken({ sub: 'cache-user-2' });
    const start = stack.output().length;
    expect(await status('/whoami', token)).toBe(200);
    // The route key is part of the cache key: the authorizer runs again and refuses.
    expect(await status('/admin/whoami', token)).toBe(403);
    expect(await status('/admin/whoami', token)).toBe(403);
    expect(count('authorization decision', start)).toBe(2);
    expect(stack.output().slice(start)).toContain('"decision":"deny"');
  });

  it('keeps letting an expired token through while its answer is cached', async () => {
    const token = devToken({ sub: 'cache-user-3', expiresInSeconds: 2 });
    expect(await status('/whoami', token)).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    // Past exp: API Gateway does not read the token, the cached Allow is replayed...
    expect(await status('/whoami', token)).toBe(200);
    // ...while a route it was never used on runs the authorizer, which refuses it.
    expect(await status('/me', token)).toBe(403);
  });

  it('never logs the token', () => {
    const [, payload, signature] = devToken({ sub: 'cache-user-1' }).split('.');
    expect(stack.output()).not.toContain(signature);
    expect(stack.output()).not.toContain(payload);
  });
});
