/**
 * Cognito PostConfirmation trigger (see src/signup/create-post-confirmation-handler.ts).
 */
import { readDatabaseConfig, readSignUpTriggerConfig } from '../config';
import { createLogger } from '../logger';
import { openContainerStore } from '../profile/store/container-store';
import { createPostConfirmationHandler } from '../signup/create-post-confirmation-handler';
import { createCognitoAttributeUpdater } from '../signup/sync-cognito-attributes';
import { attemptBudgetMs } from '../signup/trigger-budget';

const config = readSignUpTriggerConfig();
const databaseConfig = readDatabaseConfig();
const logger = createLogger({ service: 'post-confirmation', level: config.logLevel });
const { store, releaseAfterEachInvocation } = openContainerStore(databaseConfig, logger);

export const handler = createPostConfirmationHandler({
  store,
  logger,
  attemptMs: attemptBudgetMs(databaseConfig),
  releaseStoreAfterEachInvocation: releaseAfterEachInvocation,
  updateAttributes: config.syncAttributesToCognito ? createCognitoAttributeUpdater() : undefined,
});
