import fc from 'fast-check';

import {
  MalformedTriggerEventError,
  readTriggerEvent,
} from '../../../src/signup/read-trigger-event';

// The fields every Cognito trigger event carries (the "common parameters" of
// https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-lambda-trigger-syntax-shared.html).
const BASE = {
  version: '1',
  region: 'us-east-1',
  userPoolId: 'us-east-1_LocalDev1',
  userName: '2b5f1c7e-3a4d-4e8f-9b0a-1c2d3e4f5a6b',
  callerContext: {
    awsSdkVersion: 'aws-sdk-unknown-unknown',
    clientId: 'cognitogatelocaldevclient1',
  },
  triggerSource: 'PreSignUp_SignUp',
  request: {
    userAttributes: { email: 'jane@example.com' },
    validationData: null,
    clientMetadata: { displayName: 'Jane Doe', handle: 'jane_doe' },
  },
  response: {},
};

function buildEvent(): Record<string, unknown> {
  return structuredClone(BASE);
}

describe('readTriggerEvent', () => {
  it('reads the source, pool, user name, attributes and client metadata', () => {
    expect(readTriggerEvent(buildEvent())).toEqual({
      triggerSource: 'PreSignUp_SignUp',
      userPoolId: 'us-east-1_LocalDev1',
      userName: '2b5f1c7e-3a4d-4e8f-9b0a-1c2d3e4f5a6b',
      userAttributes: { email: 'jane@example.com' },
      clientMetadata: { displayName: 'Jane Doe', handle: 'jane_doe' },
    });
  });

  it('reads missing or malformed client metadata as none, keeping only string values', () => {
    const event = buildEvent();
    event.request = { userAttributes: {}, clientMetadata: null };
    expect(readTriggerEvent(event).clientMetadata).toEqual({});
    event.request = { userAttributes: {}, clientMetadata: { handle: 7, displayName: 'Jane' } };
    expect(readTriggerEvent(event).clientMetadata).toEqual({ displayName: 'Jane' });
  });

  it('keeps only the string-valued attributes', () => {
    const event = buildEvent();
    event.request = {
      userAttributes: { email: 'jane@example.com', age: 42, tags: ['x'], none: null },
    };
    expect(readTriggerEvent(event).userAttributes).toEqual({ email: 'jane@example.com' });
  });

  it('reads a missing pool id or user name as empty', () => {
    const event = buildEvent();
    delete event.userPoolId;
    event.userName = 7;
    expect(readTriggerEvent(event)).toMatchObject({ userPoolId: '', userName: '' });
  });

  it.each([
    ['not an object', 'x', 'trigger event must be an object'],
    ['null', null, 'trigger event must be an object'],
    ['an array', [], 'trigger event must be an object'],
    [
      'without triggerSource',
      { ...BASE, triggerSource: undefined },
      'trigger event must have a string triggerSource',
    ],
    [
      'without request',
      { ...BASE, request: undefined },
      'trigger event must have request.userAttributes',
    ],
    [
      'with array attributes',
      { ...BASE, request: { userAttributes: [] } },
      'trigger event must have request.userAttributes',
    ],
  ])('rejects an event %s, saying what is wrong', (_case, event, message) => {
    expect(() => readTriggerEvent(event)).toThrow(MalformedTriggerEventError);
    expect(() => readTriggerEvent(event)).toThrow(message);
  });

  it('never throws anything but MalformedTriggerEventError, and returns only strings', () => {
    fc.assert(
      fc.property(fc.anything(), fc.dictionary(fc.string(), fc.anything()), (value, attributes) => {
        for (const event of [value, { ...BASE, request: { userAttributes: attributes } }]) {
          try {
            const read = readTriggerEvent(event);
            expect(Object.values(read.userAttributes).every((v) => typeof v === 'string')).toBe(
              true,
            );
            expect(typeof read.triggerSource).toBe('string');
          } catch (error) {
            expect(error).toBeInstanceOf(MalformedTriggerEventError);
          }
        }
      }),
    );
  });
});
