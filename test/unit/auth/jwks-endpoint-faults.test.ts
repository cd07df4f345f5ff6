/**
 * A JWKS endpoint that fails or hangs, served by a real HTTP server on 127.0.0.1 and reached through
 * the real transport (createJwksFetcher) the verifier is configured with: every fetch is bounded,
 * a failure backs off (injected clock), and the token is a clean deny, never a throw that API
 * Gateway would turn into a 500.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { createAuthorizer } from '../../../src/auth/create-authorizer';
import { createJwksFetcher } from '../../../src/auth/jwks-fetcher';
import { createTokenVerifier } from '../../../src/auth/token-verifier';
import { createLogger } from '../../../src/logger';
import type { JsonWebKeyPair } from '../../../tools/dev-stack/sign-jwt';
import {
  generateKeyPair,
  httpApiV2Event,
  makeToken,
  restTokenEvent,
  testConfig,
  USER_POOL_ID,
} from '../../support/authorizer-fixtures';

type Behaviour = 'ok' | 'status-500' | 'html' | 'empty-keys' | 'hang' | 'slow' | 'huge';

interface JwksEndpoint {
  behaviour: Behaviour;
  /** Paths requested, in order. */
  requests: string[];
  port: number;
  close(): Promise<void>;
}

const POOL_PATH = `/cognito-idp.eu-west-1.amazonaws.com/${USER_POOL_ID}/.well-known/jwks.json`;
const TIMEOUT_MS = 300;
/**
 * Real time, not the fixtures' frozen date: aws-jwt-verify checks `exp` against Date.now, and this
 * file keeps real timers (the server and the deadline need them). Only the backoff's clock moves.
 */
const NOW_SECONDS = Math.floor(Date.now() / 1000);

let key: JsonWebKeyPair;
let endpoint: JwksEndpoint;

async function startJwksEndpoint(): Promise<JwksEndpoint> {
  const sockets = new Set<Socket>();
  const state = { behaviour: 'ok' as Behaviour, requests: [] as string[] };
  const answer = (req: IncomingMessage, res: ServerResponse) => {
    state.requests.push(req.url ?? '');
    const jwks = JSON.stringify({ keys: [key.publicJwk] });
    switch (state.behaviour) {
      case 'ok':
        res.end(jwks);
        return;
      case 'status-500':
        res.statusCode = 500;
        res.end('{"message":"internal"}');
        return;
      case 'html':
        res.setHeader('content-type', 'text/html');
        res.end('<html><body>Service Unavailable</body></html>');
        return;
      case 'empty-keys':
        res.end('{"keys":[]}');
        return;
      case 'huge':
        res.end(`{"keys":[],"pad":"${'x'.repeat(200_000)}"}`);
        return;
      case 'slow':
        // Headers at once, then the body trickles in past the deadline.
        res.write('{"keys":');
        setTimeout(() => res.end(jwks.slice('{"keys":'.length)), TIMEOUT_MS * 3).unref();
        return;
      case 'hang':
        return;
    }
  };
  const server: Server = createServer(answer);
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return Object.assign(state, {
    port,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) =>
        server.close(() => {
          resolve();
        }),
      );
    },
  });
}

