/**
 * Applies pending migrations, each in its own transaction, and records them in
 * `schema_migrations`. Running it again applies nothing.
 */
import { loadMigrations, type Migration } from './load-migrations';
import type { SqlDatabase } from './sql-executor';

/**
 * Key of the transaction-scoped advisory lock that serialises concurrent runs (two deploys, or
 * several PGlite stores opening the same directory): the second waits, then sees the migration
 * recorded and skips it. An arbitrary constant; it only has to be the same everywhere.
 */
export const MIGRATION_LOCK_KEY = 4_337_001;

// Created under the lock, so concurrent first runs cannot both try to create it. Checked with
// to_regclass rather than IF NOT EXISTS, which would print a NOTICE on every run.
const CREATE_MIGRATIONS_TABLE = `
  CREATE TABLE schema_migrations (
    name text PRIMARY KEY,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`;

/** Applies the migrations not yet recorded, in order; returns the names it applied. */
export async function runMigrations(
  db: SqlDatabase,
  migrations: readonly Migration[] = loadMigrations(),
): Promise<string[]> {
  const applied: string[] = [];
  for (const migration of migrations) {
    const ran = await db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
      const [table] = await tx.query(
        "SELECT to_regclass('schema_migrations') IS NOT NULL AS present",
      );
      if (table?.present !== true) await tx.execScript(CREATE_MIGRATIONS_TABLE);
      const done = await tx.query('SELECT 1 FROM schema_migrations WHERE name = $1', [
        migration.name,
      ]);
      if (done.length > 0) return false;
      await tx.execScript(migration.sql);
      await tx.query('INSERT INTO schema_migrations (name) VALUES ($1)', [migration.name]);
      return true;
    });
    if (ran) applied.push(migration.name);
  }
  return applied;
}
