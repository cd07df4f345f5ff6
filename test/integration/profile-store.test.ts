import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readDatabaseConfig, type PostgresUrlDatabaseConfig } from '../../src/config';
import { runMigrations } from '../../src/profile/store/run-migrations';
import { openProfileStore } from '../../src/profile/store/container-store';
import {
  createPostgresPool,
  createPostgresProfileStore,
  toPostgresDatabase,
} from '../../src/profile/store/postgres-profile-store';
import { HandleTakenError, type ProfileStore } from '../../src/profile/store/profile-store';
import {
  buildProfileInput,
  countProfiles,
  createPgliteBackend,
  createPostgresBackend,
  createTestPool,
  endPoolFully,
  type FreshDatabase,
} from '../support/profile-store-fixtures';
import { captureLogs } from '../support/capture-logs';
import {
  findClosedPort,
  startSilentServer,
  startTcpProxy,
} from '../../tools/dev-stack/network-faults';

// Loading a PGlite template takes about half a second, more on a busy machine.
jest.setTimeout(30_000);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const silent = captureLogs().logger;

const backends = [createPgliteBackend(), createPostgresBackend()];

describe.each(backends)('ProfileStore on $name', (backend) => {
  if (!backend.available) {
    it('is not run: no PostgreSQL server on this machine (CI requires one)', () => {
      expect(process.env.CI).not.toBe('true');
    });
    return;
  }

  beforeAll(() => backend.prepare(), 60_000);
  afterAll(() => backend.dispose());

  describe('with a fresh database per test', () => {
    let fresh: FreshDatabase;
    let store: ProfileStore;

    beforeEach(async () => {
      fresh = await backend.openFresh();
      store = fresh.store;
    });
    afterEach(() => fresh.close());

    it('creates a profile and finds it by sub and by handle in any case', async () => {
      const input = buildProfileInput();

      const result = await store.createProfile(input);

      expect(result.created).toBe(true);
      expect(result.profile).toEqual({
        id: expect.stringMatching(UUID) as unknown,
        cognitoSub: input.cognitoSub,
        email: input.email,
        displayName: input.displayName,
        handle: input.handle,
        createdAt: expect.any(Date) as unknown,
        updatedAt: expect.any(Date) as unknown,
      });
      expect(await store.findBySub(input.cognitoSub)).toEqual(result.profile);
      expect(await store.findByHandle('ADA_Lovelace')).toEqual(result.profile);
      expect(await store.findBySub('no-such-sub')).toBeUndefined();
      expect(await store.findByHandle('nobody')).toBeUndefined();
    });

    describe('sign-up intents', () => {
      const NOW = new Date('2026-12-02T12:00:00Z');
      const IN_AN_HOUR = new Date(NOW.getTime() + 3_600_000);
      const intent = {
        userName: 'user-1',
        displayName: "Ada O'Brien; DROP TABLE x",
        handle: 'Ada_L',
      };

      it('keeps an intent until it expires, the handle lower-cased, the name verbatim', async () => {
        await store.recordSignUpIntent(intent, IN_AN_HOUR, NOW);
        await expect(store.findSignUpIntent('user-1', NOW)).resolves.toEqual({
          ...intent,
          handle: 'ada_l',
        });
        await expect(store.findSignUpIntent('user-1', IN_AN_HOUR)).resolves.toBeUndefined();
        await expect(store.findSignUpIntent('user-2', NOW)).resolves.toBeUndefined();
      });

      it('replaces the intent of a repeated sign-up, and keeps one without a handle', async () => {
        await store.recordSignUpIntent(intent, IN_AN_HOUR, NOW);
        await store.recordSignUpIntent(
          { userName: 'user-1', displayName: 'Ada', handle: undefined },
          IN_AN_HOUR,
          NOW,
        );
        await expect(store.findSignUpIntent('user-1', NOW)).resolves.toEqual({
          userName: 'user-1',
          displayName: 'Ada',
          handle: undefined,
        });
      });

      it('forgets a deleted intent, and deleting a missing one does nothing', async () => {
        await store.recordSignUpIntent(intent, IN_AN_HOUR, NOW);
        await store.deleteSignUpIntent('user-1');
        await store.deleteSignUpIntent('user-1');
        await expect(store.findSignUpIntent('user-1', NOW)).resolves.toBeUndefined();
      });

      it('purges expired intents of others when recording one, a bounded number at a time', async () => {
        for (let n = 0; n < 25; n += 1) {
          // Recorded an hour before NOW, expiring at NOW: none is expired while they are written.
          await store.recordSignUpIntent(
            { ...intent, userName: `old-${n}` },
            NOW,
            new Date(NOW.getTime() - 3_600_000),
          );
        }
        const later = new Date(NOW.getTime() + 1);
        await store.recordSignUpIntent(intent, IN_AN_HOUR, later);
        const [row] = await fresh.db.query('SELECT count(*)::int AS n FROM sign_up_intents');
        // 25 expired, 20 purged, the new one kept.
        expect(row?.n).toBe(6);
      });
    });

    it('reports handles as taken regardless of case', async () => {
      await store.createProfile(buildProfileInput({ handle: 'grace' }));

      expect(await store.isHandleTaken('grace')).toBe(true);
      expect(await store.isHandleTaken('GRACE')).toBe(true);
      expect(await store.isHandleTaken('grace2')).toBe(false);
    });

    it('stores handles lowercase', async () => {
      const { profile } = await store.createProfile(buildProfileInput({ handle: 'Ada_Lovelace' }));

      expect(profile.handle).toBe('ada_lovelace');
    });

    it('returns the existing profile unchanged when the same sub is created again', async () => {
      const first = await store.createProfile(buildProfileInput());

      const second = await store.createProfile(
        buildProfileInput({ email: 'other@example.com', displayName: 'Other', handle: 'other' }),
      );

      expect(second).toEqual({ profile: first.profile, created: false });
      expect(await store.isHandleTaken('other')).toBe(false);
      expect(await countProfiles(fresh.db)).toBe(1);
    });

    it('makes one row when the same sub is created concurrently', async () => {
      const input = buildProfileInput();

      const results = await Promise.all(
        Array.from({ length: 5 }, () => store.createProfile(input)),
      );

      expect(results.filter((result) => result.created)).toHaveLength(1);
      expect(new Set(results.map((result) => result.profile.id)).size).toBe(1);
      expect(await countProfiles(fresh.db)).toBe(1);
    });

    it('throws HandleTakenError when another sub holds the handle in another case', async () => {
      await store.createProfile(buildProfileInput({ cognitoSub: 'sub-a', handle: 'alice' }));

      const attempt = store.createProfile(
        buildProfileInput({ cognitoSub: 'sub-b', handle: 'Alice' }),
      );

      await expect(attempt).rejects.toThrow(HandleTakenError);
      await expect(attempt).rejects.toMatchObject({
        name: 'HandleTakenError',
        code: 'ERR_HANDLE_TAKEN',
        handle: 'alice',
        message: 'handle "alice" is taken by another profile',
      });
      expect(await store.findBySub('sub-b')).toBeUndefined();
    });

    it('stores SQL metacharacters verbatim', async () => {
      const input = buildProfileInput({
        cognitoSub: "sub'; DELETE FROM profiles;--",
        email: "o'hara+$1@example.com",
        displayName: "Robert'); DROP TABLE profiles;--",
      });

      const { profile } = await store.createProfile(input);

      expect(profile).toMatchObject({
        cognitoSub: input.cognitoSub,
        email: input.email,
        displayName: input.displayName,
      });
      expect(await store.findBySub(input.cognitoSub)).toEqual(profile);
      expect(await countProfiles(fresh.db)).toBe(1);
    });

    it('updates the display name and the handle', async () => {
      const { profile } = await store.createProfile(buildProfileInput());

      const renamed = await store.updateProfile(profile.cognitoSub, { displayName: 'Countess' });
      const rehandled = await store.updateProfile(profile.cognitoSub, { handle: 'Countess_Ada' });

      expect(renamed).toMatchObject({ displayName: 'Countess', handle: profile.handle });
      expect(rehandled).toMatchObject({ displayName: 'Countess', handle: 'countess_ada' });
      expect(rehandled?.updatedAt.getTime()).toBeGreaterThanOrEqual(profile.updatedAt.getTime());
      expect(rehandled?.createdAt).toEqual(profile.createdAt);
      expect(await store.isHandleTaken(profile.handle)).toBe(false);
    });

    it('returns the profile unchanged for an empty update', async () => {
      const { profile } = await store.createProfile(buildProfileInput());

      expect(await store.updateProfile(profile.cognitoSub, {})).toEqual(profile);
    });

    it('returns undefined when updating a sub without a profile', async () => {
      expect(await store.updateProfile('no-such-sub', { displayName: 'X' })).toBeUndefined();
    });

    it('throws HandleTakenError when an update takes another profile’s handle', async () => {
      await store.createProfile(buildProfileInput({ cognitoSub: 'sub-a', handle: 'alice' }));
      await store.createProfile(buildProfileInput({ cognitoSub: 'sub-b', handle: 'bob' }));

      const attempt = store.updateProfile('sub-b', { handle: 'ALICE' });

      await expect(attempt).rejects.toThrow(HandleTakenError);
      await expect(attempt).rejects.toThrow('handle "alice" is taken by another profile');
      expect(await store.findBySub('sub-b')).toMatchObject({ handle: 'bob' });
    });

    it('lets a profile change the case of its own handle', async () => {
      const { profile } = await store.createProfile(buildProfileInput({ handle: 'alice' }));

      expect(await store.updateProfile(profile.cognitoSub, { handle: 'ALICE' })).toMatchObject({
        handle: 'alice',
      });
    });

    it('accepts values at the upper bounds', async () => {
      const input = buildProfileInput({
        cognitoSub: 's'.repeat(128),
        email: `${'e'.repeat(242)}@example.com`,
        displayName: '😀'.repeat(256),
        handle: `a${'b'.repeat(29)}`,
      });

      await expect(store.createProfile(input)).resolves.toMatchObject({ created: true });
    });

    it('applies nothing when migrations run again', async () => {
      await store.createProfile(buildProfileInput());

      const applied = await runMigrations(fresh.db);

      expect(applied).toEqual([]);
      const recorded = await fresh.db.query('SELECT name FROM schema_migrations ORDER BY name');
      expect(recorded).toEqual([
        { name: '001_create_profiles.sql' },
        { name: '002_create_sign_up_intents.sql' },
      ]);
      expect(await countProfiles(fresh.db)).toBe(1);
    });

    it('answers ping and tolerates a second close', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
      await store.close();
      await expect(store.close()).resolves.toBeUndefined();
    });
  });

  // One database for all cases: each insert is rejected, so none can affect another.
  describe('CHECK constraints', () => {
    let shared: FreshDatabase;

    beforeAll(async () => {
      shared = await backend.openFresh();
    });
    afterAll(() => shared.close());

    it.each([
      ['an empty sub', { cognitoSub: '' }],
      ['a 129-character sub', { cognitoSub: 's'.repeat(129) }],
      ['a 2-character email', { email: 'a@' }],
      ['a 255-character email', { email: `${'e'.repeat(243)}@example.com` }],
      ['an empty display name', { displayName: '' }],
      ['a 257-code-point display name', { displayName: '😀'.repeat(257) }],
      ['a 2-character handle', { handle: 'ab' }],
      ['a 31-character handle', { handle: `a${'b'.repeat(30)}` }],
      ['a handle starting with a digit', { handle: '1abc' }],
      ['a handle with a space', { handle: 'ada lovelace' }],
      ['a handle with a non-ASCII letter', { handle: 'adé' }],
      ['a handle with a Kelvin sign', { handle: 'kelvin\u212a' }],
    ])('rejects %s at the database (CHECK constraint)', async (_case, override) => {
      await expect(shared.store.createProfile(buildProfileInput(override))).rejects.toMatchObject({
        code: '23514',
      });
      expect(await countProfiles(shared.db)).toBe(0);
    });
  });
});

