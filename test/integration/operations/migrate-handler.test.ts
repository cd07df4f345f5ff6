/**
 * The `migrate` function as src/handlers/migrate.ts wires it (readDatabaseConfig, then
 * openMigrationDatabase, then the runner), on a real PostgreSQL server and on PGlite on disk.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readDatabaseConfig } from '../../../src/config';
import { createMigrateHandler } from '../../../src/operations/create-migrate-handler';
import { loadMigrations } from '../../../src/profile/store/load-migrations';
import { openMigrationDatabase } from '../../../src/profile/store/open-migration-database';
import { captureLogs } from '../../support/capture-logs';
import {
  createPostgresBackend,
  createTestPool,
  endPoolFully,
} from '../../support/profile-store-fixtures';

jest.setTimeout(60_000);

const ALL_MIGRATIONS = loadMigrations().map((migration) => migration.name);

function createMigrate(env: Record<string, string>, migrations?: { name: string; sql: string }[]) {
  const { logger, lines } = captureLogs();
  const config = readDatabaseConfig(env);
  const migrate = createMigrateHandler({
    openDatabase: () => openMigrationDatabase(config, logger),
    logger,
    migrations,
  });
  return { migrate, lines };
}

describe('the migrate function on PGlite on disk', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cognito-gate-migrate-'));
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('applies every migration once, then nothing', async () => {
    const { migrate, lines } = createMigrate({ DATABASE_URL: `pglite:${join(dir, 'db')}` });

    const first = await migrate();
    const second = await migrate();

    expect(first).toEqual({ target: `pglite:${join(dir, 'db')}`, applied: ALL_MIGRATIONS });
    expect(ALL_MIGRATIONS.length).toBeGreaterThan(0);
    expect(second.applied).toEqual([]);
    expect(lines.at(-1)).toMatchObject({
      level: 'INFO',
      message: 'migrations applied',
      applied: 'none (up to date)',
    });
  });

  it('throws a failing migration and records nothing of it; a fixed run then applies it', async () => {
    const env = { DATABASE_URL: `pglite:${join(dir, 'db')}` };
    const broken = createMigrate(env, [
      { name: '001_broken.sql', sql: 'CREATE TABLE broken (id int PRIMARY KEY' },
    ]);

    await expect(broken.migrate()).rejects.toThrow(/syntax error/);
    expect(broken.lines.at(-1)).toMatchObject({ level: 'ERROR', message: 'migration failed' });

    // The database was closed: a new run can open the same directory (PGlite allows one opener).
    const fixed = createMigrate(env, [
      { name: '001_broken.sql', sql: 'CREATE TABLE broken (id int PRIMARY KEY)' },
    ]);
    await expect(fixed.migrate()).resolves.toMatchObject({ applied: ['001_broken.sql'] });
  });
});

const postgres = createPostgresBackend();

describe('the migrate function on PostgreSQL', () => {
  if (!postgres.available) {
    it('is not run: no PostgreSQL server on this machine (CI requires one)', () => {
      expect(process.env.CI).not.toBe('true');
    });
    return;
  }

  beforeAll(() => postgres.prepare(), 60_000);
  afterAll(() => postgres.dispose());

  it('creates the schema in an empty database, then applies nothing', async () => {
    const database = await postgres.createEmptyDatabase();
    try {
      const { migrate } = createMigrate({ DATABASE_URL: database.url });

      await expect(migrate()).resolves.toMatchObject({ applied: ALL_MIGRATIONS });
      await expect(migrate()).resolves.toMatchObject({ applied: [] });

      const pool = createTestPool(database.url);
      try {
        const { rows } = await pool.query<{ name: string }>(
          'SELECT name FROM schema_migrations ORDER BY name',
        );
        expect(rows.map((row) => row.name)).toEqual(ALL_MIGRATIONS);
      } finally {
        await endPoolFully(pool);
      }
    } finally {
      await database.drop();
    }
  });
});
