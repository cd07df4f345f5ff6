/**
 * evaluatePolicy: how the emulated cache judges a cached policy against the current request.
 */
import { decideAnswer, evaluatePolicy } from '../../../tools/dev-stack/evaluate-policy';

const STAGE = 'arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/prod';

const policy = (...statements: { Effect: string; Resource: string[]; Action?: string }[]) => ({
  Version: '2012-10-17',
  Statement: statements.map((s) => ({ Action: 'execute-api:Invoke', ...s })),
});

describe('evaluatePolicy', () => {
  it('lets an explicit Deny win over an Allow on the whole stage', () => {
    const document = policy(
      { Effect: 'Allow', Resource: [`${STAGE}/*`] },
      { Effect: 'Deny', Resource: [`${STAGE}/GET/admin/whoami`] },
    );
    expect(evaluatePolicy(document, `${STAGE}/GET/whoami`)).toBe('allow');
    expect(evaluatePolicy(document, `${STAGE}/GET/admin/whoami`)).toBe('deny');
  });

  it("matches IAM's wildcards: * across slashes, ? exactly one character", () => {
    const document = policy(
      { Effect: 'Allow', Resource: [`${STAGE}/*`] },
      { Effect: 'Deny', Resource: [`${STAGE}/GET/profiles/?*`] },
    );
    expect(evaluatePolicy(document, `${STAGE}/GET/profiles/a/b`)).toBe('deny');
    expect(evaluatePolicy(document, `${STAGE}/GET/profiles/`)).toBe('allow');
  });

  it('refuses what no Allow covers, and ignores statements for other actions', () => {
    const document = policy({ Effect: 'Allow', Resource: [`${STAGE}/*`], Action: 's3:GetObject' });
    expect(evaluatePolicy(document, `${STAGE}/GET/whoami`)).toBe('deny');
    expect(evaluatePolicy({}, `${STAGE}/GET/whoami`)).toBe('deny');
  });
});

describe('decideAnswer', () => {
  it('reads a simple response, and judges a policy against methodArn or routeArn', () => {
    const allowAll = { policyDocument: policy({ Effect: 'Allow', Resource: [`${STAGE}/*`] }) };
    expect(decideAnswer({ isAuthorized: true }, {})).toBe('allow');
    expect(decideAnswer({ isAuthorized: false }, {})).toBe('deny');
    expect(decideAnswer(allowAll, { methodArn: `${STAGE}/GET/whoami` })).toBe('allow');
    expect(decideAnswer(allowAll, { routeArn: `${STAGE}/GET/whoami` })).toBe('allow');
    expect(
      decideAnswer(allowAll, { routeArn: 'arn:aws:execute-api:us-east-1:1:x/dev/GET/a' }),
    ).toBe('deny');
  });
});
