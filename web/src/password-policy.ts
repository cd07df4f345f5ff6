/**
 * The user pool's password policy as a rule the page (before sending) and the emulator stack (which
 * cognito-local does not enforce) both apply, in Amazon Cognito's terms:
 * https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-policies.html
 * The policy itself is the stack's (`CognitoUserPoolUsers.Properties.Policies.PasswordPolicy` in
 * serverless.yml), copied into ./stack-password-policy.ts by `npm run emulator:config`.
 */
export interface PasswordPolicy {
  MinimumLength: number;
  RequireLowercase: boolean;
  RequireUppercase: boolean;
  RequireNumbers: boolean;
  RequireSymbols: boolean;
}

/** Cognito's special characters; a space counts too, unless leading or trailing. */
const SYMBOLS = /[\^$*.[\]{}()?"!@#%&/\\,><':;|_~`=+-]|(?<=\S) (?=\S)/u;

interface Requirement {
  key: 'RequireLowercase' | 'RequireUppercase' | 'RequireNumbers' | 'RequireSymbols';
  test: RegExp;
  /** In the hint: "with <words>". */
  words: string;
  /** Cognito's InvalidPasswordException message. */
  cognito: string;
}

const REQUIREMENTS: readonly Requirement[] = [
  {
    key: 'RequireUppercase',
    test: /[A-Z]/u,
    words: 'upper-case letters',
    cognito: 'Password must have uppercase characters',
  },
  {
    key: 'RequireLowercase',
    test: /[a-z]/u,
    words: 'lower-case letters',
    cognito: 'Password must have lowercase characters',
  },
  {
    key: 'RequireNumbers',
    test: /[0-9]/u,
    words: 'a digit',
    cognito: 'Password must have numeric characters',
  },
  {
    key: 'RequireSymbols',
    test: SYMBOLS,
    words: 'a symbol such as ! or #',
    cognito: 'Password must have symbol characters',
  },
];

function joinWords(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words.at(-1) ?? ''}`;
}

/** The hint under a password field, e.g. "At least 10 characters, with upper- and lower-case…". */
export function describePasswordPolicy(policy: PasswordPolicy): string {
  const words = REQUIREMENTS.filter((requirement) => policy[requirement.key]).map(
    (requirement) => requirement.words,
  );
  // "upper-case letters and lower-case letters" reads as "upper- and lower-case letters".
  const upper = words.indexOf('upper-case letters');
  const lower = words.indexOf('lower-case letters');
  if (upper !== -1 && lower === upper + 1) words.splice(upper, 2, 'upper- and lower-case letters');
  const length = `At least ${policy.MinimumLength} characters`;
  return words.length === 0 ? `${length}.` : `${length}, with ${joinWords(words)}.`;
}

/**
 * Whether `password` meets `policy`: `undefined` when it does, else the hint's own words, so the
 * person reads the same sentence as under the field.
 */
export function findPasswordProblem(password: string, policy: PasswordPolicy): string | undefined {
  return findCognitoPasswordViolation(password, policy) === undefined
    ? undefined
    : describePasswordPolicy(policy);
}

/** Cognito's message for the first rule `password` breaks (for the emulator stack); or `undefined`. */
export function findCognitoPasswordViolation(
  password: string,
  policy: PasswordPolicy,
): string | undefined {
  if (password.length < policy.MinimumLength) return 'Password not long enough';
  const broken = REQUIREMENTS.find(
    (requirement) => policy[requirement.key] && !requirement.test.test(password),
  );
  return broken?.cognito;
}
