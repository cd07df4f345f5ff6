/**
 * The sample authorizer events in events/authorizer/, built from the dev key. Also used by the
 * tests that run the bundled handler on them, so the files and the tests cannot drift apart.
 */
import type {
  APIGatewayRequestAuthorizerEvent,
  APIGatewayRequestAuthorizerEventV2,
  APIGatewayTokenAuthorizerEvent,
} from 'aws-lambda';
import { buildCognitoClaims, signJwt, type JsonWebKeyPair } from './sign-jwt';

/** What each sample must produce is listed in the README and checked by test/bundle. */
export interface SampleEvent {
  event:
    | APIGatewayTokenAuthorizerEvent
    | APIGatewayRequestAuthorizerEvent
    | APIGatewayRequestAuthorizerEventV2;
}

const ACCOUNT_API = 'arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5';

function restTokenEvent(
  authorization: string,
  path = 'GET/whoami',
): APIGatewayTokenAuthorizerEvent {
  return {
    type: 'TOKEN',
    authorizationToken: authorization,
    methodArn: `${ACCOUNT_API}/prod/${path}`,
  };
}

/**
 * As AWS sends them (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-input.html,
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-lambda-authorizer.html):
 * the concrete request path in the ARN (and `path` / `rawPath`), the matched template in
 * `resource` / `routeKey`.
 */
function restRequestEvent(
  headers: Record<string, string> | null,
  path = 'whoami',
  resource = `/${path}`,
): APIGatewayRequestAuthorizerEvent {
  return {
    type: 'REQUEST',
    methodArn: `${ACCOUNT_API}/prod/GET/${path}`,
    resource,
    path: `/${path}`,
    httpMethod: 'GET',
    headers,
    multiValueHeaders:
      headers && Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    pathParameters: null,
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    stageVariables: null,
    requestContext: {
      accountId: '123456789012',
      apiId: 'a1b2c3d4e5',
      httpMethod: 'GET',
      path: `/prod/${path}`,
      stage: 'prod',
      requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
      requestTimeEpoch: 1767225600000,
      resourceId: 'abc123',
      resourcePath: resource,
      protocol: 'HTTP/1.1',
      identity: { sourceIp: '203.0.113.10', userAgent: 'curl/8.5.0' },
    } as APIGatewayRequestAuthorizerEvent['requestContext'],
  };
}

function httpApiEvent(
  headers: Record<string, string>,
  path = 'whoami',
  routeKey = `GET /${path}`,
  method = 'GET',
): APIGatewayRequestAuthorizerEventV2 {
  const authorization = headers.authorization;
  return {
    version: '2.0',
    type: 'REQUEST',
    routeArn: `${ACCOUNT_API}/$default/${method}/${path}`,
    identitySource: authorization === undefined ? [] : [authorization, routeKey],
    routeKey,
    rawPath: `/${path}`,
    rawQueryString: '',
    cookies: [],
    headers: {
      accept: 'application/json',
      host: 'a1b2c3d4e5.execute-api.us-east-1.amazonaws.com',
      ...headers,
    },
    queryStringParameters: {},
    requestContext: {
      accountId: '123456789012',
      apiId: 'a1b2c3d4e5',
      domainName: 'a1b2c3d4e5.execute-api.us-east-1.amazonaws.com',
      domainPrefix: 'a1b2c3d4e5',
      http: {
        method,
        path: `/${path}`,
        protocol: 'HTTP/1.1',
        sourceIp: '203.0.113.10',
        userAgent: 'curl/8.5.0',
      },
      requestId: 'JKJaXmPLvHcESHA=',
      routeKey,
      stage: '$default',
      time: '01/Jan/2026:00:00:00 +0000',
      timeEpoch: 1767225600000,
    },
    pathParameters: {},
    stageVariables: {},
  } as unknown as APIGatewayRequestAuthorizerEventV2;
}

export interface SampleEventOptions {
  devKey: JsonWebKeyPair;
  /** A key the authorizer does not trust, published under the dev key's kid. */
  forgeryKey: JsonWebKeyPair;
  userPoolId: string;
  clientId: string;
  nowSeconds: number;
}

