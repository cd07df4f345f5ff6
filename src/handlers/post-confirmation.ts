/**
 * Cognito PostConfirmation trigger: seeds the confirmed user's profile, exactly once per sub.
 * The user is confirmed whatever happens here; a profile missing after a failure is created on the
 * user's first API call.
 */
import type { PostConfirmationTriggerEvent } from 'aws-lambda';
import { readDatabaseConfig, readSignUpTriggerConfig } from '../config';
import { createLogger, describeError } from '../logger';
import { openContainerStore } from '../profile/open-container-store';
import { HandleTakenError } from '../profile/profile-store';
import { ProfileValidationError } from '../profile/validation-error';
import { MalformedTriggerEventError, readTriggerEvent } from '../signup/read-trigger-event';
import { retryWithinBudget } from '../signup/retry-within-budget';
import { seedProfile } from '../signup/seed-profile';
import {
  createCognitoAttributeUpdater,
  findAttributeChanges,
  syncCognitoAttributes,
} from '../signup/sync-cognito-attributes';
import { attemptBudgetMs, TRIGGER_BUDGET_MS } from '../signup/trigger-budget';
import { SETUP_FAILED_MESSAGE } from '../signup/trigger-messages';

const config = readSignUpTriggerConfig();
const databaseConfig = readDatabaseConfig();
const logger = createLogger({ service: 'post-confirmation', level: config.logLevel });
const { store, releaseAfterEachInvocation } = openContainerStore(databaseConfig, logger);
const updateAttributes = config.syncAttributesToCognito
  ? createCognitoAttributeUpdater()
  : undefined;

const handleEvent = async (
  event: PostConfirmationTriggerEvent,
): Promise<PostConfirmationTriggerEvent> => {
  const started = performance.now();
  const trigger = readTriggerEvent(event);
  if (trigger.triggerSource === 'PostConfirmation_ConfirmForgotPassword') {
    logger.info('password reset confirmed; profile unchanged', { userName: trigger.userName });
    return event;
  }
  if (trigger.triggerSource !== 'PostConfirmation_ConfirmSignUp') {
    logger.warn('ignored an unexpected trigger source', {
      triggerSource: trigger.triggerSource.slice(0, 64),
    });
    return event;
  }
  const sub = trigger.userAttributes.sub;
  if (sub === undefined || sub === '') {
    throw new MalformedTriggerEventError('trigger event must carry userAttributes.sub');
  }
  try {
    const { profile, created } = await retryWithinBudget(
      async () =>
        seedProfile({ sub, attributes: trigger.userAttributes }, await store.get(), logger),
      {
        budgetMs: TRIGGER_BUDGET_MS,
        attemptMs: attemptBudgetMs(databaseConfig),
        isRetryable: (error) =>
          !(error instanceof ProfileValidationError || error instanceof HandleTakenError),
        onRetry: (error, attempt) => {
          logger.warn('profile store unavailable; retrying', {
            sub,
            attempt,
            error: describeError(error),
          });
        },
      },
    );
    logger.info(created ? 'profile created' : 'profile already existed', {
      sub,
      handle: profile.handle,
      latencyMs: Math.round(performance.now() - started),
    });
    if (updateAttributes !== undefined) {
      await syncCognitoAttributes(
        {
          userPoolId: trigger.userPoolId,
          username: trigger.userName,
          attributes: findAttributeChanges(trigger.userAttributes, profile),
        },
        updateAttributes,
        logger,
        sub,
      );
    }
    return event;
  } catch (error) {
    logger.error('profile seeding failed', { sub, error: describeError(error) });
    throw new Error(SETUP_FAILED_MESSAGE, { cause: error });
  }
};

export const handler = async (
  event: PostConfirmationTriggerEvent,
): Promise<PostConfirmationTriggerEvent> => {
  try {
    return await handleEvent(event);
  } finally {
    if (releaseAfterEachInvocation) await store.release();
  }
};
