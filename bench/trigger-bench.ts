/**
 * Sign-up triggers on a real PostgreSQL server (a throwaway one started here), each beside its bare
 * query through `pg` as the baseline: PostConfirmation vs the same parameterized
 * `INSERT … ON CONFLICT`, PreSignUp vs an indexed `SELECT` by handle. Warm p50/p99 in this process;
 * cold = first invocation in a fresh process, connection included; PGlite cold on an existing data
 * directory.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { readDatabaseConfig } from '../src/config';
import { createLogger } from '../src/logger';
import { runMigrations } from '../src/profile/store/run-migrations';
import {
  createPostgresPool,
  toPostgresDatabase,
} from '../src/profile/store/postgres-profile-store';
import { findPostgresBinDir, startPostgresServer } from '../tools/dev-stack/postgres-server';
import { bundleHandlers } from '../tools/dev-stack/invoke-bundle';
import { median, percentile } from './measure';
import { ROOT } from '../tools/dev-stack/root';

export interface LatencyPair {
  name: string;
  baseline: string;
  handlerMs: number[];
  baselineMs: number[];
}

export interface TriggerFigures {
  warm: LatencyPair[];
  coldPostgresMs: number;
  coldBareConnectMs: number;
  coldPgliteMs: number;
}

function preSignUpEvent(i: number) {
  return {
    version: '1',
    triggerSource: 'PreSignUp_SignUp',
    region: 'us-east-1',
    userPoolId: 'us-east-1_Bench1',
    userName: `user-${i}`,
    callerContext: { awsSdkVersion: 'bench', clientId: 'bench' },
    request: {
      userAttributes: {
        email: `p${i}@example.com`,
        name: 'Bench Person',
        preferred_username: `pre_${i}`,
      },
    },
    response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
  };
}

function postConfirmationEvent(i: number, prefix: string) {
  const sub = `${prefix}-${String(i).padStart(8, '0')}`;
  return {
    version: '1',
    triggerSource: 'PostConfirmation_ConfirmSignUp',
    region: 'us-east-1',
    userPoolId: 'us-east-1_Bench1',
    userName: sub,
    callerContext: { awsSdkVersion: 'bench', clientId: 'bench' },
    request: {
      userAttributes: {
        sub,
        email: `${sub}@example.com`,
        name: 'Bench Person',
        preferred_username: `h_${prefix}_${i}`,
      },
    },
    response: {},
  };
}

async function timeEach(
  count: number,
  operation: (i: number) => Promise<unknown>,
): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const started = performance.now();
    await operation(i);
    samples.push(performance.now() - started);
  }
  return samples;
}

/** Runs `script` in a fresh Node process and returns the number it prints (milliseconds). */
function timeInFreshProcess(script: string, args: string[], env: Record<string, string>): number {
  const output = execFileSync(process.execPath, ['-e', script, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
  });
  return Number(output.trim().split('\n').at(-1));
}

const COLD_HANDLER = `
const started = performance.now();
const { handler } = require(process.argv[1]);
handler(JSON.parse(process.argv[2])).then(() => { console.log(performance.now() - started); process.exit(0); },
  (error) => { console.error(error); process.exit(1); });`;

const COLD_BARE = `
const started = performance.now();
const { Client } = require('pg');
const client = new Client({ connectionString: process.argv[1] });
client.connect().then(() => client.query('SELECT 1 FROM profiles WHERE lower(handle) = lower($1)', ['x']))
  .then(() => { console.log(performance.now() - started); process.exit(0); });`;

