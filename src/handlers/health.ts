/**
 * GET /health, without authorizer: whether the profile store answers (see src/api/health-handler.ts).
 */
import { readApiConfig, readDatabaseConfig } from '../config';
import { createLogger } from '../logger';
import { openProfileStore } from '../profile/open-profile-store';
import { createProfileStoreHandle } from '../profile/profile-store-handle';
import { createHealthHandler } from '../api/health-handler';

const config = readApiConfig();
const databaseConfig = readDatabaseConfig();
const logger = createLogger({ service: 'health', level: config.logLevel });
const store = createProfileStoreHandle(() => openProfileStore(databaseConfig, logger));

export const handler = createHealthHandler({
  store,
  logger,
  timeoutMs: config.healthCheckTimeoutMs,
  releaseStoreAfterEachInvocation:
    databaseConfig.kind === 'pglite' && databaseConfig.closeAfterEachInvocation,
});
