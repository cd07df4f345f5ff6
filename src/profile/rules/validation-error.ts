/** The Cognito user attribute a {@link ProfileValidationError} is about. */
export type ProfileField = 'name' | 'preferred_username' | 'email';

/**
 * A sign-up attribute was rejected.
 *
 * The message starts with the attribute's name and says what is expected. It is written for the
 * person signing up, because Cognito shows it to them as `PreSignUp failed with error <message>.`,
 * and it never contains the rejected value: that could hold invisible or direction-changing
 * characters, and echoing it would make the message itself misleading.
 */
export class ProfileValidationError extends Error {
  /** The attribute that was rejected. */
  readonly field: ProfileField;

  /**
   * @param field - the attribute that was rejected; it becomes the first word of the message
   * @param expectation - what is expected, e.g. `must contain visible characters`
   */
  constructor(field: ProfileField, expectation: string) {
    super(`${field} ${expectation}`);
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
