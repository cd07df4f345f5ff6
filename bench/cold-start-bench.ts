/**
 * Cold start: wall time from spawning a Node process to its first authorizer decision (bundled
 * handler, keys from the local JWKS file), against a bare `node -e ''` measured in the same run.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { bundleFunction } from '../tools/dev-stack/bundle-function';
import { loadDevKeyPair, localStage } from '../tools/dev-stack/dev-key';
import { buildCognitoClaims, signJwt } from '../tools/dev-stack/sign-jwt';
import { median, pairedRatio, type PairedRatio } from './measure';
import { ROOT } from '../tools/dev-stack/root';

export interface ColdStartFigures {
  bareNodeMs: number;
  firstDecisionMs: number;
  /** Median and middle half of the per-pair ratios (each start beside the bare start before it). */
  ratio: PairedRatio;
  bundleBytes: number;
  runs: number;
}

function timeProcess(args: string[], env: NodeJS.ProcessEnv): number {
  const started = performance.now();
  const result = spawnSync(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const elapsed = performance.now() - started;
  if (result.status !== 0) throw new Error(`cold-start run failed: ${result.stderr.toString()}`);
  return elapsed;
}

export async function benchColdStart(runs: number): Promise<ColdStartFigures> {
  const workdir = mkdtempSync(join(tmpdir(), 'cognito-gate-cold-'));
  try {
    const bundle = await bundleFunction('src/handlers/authorizer.ts', workdir);
    const token = signJwt(
      loadDevKeyPair(),
      buildCognitoClaims({
        userPoolId: localStage.userPoolId,
        clientId: localStage.clientId,
        issuedAt: Math.floor(Date.now() / 1000) - 60,
      }),
    );
    const runner = join(workdir, 'first-decision.js');
    writeFileSync(
      runner,
      `const { handler } = require(${JSON.stringify(bundle)});
handler({ version: '2.0', type: 'REQUEST', routeArn: 'arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/$default/GET/whoami',
  headers: { authorization: process.env.BENCH_AUTHORIZATION } }).then((r) => { if (!r.isAuthorized) process.exit(3); });`,
    );
    // Lambda does not set NODE_EXTRA_CA_CERTS; on this machine it adds ~80 ms to every Node start.
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH };
    const runnerEnv: NodeJS.ProcessEnv = {
      ...env,
      IS_LOCAL: 'true',
      COGNITO_USER_POOL_ID: localStage.userPoolId,
      COGNITO_CLIENT_IDS: localStage.clientId,
      COGNITO_JWKS_FILE: join(ROOT, localStage.jwksFile),
      LOG_LEVEL: 'SILENT',
      BENCH_AUTHORIZATION: `Bearer ${token}`,
    };
    timeProcess(['-e', ''], env);
    timeProcess([runner], runnerEnv);
    const bare: number[] = [];
    const first: number[] = [];
    for (let i = 0; i < runs; i += 1) {
      bare.push(timeProcess(['-e', ''], env));
      first.push(timeProcess([runner], runnerEnv));
    }
    return {
      bareNodeMs: median(bare),
      firstDecisionMs: median(first),
      ratio: pairedRatio(first, bare),
      bundleBytes: statSync(bundle).size,
      runs,
    };
  } finally {
    rmSync(workdir, { recursive: true, force: true });
  }
}

export function printColdStartFigures(f: ColdStartFigures, log: (line: string) => void): void {
  log(
    `\nCold start (${f.runs} pairs of process starts, bare then bundled; NODE_EXTRA_CA_CERTS unset):`,
  );
  log(`  bare node -e ''                      ${f.bareNodeMs.toFixed(1)} ms`);
  log(
    `  bundled authorizer, first decision   ${f.firstDecisionMs.toFixed(1)} ms   ${f.ratio.median.toFixed(2)}x bare Node (middle half of pairs ${f.ratio.q1.toFixed(2)}–${f.ratio.q3.toFixed(2)}) (target ≤ 1.6x)`,
  );
  log(
    `  authorizer bundle (minified)         ${(f.bundleBytes / 1024).toFixed(1)} KB (target ≤ 64 KB)`,
  );
}
