/**
 * The page's sign-in flow and how Cognito's InvalidParameterException reads to the person. The
 * flows the deployed app client enables are read from serverless.yml, the stack's own settings,
 * because cognito-local does not enforce ExplicitAuthFlows.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chooseAuthFlow } from '../../web/src/auth-flow';
import { describeAuthError, FLOW_MISMATCH_MESSAGE, GENERIC_MESSAGE } from '../../web/src/errors';

function cognitoError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

/** The WebClient's ExplicitAuthFlows as written in serverless.yml. */
function readWebClientFlows(): string[] {
  const yml = readFileSync(join(__dirname, '..', '..', 'serverless.yml'), 'utf8');
  const client = yml.slice(yml.indexOf('    WebClient:'));
  const block = /ExplicitAuthFlows:\n((?:\s+- \S+\n)+)/u.exec(client)?.[1] ?? '';
  return [...block.matchAll(/- (\S+)/gu)].map((match) => match[1] ?? '');
}

describe('the sign-in flow', () => {
  it('is SRP for real Cognito (no emulator endpoint)', () => {
    expect(chooseAuthFlow(undefined)).toBe('USER_SRP_AUTH');
  });

  it('is USER_PASSWORD_AUTH only against an emulator endpoint', () => {
    expect(chooseAuthFlow('http://localhost:9229')).toBe('USER_PASSWORD_AUTH');
  });

  it('is a flow the deployed app client enables', () => {
    const flows = readWebClientFlows();
    expect(flows).toContain('ALLOW_REFRESH_TOKEN_AUTH');
    expect(flows).toContain(`ALLOW_${chooseAuthFlow(undefined)}`);
    expect(flows).not.toContain('ALLOW_USER_PASSWORD_AUTH');
  });
});

describe('describeAuthError for InvalidParameterException', () => {
  it('does not blame the password when the flow is not enabled', () => {
    const error = cognitoError(
      'InvalidParameterException',
      'USER_PASSWORD_AUTH flow not enabled for this client',
    );
    expect(describeAuthError(error, 'signIn')).toEqual({
      field: undefined,
      message: FLOW_MISMATCH_MESSAGE,
    });
  });

  it('says the password is too short only for the constraint on the password itself', () => {
    const error = cognitoError(
      'InvalidParameterException',
      "1 validation error detected: Value at 'password' failed to satisfy constraint: Member must have length greater than or equal to 6",
    );
    expect(describeAuthError(error, 'signUp')).toEqual({
      field: 'password',
      message: 'That password is too short. Choose a longer one.',
    });
  });

  it('gives the generic message for any other invalid parameter', () => {
    const error = cognitoError('InvalidParameterException', 'Missing required parameter PASSWORD');
    expect(describeAuthError(error, 'signIn')).toEqual({
      field: undefined,
      message: GENERIC_MESSAGE,
    });
  });
});
