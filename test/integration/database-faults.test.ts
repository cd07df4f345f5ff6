/**
 * The triggers and the profile API through a database fault, on a PostgreSQL server of this file's
 * own (it is stopped, paused and restarted here) behind a TCP proxy the tests control. Each
 * trigger answers inside Cognito's 5 seconds, with success or its person-readable message; the
 * next call in the same process (the same warm container) recovers; GET /me creates each missing
 * profile exactly once; the API answers 503 with Retry-After, never 500.
 *
 * Timings are bounds, not measurements: every wait is ended by a timeout the code sets, so the
 * outcome does not depend on how fast the machine is.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PostConfirmationTriggerEvent, PreSignUpTriggerEvent } from 'aws-lambda';
import { Client } from 'pg';
import { createGetMeHandler } from '../../src/api/create-get-me-handler';
import { createHealthHandler } from '../../src/api/create-health-handler';
import { readDatabaseConfig, type PostgresDatabaseConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { openContainerStore } from '../../src/profile/store/container-store';
import { createPostgresProfileStore } from '../../src/profile/store/postgres-profile-store';
import { runMigrations } from '../../src/profile/store/run-migrations';
import { createPostConfirmationHandler } from '../../src/signup/create-post-confirmation-handler';
import { createPreSignUpHandler } from '../../src/signup/create-pre-sign-up-handler';
import { attemptBudgetMs } from '../../src/signup/trigger-budget';
import { SETUP_FAILED_MESSAGE, TRY_AGAIN_MESSAGE } from '../../src/signup/trigger-messages';
import {
  findPostgresBinDir,
  startPostgresServer,
  type PostgresServer,
} from '../../tools/dev-stack/postgres-server';
import { startTcpProxy, type TcpProxy } from '../../tools/dev-stack/network-faults';
import { buildApiEvent, LAMBDA_CONTEXT } from '../fixtures/api/api-events';
import { expectErrorResponse } from '../support/api-responses';
import { captureLogs } from '../support/capture-logs';
import { createTestPool, endPoolFully } from '../support/profile-store-fixtures';

jest.setTimeout(60_000);

const COGNITO_LIMIT_MS = 5000;
const FIXTURES = join(__dirname, '..', 'fixtures', 'cognito');
const postConfirmationBase = JSON.parse(
  readFileSync(join(FIXTURES, 'post-confirmation.json'), 'utf8'),
) as PostConfirmationTriggerEvent;
const preSignUpBase = JSON.parse(
  readFileSync(join(FIXTURES, 'pre-sign-up.json'), 'utf8'),
) as PreSignUpTriggerEvent;

let counter = 0;
/** A PostConfirmation event for a new user of its own. */
function newUser() {
  counter += 1;
  const sub = `0000fa17-0000-4000-8000-${String(counter).padStart(12, '0')}`;
  const event = structuredClone(postConfirmationBase);
  event.userName = sub;
  Object.assign(event.request.userAttributes, {
    sub,
    email: `fault${counter}@example.com`,
    preferred_username: `fault_${counter}`,
  });
  return { sub, event };
}

function preSignUpEvent() {
  counter += 1;
  const event = structuredClone(preSignUpBase);
  Object.assign(event.request.userAttributes, {
    email: `pre${counter}@example.com`,
    preferred_username: `pre_${counter}`,
  });
  return event;
}

/** The GET /me event of `sub`, with the email its id token would carry. */
function getMeEvent(sub: string, email: string) {
  const event = buildApiEvent();
  Object.assign(event.requestContext.authorizer.lambda, { sub, username: sub, email });
  return event;
}

/** A Lambda context whose clock starts now, as Cognito's does. */
function lambdaContext() {
  const started = Date.now();
  return {
    ...LAMBDA_CONTEXT,
    getRemainingTimeInMillis: () => COGNITO_LIMIT_MS - (Date.now() - started),
  };
}

/** Runs `invoke` and reports its outcome and how long it took. */
async function timed<T>(invoke: () => Promise<T>) {
  const started = performance.now();
  try {
    const value = await invoke();
    return { ok: true as const, value, ms: performance.now() - started };
  } catch (error) {
    return { ok: false as const, error: error as Error, ms: performance.now() - started };
  }
}

const binDir = findPostgresBinDir();
const describeIfServer = binDir === undefined ? describe.skip : describe;