describe('ProfileStore on PGlite (on disk)', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cognito-gate-pglite-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps profiles across reopening the directory', async () => {
    const config = readDatabaseConfig({ DATABASE_URL: `pglite:${dir}/profiles` });
    const first = await openProfileStore(config, silent);
    const { profile } = await first.createProfile(buildProfileInput());
    await first.close();

    const second = await openProfileStore(config, silent);
    try {
      expect(await second.findBySub(profile.cognitoSub)).toEqual(profile);
    } finally {
      await second.close();
    }
  }, 60_000);
});

const postgres = createPostgresBackend();
if (!postgres.available) {
  it('ProfileStore on PostgreSQL (pool behaviour) is not run: no PostgreSQL server on this machine (CI requires one)', () => {
    expect(process.env.CI).not.toBe('true');
  });
}
// The one skip: without a server, and the test above says so (and fails in CI).
const describeIfServer = postgres.available ? describe : describe.skip;

describeIfServer('ProfileStore on PostgreSQL (pool behaviour)', () => {
  let fresh: FreshDatabase;
  let config: PostgresUrlDatabaseConfig;
  const extraStores: ProfileStore[] = [];

  beforeAll(() => postgres.prepare(), 60_000);
  afterAll(() => postgres.dispose());
  beforeEach(async () => {
    fresh = await postgres.openFresh();
    if (fresh.config === undefined) throw new Error('expected a PostgreSQL database');
    config = fresh.config;
  });
  afterEach(async () => {
    await Promise.all(extraStores.splice(0).map((store) => store.close()));
    await fresh.close();
  });

  function openStore(overrides: Partial<PostgresUrlDatabaseConfig> = {}) {
    const logs = captureLogs();
    const store = createPostgresProfileStore({ ...config, ...overrides }, logs.logger);
    extraStores.push(store);
    return { store, logs };
  }

  it('makes one row per sub when two containers create the same subs concurrently', async () => {
    const containerA = openStore().store;
    const containerB = openStore().store;
    const subs = Array.from({ length: 10 }, (_, i) => `race-sub-${i}`);

    const pairs = await Promise.all(
      subs.map((sub, i) => {
        const input = buildProfileInput({ cognitoSub: sub, handle: `racer_${i}` });
        return Promise.all([containerA.createProfile(input), containerB.createProfile(input)]);
      }),
    );

    for (const [a, b] of pairs) {
      expect(a.profile.id).toBe(b.profile.id);
      expect([a.created, b.created].sort()).toEqual([false, true]);
    }
    expect(await countProfiles(fresh.db)).toBe(subs.length);
  });

  it('applies each migration once when two runs race on an empty database', async () => {
    const empty = await postgres.createEmptyDatabase();
    const first = createTestPool(empty.url);
    const second = createTestPool(empty.url);
    try {
      const results = await Promise.all([
        runMigrations(toPostgresDatabase(first, silent)),
        runMigrations(toPostgresDatabase(second, silent)),
      ]);

      expect(results.flat()).toEqual(['001_create_profiles.sql', '002_create_sign_up_intents.sql']);
      expect(
        await toPostgresDatabase(first, silent).query('SELECT name FROM schema_migrations'),
      ).toEqual([{ name: '001_create_profiles.sql' }, { name: '002_create_sign_up_intents.sql' }]);
    } finally {
      await Promise.all([endPoolFully(first), endPoolFully(second)]);
      await empty.drop();
    }
  });

  it('fails fast when nothing listens on the database port', async () => {
    const port = await findClosedPort();
    const { store } = openStore({ connectionString: `postgres://postgres@127.0.0.1:${port}/x` });
    const started = performance.now();

    await expect(store.ping()).rejects.toThrow(/ECONNREFUSED/);

    expect(performance.now() - started).toBeLessThan(3000);
  });

  it('gives up after the connect timeout when the server never answers', async () => {
    const silentServer = await startSilentServer();
    try {
      const { store } = openStore({
        connectionString: `postgres://postgres@127.0.0.1:${silentServer.port}/x`,
      });
      const started = performance.now();

      await expect(store.ping()).rejects.toThrow(/timeout/i);

      const elapsed = performance.now() - started;
      expect(elapsed).toBeGreaterThanOrEqual(config.connectTimeoutMs - 50);
      expect(elapsed).toBeLessThan(3000);
    } finally {
      await silentServer.close();
    }
  });

  it('cancels statements running past the statement timeout', async () => {
    const pool = createPostgresPool({ ...config, statementTimeoutMs: 200 }, silent);
    try {
      await expect(
        toPostgresDatabase(pool, silent).query('SELECT pg_sleep(2)'),
      ).rejects.toMatchObject({ code: '57014' });
    } finally {
      await pool.end();
    }
  });

  it('logs and survives the server dropping its idle connections', async () => {
    const { store, logs } = openStore();
    await store.ping();

    await fresh.db.query(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'cognito-gate' AND datname = current_database()",
    );
    await new Promise((resolve) => setTimeout(resolve, 200));

    await expect(store.ping()).resolves.toBeUndefined();
    expect(logs.lines).toContainEqual(
      expect.objectContaining({ level: 'WARN', message: 'idle database connection lost' }),
    );
  });

  it('retries on a new connection when the pooled one died unnoticed (a thawed Lambda)', async () => {
    const serverPort = Number(new URL(config.connectionString).port);
    const proxy = await startTcpProxy(serverPort);
    try {
      const url = new URL(config.connectionString);
      url.port = String(proxy.port);
      const { store, logs } = openStore({ connectionString: url.href });
      await store.ping();

      // Same tick: the pool hands out the connection before the reset has been read, as it
      // does when a frozen container wakes up to an event.
      proxy.dropConnections();
      const ping = store.ping();

      await expect(ping).resolves.toBeUndefined();
      expect(logs.lines).toContainEqual(
        expect.objectContaining({
          level: 'WARN',
          message: expect.stringMatching(/stale/) as unknown,
        }),
      );
    } finally {
      await proxy.close();
    }
  });
});

describe('PGlite stores on one data directory', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'cognito-gate-shared-'));
  });
  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('share one database in a process, closed when the last store closes', async () => {
    const config = readDatabaseConfig({ DATABASE_URL: `pglite:${dataDir}` });
    const [first, second] = await Promise.all([
      openProfileStore(config, silent),
      openProfileStore(config, silent),
    ]);
    await first.createProfile(buildProfileInput());
    await expect(second.findBySub(buildProfileInput().cognitoSub)).resolves.toMatchObject({
      handle: 'ada_lovelace',
    });
    await first.close();
    await expect(second.ping()).resolves.toBeUndefined();
    await second.close();
    const reopened = await openProfileStore(config, silent);
    await expect(reopened.isHandleTaken('ADA_LOVELACE')).resolves.toBe(true);
    await reopened.close();
  });
});
