/**
 * GET /me: the caller's profile, created on the first call if needed (see src/api/create-get-me-handler.ts).
 */
import { createCognitoUserLookup } from '../api/look-up-user';
import { readApiConfig, readDatabaseConfig } from '../config';
import { createLogger } from '../logger';
import { openContainerStore } from '../profile/store/container-store';
import { createGetMeHandler } from '../api/create-get-me-handler';

const config = readApiConfig();
const databaseConfig = readDatabaseConfig();
const logger = createLogger({ service: 'get-me', level: config.logLevel });
const { store, releaseAfterEachInvocation } = openContainerStore(databaseConfig, logger);

export const handler = createGetMeHandler({
  store,
  logger,
  lookUpUser:
    config.userPoolIds.length === 0 ? undefined : createCognitoUserLookup(config.userPoolIds),
  releaseStoreAfterEachInvocation: releaseAfterEachInvocation,
});
