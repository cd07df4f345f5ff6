/**
 * The clocks the verifier and the authorizer take as dependencies: Date stays frozen at
 * NOW_SECONDS (aws-jwt-verify reads it for exp and nbf), and only the injected clock moves.
 */
import { createAuthorizer } from '../../../src/auth/create-authorizer';
import { createTokenVerifier } from '../../../src/auth/token-verifier';
import type { JsonWebKeyPair } from '../../../tools/dev-stack/sign-jwt';
import {
  freezeClock,
  generateKeyPair,
  makeToken,
  NOW_SECONDS,
  restTokenEvent,
  testConfig,
} from '../../support/authorizer-fixtures';
import { captureLogs } from '../../support/capture-logs';

let key: JsonWebKeyPair;

beforeAll(() => {
  key = generateKeyPair('test-key-1');
});
beforeEach(() => {
  freezeClock();
});
afterEach(() => {
  jest.useRealTimers();
});

function buildAuthorizer(clocks: { nowSeconds?: () => number; nowMs?: () => number }) {
  const config = testConfig();
  const { logger, lines } = captureLogs({ service: 'authorizer' });
  const verifier = createTokenVerifier(config, {
    jwks: { keys: [key.publicJwk] },
    ...(clocks.nowSeconds !== undefined && { nowSeconds: clocks.nowSeconds }),
  });
  const authorize = createAuthorizer(config, {
    verifier,
    logger,
    ...(clocks.nowMs !== undefined && { nowMs: clocks.nowMs }),
  });
  return { authorize, lines };
}

describe("the verifier's injected clock", () => {
  it('denies a token issued after the injected now, though not after Date', async () => {
    const token = makeToken(key, { issuedAt: NOW_SECONDS - 60 });
    const early = buildAuthorizer({ nowSeconds: () => NOW_SECONDS - 600 });
    await expect(early.authorize(restTokenEvent(`Bearer ${token}`))).rejects.toThrow(
      new Error('Unauthorized'),
    );
    expect(early.lines[0]).toMatchObject({ decision: 'unauthorized', reason: 'issued_in_future' });

    const onTime = buildAuthorizer({ nowSeconds: () => NOW_SECONDS });
    await onTime.authorize(restTokenEvent(`Bearer ${token}`));
    expect(onTime.lines[0]).toMatchObject({ decision: 'allow' });
  });
});

describe("the authorizer's injected clock", () => {
  it('stops answering from the cache once the injected now passes exp, then denies it as expired', async () => {
    let nowMs = NOW_SECONDS * 1000;
    const { authorize, lines } = buildAuthorizer({ nowMs: () => nowMs });
    const token = makeToken(key, { issuedAt: NOW_SECONDS - 60, expiresIn: 180 });
    const event = () => restTokenEvent(`Bearer ${token}`);

    // Remembered the second time it is verified, served from the cache the third.
    for (let call = 0; call < 3; call += 1) await authorize(event());
    expect(lines.map(({ decision, cached }) => [decision, cached])).toEqual([
      ['allow', false],
      ['allow', false],
      ['allow', true],
    ]);

    // Past exp for the cache only: it forgets the token, and the verifier (Date) still accepts it.
    nowMs = (NOW_SECONDS + 121) * 1000;
    await authorize(event());
    expect(lines[3]).toMatchObject({ decision: 'allow', cached: false });

    // Past exp for both: denied as expired.
    jest.setSystemTime(nowMs);
    await expect(authorize(event())).rejects.toThrow(new Error('Unauthorized'));
    expect(lines[4]).toMatchObject({ decision: 'unauthorized', reason: 'expired' });
  });
});
