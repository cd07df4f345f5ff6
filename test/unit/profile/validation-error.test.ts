import { assertIsText, ProfileValidationError } from '../../../src/profile/rules/validation-error';

describe('ProfileValidationError', () => {
  it('starts the message with the field and keeps the field', () => {
    const error = new ProfileValidationError('email', 'must be an address like name@example.com');

    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ProfileValidationError');
    expect(error.field).toBe('email');
    expect(error.message).toBe('Email must be an address like name@example.com');
  });
});

describe('assertIsText', () => {
  it('accepts a string', () => {
    expect(() => {
      assertIsText('', 'name');
    }).not.toThrow();
  });

  it.each([undefined, null])('says a missing value (%p) is required', (input) => {
    expect(() => {
      assertIsText(input, 'preferred_username');
    }).toThrow(new ProfileValidationError('preferred_username', 'is required'));
  });

  it.each([42, true, {}, [], Symbol('name'), () => 'name', 10n])(
    'rejects a value of another type (%p)',
    (input) => {
      expect(() => {
        assertIsText(input, 'name');
      }).toThrow(new ProfileValidationError('name', 'must be text'));
    },
  );
});
