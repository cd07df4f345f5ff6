import {
  describePasswordPolicy,
  findCognitoPasswordViolation,
  findPasswordProblem,
  type PasswordPolicy,
} from '../../web/src/password-policy';
import { STACK_PASSWORD_POLICY } from '../../web/src/stack-password-policy';

const ALL: PasswordPolicy = {
  MinimumLength: 8,
  RequireLowercase: true,
  RequireUppercase: true,
  RequireNumbers: true,
  RequireSymbols: true,
};

describe('the password policy', () => {
  it('describes the stack’s policy in the page’s words', () => {
    expect(describePasswordPolicy(STACK_PASSWORD_POLICY)).toBe(
      `At least ${STACK_PASSWORD_POLICY.MinimumLength} characters, with upper- and lower-case letters and a digit.`,
    );
  });

  it('describes a policy with symbols and one without classes', () => {
    expect(describePasswordPolicy(ALL)).toBe(
      'At least 8 characters, with upper- and lower-case letters, a digit and a symbol such as ! or #.',
    );
    expect(
      describePasswordPolicy({
        ...ALL,
        RequireLowercase: false,
        RequireUppercase: false,
        RequireNumbers: false,
        RequireSymbols: false,
      }),
    ).toBe('At least 8 characters.');
  });

  it('answers a breaking password with the hint itself, a good one with nothing', () => {
    const hint = describePasswordPolicy(STACK_PASSWORD_POLICY);
    expect(findPasswordProblem('short', STACK_PASSWORD_POLICY)).toBe(hint);
    expect(findPasswordProblem('alllowercase9', STACK_PASSWORD_POLICY)).toBe(hint);
    expect(findPasswordProblem('Correct-Horse-9', STACK_PASSWORD_POLICY)).toBeUndefined();
  });

  it('names the first rule broken in Cognito’s words', () => {
    expect(findCognitoPasswordViolation('Ab1!', ALL)).toBe('Password not long enough');
    expect(findCognitoPasswordViolation('abcdefg1!', ALL)).toBe(
      'Password must have uppercase characters',
    );
    expect(findCognitoPasswordViolation('ABCDEFG1!', ALL)).toBe(
      'Password must have lowercase characters',
    );
    expect(findCognitoPasswordViolation('Abcdefgh!', ALL)).toBe(
      'Password must have numeric characters',
    );
    expect(findCognitoPasswordViolation('Abcdefgh1', ALL)).toBe(
      'Password must have symbol characters',
    );
    expect(findCognitoPasswordViolation('Abcd efg1', ALL)).toBeUndefined();
    expect(findCognitoPasswordViolation('Abcdefg1 ', ALL)).toBe(
      'Password must have symbol characters',
    );
  });
});
