/**
 * `npm run db:migrate`: applies pending migrations to DATABASE_URL (or DATABASE_HOST) and prints
 * what it applied. Run it before deploying code that needs the new schema, from a machine that
 * reaches the database; from inside the VPC use `serverless invoke -f migrate --stage <stage>`.
 * Functions never migrate PostgreSQL at cold start (hundreds of containers would queue on the
 * lock, with DDL rights they should not have).
 */
import { readDatabaseConfig, readLogLevel } from '../src/config';
import { createLogger, describeError } from '../src/logger';
import { createMigrateHandler } from '../src/operations/create-migrate-handler';
import { openMigrationDatabase } from '../src/profile/store/open-migration-database';

async function main(): Promise<void> {
  const config = readDatabaseConfig();
  // JSON log lines go to stderr: stdout carries the script's own summary below.
  const logger = createLogger({
    service: 'db-migrate',
    level: readLogLevel(),
    sink: (line) => process.stderr.write(`${line}\n`),
  });
  const migrate = createMigrateHandler({
    openDatabase: () => openMigrationDatabase(config, logger),
    logger,
  });
  const { target, applied } = await migrate();
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
