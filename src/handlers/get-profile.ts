/**
 * GET /profiles/{handle}, for administrators (see src/api/get-profile-handler.ts).
 */
import { readApiConfig, readDatabaseConfig } from '../config';
import { createLogger } from '../logger';
import { openProfileStore } from '../profile/open-profile-store';
import { createProfileStoreHandle } from '../profile/profile-store-handle';
import { createGetProfileHandler } from '../api/get-profile-handler';

const config = readApiConfig();
const databaseConfig = readDatabaseConfig();
const logger = createLogger({ service: 'get-profile', level: config.logLevel });
const store = createProfileStoreHandle(() => openProfileStore(databaseConfig, logger));

export const handler = createGetProfileHandler({
  store,
  logger,
  releaseStoreAfterEachInvocation:
    databaseConfig.kind === 'pglite' && databaseConfig.closeAfterEachInvocation,
});