/** The verifier's fetcher: the real transport, pointed at the local endpoint instead of AWS. */
function localFetcher(port: number) {
  const transport = createJwksFetcher();
  return {
    fetch: (uri: string, options?: Record<string, unknown>) =>
      transport.fetch(uri.replace(/^https:\/\//, `http://127.0.0.1:${port}/`), options),
  };
}

function build(port: number) {
  const clock = { seconds: NOW_SECONDS };
  const config = testConfig({ JWKS_FETCH_TIMEOUT_MS: String(TIMEOUT_MS) });
  const verifier = createTokenVerifier(config, {
    fetcher: localFetcher(port),
    nowSeconds: () => clock.seconds,
  });
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({
    service: 'test',
    level: 'INFO',
    sink: (line) => lines.push(JSON.parse(line) as Record<string, unknown>),
  });
  const authorize = createAuthorizer(config, {
    verifier,
    logger,
    nowMs: () => clock.seconds * 1000,
  });
  return { clock, config, verifier, authorize, lines };
}

const poolFetches = () => endpoint.requests.filter((path) => path === POOL_PATH).length;
const bearer = (signer = key) => `Bearer ${makeToken(signer, { issuedAt: NOW_SECONDS - 60 })}`;

beforeAll(async () => {
  key = generateKeyPair('fault-key');
  endpoint = await startJwksEndpoint();
});

afterAll(async () => {
  await endpoint.close();
});

beforeEach(() => {
  endpoint.behaviour = 'ok';
  endpoint.requests = [];
});

describe('authorizer with a failing JWKS endpoint', () => {
  it('allows a valid token when the endpoint answers', async () => {
    const { verifier, authorize } = build(endpoint.port);
    await verifier.hydrate();
    await expect(authorize(httpApiV2Event({ authorization: bearer() }))).resolves.toMatchObject({
      isAuthorized: true,
    });
  });

  it.each<Behaviour>(['status-500', 'html', 'empty-keys', 'huge', 'slow', 'hang'])(
    'denies cleanly, within the bound, when the endpoint answers %s',
    async (behaviour) => {
      endpoint.behaviour = behaviour;
      const { verifier, authorize, lines } = build(endpoint.port);
      const started = performance.now();
      const hydrated = verifier.hydrate();
      await hydrated;
      await expect(authorize(httpApiV2Event({ authorization: bearer() }))).resolves.toEqual({
        isAuthorized: false,
      });
      await expect(authorize(restTokenEvent(bearer()))).rejects.toThrow(/^Unauthorized$/);
      // Generous: the bound is 300 ms; a hang without it would take the test's 5 s timeout.
      expect(performance.now() - started).toBeLessThan(TIMEOUT_MS * 4);
      expect(lines.map((line) => line.reason)).toEqual(['jwks_unavailable', 'jwks_unavailable']);
      expect(lines[0]?.detail).toBe('token verification failed (JwksBackoffError)');
      // The cold-start fetch only: the two requests after it were refused by the backoff.
      expect(poolFetches()).toBe(1);
    },
  );

  it('denies cleanly when the connection is refused', async () => {
    const closed = await startJwksEndpoint();
    await closed.close();
    const { verifier, authorize, lines } = build(closed.port);
    await verifier.hydrate();
    await expect(authorize(httpApiV2Event({ authorization: bearer() }))).resolves.toEqual({
      isAuthorized: false,
    });
    expect(lines[0]?.reason).toBe('jwks_unavailable');
  });

  it('ends the first request after a cold start with a hanging endpoint within the bound', async () => {
    endpoint.behaviour = 'hang';
    const { verifier, authorize } = build(endpoint.port);
    // As src/handlers/authorizer.ts does: hydrate at init, await it in the first request.
    const hydrated = verifier.hydrate();
    const started = performance.now();
    await hydrated;
    await expect(authorize(restTokenEvent(bearer()))).rejects.toThrow(/^Unauthorized$/);
    const elapsed = performance.now() - started;
    expect(elapsed).toBeLessThan(TIMEOUT_MS * 4);
  });

  it('makes at most one fetch per backoff period for 6 token checks, then recovers', async () => {
    endpoint.behaviour = 'hang';
    const { verifier, authorize, clock, config } = build(endpoint.port);
    await verifier.hydrate();
    for (let i = 0; i < 6; i += 1) {
      clock.seconds += 1;
      await expect(authorize(httpApiV2Event({ authorization: bearer() }))).resolves.toEqual({
        isAuthorized: false,
      });
    }
    // Hydrate at t=0; the checks at t=1..6 s are all inside the 10 s backoff.
    expect(poolFetches()).toBe(1);
    endpoint.behaviour = 'ok';
    clock.seconds = NOW_SECONDS + config.jwksBackoffSeconds;
    await expect(authorize(httpApiV2Event({ authorization: bearer() }))).resolves.toMatchObject({
      isAuthorized: true,
    });
    expect(poolFetches()).toBe(2);
  });

  it('keeps verifying with the known keys while a refetch for an unknown kid fails', async () => {
    const { verifier, authorize, lines } = build(endpoint.port);
    await verifier.hydrate();
    endpoint.behaviour = 'empty-keys';
    const stranger = { ...key, kid: 'rotated-away' };
    await expect(authorize(httpApiV2Event({ authorization: bearer(stranger) }))).resolves.toEqual({
      isAuthorized: false,
    });
    await expect(authorize(httpApiV2Event({ authorization: bearer() }))).resolves.toMatchObject({
      isAuthorized: true,
    });
    expect(lines.map((line) => line.reason)).toEqual(['jwks_unavailable', 'allowed']);
    expect(poolFetches()).toBe(2);
  });
});