/** File name → sample event and the documented outcome. */
export function buildAuthorizerSampleEvents(
  options: SampleEventOptions,
): Record<string, SampleEvent> {
  const { devKey, userPoolId, clientId, nowSeconds } = options;
  const base = {
    userPoolId,
    clientId,
    sub: '4f1c2a3b-0000-4000-8000-000000000001',
    username: 'jane',
  };
  // Cognito tokens live at most 24 hours; the authorizer refuses longer-lived ones.
  const valid = signJwt(
    devKey,
    buildCognitoClaims({ ...base, issuedAt: nowSeconds, expiresIn: 86400 }),
  );
  const admin = signJwt(
    devKey,
    buildCognitoClaims({ ...base, groups: ['admin'], issuedAt: nowSeconds, expiresIn: 86400 }),
  );
  const expired = signJwt(
    devKey,
    buildCognitoClaims({ ...base, issuedAt: 1767225600, expiresIn: 3600 }),
  );
  // Signed in 13 hours ago, token refreshed now: older than the admin routes' maxAuthAgeSeconds.
  const staleAdmin = signJwt(
    devKey,
    buildCognitoClaims({
      ...base,
      groups: ['admin'],
      issuedAt: nowSeconds,
      authTime: nowSeconds - 13 * 3600,
      expiresIn: 86400,
    }),
  );
  // A client-credentials token (sub = client id, no username): a machine caller.
  const machine = signJwt(
    devKey,
    buildCognitoClaims({
      userPoolId,
      clientId,
      machine: true,
      issuedAt: nowSeconds,
      expiresIn: 86400,
    }),
  );
  const forged = signJwt(
    { ...options.forgeryKey, kid: devKey.kid },
    buildCognitoClaims({ ...base, groups: ['admin'], issuedAt: nowSeconds, expiresIn: 86400 }),
  );
  return {
    'rest-token-allowed.json': { event: restTokenEvent(`Bearer ${valid}`) },
    'rest-token-expired.json': {
      event: restTokenEvent(`Bearer ${expired}`),
    },
    'rest-token-forged.json': {
      event: restTokenEvent(`Bearer ${forged}`),
    },
    'rest-token-missing-header.json': {
      event: restTokenEvent(''),
    },
    'rest-token-missing-group.json': {
      event: restTokenEvent(`Bearer ${valid}`, 'GET/admin/whoami'),
    },
    'rest-request-allowed.json': {
      event: restRequestEvent({ Authorization: `Bearer ${valid}`, Accept: 'application/json' }),
    },
    'rest-request-missing-header.json': {
      event: restRequestEvent(null),
    },
    'http-api-allowed.json': {
      event: httpApiEvent({ authorization: `Bearer ${valid}` }),
    },
    'http-api-admin-allowed.json': {
      event: httpApiEvent({ authorization: `Bearer ${admin}` }, 'admin/whoami'),
    },
    'http-api-expired.json': {
      event: httpApiEvent({ authorization: `Bearer ${expired}` }),
    },
    'http-api-forged.json': {
      event: httpApiEvent({ authorization: `Bearer ${forged}` }),
    },
    'http-api-missing-header.json': { event: httpApiEvent({}) },
    // AWS routes /admin/whoami/ to the route GET /admin/whoami; routeKey names it.
    'http-api-missing-group.json': {
      event: httpApiEvent(
        { authorization: `Bearer ${valid}` },
        'admin/whoami/',
        'GET /admin/whoami',
      ),
    },
    // A decoded %2F inside {handle}: the ARN path has an extra segment, the routeKey does not.
    'http-api-param-slash-missing-group.json': {
      event: httpApiEvent(
        { authorization: `Bearer ${valid}` },
        'profiles/a/b',
        'GET /profiles/{handle}',
      ),
    },
    'http-api-head-missing-group.json': {
      event: httpApiEvent(
        { authorization: `Bearer ${valid}` },
        'admin/whoami',
        'GET /admin/whoami',
        'HEAD',
      ),
    },
    'http-api-step-up-refused.json': {
      event: httpApiEvent(
        { authorization: `Bearer ${staleAdmin}` },
        'admin/whoami',
        'GET /admin/whoami',
      ),
    },
    'http-api-machine-allowed.json': {
      event: httpApiEvent({ authorization: `Bearer ${machine}` }),
    },
    'http-api-machine-me-refused.json': {
      event: httpApiEvent({ authorization: `Bearer ${machine}` }, 'me'),
    },
    'rest-request-param-slash-missing-group.json': {
      event: restRequestEvent(
        { Authorization: `Bearer ${valid}`, Accept: 'application/json' },
        'profiles/a/b',
        '/profiles/{handle}',
      ),
    },
    // serverless-offline's shape, not AWS's: the route template in the ARN.
    'serverless-offline-http-api-missing-group.json': {
      event: httpApiEvent(
        { authorization: `Bearer ${valid}` },
        'profiles/{handle}',
        'GET /profiles/{handle}',
      ),
    },
  };
}
