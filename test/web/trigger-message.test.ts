import { stripTriggerWrapper } from '../../web/src/trigger-message';

describe('stripTriggerWrapper', () => {
  it.each([
    [
      'PreSignUp failed with error Display name must contain visible characters.',
      'Display name must contain visible characters',
    ],
    [
      'cognito-gate-local-preSignUp failed with error Handle is already taken; choose another.',
      'Handle is already taken; choose another',
    ],
    [
      'PreSignUp failed with error We could not check your sign-up just now. Please try again in a minute..',
      'We could not check your sign-up just now. Please try again in a minute.',
    ],
  ])('keeps our words from %j', (wrapped, ours) => {
    expect(stripTriggerWrapper(wrapped)).toBe(ours);
  });

  it.each(['Incorrect username or password.', 'User already exists', ''])(
    'leaves other messages as they are: %j',
    (message) => {
      expect(stripTriggerWrapper(message)).toBe(message);
    },
  );
});
