/**
 * Cognito trigger events are untrusted input like any other: these guards read only what the
 * triggers need and fail with a clear error when the shape is wrong.
 */
import { isRecord } from '../is-record';

/** The event is not a Cognito trigger event of the expected kind. */
export class MalformedTriggerEventError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedTriggerEventError';
  }
}

export interface TriggerEvent {
  triggerSource: string;
  userPoolId: string;
  userName: string;
  /** Only the string-valued attributes; anything else is dropped. */
  userAttributes: Record<string, string>;
  /**
   * `request.clientMetadata`: the ClientMetadata of the API call that fired the trigger (SignUp,
   * ConfirmSignUp, AdminCreateUser …), string values only; empty when there was none. Cognito
   * does not store it: a later call carries its own, or none.
   */
  clientMetadata: Record<string, string>;
}

function readStrings(record: Record<string, unknown>): Record<string, string> {
  const strings: Record<string, string> = {};
  for (const [name, value] of Object.entries(record)) {
    if (typeof value === 'string') strings[name] = value;
  }
  return strings;
}

/** Reads the fields the triggers use; throws {@link MalformedTriggerEventError} otherwise. */
export function readTriggerEvent(event: unknown): TriggerEvent {
  if (!isRecord(event)) throw new MalformedTriggerEventError('trigger event must be an object');
  const { triggerSource, userPoolId, userName, request } = event;
  if (typeof triggerSource !== 'string') {
    throw new MalformedTriggerEventError('trigger event must have a string triggerSource');
  }
  if (!isRecord(request) || !isRecord(request.userAttributes)) {
    throw new MalformedTriggerEventError('trigger event must have request.userAttributes');
  }
  const userAttributes = readStrings(request.userAttributes);
  const clientMetadata = isRecord(request.clientMetadata)
    ? readStrings(request.clientMetadata)
    : {};
  return {
    triggerSource,
    userPoolId: typeof userPoolId === 'string' ? userPoolId : '',
    userName: typeof userName === 'string' ? userName : '',
    userAttributes,
    clientMetadata,
  };
}
