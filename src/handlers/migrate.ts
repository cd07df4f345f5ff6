/**
 * `serverless invoke -f migrate --stage <stage>`: applies pending migrations from inside the VPC
 * (see src/operations/create-migrate-handler.ts).
 */
import { readDatabaseConfig, readLogLevel } from '../config';
import { createLogger } from '../logger';
import { createMigrateHandler } from '../operations/create-migrate-handler';
import { openMigrationDatabase } from '../profile/store/open-migration-database';

const databaseConfig = readDatabaseConfig();
const logger = createLogger({ service: 'migrate', level: readLogLevel() });

export const handler = createMigrateHandler({
  openDatabase: () => openMigrationDatabase(databaseConfig, logger),
  logger,
});
