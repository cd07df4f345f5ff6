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

/**
 * How long a sign-up's intent (handle, display name) is kept for its confirmation. Cognito's
 * confirmation code lives 24 hours, but a new one can be asked for later; a confirmation after
 * this gets a handle derived from the email and the email's local part as display name, both
 * changeable with PATCH /me.
 */
export const SIGN_UP_INTENT_TTL_MS = 7 * 24 * 60 * 60 * 1000;

const SOURCES = new Set([
  'PreSignUp_SignUp',
  'PreSignUp_AdminCreateUser',
  'PreSignUp_ExternalProvider',
]);

/** Builds the PreSignUp handler around its dependencies. */
export function createPreSignUpHandler(deps: PreSignUpHandlerDependencies) {
  const { logger, policy, now = () => Date.now() } = deps;
  return createTriggerHandler<PreSignUpTriggerEvent>(deps, {
    sources: SOURCES,
    async handle(trigger, event, { withStore, elapsedMs }) {
      const decision = await withStore(async (store) => {
        const checked = await checkSignUp(
          { attributes: trigger.userAttributes, clientMetadata: trigger.clientMetadata },
          policy,
          store,
        );
        // Kept for PostConfirmation, which may run in a later session whose ConfirmSignUp
        // carries no metadata. Without a userName (never from Cognito) there is nothing to key
        // it by; confirmation then falls back to the attributes and the email.
        if (trigger.userName !== '') {
          const at = now();
          await store.recordSignUpIntent(
            {
              userName: trigger.userName,
              displayName: checked.displayName,
              handle: checked.handle,
            },
            new Date(at + SIGN_UP_INTENT_TTL_MS),
            new Date(at),
          );
        }
        return checked;
      });
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
