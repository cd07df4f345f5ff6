/**
 * PATCH /me: changes the caller's name and/or handle (see src/api/create-patch-me-handler.ts).
 */
import { createCognitoUserLookup } from '../api/look-up-user';
import { readApiConfig, readDatabaseConfig } from '../config';
import { createLogger } from '../logger';
import { openContainerStore } from '../profile/store/container-store';
import { createPatchMeHandler } from '../api/create-patch-me-handler';

const config = readApiConfig();
const databaseConfig = readDatabaseConfig();
const logger = createLogger({ service: 'patch-me', level: config.logLevel });
const { store, releaseAfterEachInvocation } = openContainerStore(databaseConfig, logger);

export const handler = createPatchMeHandler({
  store,
  logger,
  lookUpUser:
    config.userPoolIds.length === 0 ? undefined : createCognitoUserLookup(config.userPoolIds),
  releaseStoreAfterEachInvocation: releaseAfterEachInvocation,
});
