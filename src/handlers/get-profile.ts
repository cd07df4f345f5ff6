/**
 * GET /profiles/{handle}, for administrators (see src/api/create-get-profile-handler.ts).
 */
import { readApiConfig, readDatabaseConfig } from '../config';
import { createLogger } from '../logger';
import { openContainerStore } from '../profile/store/container-store';
import { createGetProfileHandler } from '../api/create-get-profile-handler';

const config = readApiConfig();
const databaseConfig = readDatabaseConfig();
const logger = createLogger({ service: 'get-profile', level: config.logLevel });
const { store, releaseAfterEachInvocation } = openContainerStore(databaseConfig, logger);

export const handler = createGetProfileHandler({
  store,
  logger,
  releaseStoreAfterEachInvocation: releaseAfterEachInvocation,
});
