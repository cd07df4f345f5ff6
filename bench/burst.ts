/**
 * `npm run bench:burst`: a sign-up burst against a real PostgreSQL with few connection slots, as
 * Lambda runs it. Each container is a worker thread with its own instance of the bundled
 * PostConfirmation handler (own module state, own pool), warm from the start; between its
 * invocations, and after its last until the end, it is frozen (the thread blocks in Atomics.wait,
 * so its timers and sockets are not served, as Lambda freezes an idle container:
 * https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html). Every container
 * confirms its users one after another; all start at once. Four containers per connection slot.
 *
 * Printed per run: confirmed/failed (a failure is what Cognito would show the person), rows,
 * duplicates, and p50/p99/max per invocation. `BURST_ONLY=direct` or `=pgbouncer` runs one mode.
 */
import { cpus, totalmem } from 'node:os';
import { Worker } from 'node:worker_threads';
import { Client } from 'pg';
import { readDatabaseConfig } from '../src/config';
import { createLogger } from '../src/logger';
import { runMigrations } from '../src/profile/store/run-migrations';
import {
  createPostgresPool,
  toPostgresDatabase,
} from '../src/profile/store/postgres-profile-store';
import { bundleHandlers } from '../tools/dev-stack/invoke-bundle';
import { startPgbouncer } from '../tools/dev-stack/pgbouncer';
import { findPostgresBinDir, startPostgresServer } from '../tools/dev-stack/postgres-server';
import { median, percentile } from './measure';

const CONFIRMATIONS_PER_CONTAINER = 3;
const CONTAINERS_PER_SLOT = 4;
/** PostgreSQL's default: slots kept for superusers, which the bench role is not. */
const SUPERUSER_RESERVED = 3;
const COGNITO_LIMIT_MS = 5000;
const ROLE = 'bench';
const DATABASE = 'profiles';

const log = (line: string) => {
  process.stdout.write(`${line}\n`);
};

/**
 * The container: loads the bundle once (cold start), then per message runs one invocation with a
 * Lambda-like context and reports; then freezes until the main thread wakes it.
 */
