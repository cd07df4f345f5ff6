/**
 * The `migrate` function: applies pending migrations and answers with what it applied, so
 * `serverless invoke -f migrate --stage prod` prints it. Invoked by hand (or a deploy pipeline),
 * never by an event; a failure is thrown, so the invocation reports it and exits non-zero.
 */
import { describeError, type Logger } from '../logger';
import type { Migration } from '../profile/store/load-migrations';
import type { MigrationDatabase } from '../profile/store/open-migration-database';
import { runMigrations } from '../profile/store/run-migrations';

export interface MigrateResult {
  /** Where it ran, without any password. */
  target: string;
  /** Migration file names applied by this run, in order; empty when already up to date. */
  applied: string[];
}

export interface MigrateHandlerDependencies {
  /** Opens the database for one run; closed when the run ends, whatever its outcome. */
  openDatabase: () => Promise<MigrationDatabase>;
  logger: Logger;
  /** The migrations to apply; the repository's `migrations/` files by default. */
  migrations?: readonly Migration[];
}

export function createMigrateHandler({
  openDatabase,
  logger,
  migrations,
}: MigrateHandlerDependencies): () => Promise<MigrateResult> {
  return async () => {
    const database = await openDatabase();
    try {
      const applied = await runMigrations(database.db, migrations);
      logger.info('migrations applied', {
        target: database.target,
        applied: applied.length === 0 ? 'none (up to date)' : applied.join(','),
      });
      return { target: database.target, applied };
    } catch (error) {
      logger.error('migration failed', { target: database.target, error: describeError(error) });
      throw error;
    } finally {
      await database.close();
    }
  };
}