describeIfServer('triggers and API through database faults', () => {
  let server: PostgresServer;
  let proxy: TcpProxy;
  let config: PostgresDatabaseConfig;
  let admin: Client;
  const logs = captureLogs();

  // One container of each function, as Lambda keeps them warm between invocations; each has its
  // own store, as each function's container has.
  let containers: ReturnType<typeof openContainerStore>[] = [];
  let healthContainer: ReturnType<typeof openContainerStore>;
  let postConfirmation: ReturnType<typeof createPostConfirmationHandler>;
  let preSignUp: ReturnType<typeof createPreSignUpHandler>;
  let getMe: ReturnType<typeof createGetMeHandler>;

  const countRows = async (sub: string) => {
    const { rows } = await admin.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM profiles WHERE cognito_sub = $1',
      [sub],
    );
    return rows[0]?.n;
  };

  beforeAll(async () => {
    if (binDir === undefined) return;
    server = await startPostgresServer(binDir);
    const migrationPool = createTestPool(server.url);
    try {
      const silent = createLogger({ service: 'test', level: 'SILENT' });
      const { toPostgresDatabase } = await import('../../src/profile/store/postgres-profile-store');
      await runMigrations(toPostgresDatabase(migrationPool, silent));
    } finally {
      await endPoolFully(migrationPool);
    }
    proxy = await startTcpProxy(server.port);
    const url = new URL(server.url);
    url.port = String(proxy.port);
    const parsed = readDatabaseConfig({ DATABASE_URL: url.href });
    if (parsed.kind !== 'postgres') throw new Error('expected a PostgreSQL config');
    config = parsed;
    const open = () => {
      const container = openContainerStore(config, logs.logger);
      containers.push(container);
      return container.store;
    };
    healthContainer = openContainerStore(config, logs.logger);
    containers.push(healthContainer);
    const attemptMs = attemptBudgetMs(config);
    postConfirmation = createPostConfirmationHandler({
      store: open(),
      logger: logs.logger,
      attemptMs,
    });
    preSignUp = createPreSignUpHandler({
      store: open(),
      logger: logs.logger,
      attemptMs,
      policy: { allowedEmailDomains: [], autoConfirmEmailDomains: [] },
    });
    getMe = createGetMeHandler({
      store: open(),
      logger: logs.logger,
      lookUpUser: undefined,
    });
  }, 60_000);

  /** The test's own connection, opened again after a fault ended the old one. */
  async function reconnectAdmin() {
    await admin.end().catch(() => undefined);
    admin = new Client({ connectionString: server.url });
    admin.on('error', () => undefined);
    await admin.connect();
  }

  beforeEach(async () => {
    admin = new Client({ connectionString: server.url });
    admin.on('error', () => undefined);
    await admin.connect();
  });

  afterEach(async () => {
    server.resume();
    await admin.end().catch(() => undefined);
  });

  afterAll(async () => {
    // Each is unset when beforeAll failed part-way.
    const started = { proxy, server } as Partial<{ proxy: TcpProxy; server: PostgresServer }>;
    await Promise.all(containers.map((container) => container.store.release()));
    containers = [];
    await started.proxy?.close();
    await started.server?.stop();
  });

  /** Every trigger: inside the 5 s, success or its person-readable message. */
  async function expectTriggersAnswerInTime() {
    const { sub, event } = newUser();
    const [confirmed, checked] = await Promise.all([
      timed(() => postConfirmation(event, lambdaContext())),
      timed(() => preSignUp(preSignUpEvent(), lambdaContext())),
    ]);
    expect(confirmed.ms).toBeLessThan(COGNITO_LIMIT_MS);
    expect(checked.ms).toBeLessThan(COGNITO_LIMIT_MS);
    if (!confirmed.ok) expect(confirmed.error.message).toBe(SETUP_FAILED_MESSAGE);
    if (!checked.ok) expect(checked.error.message).toBe(TRY_AGAIN_MESSAGE);
    return { sub, email: String(event.request.userAttributes.email), confirmed, checked };
  }

  /** The same warm container works again, and GET /me creates the missing profile once. */
  async function expectRecovery(user: { sub: string; email: string }) {
    const next = newUser();
    await expect(postConfirmation(next.event, lambdaContext())).resolves.toBe(next.event);
    await expect(preSignUp(preSignUpEvent(), lambdaContext())).resolves.toBeDefined();
    const answers = await Promise.all([
      getMe(getMeEvent(user.sub, user.email), LAMBDA_CONTEXT),
      getMe(getMeEvent(user.sub, user.email), LAMBDA_CONTEXT),
    ]);
    expect(answers.map((answer) => answer.statusCode)).toEqual([200, 200]);
    expect(await countRows(user.sub)).toBe(1);
    expect(await countRows(next.sub)).toBe(1);
  }

  it('answers with the person’s message while the server is stopped, and recovers after', async () => {
    await server.halt();
    let restarted = false;
    try {
      const user = await expectTriggersAnswerInTime();
      expect([user.confirmed.ok, user.checked.ok]).toEqual([false, false]);
      const response = await getMe(getMeEvent(user.sub, user.email), LAMBDA_CONTEXT);
      expectErrorResponse(response, 503, 'service_unavailable');
      expect(response.headers?.['Retry-After']).toBe('2');
      await server.start();
      restarted = true;
      await reconnectAdmin();
      await expectRecovery(user);
    } finally {
      if (!restarted) await server.start();
    }
  });

  it('answers in time while the server is paused (SIGSTOP), and recovers after', async () => {
    await admin.end();
    server.pause();
    const user = await expectTriggersAnswerInTime();
    expect([user.confirmed.ok, user.checked.ok]).toEqual([false, false]);
    const response = await timed(() => getMe(getMeEvent(user.sub, user.email), LAMBDA_CONTEXT));
    expect(response.ok && response.value.statusCode).toBe(503);
    server.resume();
    await reconnectAdmin();
    await expectRecovery(user);
  });

  it('rides out a restart: triggers answer in time, the API never answers 500', async () => {
    const restarting = server.restart({ downMs: 300 });
    const [user, me] = await Promise.all([
      expectTriggersAnswerInTime(),
      (async () => {
        const { sub, event } = newUser();
        const email = String(event.request.userAttributes.email);
        const response = await getMe(getMeEvent(sub, email), LAMBDA_CONTEXT);
        return { sub, email, statusCode: response.statusCode };
      })(),
    ]);
    await restarting;
    expect([200, 503]).toContain(me.statusCode);
    await reconnectAdmin();
    await expectRecovery(user);
    await expectRecovery(me);
  });

  it('holds no connection between invocations, so a connection dying silently costs nothing', async () => {
    const { event } = newUser();
    await postConfirmation(event, lambdaContext());
    // Whatever the container still had open goes dead without a FIN or RST.
    proxy.silenceConnections();
    const user = newUser();
    const confirmed = await timed(() => postConfirmation(user.event, lambdaContext()));
    expect(confirmed.ok).toBe(true);
    // Far under the read timeout: no dead connection was waited on.
    expect(confirmed.ms).toBeLessThan(config.statementTimeoutMs);
    expect(await countRows(user.sub)).toBe(1);
  });

  it('retries a read timeout on a kept connection on a new one', async () => {
    const own = captureLogs();
    const store = createPostgresProfileStore(config, own.logger);
    try {
      await store.ping();
      proxy.silenceConnections();
      const ping = await timed(() => store.ping());
      expect(ping.ok).toBe(true);
      // One read timeout (statement timeout + 0.5 s), then the new connection answers.
      expect(ping.ms).toBeGreaterThanOrEqual(config.statementTimeoutMs);
      expect(ping.ms).toBeLessThan(attemptBudgetMs(config) + config.connectTimeoutMs);
      expect(own.lines).toContainEqual(
        expect.objectContaining({
          level: 'WARN',
          message: 'database connection was stale; retrying on a new one',
          error: 'Error: Query read timeout',
        }),
      );
    } finally {
      await store.close();
    }
  });

  it('keeps the /health connection between probes while it is healthy', async () => {
    const health = createHealthHandler({
      store: healthContainer.store,
      logger: logs.logger,
      timeoutMs: 1000,
    });
    const backends = async () => {
      const { rows } = await admin.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'cognito-gate'",
      );
      return rows[0]?.n;
    };
    const connections = await backends();
    expect(await health({ rawPath: '/health' } as never, LAMBDA_CONTEXT)).toMatchObject({
      statusCode: 200,
    });
    const opened = (await backends()) ?? 0;
    expect(opened).toBe((connections ?? 0) + 1);
    expect(await health({ rawPath: '/health' } as never, LAMBDA_CONTEXT)).toMatchObject({
      statusCode: 200,
    });
    expect(await backends()).toBe(opened);
    await healthContainer.store.releaseConnections();
  });
});
