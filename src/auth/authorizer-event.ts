/**
 * Recognises the four event shapes API Gateway sends a Lambda authorizer and pulls out the two
 * things the authorizer needs: the Authorization header value and the ARN of the called route.
 * The event is untrusted: every field is checked before use.
 */
import type {
  APIGatewayRequestAuthorizerEvent,
  APIGatewayRequestAuthorizerEventV2,
  APIGatewayTokenAuthorizerEvent,
} from 'aws-lambda';
import { TokenRejectedError } from './token-rejected-error';
import { isRecord } from '../is-record';

export type AuthorizerEvent =
  | APIGatewayTokenAuthorizerEvent
  | APIGatewayRequestAuthorizerEvent
  | APIGatewayRequestAuthorizerEventV2;

/** REST TOKEN, REST REQUEST, HTTP API payload 1.0, HTTP API payload 2.0. */
export type EventKind = 'rest-token' | 'rest-request' | 'http-api-v1' | 'http-api-v2';

export interface AuthorizationRequest {
  kind: EventKind;
  /** The Authorization header's value; `undefined` when absent. */
  authorization: string | undefined;
  /** `methodArn` or `routeArn`; validated later, when a policy needs it. */
  resourceArn: unknown;
}

/** Header names are case-insensitive; REST passes them as sent, HTTP API lower-cases them. */
function readAuthorizationHeader(event: Record<string, unknown>): string | undefined {
  const values: unknown[] = [];
  if (isRecord(event.headers)) {
    for (const [name, value] of Object.entries(event.headers)) {
      if (name.toLowerCase() === 'authorization') values.push(value);
    }
  }
  if (isRecord(event.multiValueHeaders)) {
    for (const [name, value] of Object.entries(event.multiValueHeaders)) {
      if (name.toLowerCase() === 'authorization' && Array.isArray(value) && value.length > 1) {
        throw new TokenRejectedError('multiple_tokens', 'Authorization header must be sent once');
      }
    }
  }
  if (values.length === 0) return undefined;
  // "Authorization" and "authorization" both present: two headers, so two tokens.
  if (values.length > 1) {
    throw new TokenRejectedError('multiple_tokens', 'Authorization header must be sent once');
  }
  const [value] = values;
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    throw new TokenRejectedError('malformed_event', 'Authorization header must be a string');
  }
  return value;
}

/**
 * Classifies an authorizer event. Throws {@link TokenRejectedError} (`malformed_event`) for
 * anything that is not one of API Gateway's authorizer events.
 */
export function parseAuthorizerEvent(event: unknown): AuthorizationRequest {
  if (!isRecord(event)) {
    throw new TokenRejectedError('malformed_event', 'authorizer event must be an object');
  }
  if (event.type === 'TOKEN') {
    const token = event.authorizationToken;
    if (token !== undefined && token !== null && typeof token !== 'string') {
      throw new TokenRejectedError('malformed_event', 'authorizationToken must be a string');
    }
    return { kind: 'rest-token', authorization: token ?? undefined, resourceArn: event.methodArn };
  }
  if (event.type === 'REQUEST') {
    if (event.version === '2.0') {
      // HTTP API lower-cases header names in payload 2.0 (and joins repeated headers with commas),
      // so the direct lookup is the hot path; serverless-offline passes names as sent.
      const headers = isRecord(event.headers) ? event.headers : {};
      const direct = headers.authorization;
      if (direct !== undefined && direct !== null && typeof direct !== 'string') {
        throw new TokenRejectedError('malformed_event', 'Authorization header must be a string');
      }
      const authorization = direct ?? readAuthorizationHeader(event);
      return {
        kind: 'http-api-v2',
        authorization,
        resourceArn: event.routeArn,
      };
    }
    return {
      kind: event.version === '1.0' ? 'http-api-v1' : 'rest-request',
      authorization: readAuthorizationHeader(event),
      resourceArn: event.methodArn,
    };
  }
  throw new TokenRejectedError('malformed_event', 'authorizer event type must be TOKEN or REQUEST');
}
