/**
 * Cognito PreSignUp trigger (see src/signup/create-pre-sign-up-handler.ts).
 */
import { readDatabaseConfig, readSignUpTriggerConfig } from '../config';
import { createLogger } from '../logger';
import { openContainerStore } from '../profile/store/container-store';
import { createPreSignUpHandler } from '../signup/create-pre-sign-up-handler';
import { attemptBudgetMs } from '../signup/trigger-budget';

const config = readSignUpTriggerConfig();
const databaseConfig = readDatabaseConfig();
const logger = createLogger({ service: 'pre-sign-up', level: config.logLevel });
const { store, releaseAfterEachInvocation } = openContainerStore(databaseConfig, logger);

export const handler = createPreSignUpHandler({
  store,
  logger,
  policy: config,
  attemptMs: attemptBudgetMs(databaseConfig),
  releaseStoreAfterEachInvocation: releaseAfterEachInvocation,
});
