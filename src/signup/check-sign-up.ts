/**
 * What the PreSignUp trigger decides: whether a sign-up may proceed, and whether it is confirmed
 * on the spot. Cognito ignores attribute changes made in PreSignUp, so nothing is rewritten here;
 * the normalized values are stored when the user confirms (see seed-profile.ts).
 */
import type { ProfileStore } from '../profile/store/profile-store';
import { normalizeDisplayName } from '../profile/rules/normalize-display-name';
import { emailDomain, normalizeEmail } from '../profile/rules/normalize-email';
import { HANDLE_TAKEN_EXPECTATION, normalizeHandle } from '../profile/rules/normalize-handle';
import { ProfileValidationError } from '../profile/rules/validation-error';

export interface SignUpPolicy {
  /** Lower-case domains allowed to sign up; empty means every domain. */
  allowedEmailDomains: readonly string[];
  /** Lower-case domains whose sign-ups are confirmed and verified at once (internal, test). */
  autoConfirmEmailDomains: readonly string[];
}

export interface SignUpDecision {
  email: string;
  displayName: string;
  /** `undefined` when none was given: one is derived at confirmation. */
  handle: string | undefined;
  autoConfirm: boolean;
}

/**
 * Validates a sign-up's attributes; throws {@link ProfileValidationError}, whose message Cognito
 * shows the person, when one is unacceptable or the handle is taken.
 */
export async function checkSignUp(
  attributes: Readonly<Record<string, string>>,
  policy: SignUpPolicy,
  store: Pick<ProfileStore, 'isHandleTaken'>,
): Promise<SignUpDecision> {
  const email = normalizeEmail(attributes.email);
  // Already lower-case (ASCII only, see toAsciiLowerCase): a Unicode fold here would turn a
  // look-alike domain into an allowed one.
  const domain = emailDomain(email);
  if (policy.allowedEmailDomains.length > 0 && !policy.allowedEmailDomains.includes(domain)) {
    throw new ProfileValidationError('email', 'must be an address at a domain allowed to sign up');
  }
  const displayName = normalizeDisplayName(attributes.name);
  const typedHandle = attributes.preferred_username;
  const handle =
    typedHandle === undefined || typedHandle.trim() === ''
      ? undefined
      : normalizeHandle(typedHandle);
  if (handle !== undefined && (await store.isHandleTaken(handle))) {
    throw new ProfileValidationError('preferred_username', HANDLE_TAKEN_EXPECTATION);
  }
  return {
    email,
    displayName,
    handle,
    autoConfirm: policy.autoConfirmEmailDomains.includes(domain),
  };
}
