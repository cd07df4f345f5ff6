/**
 * What a person sees when a trigger fails for a reason that is not theirs. Cognito shows a trigger's
 * error message to the caller (`PreSignUp failed with error <message>.`), so these say what to do
 * and nothing about the cause, which is logged instead.
 */
export const TRY_AGAIN_MESSAGE =
  'We could not check your sign-up just now. Please try again in a minute.';

export const SETUP_FAILED_MESSAGE =
  'Your account is confirmed, but setting up your profile failed. Sign in and it will be completed.';
