/**
 * Cognito PreSignUp: validates name, handle and email before Cognito creates the user.
 * A rejection's message reaches the person as `PreSignUp failed with error <message>.`
 */
import type { PreSignUpTriggerEvent } from 'aws-lambda';
import { describeError } from '../logger';
import { ProfileValidationError } from '../profile/rules/validation-error';
import { checkSignUp, type SignUpPolicy } from './check-sign-up';
import { createTriggerHandler, type TriggerDependencies } from './run-trigger';
import { TRY_AGAIN_MESSAGE } from './trigger-messages';

export interface PreSignUpHandlerDependencies extends TriggerDependencies {
  policy: SignUpPolicy;
}

const SOURCES = new Set([
  'PreSignUp_SignUp',
  'PreSignUp_AdminCreateUser',
  'PreSignUp_ExternalProvider',
]);

/** Builds the PreSignUp handler around its dependencies. */
export function createPreSignUpHandler(deps: PreSignUpHandlerDependencies) {
  const { logger, policy } = deps;
  return createTriggerHandler<PreSignUpTriggerEvent>(deps, {
    sources: SOURCES,
    async handle(trigger, event, { withStore, elapsedMs }) {
      const decision = await withStore((store) =>
        checkSignUp(trigger.userAttributes, policy, store),
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
        latencyMs: elapsedMs(),
      });
      return event;
    },
    toPersonError(error, trigger) {
      if (error instanceof ProfileValidationError) {
        logger.info('sign-up rejected', {
          userName: trigger.userName,
          field: error.field,
          reason: error.message,
        });
        return error;
      }
      logger.error('sign-up check failed', {
        userName: trigger.userName,
        error: describeError(error),
      });
      return new Error(TRY_AGAIN_MESSAGE, { cause: error });
    },
  });
}