export async function benchTriggers(
  count: number,
  log: (line: string) => void,
): Promise<TriggerFigures | undefined> {
  const binDir = findPostgresBinDir();
  if (binDir === undefined) {
    log(
      '\nSign-up triggers: SKIPPED, no PostgreSQL server binaries (initdb, postgres) on this machine.',
    );
    return undefined;
  }
  const server = await startPostgresServer(binDir);
  const built = await bundleHandlers([
    'src/handlers/pre-sign-up.ts',
    'src/handlers/post-confirmation.ts',
  ]);
  const [preSignUpBundle = '', postConfirmationBundle = ''] = built.paths;
  const pgliteDir = mkdtempSync(join(tmpdir(), 'cognito-gate-bench-pglite-'));
  // The handlers log one line per invocation to stdout; here it goes to /dev/null, still paying
  // for the formatting and the write (until the server is gone: its pools log the lost link).
  const devNull = openSync('/dev/null', 'w');
  const realWrite = process.stdout.write.bind(process.stdout);
  process.stdout.write = (chunk: string | Uint8Array) => {
    writeSync(devNull, typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString());
    return true;
  };
  try {
    const databaseConfig = readDatabaseConfig({ DATABASE_URL: server.url });
    if (databaseConfig.kind !== 'postgres') throw new Error('expected a PostgreSQL URL');
    const silent = createLogger({ service: 'bench', level: 'SILENT' });
    const migrationPool = createPostgresPool(databaseConfig, silent);
    await runMigrations(toPostgresDatabase(migrationPool, silent));
    await migrationPool.end();

    process.env.DATABASE_URL = server.url;
    process.env.LOG_LEVEL = 'INFO';
    const { handler: postConfirmation } = (await import('../src/handlers/post-confirmation')) as {
      handler: (event: unknown) => Promise<unknown>;
    };
    const { handler: preSignUp } = (await import('../src/handlers/pre-sign-up')) as {
      handler: (event: unknown) => Promise<unknown>;
    };
    // Warm both paths (connections, JIT) before measuring.
    for (let i = 0; i < 300; i += 1) {
      await postConfirmation(postConfirmationEvent(i, 'warm'));
      await preSignUp(preSignUpEvent(i));
    }
    const insert =
      'INSERT INTO profiles (cognito_sub, email, display_name, handle) VALUES ($1, $2, $3, $4) ON CONFLICT (cognito_sub) DO NOTHING RETURNING *';
    const bare = new Client({ connectionString: server.url });
    await bare.connect();
    // Handler and baseline take turns in blocks, so drift in the machine's speed (the server shares
    // its two cores with this process) hits both alike.
    const postConfirmationMs: number[] = [];
    const insertMs: number[] = [];
    const preSignUpMs: number[] = [];
    const selectMs: number[] = [];
    const BLOCKS = 10;
    const perBlock = Math.ceil(count / BLOCKS);
    for (let block = 0; block < BLOCKS; block += 1) {
      const offset = block * perBlock;
      postConfirmationMs.push(
        ...(await timeEach(perBlock, (i) =>
          postConfirmation(postConfirmationEvent(offset + i, 'handler')),
        )),
      );
      insertMs.push(
        ...(await timeEach(perBlock, (i) =>
          bare.query(insert, [
            `bare-${offset + i}`,
            `bare-${offset + i}@example.com`,
            'Bench Person',
            `h_bare_${offset + i}`,
          ]),
        )),
      );
      preSignUpMs.push(...(await timeEach(perBlock, (i) => preSignUp(preSignUpEvent(offset + i)))));
      selectMs.push(
        ...(await timeEach(perBlock, (i) =>
          bare.query('SELECT 1 FROM profiles WHERE lower(handle) = lower($1)', [
            `pre_${offset + i}`,
          ]),
        )),
      );
    }
    await bare.end();

    const coldRuns = 7;
    const coldPostgres: number[] = [];
    const coldBare: number[] = [];
    for (let i = 0; i < coldRuns; i += 1) {
      coldPostgres.push(
        timeInFreshProcess(
          COLD_HANDLER,
          [postConfirmationBundle, JSON.stringify(postConfirmationEvent(i, 'cold'))],
          {
            DATABASE_URL: server.url,
            LOG_LEVEL: 'SILENT',
          },
        ),
      );
      coldBare.push(timeInFreshProcess(COLD_BARE, [server.url], {}));
    }
    // PGlite: create the data directory once, then time reopening it (what `serverless invoke
    // local` does every time).
    const pgliteEnv = {
      DATABASE_URL: `pglite:${pgliteDir}`,
      LOG_LEVEL: 'SILENT',
      IS_LOCAL: 'true',
    };
    timeInFreshProcess(
      COLD_HANDLER,
      [preSignUpBundle, JSON.stringify(preSignUpEvent(0))],
      pgliteEnv,
    );
    const coldPglite: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      coldPglite.push(
        timeInFreshProcess(
          COLD_HANDLER,
          [preSignUpBundle, JSON.stringify(preSignUpEvent(i))],
          pgliteEnv,
        ),
      );
    }
    return {
      warm: [
        {
          name: 'PostConfirmation handler',
          baseline: 'INSERT … ON CONFLICT',
          handlerMs: postConfirmationMs,
          baselineMs: insertMs,
        },
        {
          name: 'PreSignUp handler',
          baseline: 'SELECT by handle',
          handlerMs: preSignUpMs,
          baselineMs: selectMs,
        },
      ],
      coldPostgresMs: median(coldPostgres),
      coldBareConnectMs: median(coldBare),
      coldPgliteMs: median(coldPglite),
    };
  } finally {
    built.remove();
    rmSync(pgliteDir, { recursive: true, force: true });
    await server.stop();
    process.stdout.write = realWrite;
    closeSync(devNull);
  }
}

export function printTriggerFigures(
  f: TriggerFigures,
  count: number,
  log: (line: string) => void,
): void {
  const ms = (value: number) => `${value.toFixed(2)} ms`;
  log(`\nSign-up triggers on a local PostgreSQL 15 server (${count} invocations each, warm):`);
  for (const pair of f.warm) {
    const p50 = percentile(pair.handlerMs, 50);
    const base50 = percentile(pair.baselineMs, 50);
    log(
      `  ${pair.name.padEnd(25)} p50 ${ms(p50)}  p99 ${ms(percentile(pair.handlerMs, 99))}   bare ${pair.baseline}: p50 ${ms(base50)}  p99 ${ms(percentile(pair.baselineMs, 99))}   handler/bare p50 ${(p50 / base50).toFixed(2)}x (target ≤ 1.5x)`,
    );
  }
  log('Cold (first invocation in a fresh process, connection included; median of 7):');
  log(
    `  PostConfirmation bundle, PostgreSQL  ${ms(f.coldPostgresMs)} (target < 150 ms)   bare pg connect + SELECT: ${ms(f.coldBareConnectMs)}`,
  );
  log(
    `  PreSignUp bundle, PGlite (existing data directory)  ${ms(f.coldPgliteMs)} (target < 1500 ms)`,
  );
}
