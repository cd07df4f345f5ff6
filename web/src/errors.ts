import { stripTriggerWrapper } from './trigger-message';

/** What the person reads for any failure that is not theirs: no internals, no blame. */
export const GENERIC_MESSAGE = 'Something went wrong. Please try again.';

/** The page and the app client disagree on how to sign in: a set-up fault, not the person's. */
export const FLOW_MISMATCH_MESSAGE =
  'Signing in is not set up correctly on our side, so your password was not checked. Please try again later or contact support.';

/** Cognito's validation of the request's `Password` member (e.g. shorter than its hard minimum). */
const PASSWORD_CONSTRAINT =
  /Value at '(?:password|proposedPassword)' failed to satisfy constraint/iu;
/** e.g. "USER_PASSWORD_AUTH flow not enabled for this client", "Initiate Auth method not supported." */
const FLOW_NOT_ENABLED =
  /flow not enabled for this client|auth(?:entication)? (?:flow|method) not supported/iu;

/** A message for the person: beside one field, or for the whole form when `field` is undefined. */
export interface Problem<F extends string = string> {
  field: F | undefined;
  message: string;
}

/** Where an Amplify call failed, which decides how some Cognito errors read. */
export type AuthAction = 'signUp' | 'confirm' | 'resend' | 'signIn' | 'reset' | 'newPassword';

interface ErrorLike {
  name: string;
  message: string;
  status: number | undefined;
}

function inspect(error: unknown): ErrorLike {
  if (!(error instanceof Error)) return { name: '', message: '', status: undefined };
  const metadata = (error as { metadata?: { httpStatusCode?: unknown } }).metadata;
  const status = typeof metadata?.httpStatusCode === 'number' ? metadata.httpStatusCode : undefined;
  return { name: error.name, message: error.message, status };
}

/**
 * Our trigger messages start with the label of the field they are about, as this page shows it
 * (`Display name must …`, `Handle is already taken; …`: src/profile/rules/validation-error.ts's
 * FIELD_LABELS), which says where they belong. test/web/field-labels.test.ts checks that the two
 * lists and the forms' labels agree.
 */
export const FIELD_OF_LABEL: ReadonlyMap<string, string> = new Map([
  ['Email', 'email'],
  ['Display name', 'name'],
  ['Handle', 'handle'],
]);

function fieldOfMessage(text: string): string | undefined {
  for (const [label, field] of FIELD_OF_LABEL) {
    if (text.startsWith(`${label} `)) return field;
  }
  return undefined;
}

/** A sign-up, confirmation or password error from Amplify/Cognito, in words for the person. */
export function describeAuthError(error: unknown, action: AuthAction): Problem {
  const { name, message, status } = inspect(error);
  const form = (text: string): Problem => ({ field: undefined, message: text });
  if (name === 'NetworkError' || (status !== undefined && status >= 500)) {
    return form(GENERIC_MESSAGE);
  }
  switch (name) {
    case 'UserLambdaValidationException': {
      // A trigger refused: our own words, minus Cognito's wrapper.
      const text = stripTriggerWrapper(message);
      return { field: fieldOfMessage(text), message: text };
    }
    case 'UsernameExistsException':
      return {
        field: 'email',
        message: 'An account with this email already exists. Sign in instead.',
      };
    case 'InvalidPasswordException':
      // cognito-local answers a wrong password with this; real Cognito means the password policy.
      return action === 'signIn'
        ? form('The email or password is not right.')
        : { field: 'password', message: message || 'Choose a longer or more varied password.' };
    case 'NotAuthorizedException':
    case 'UserNotFoundException':
      if (action === 'signIn') return form('The email or password is not right.');
      if (action === 'reset' || action === 'resend') {
        return { field: 'email', message: 'We could not send a code for this email. Check it.' };
      }
      return form(message || GENERIC_MESSAGE);
    case 'CodeMismatchException':
      return { field: 'code', message: 'That code is not right. Check the email we sent.' };
    case 'ExpiredCodeException':
      return { field: 'code', message: 'That code has expired. Send a new one.' };
    case 'LimitExceededException':
    case 'TooManyRequestsException':
    case 'TooManyFailedAttemptsException':
      return form('Too many attempts. Please wait a few minutes and try again.');
    case 'InvalidParameterException':
      // Only Cognito's input-constraint message about the password field itself means the
      // password is too short. Other InvalidParameterExceptions are not the person's doing, and
      // some name a flow with PASSWORD in it ("USER_PASSWORD_AUTH flow not enabled for this
      // client"): telling the person to change their password there would be a lie.
      if (PASSWORD_CONSTRAINT.test(message)) {
        return { field: 'password', message: 'That password is too short. Choose a longer one.' };
      }
      if (FLOW_NOT_ENABLED.test(message)) return form(FLOW_MISMATCH_MESSAGE);
      return form(GENERIC_MESSAGE);
    default:
      // Anything else (unexpected flows, unknown errors) gets the calm generic message.
      return form(GENERIC_MESSAGE);
  }
}
