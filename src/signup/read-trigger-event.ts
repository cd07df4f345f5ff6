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
  const userAttributes: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.userAttributes)) {
    if (typeof value === 'string') userAttributes[name] = value;
  }
  return {
    triggerSource,
    userPoolId: typeof userPoolId === 'string' ? userPoolId : '',
    userName: typeof userName === 'string' ? userName : '',
    userAttributes,
  };
}
