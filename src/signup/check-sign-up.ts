/**
 * What the PreSignUp trigger decides: whether a sign-up may proceed, and whether it is confirmed
 * on the spot. Cognito ignores attribute changes made in PreSignUp, so nothing is rewritten here;
 * the normalized values are kept as the sign-up's intent and stored in the profile when the user
 * confirms (see seed-profile.ts).
 *
 * The display name and handle come from the SignUp call's ClientMetadata (`displayName`,
 * `handle`): the web app client may not write the `name` and `preferred_username` attributes
 * (serverless.yml, WriteAttributes), so that no one can set them later with their own token.
 * Cognito passes ClientMetadata to PreSignUp as `request.clientMetadata`
 * (https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-pre-sign-up.html);
 * `request.validationData` carries SignUp's ValidationData instead, which cognito-local 5.3 never
 * passes on. The attributes are still read when the metadata lacks a value: an administrator's
 * AdminCreateUser (IAM, not bound by the app client's WriteAttributes) may set them.
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

/** The ClientMetadata keys the page sends (web/src/AuthScreens.tsx). */
export const SIGN_UP_METADATA = { displayName: 'displayName', handle: 'handle' } as const;

export interface SignUpInput {
  attributes: Readonly<Record<string, string>>;
  /** The call's ClientMetadata (string values). */
  clientMetadata: Readonly<Record<string, string>>;
}

/**
 * Validates a sign-up's email, display name and handle; throws {@link ProfileValidationError},
 * whose message Cognito shows the person, when one is unacceptable or the handle is taken.
 */
export async function checkSignUp(
  { attributes, clientMetadata }: SignUpInput,
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
  const displayName = normalizeDisplayName(
    clientMetadata[SIGN_UP_METADATA.displayName] ?? attributes.name,
  );
  const typedHandle = clientMetadata[SIGN_UP_METADATA.handle] ?? attributes.preferred_username;
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
