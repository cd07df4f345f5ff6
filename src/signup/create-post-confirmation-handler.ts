/**
 * Cognito PostConfirmation: seeds the confirmed user's profile, exactly once per sub, from the
 * handle and display name PreSignUp kept for this userName. The event's own clientMetadata is not
 * used: a ConfirmSignUp in a later session carries none, and the kept intent is already
 * validated. It fires after ConfirmSignUp and AdminConfirmSignUp, and right after SignUp for a
 * user PreSignUp auto-confirmed (`PostConfirmation_ConfirmSignUp` in each case), never for
 * AdminCreateUser (https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-post-confirmation.html).
 * The user is confirmed whatever happens here; a profile missing after a failure is created on
 * the user's first API call, from the same intent.
 */
import type { PostConfirmationTriggerEvent } from 'aws-lambda';
import { describeError } from '../logger';
import { seedFromIntent } from '../profile/rules/seed-from-intent';
import { MalformedTriggerEventError } from './read-trigger-event';
import { createTriggerHandler, type TriggerDependencies } from './run-trigger';
import {
  findAttributeChanges,
  syncCognitoAttributes,
  type UpdateUserAttributes,
} from './sync-cognito-attributes';
import { SETUP_FAILED_MESSAGE } from './trigger-messages';

export interface PostConfirmationHandlerDependencies extends TriggerDependencies {
  /** Writes normalized attributes back to Cognito; `undefined` when sync is off. */
  updateAttributes?: UpdateUserAttributes | undefined;
}

/** Builds the PostConfirmation handler around its dependencies. */
export function createPostConfirmationHandler(deps: PostConfirmationHandlerDependencies) {
  const { logger, updateAttributes, now = () => Date.now() } = deps;
  return createTriggerHandler<PostConfirmationTriggerEvent>(deps, {
    sources: new Set(['PostConfirmation_ConfirmSignUp']),
    passThrough: {
      PostConfirmation_ConfirmForgotPassword: 'password reset confirmed; profile unchanged',
    },
    async handle(trigger, event, { withStore, elapsedMs }) {
      const sub = trigger.userAttributes.sub;
      if (sub === undefined || sub === '') {
        throw new MalformedTriggerEventError('trigger event must carry userAttributes.sub');
      }
      const { profile, created, fromIntent } = await withStore(
        (store) =>
          seedFromIntent(trigger.userName, sub, trigger.userAttributes, store, logger, now),
        { sub },
      );
      logger.info(created ? 'profile created' : 'profile already existed', {
        sub,
        handle: profile.handle,
        fromIntent,
        latencyMs: elapsedMs(),
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
    },
    toPersonError(error, trigger) {
      // A malformed event is not the person's doing and was never a profile: say so plainly.
      if (error instanceof MalformedTriggerEventError) return error;
      logger.error('profile seeding failed', {
        sub: trigger.userAttributes.sub,
        error: describeError(error),
      });
      return new Error(SETUP_FAILED_MESSAGE, { cause: error });
    },
  });
}
