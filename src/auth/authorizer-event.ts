/**
 * Recognises the four event shapes API Gateway sends a Lambda authorizer and pulls out what the
 * authorizer needs: the one Authorization header value, the ARN of the called route and, where the
 * event has them, the route the gateway matched and the request's method. The event is untrusted:
 * every field is checked before use.
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
  /**
   * The route the gateway matched: `routeKey` (HTTP API, `GET /profiles/{handle}` or `$default`)
   * or `resource` (REST REQUEST, `/profiles/{handle}`); `undefined` on REST TOKEN events.
   */
  routeKey: unknown;
  resource: unknown;
  /** The request's method (`requestContext.http.method` / `httpMethod`), when the event has it. */
  method: unknown;
  /**
   * Why the headers were refused (two credentials, a non-string value), kept apart from the throw
   * so the answer still has the event's kind: an HTTP API must get `isAuthorized: false`, never an
   * error (which it turns into a 500).
   */
  rejection?: TokenRejectedError;
}

const NAME_LENGTH = 'authorization'.length;

function isAuthorizationName(name: string): boolean {
  return name.length === NAME_LENGTH && name.toLowerCase() === 'authorization';
}

function multipleTokens(): TokenRejectedError {
  return new TokenRejectedError('multiple_tokens', 'Authorization header must be sent once');
}

/**
 * The one Authorization value of a request. Header names are case-insensitive: REST passes them as
 * sent, HTTP API payload 2.0 lower-cases them (serverless-offline does not), so every spelling is
 * looked for. Two keys (`Authorization` and `authorization`), two values of one key, or values
 * spread over case variants in `multiValueHeaders` are two credentials: refused, never "the
 * first one wins". (Comma-joined values, HTTP API's way of passing a repeated header, are refused
 * by the token's shape check.)
 */
function readAuthorizationHeader(event: Record<string, unknown>): string | undefined {
  let value: unknown;
  let found = 0;
  if (isRecord(event.headers)) {
    for (const name in event.headers) {
      if (isAuthorizationName(name)) {
        found += 1;
        value = event.headers[name];
      }
    }
  }
  if (found > 1) throw multipleTokens();
  if (isRecord(event.multiValueHeaders)) {
    let values = 0;
    for (const name in event.multiValueHeaders) {
      if (!isAuthorizationName(name)) continue;
      const list = event.multiValueHeaders[name];
      values += Array.isArray(list) ? list.length : 1;
    }
    if (values > 1) throw multipleTokens();
  }
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    throw new TokenRejectedError('malformed_event', 'Authorization header must be a string');
  }
  return value;
}

function readHttpMethod(event: Record<string, unknown>): unknown {
  const context = event.requestContext;
  if (isRecord(context) && isRecord(context.http)) return context.http.method;
  return event.httpMethod;
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
    return {
      kind: 'rest-token',
      authorization: token ?? undefined,
      resourceArn: event.methodArn,
      routeKey: undefined,
      resource: undefined,
      method: undefined,
    };
  }
  if (event.type === 'REQUEST') {
    let authorization: string | undefined;
    let rejection: TokenRejectedError | undefined;
    try {
      authorization = readAuthorizationHeader(event);
    } catch (error) {
      if (!(error instanceof TokenRejectedError)) throw error;
      rejection = error;
    }
    if (event.version === '2.0') {
      return {
        kind: 'http-api-v2',
        authorization,
        resourceArn: event.routeArn,
        routeKey: event.routeKey,
        resource: undefined,
        method: readHttpMethod(event),
        rejection,
      };
    }
    const isHttpApi = event.version === '1.0';
    return {
      kind: isHttpApi ? 'http-api-v1' : 'rest-request',
      authorization,
      resourceArn: event.methodArn,
      // HTTP API payload 1.0 carries both; the routeKey is the route the gateway chose.
      routeKey: isHttpApi ? event.routeKey : undefined,
      resource: event.resource,
      method: readHttpMethod(event),
      rejection,
    };
  }
  throw new TokenRejectedError('malformed_event', 'authorizer event type must be TOKEN or REQUEST');
}
