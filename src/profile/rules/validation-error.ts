/** The Cognito user attribute a {@link ProfileValidationError} is about. */
export type ProfileField = 'name' | 'preferred_username' | 'email';

/**
 * Each attribute as the person sees it: the label of its field on the page (web/src/AuthScreens.tsx
 * and ProfileScreen.tsx; test/web/field-labels.test.ts checks that they agree). Messages start with
 * it, never with the attribute's name: "Handle is reserved", not "preferred_username is reserved".
 * The attribute's name stays in the API's error codes (`invalid_preferred_username`).
 */
export const FIELD_LABELS: Readonly<Record<ProfileField, string>> = {
  name: 'Display name',
  preferred_username: 'Handle',
  email: 'Email',
};

/**
 * The message about one field: its label, then what is expected (`Handle is already taken; choose
 * another`). The one place such a message is put together.
 */
export function describeFieldProblem(field: ProfileField, expectation: string): string {
  return `${FIELD_LABELS[field]} ${expectation}`;
}

/**
 * A sign-up attribute was rejected.
 *
 * The message starts with the field's label as the person sees it ({@link FIELD_LABELS}) and says
 * what is expected. It is written for the person signing up, because Cognito shows it to them as
 * `PreSignUp failed with error <message>.`, and it never contains the rejected value: that could
 * hold invisible or direction-changing characters, and echoing it would make the message itself
 * misleading.
 */
export class ProfileValidationError extends Error {
  /** The attribute that was rejected (the API's error code is `invalid_<field>`). */
  readonly field: ProfileField;

  /**
   * @param field - the attribute that was rejected; its label becomes the start of the message
   * @param expectation - what is expected, e.g. `must contain visible characters`
   */
  constructor(field: ProfileField, expectation: string) {
    super(describeFieldProblem(field, expectation));
    this.name = 'ProfileValidationError';
    this.field = field;
  }
}

/**
 * Asserts that an untrusted attribute value is a string, throwing a {@link ProfileValidationError}
 * for `field` otherwise (a missing attribute arrives as `undefined`).
 */
export function assertIsText(input: unknown, field: ProfileField): asserts input is string {
  if (input === undefined || input === null) {
    throw new ProfileValidationError(field, 'is required');
  }
  if (typeof input !== 'string') {
    throw new ProfileValidationError(field, 'must be text');
  }
}
