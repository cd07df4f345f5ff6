/**
 * `npm run db:migrate`: applies pending migrations to DATABASE_URL and prints what it applied.
 * Run it before deploying code that needs the new schema; functions never migrate PostgreSQL at
 * cold start (hundreds of containers would queue on the lock, with DDL rights they should not have).
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { readDatabaseConfig, readLogLevel, type DatabaseConfig } from '../src/config';
import { createLogger, describeError } from '../src/logger';
import { runMigrations } from '../src/profile/store/run-migrations';
import { toPgliteDatabase } from '../src/profile/store/pglite-profile-store';
import {
  createPostgresPool,
  toPostgresDatabase,
} from '../src/profile/store/postgres-profile-store';

/** Migrations may rewrite tables; the functions' 1.5-second statement limit does not apply. */
const MIGRATION_STATEMENT_TIMEOUT_MS = 10 * 60_000;

async function migrateDatabase(config: DatabaseConfig): Promise<string[]> {
  const logger = createLogger({ service: 'db-migrate', level: readLogLevel() });
  if (config.kind === 'pglite') {
    if (config.dataDir === undefined) {
      throw new Error('DATABASE_URL is pglite:memory:, which keeps nothing to migrate');
    }
    const dataDir = resolve(config.dataDir);
    mkdirSync(dataDir, { recursive: true });
    const db = await PGlite.create({ dataDir });
    try {
      return await runMigrations(toPgliteDatabase(db));
    } finally {
      await db.close();
    }
  }
  const pool = createPostgresPool(
    { ...config, statementTimeoutMs: MIGRATION_STATEMENT_TIMEOUT_MS },
    logger,
  );
  try {
    return await runMigrations(toPostgresDatabase(pool, logger));
  } finally {
    await pool.end();
  }
}

async function main(): Promise<void> {
  const config = readDatabaseConfig();
  const target =
    config.kind === 'postgres' ? config.displayUrl : `pglite:${config.dataDir ?? 'memory:'}`;
  const applied = await migrateDatabase(config);
  if (applied.length === 0) {
    process.stdout.write(`${target}: up to date, nothing applied\n`);
    return;
  }
  for (const name of applied) process.stdout.write(`${target}: applied ${name}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`db:migrate failed: ${describeError(error)}\n`);
  process.exitCode = 1;
});
