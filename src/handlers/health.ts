/**
 * GET /health, without authorizer: whether the profile store answers (see src/api/create-health-handler.ts).
 */
import { readApiConfig, readDatabaseConfig } from '../config';
import { createLogger } from '../logger';
import { openContainerStore } from '../profile/store/container-store';
import { createHealthHandler } from '../api/create-health-handler';

const config = readApiConfig();
const databaseConfig = readDatabaseConfig();
const logger = createLogger({ service: 'health', level: config.logLevel });
const { store, releaseAfterEachInvocation } = openContainerStore(databaseConfig, logger);

export const handler = createHealthHandler({
  store,
  logger,
  timeoutMs: config.healthCheckTimeoutMs,
  releaseStoreAfterEachInvocation: releaseAfterEachInvocation,
});
