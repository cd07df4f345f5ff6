/**
 * One base event per authorizer event type (test/fixtures/authorizer/*.json), cloned per test, and
 * real RS256 tokens from a key pair generated once per test file.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type {
  APIGatewayRequestAuthorizerEvent,
  APIGatewayRequestAuthorizerEventV2,
  APIGatewayTokenAuthorizerEvent,
} from 'aws-lambda';
import { createAuthorizer, type AuthorizeFn } from '../../src/auth/create-authorizer';
import { createTokenVerifier } from '../../src/auth/token-verifier';
import { readAuthorizerConfig, type AuthorizerConfig } from '../../src/config';
import { captureLogs } from './capture-logs';
import {
  buildCognitoClaims,
  generateKeyPair,
  signJwt,
  type Claims,
  type CognitoTokenOptions,
  type JsonWebKeyPair,
} from '../../tools/dev-stack/sign-jwt';

const FIXTURES = join(__dirname, '..', 'fixtures', 'authorizer');

function loadFixture(name: string): unknown {
  return JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), 'utf8'));
}

const restTokenBase = loadFixture('rest-token') as APIGatewayTokenAuthorizerEvent;
const restRequestBase = loadFixture('rest-request') as APIGatewayRequestAuthorizerEvent;
const httpApiV2Base = loadFixture('http-api-v2') as APIGatewayRequestAuthorizerEventV2;
const httpApiV1Base = loadFixture('http-api-v1') as APIGatewayRequestAuthorizerEvent;

export const STAGE_ARN = 'arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/prod';
export const USER_POOL_ID = 'eu-west-1_TestPool1';
export const CLIENT_ID = 'testclient0000000000000001';
/** 2026-06-01T00:00:00Z, the frozen "now" of the tests. */
export const NOW_SECONDS = 1780272000;
export const SUB = '7d3e8f10-1111-4222-8333-444455556666';

export function restTokenEvent(authorization: string | undefined, methodPath = 'GET/whoami') {
  const event = structuredClone(restTokenBase);
  (event as { authorizationToken: string | undefined }).authorizationToken = authorization;
  event.methodArn = `${STAGE_ARN}/${methodPath}`;
  return event;
}

/** `GET/profiles/jane` → `GET /profiles/jane`: the route key of a literal route. */
function literalRouteKey(methodPath: string): string {
  const slash = methodPath.indexOf('/');
  return `${methodPath.slice(0, slash)} ${methodPath.slice(slash)}`;
}

/**
 * As AWS sends it: the concrete path in `methodArn` and `path`, the template in `resource`
 * (`routeKey` here is `METHOD /template`; only its path part goes to `resource`).
 */
export function restRequestEvent(
  headers: Record<string, string> | null,
  methodPath = 'GET/whoami',
  routeKey = literalRouteKey(methodPath),
) {
  const event = structuredClone(restRequestBase);
  event.headers = headers;
  event.multiValueHeaders =
    headers && Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]]));
  event.methodArn = `${STAGE_ARN}/${methodPath}`;
  const space = routeKey.indexOf(' ');
  event.httpMethod = methodPath.slice(0, methodPath.indexOf('/'));
  event.resource = routeKey.slice(space + 1);
  event.path = methodPath.slice(methodPath.indexOf('/'));
  event.requestContext.httpMethod = event.httpMethod;
  event.requestContext.resourcePath = event.resource;
  return event;
}

/**
 * As AWS sends it: the concrete path in `routeArn` and `rawPath`, the route the gateway chose in
 * `routeKey` (`GET /profiles/{handle}`, `$default`).
 */
export function httpApiV2Event(
  headers: Record<string, string>,
  methodPath = 'GET/whoami',
  routeKey = literalRouteKey(methodPath),
) {
  const event = structuredClone(httpApiV2Base);
  event.headers = headers;
  event.routeArn = `${STAGE_ARN.replace('/prod', '/$default')}/${methodPath}`;
  event.routeKey = routeKey;
  event.requestContext.routeKey = routeKey;
  event.requestContext.http.method = methodPath.slice(0, methodPath.indexOf('/'));
  event.requestContext.http.path = methodPath.slice(methodPath.indexOf('/'));
  event.rawPath = event.requestContext.http.path;
  return event;
}

export function httpApiV1Event(headers: Record<string, string>, methodPath = 'GET/whoami') {
  const event = structuredClone(httpApiV1Base);
  event.headers = headers;
  event.multiValueHeaders = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]]));
  event.methodArn = `${STAGE_ARN}/${methodPath}`;
  return event;
}

/** Builds and signs a Cognito-shaped token; `overrides` replace or (when undefined) remove claims. */
export function makeToken(
  key: JsonWebKeyPair,
  options: Partial<CognitoTokenOptions> = {},
  overrides: Claims = {},
  header: Claims = {},
): string {
  const claims = {
    ...buildCognitoClaims({
      userPoolId: USER_POOL_ID,
      clientId: CLIENT_ID,
      sub: SUB,
      username: 'jane',
      issuedAt: NOW_SECONDS - 60,
      ...options,
    }),
    ...overrides,
  };
  const present = Object.entries(claims).filter(([, value]) => value !== undefined);
  return signJwt(key, Object.fromEntries(present), header);
}

export function testConfig(env: Record<string, string> = {}): AuthorizerConfig {
  return readAuthorizerConfig({
    COGNITO_USER_POOL_ID: USER_POOL_ID,
    COGNITO_CLIENT_IDS: CLIENT_ID,
    LOG_LEVEL: 'DEBUG',
    ...env,
  });
}

export interface TestAuthorizer {
  authorize: AuthorizeFn;
  logs: Record<string, unknown>[];
  rawLogs: string[];
}

/** Freezes Date at {@link NOW_SECONDS}; promises still run. Move it with `jest.setSystemTime`. */
export function freezeClock(): void {
  jest.useFakeTimers({
    now: NOW_SECONDS * 1000,
    doNotFake: ['nextTick', 'queueMicrotask', 'setImmediate'],
  });
}

/** An authorizer trusting `keys` (no network), reading time from the (frozen) Date. */
export function buildTestAuthorizer(
  keys: JsonWebKeyPair[],
  env: Record<string, string> = {},
): TestAuthorizer {
  const config = testConfig(env);
  const { logger, lines: logs, rawLines: rawLogs } = captureLogs({ service: 'authorizer' });
  const verifier = createTokenVerifier(config, {
    jwks: { keys: keys.map((key) => key.publicJwk) },
  });
  const authorize = createAuthorizer(config, { verifier, logger });
  return { authorize, rawLogs, logs };
}

export { generateKeyPair };