const CONTAINER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const gate = new Int32Array(workerData.gate);
const { handler } = require(workerData.bundle);
const freeze = () => { Atomics.wait(gate, 0, 0); Atomics.store(gate, 0, 0); };
parentPort.on('message', (event) => {
  const started = performance.now();
  const context = {
    awsRequestId: event.userName,
    getRemainingTimeInMillis: () => ${COGNITO_LIMIT_MS} - (performance.now() - started),
  };
  handler(event, context).then(
    () => ({ ok: true }),
    (error) => ({ ok: false, message: String(error && error.message), cause: String(error && error.cause && error.cause.message) }),
  ).then((outcome) => {
    parentPort.postMessage({ ...outcome, ms: performance.now() - started });
    freeze();
  });
});
parentPort.postMessage({ ready: true });
freeze();
`;

function postConfirmationEvent(run: string, container: number, n: number) {
  const sub = `${run}-${String(container).padStart(4, '0')}-${n}`;
  return {
    version: '1',
    triggerSource: 'PostConfirmation_ConfirmSignUp',
    region: 'us-east-1',
    userPoolId: 'us-east-1_Burst1',
    userName: sub,
    callerContext: { awsSdkVersion: 'bench', clientId: 'bench' },
    request: {
      userAttributes: {
        sub,
        email: `${sub}@example.com`,
        name: 'Burst Person',
        preferred_username: `b_${run}_${container}_${n}`,
      },
    },
    response: {},
  };
}

interface BurstResult {
  label: string;
  users: number;
  confirmed: number;
  failed: number;
  rows: number;
  duplicates: number;
  latenciesMs: number[];
  wallMs: number;
  failures: Map<string, number>;
}

async function runBurst(
  label: string,
  bundle: string,
  databaseUrl: string,
  containers: number,
  countRows: (prefix: string) => Promise<{ rows: number; duplicates: number }>,
): Promise<BurstResult> {
  const run = label.replace(/[^a-z0-9]/gi, '').toLowerCase();
  const workers: { worker: Worker; gate: Int32Array; next: number }[] = [];
  const outcomes: { ok: boolean; ms: number; message?: string; cause?: string }[] = [];
  // Cold starts, one container at a time (so the burst below is not mixed with module loading).
  for (let i = 0; i < containers; i += 1) {
    const shared = new SharedArrayBuffer(4);
    const worker = new Worker(CONTAINER_SOURCE, {
      eval: true,
      workerData: { bundle, gate: shared },
      env: { DATABASE_URL: databaseUrl, LOG_LEVEL: 'SILENT', AWS_REGION: 'us-east-1' },
      stdout: true,
      stderr: true,
    });
    worker.stdout.resume();
    worker.stderr.resume();
    await new Promise<void>((resolve, reject) => {
      worker.once('message', () => {
        resolve();
      });
      worker.once('error', reject);
    });
    workers.push({ worker, gate: new Int32Array(shared), next: 0 });
  }
  const wake = (entry: (typeof workers)[number]) => {
    Atomics.store(entry.gate, 0, 1);
    Atomics.notify(entry.gate, 0);
  };
  const started = performance.now();
  await Promise.all(
    workers.map(
      (entry, index) =>
        new Promise<void>((resolve) => {
          const invokeNext = () => {
            const event = postConfirmationEvent(run, index, entry.next);
            entry.next += 1;
            wake(entry);
            entry.worker.postMessage(event);
          };
          entry.worker.on('message', (outcome: (typeof outcomes)[number]) => {
            outcomes.push(outcome);
            // The container stays frozen (and warm) after its last invocation until the end.
            if (entry.next < CONFIRMATIONS_PER_CONTAINER) invokeNext();
            else resolve();
          });
          invokeNext();
        }),
    ),
  );
  const wallMs = performance.now() - started;
  const { rows, duplicates } = await countRows(`${run}-`);
  await Promise.all(workers.map(({ worker }) => worker.terminate()));
  const failures = new Map<string, number>();
  for (const outcome of outcomes.filter((each) => !each.ok)) {
    // Grouped by cause, with the milliseconds in a message left out.
    const key = `${outcome.message ?? ''} (${(outcome.cause ?? '').replace(/\d+ ms/g, 'N ms')})`;
    failures.set(key, (failures.get(key) ?? 0) + 1);
  }
  return {
    label,
    users: containers * CONFIRMATIONS_PER_CONTAINER,
    confirmed: outcomes.filter((each) => each.ok).length,
    failed: outcomes.filter((each) => !each.ok).length,
    rows,
    duplicates,
    latenciesMs: outcomes.map((each) => each.ms),
    wallMs,
    failures,
  };
}

function printResult(result: BurstResult): void {
  const ms = (value: number) => `${Math.round(value)} ms`;
  const over = result.latenciesMs.filter((value) => value >= COGNITO_LIMIT_MS).length;
  const meets =
    result.failed === 0 && over === 0 && result.rows === result.users && result.duplicates === 0;
  log(
    `  ${result.label.padEnd(34)} confirmed ${result.confirmed}/${result.users}, failed ${result.failed}, rows ${result.rows}, duplicates ${result.duplicates}, ` +
      `p50 ${ms(median(result.latenciesMs))}, p99 ${ms(percentile(result.latenciesMs, 99))}, max ${ms(Math.max(...result.latenciesMs))}, ≥5 s ${over}, wall ${ms(result.wallMs)}  ${meets ? 'OK' : 'TARGET MISSED'}`,
  );
  for (const [message, count] of result.failures) log(`      ${count}× ${message}`);
}

async function main(): Promise<void> {
  log(
    `cognito-gate burst benchmark: Node ${process.version}, ${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB`,
  );
  const binDir = findPostgresBinDir();
  if (binDir === undefined) throw new Error('no PostgreSQL server binaries (initdb, postgres)');
  const only = process.env.BURST_ONLY;
  const built = await bundleHandlers(['src/handlers/post-confirmation.ts']);
  const [bundle = ''] = built.paths;
  const silent = createLogger({ service: 'bench', level: 'SILENT' });
  try {
    // Four containers per connection slot: 48 on the 12 slots of max_connections=15 that the
    // role may use, 120 on max_connections=30.
    for (const { maxConnections, containers } of [
      { maxConnections: 15, containers: (15 - SUPERUSER_RESERVED) * CONTAINERS_PER_SLOT },
      { maxConnections: 30, containers: 30 * CONTAINERS_PER_SLOT },
    ]) {
      const slots = maxConnections - SUPERUSER_RESERVED;
      const server = await startPostgresServer(binDir, {
        settings: { max_connections: String(maxConnections) },
      });
      try {
        const admin = new Client({ connectionString: server.url });
        await admin.connect();
        await admin.query(`CREATE ROLE ${ROLE} LOGIN`);
        await admin.query(`CREATE DATABASE ${DATABASE} OWNER ${ROLE}`);
        await admin.end();
        const url = new URL(server.url);
        url.username = ROLE;
        url.pathname = `/${DATABASE}`;
        const config = readDatabaseConfig({ DATABASE_URL: url.href });
        if (config.kind !== 'postgres') throw new Error('expected a PostgreSQL URL');
        const pool = createPostgresPool(config, silent);
        await runMigrations(toPostgresDatabase(pool, silent));
        await pool.end();
        // Counted as the superuser, on a reserved slot: the burst may hold every other one.
        const superuserUrl = new URL(server.url);
        superuserUrl.pathname = `/${DATABASE}`;
        const countRows = (prefix: string) => countRowsOf(superuserUrl.href, prefix);
        log(
          `\n${containers} containers x ${CONFIRMATIONS_PER_CONTAINER} confirmations (${containers * CONFIRMATIONS_PER_CONTAINER} users) on max_connections=${maxConnections} (${slots} for the non-superuser role):`,
        );
        if (only === undefined || only === 'direct') {
          printResult(
            await runBurst(
              `direct ${containers}/${maxConnections}`,
              bundle,
              url.href,
              containers,
              countRows,
            ),
          );
        }
        if (only === undefined || only === 'pgbouncer') {
          const bouncer = await startPgbouncer({
            serverPort: server.port,
            database: DATABASE,
            user: ROLE,
            poolSize: slots,
          });
          try {
            const viaBouncer = new URL(url.href);
            viaBouncer.port = String(bouncer.port);
            printResult(
              await runBurst(
                `pgbouncer ${containers}/${maxConnections}`,
                bundle,
                viaBouncer.href,
                containers,
                countRows,
              ),
            );
          } finally {
            await bouncer.stop();
          }
        }
      } finally {
        await server.stop();
      }
    }
  } finally {
    built.remove();
  }
}

/** Rows and duplicate subs of one run, on a connection of its own. */
async function countRowsOf(
  url: string,
  prefix: string,
): Promise<{ rows: number; duplicates: number }> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ rows: number; duplicates: number }>(
      'SELECT count(*)::int AS rows, (count(*) - count(DISTINCT cognito_sub))::int AS duplicates FROM profiles WHERE cognito_sub LIKE $1',
      [`${prefix}%`],
    );
    return { rows: Number(rows[0]?.rows), duplicates: Number(rows[0]?.duplicates) };
  } finally {
    await client.end();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench:burst failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
