/**
 * The database that migrations run against, opened for one run and closed after it: shared by
 * `npm run db:migrate` (a machine that reaches the database) and the `migrate` function (inside
 * the VPC, `serverless invoke -f migrate`).
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { DatabaseConfig } from '../../config';
import type { Logger } from '../../logger';
import { endPoolFully } from './end-pool-fully';
import type { SqlDatabase } from './sql-executor';

/** Migrations may rewrite tables; the functions' 1.5-second statement limit does not apply. */
export const MIGRATION_STATEMENT_TIMEOUT_MS = 10 * 60_000;

export interface MigrationDatabase {
  db: SqlDatabase;
  /** Where it is, without any password: for messages. */
  target: string;
  close(): Promise<void>;
}

/** Opens the database DATABASE_URL (or DATABASE_HOST) names; PGlite only on disk. */
export async function openMigrationDatabase(
  config: DatabaseConfig,
  logger: Logger,
): Promise<MigrationDatabase> {
  if (config.kind === 'pglite') {
    if (config.dataDir === undefined) {
      throw new Error('DATABASE_URL is pglite:memory:, which keeps nothing to migrate');
    }
    const dataDir = resolve(config.dataDir);
    mkdirSync(dataDir, { recursive: true });
    // Loaded only when chosen: deployed functions have no PGlite in their package.
    const { PGlite } = await import('@electric-sql/pglite');
    const { toPgliteDatabase } = await import('./pglite-profile-store');
    const pglite = await PGlite.create({ dataDir });
    return {
      db: toPgliteDatabase(pglite),
      target: `pglite:${dataDir}`,
      close: () => pglite.close(),
    };
  }
  const { createPostgresPool, toPostgresDatabase } = await import('./postgres-profile-store');
  const pool = createPostgresPool(
    { ...config, statementTimeoutMs: MIGRATION_STATEMENT_TIMEOUT_MS },
    logger,
  );
  return {
    db: toPostgresDatabase(pool, logger),
    target: config.displayUrl,
    close: () => endPoolFully(pool),
  };
}
