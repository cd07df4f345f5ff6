/**
 * Server messages name a field as the page labels it (src/profile/rules/validation-error.ts's
 * FIELD_LABELS), and the page finds the field a trigger message belongs to by that label
 * (web/src/errors.ts's FIELD_OF_LABEL). These check that the server's labels, the page's map and
 * the forms' own labels are the same words.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  FIELD_LABELS,
  ProfileValidationError,
  type ProfileField,
} from '../../src/profile/rules/validation-error';
import { describeAuthError, FIELD_OF_LABEL } from '../../web/src/errors';

/** The page's field id for each attribute. */
const PAGE_FIELD: Record<ProfileField, string> = {
  email: 'email',
  name: 'name',
  preferred_username: 'handle',
};

function triggerRefusal(message: string): Error {
  const error = new Error(`PreSignUp failed with error ${message}.`);
  error.name = 'UserLambdaValidationException';
  return error;
}

function readScreen(file: string): string {
  return readFileSync(join(__dirname, '..', '..', 'web', 'src', file), 'utf8');
}

/** Whether the source has a field labelled `label` whose error is the form's `field` error. */
function hasLabelledField(source: string, label: string, field: string): boolean {
  return new RegExp(`label="${label}"(?:(?!label=)[\\s\\S])*?fieldError\\('${field}'\\)`, 'u').test(
    source,
  );
}

describe('field labels', () => {
  it('are the same on the server and in the page', () => {
    expect(new Map(FIELD_OF_LABEL)).toEqual(
      new Map(
        (Object.keys(FIELD_LABELS) as ProfileField[]).map((f) => [FIELD_LABELS[f], PAGE_FIELD[f]]),
      ),
    );
  });

  it.each(Object.keys(PAGE_FIELD) as ProfileField[])(
    'puts a trigger message about %s under its field, in the server’s words',
    (field) => {
      const { message } = new ProfileValidationError(field, 'must be something else');
      expect(describeAuthError(triggerRefusal(message), 'signUp')).toEqual({
        field: PAGE_FIELD[field],
        message,
      });
    },
  );

  it('keeps a message that names no field for the whole form', () => {
    const text = 'We could not check your sign-up just now. Please try again in a minute.';
    expect(describeAuthError(triggerRefusal(text), 'signUp')).toEqual({
      field: undefined,
      message: text,
    });
  });

  it('starts no message with an attribute name', () => {
    expect(
      new ProfileValidationError('preferred_username', 'is reserved; choose another').message,
    ).toBe('Handle is reserved; choose another');
  });

  it.each(['email', 'name', 'preferred_username'] as const)(
    'labels the sign-up form’s %s field as the server does',
    (field) => {
      expect(
        hasLabelledField(readScreen('AuthScreens.tsx'), FIELD_LABELS[field], PAGE_FIELD[field]),
      ).toBe(true);
    },
  );

  it.each(['name', 'preferred_username'] as const)(
    'labels the profile form’s %s field as the server does',
    (field) => {
      expect(
        hasLabelledField(readScreen('ProfileScreen.tsx'), FIELD_LABELS[field], PAGE_FIELD[field]),
      ).toBe(true);
    },
  );
});
