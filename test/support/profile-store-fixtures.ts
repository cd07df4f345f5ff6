/**
 * Fresh, migrated databases for profile store tests, one per test, on either backend:
 *
 * - PGlite: each test loads a migrated template (a data-directory tarball) instead of running
 *   initdb. The template is cached on disk under the OS temp directory, keyed by the migrations
 *   and the PGlite version, so only the first test file of the first run builds it.
 * - PostgreSQL (the server jest-global-setup.ts started): each test file migrates a template
 *   database once, and each test gets `CREATE DATABASE ... TEMPLATE` of it, dropped afterwards.
 */
import { createHash, randomBytes } from 'node:crypto';
import { openAsBlob, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { readDatabaseConfig, type PostgresUrlDatabaseConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { runMigrations } from '../../src/profile/store/run-migrations';
import { loadMigrations } from '../../src/profile/store/load-migrations';
import { openProfileStore } from '../../src/profile/store/container-store';
import {
  createPgliteProfileStore,
  createPgliteTemplate,
  openPglite,
  toPgliteDatabase,
} from '../../src/profile/store/pglite-profile-store';
import { endPoolFully } from '../../src/profile/store/end-pool-fully';
import { toPostgresDatabase } from '../../src/profile/store/postgres-profile-store';
import type { CreateProfileInput, ProfileStore } from '../../src/profile/store/profile-store';
import type { SqlDatabase } from '../../src/profile/store/sql-executor';

// PGlite's Emscripten loader runs `await import('node:module')`, which Jest's module sandbox
// refuses without --experimental-vm-modules (and Jest does not transform the package's .cjs).
// So the real package is loaded by Node's own loader, outside the sandbox, for every module of
// a test file that imports these fixtures (@swc/jest hoists this above the imports). Jest wraps
// createRequire and process.getBuiltinModule to load into the sandbox, but copies Node's
// Module._load unchanged. PGlite's Dates and errors then come from another realm: the store
// code checks them by duck typing.
jest.mock('@electric-sql/pglite', () => {
  const { Module } = jest.requireActual<{
    Module: { _load(request: string, parent: null, isMain: boolean): unknown };
  }>('node:module');
  return Module._load(require.resolve('@electric-sql/pglite'), null, false);
});

export interface FreshDatabase {
  store: ProfileStore;
  /** The same database, for SQL the store does not offer (counting rows, migrating again). */
  db: SqlDatabase;
  /** PostgreSQL only: the configuration of this database, to open more stores on it. */
  config: PostgresUrlDatabaseConfig | undefined;
  close(): Promise<void>;
}

export interface ProfileStoreBackend {
  name: 'PGlite' | 'PostgreSQL';
  /** `false` when no PostgreSQL server is available; the caller skips this backend. */
  available: boolean;
  /** Once per test file, in beforeAll. */
  prepare(): Promise<void>;
  /** Once per test file, in afterAll. */
  dispose(): Promise<void>;
  /** A new migrated database holding no profiles. */
  openFresh(): Promise<FreshDatabase>;
}

/** Counts the rows of `profiles`. */
export async function countProfiles(db: SqlDatabase): Promise<number> {
  const [row] = await db.query('SELECT count(*)::int AS n FROM profiles');
  return typeof row?.n === 'number' ? row.n : Number.NaN;
}

const BASE_INPUT: CreateProfileInput = {
  cognitoSub: '3f1c6a2e-8b44-4b8e-9a57-2d1f0e6c9b11',
  email: 'ada@example.com',
  displayName: 'Ada Lovelace',
  handle: 'ada_lovelace',
};

/** A valid create input; override only what the test is about. */
export function buildProfileInput(overrides: Partial<CreateProfileInput> = {}): CreateProfileInput {
  return { ...structuredClone(BASE_INPUT), ...overrides };
}

// --- PGlite ---

function readPgliteVersion(): string {
  const manifest = join(__dirname, '../../node_modules/@electric-sql/pglite/package.json');
  const parsed: unknown = JSON.parse(readFileSync(manifest, 'utf8'));
  return typeof parsed === 'object' && parsed !== null && 'version' in parsed
    ? String(parsed.version)
    : 'unknown';
}

/** Loads the migrated PGlite template from the disk cache, building it on a miss. */
export async function loadPgliteTemplate(): Promise<Blob> {
  const hash = createHash('sha256').update(readPgliteVersion());
  for (const migration of loadMigrations()) hash.update(migration.name).update(migration.sql);
  const file = join(
    tmpdir(),
    `cognito-gate-pglite-template-${hash.digest('hex').slice(0, 16)}.tar`,
  );
  try {
    return await openAsBlob(file);
  } catch {
    const template = await createPgliteTemplate();
    // Write then rename, so a parallel worker never reads half a file.
    const partial = `${file}.${process.pid}.partial`;
    writeFileSync(partial, new Uint8Array(await template.arrayBuffer()));
    renameSync(partial, file);
    return template;
  }
}

export function createPgliteBackend(): ProfileStoreBackend {
  let template: Blob | undefined;
  return {
    name: 'PGlite',
    available: true,
    async prepare() {
      template = await loadPgliteTemplate();
    },
    dispose() {
      template = undefined;
      return Promise.resolve();
    },
    async openFresh() {
      if (template === undefined) throw new Error('call prepare() first');
      const pglite = await openPglite({ dataDir: undefined, template });
      const store = createPgliteProfileStore(pglite);
      return {
        store,
        db: toPgliteDatabase(pglite),
        config: undefined,
        close: () => store.close(),
      };
    },
  };
}

// --- PostgreSQL ---

/** A database name nobody else uses; generated, so safe to put in DDL (which takes no parameters). */
function uniqueDatabaseName(prefix: string): string {
  return `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
}

function ignorePoolError(): void {
  // Connections of a database being dropped are terminated on purpose.
}

/**
 * A pool for test SQL, with the error listener every pool needs: without one, an idle client whose
 * connection the server ends (`DROP DATABASE … WITH (FORCE)` sends 57P01 to every session) is
 * thrown as an uncaught exception and fails whichever test runs at that moment.
 */
export function createTestPool(connectionString: string, max = 1): Pool {
  const pool = new Pool({ connectionString, max });
  pool.on('error', ignorePoolError);
  return pool;
}

export { endPoolFully } from '../../src/profile/store/end-pool-fully';

/** The server URL pointing at another database on the same server. */
function withDatabase(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.href;
}

export interface PostgresBackend extends ProfileStoreBackend {
  /** A new database without any table; dropped by the returned function. */
  createEmptyDatabase(): Promise<{ url: string; drop(): Promise<void> }>;
}

export function createPostgresBackend(
  serverUrl: string | undefined = process.env.TEST_DATABASE_URL,
): PostgresBackend {
  let admin: Pool | undefined;
  let templateName: string | undefined;
  const silent = createLogger({ service: 'test', level: 'SILENT' });

  const requireAdmin = (): Pool => {
    if (admin === undefined) throw new Error('call prepare() first');
    return admin;
  };

  return {
    name: 'PostgreSQL',
    available: serverUrl !== undefined && serverUrl !== '',
    async prepare() {
      if (serverUrl === undefined) throw new Error('no TEST_DATABASE_URL');
      admin = createTestPool(serverUrl, 2);
      templateName = uniqueDatabaseName('profiles_template');
      await admin.query(`CREATE DATABASE "${templateName}"`);
      const pool = createTestPool(withDatabase(serverUrl, templateName));
      try {
        await runMigrations(toPostgresDatabase(pool, silent));
      } finally {
        // CREATE DATABASE … TEMPLATE fails while any session is still connected to the template.
        await endPoolFully(pool);
      }
    },
    async dispose() {
      if (admin === undefined) return;
      if (templateName !== undefined) {
        await admin.query(`DROP DATABASE IF EXISTS "${templateName}" WITH (FORCE)`);
      }
      await endPoolFully(admin);
      admin = undefined;
    },
    async createEmptyDatabase() {
      if (serverUrl === undefined) throw new Error('no TEST_DATABASE_URL');
      const pool = requireAdmin();
      const name = uniqueDatabaseName('profiles_empty');
      await pool.query(`CREATE DATABASE "${name}"`);
      return {
        url: withDatabase(serverUrl, name),
        drop: async () => {
          await pool.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        },
      };
    },
    async openFresh() {
      if (serverUrl === undefined || templateName === undefined) {
        throw new Error('call prepare() first');
      }
      const pool = requireAdmin();
      const name = uniqueDatabaseName('profiles_test');
      await pool.query(`CREATE DATABASE "${name}" TEMPLATE "${templateName}"`);
      const databaseConfig = readDatabaseConfig({ DATABASE_URL: withDatabase(serverUrl, name) });
      if (databaseConfig.kind !== 'postgres' || databaseConfig.auth !== 'url') {
        throw new Error('expected a PostgreSQL URL config');
      }
      const store = await openProfileStore(databaseConfig, silent);
      const sidePool = createTestPool(databaseConfig.connectionString, 2);
      return {
        store,
        db: toPostgresDatabase(sidePool, silent),
        config: databaseConfig,
        async close() {
          await store.close();
          await endPoolFully(sidePool);
          await pool.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        },
      };
    },
  };
}
