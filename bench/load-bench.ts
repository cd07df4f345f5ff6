/**
 * HTTP load on the local stack (serverless-offline, in-process, PGlite): `GET /me` with a pool of
 * valid tokens beside `GET /health` as the baseline, loopback only, bounded in time. This measures
 * our code through serverless-offline, not API Gateway and Lambda.
 */
import { loadDevKeyPair, localStage } from '../tools/dev-stack/dev-key';
import { buildCognitoClaims, signJwt } from '../tools/dev-stack/sign-jwt';
import { startLocalStack } from '../tools/dev-stack/local-stack';

// autocannon ships no types; the little used here is declared where it is used.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as (
  options: Record<string, unknown>,
) => Promise<LoadResult>;

interface LoadResult {
  requests: { average: number };
  latency: { p50: number; p99: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  '2xx': number;
}

export interface LoadFigures {
  seconds: number;
  connections: number;
  me: LoadResult;
  health: LoadResult;
}

async function run(
  url: string,
  seconds: number,
  connections: number,
  tokens: string[],
): Promise<LoadResult> {
  let next = 0;
  return autocannon({
    url,
    connections,
    duration: seconds,
    requests: [
      {
        method: 'GET',
        setupRequest: (request: { headers?: Record<string, string> }) => {
          if (tokens.length === 0) return request;
          next = (next + 1) % tokens.length;
          return {
            ...request,
            headers: { ...request.headers, authorization: `Bearer ${tokens[next] ?? ''}` },
          };
        },
      },
    ],
  });
}

export async function benchLoad(
  seconds: number,
  log: (line: string) => void,
): Promise<LoadFigures> {
  const connections = 8;
  const stack = await startLocalStack({ LOG_LEVEL: 'WARN' });
  try {
    const now = Math.floor(Date.now() / 1000);
    const key = loadDevKeyPair();
    const tokens = Array.from({ length: 50 }, (_, i) =>
      signJwt(
        key,
        buildCognitoClaims({
          userPoolId: localStage.userPoolId,
          clientId: localStage.clientId,
          sub: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
          username: `load${i}`,
          email: `load${i}@example.com`,
          issuedAt: now,
        }),
      ),
    );
    log(
      `\nHTTP load on the local stack (serverless-offline; ${connections} connections, ${seconds} s each):`,
    );
    // Warm up: creates the 50 profiles and the authorizer's caches.
    await run(`${stack.baseUrl}/me`, 2, connections, tokens);
    const health = await run(`${stack.baseUrl}/health`, seconds, connections, []);
    const me = await run(`${stack.baseUrl}/me`, seconds, connections, tokens);
    return { seconds, connections, me, health };
  } finally {
    await stack.stop();
  }
}

export function printLoadFigures(f: LoadFigures, log: (line: string) => void): void {
  for (const [name, r] of [
    ['GET /health (baseline)', f.health],
    ['GET /me (authorizer + profile)', f.me],
  ] as const) {
    log(
      `  ${name.padEnd(32)} ${Math.round(r.requests.average)} req/s   p50 ${r.latency.p50} ms  p99 ${r.latency.p99} ms   errors ${r.errors + r.timeouts}, non-2xx ${r.non2xx}`,
    );
  }
  log(
    `  /me throughput is ${(f.me.requests.average / f.health.requests.average).toFixed(2)}x the baseline's`,
  );
}
