/**
 * Cognito PreSignUp trigger: validates name, handle and email before Cognito creates the user.
 * A rejection's message reaches the person as `PreSignUp failed with error <message>.`
 */
import type { PreSignUpTriggerEvent } from 'aws-lambda';
import { readDatabaseConfig, readSignUpTriggerConfig } from '../config';
import { createLogger, describeError } from '../logger';
import { openContainerStore } from '../profile/open-container-store';
import { ProfileValidationError } from '../profile/validation-error';
import { checkSignUp } from '../signup/check-sign-up';
import { readTriggerEvent } from '../signup/read-trigger-event';
import { retryWithinBudget } from '../signup/retry-within-budget';
import { attemptBudgetMs, TRIGGER_BUDGET_MS } from '../signup/trigger-budget';
import { TRY_AGAIN_MESSAGE } from '../signup/trigger-messages';

const config = readSignUpTriggerConfig();
const databaseConfig = readDatabaseConfig();
const logger = createLogger({ service: 'pre-sign-up', level: config.logLevel });
const { store, releaseAfterEachInvocation } = openContainerStore(databaseConfig, logger);

const SOURCES = new Set([
  'PreSignUp_SignUp',
  'PreSignUp_AdminCreateUser',
  'PreSignUp_ExternalProvider',
]);

const handleEvent = async (event: PreSignUpTriggerEvent): Promise<PreSignUpTriggerEvent> => {
  const started = performance.now();
  const trigger = readTriggerEvent(event);
  if (!SOURCES.has(trigger.triggerSource)) {
    logger.warn('ignored an unexpected trigger source', {
      triggerSource: trigger.triggerSource.slice(0, 64),
    });
    return event;
  }
  try {
    const decision = await retryWithinBudget(
      async () => checkSignUp(trigger.userAttributes, config, await store.get()),
      {
        budgetMs: TRIGGER_BUDGET_MS,
        attemptMs: attemptBudgetMs(databaseConfig),
        isRetryable: (error) => !(error instanceof ProfileValidationError),
        onRetry: (error, attempt) => {
          logger.warn('profile store unavailable; retrying', {
            attempt,
            error: describeError(error),
          });
        },
      },
    );
    if (decision.autoConfirm) {
      // response is always present in Cognito's events; an untrusted event may lack it.
      event.response = { ...event.response, autoConfirmUser: true, autoVerifyEmail: true };
    }
    logger.info('sign-up accepted', {
      triggerSource: trigger.triggerSource,
      userName: trigger.userName,
      handleGiven: decision.handle !== undefined,
      autoConfirm: decision.autoConfirm,
      latencyMs: Math.round(performance.now() - started),
    });
    return event;
  } catch (error) {
    if (error instanceof ProfileValidationError) {
      logger.info('sign-up rejected', {
        userName: trigger.userName,
        field: error.field,
        reason: error.message,
      });
      throw error;
    }
    logger.error('sign-up check failed', {
      userName: trigger.userName,
      error: describeError(error),
    });
    throw new Error(TRY_AGAIN_MESSAGE, { cause: error });
  }
};

export const handler = async (event: PreSignUpTriggerEvent): Promise<PreSignUpTriggerEvent> => {
  try {
    return await handleEvent(event);
  } finally {
    if (releaseAfterEachInvocation) await store.release();
  }
};
