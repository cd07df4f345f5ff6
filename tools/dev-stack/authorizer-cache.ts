/**
 * API Gateway's authorizer result cache, reproduced for the local stacks (`AUTHORIZER_CACHE=emulate`,
 * wired by tools/serverless/emulate-authorizer-cache.cjs): serverless-offline invokes the
 * authorizer on every request, so an answer replayed for another route or after the token's `exp`
 * can otherwise never be seen locally.
 *
 * What API Gateway does, and so what this does:
 * - The answer is cached under the values of the authorizer's identity sources, all of them
 *   together; with a TTL of 0 nothing is cached; the TTL is at most 3600 s
 *   (https://docs.aws.amazon.com/apigateway/latest/api/API_Authorizer.html,
 *   https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-lambda-authorizer.html).
 * - Within the TTL the cached answer is used without invoking the function, whatever the token's
 *   `exp` says: the function is the only thing that reads the token.
 * - REST (and HTTP API policies): the cached policy is used for every method of the stage and
 *   evaluated against the current request's ARN
 *   (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-lambda-authorizer-cache.html,
 *   https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-output.html);
 *   serverless-offline already checks a policy against the route, so the policy is replayed as is.
 * - HTTP API simple responses: the cached `isAuthorized` is replayed for any request with the same
 *   identity source values, which is why serverless.yml puts `$context.routeKey` in the key.
 *
 * Not reproduced: the cache being per gateway node (this is one map, so a hit is certain within
 * the TTL where AWS may miss), evictions before the TTL, `ResetAuthorizersCache`.
 */

/** How the authorizer caches, as the stack declares it. */
export interface AuthorizerCacheSettings {
  /**
   * Mapping expressions, as serverless.yml spells them: HTTP API `$request.header.Authorization`,
   * `$request.querystring.name`, `$context.routeKey`, `$stageVariables.name`; REST
   * `method.request.header.Authorization`, `method.request.querystring.name`, `context.name`,
   * `stageVariables.name`.
   */
  identitySources: readonly string[];
  /** `resultTtlInSeconds`: 0 turns caching off. */
  ttlSeconds: number;
}

/** Settings for the emulated cache that the stack cannot have (API Gateway would refuse them). */
export class AuthorizerCacheSettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuthorizerCacheSettingsError';
  }
}

const SOURCE =
  /^(?:\$request\.(header|querystring)\.(.+)|method\.request\.(header|querystring)\.(.+)|\$?(context|stageVariables)\.(.+))$/u;

// API Gateway's limit for resultTtlInSeconds (API_Authorizer.html above).
const MAX_TTL_SECONDS = 3600;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Checks settings read from serverless.yml; throws {@link AuthorizerCacheSettingsError}. */
export function assertAuthorizerCacheSettings(
  value: unknown,
): asserts value is AuthorizerCacheSettings {
  if (!isRecord(value)) {
    throw new AuthorizerCacheSettingsError('authorizer cache settings must be an object');
  }
  const { identitySources, ttlSeconds } = value;
  if (
    !Array.isArray(identitySources) ||
    identitySources.length === 0 ||
    !identitySources.every((source) => typeof source === 'string' && SOURCE.test(source.trim()))
  ) {
    throw new AuthorizerCacheSettingsError(
      `identitySource must list header, query string, context or stage variable mapping ` +
        `expressions (e.g. $request.header.Authorization); got ${JSON.stringify(identitySources)}`,
    );
  }
  if (
    typeof ttlSeconds !== 'number' ||
    !Number.isInteger(ttlSeconds) ||
    ttlSeconds < 0 ||
    ttlSeconds > MAX_TTL_SECONDS
  ) {
    throw new AuthorizerCacheSettingsError(
      `resultTtlInSeconds must be an integer from 0 to ${MAX_TTL_SECONDS}; got ${JSON.stringify(ttlSeconds)}`,
    );
  }
}

/** Parses the JSON the plugin hands to the authorizer function. */
export function parseAuthorizerCacheSettings(json: string | undefined): AuthorizerCacheSettings {
  if (json === undefined || json.trim() === '') {
    throw new AuthorizerCacheSettingsError('authorizer cache settings are missing');
  }
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new AuthorizerCacheSettingsError('authorizer cache settings are not JSON');
  }
  assertAuthorizerCacheSettings(value);
  return value;
}

/** A value of a string map, the name compared without case (HTTP header names). */
function lookUp(map: unknown, name: string, ignoreCase: boolean): string | undefined {
  if (!isRecord(map)) return undefined;
  const wanted = ignoreCase ? name.toLowerCase() : name;
  for (const [key, value] of Object.entries(map)) {
    if ((ignoreCase ? key.toLowerCase() : key) === wanted && typeof value === 'string') {
      return value;
    }
  }
  return undefined;
}

function readContextValue(event: Record<string, unknown>, name: string): string | undefined {
  // HTTP API payload 2.0 has routeKey at the top and in requestContext; REST has neither.
  const fromContext = lookUp(event.requestContext, name, false);
  return fromContext ?? lookUp(event, name, false);
}

/** The value one identity source takes in `event`, or undefined when the request lacks it. */
function readIdentitySource(event: Record<string, unknown>, source: string): string | undefined {
  const match = SOURCE.exec(source.trim());
  if (match === null) return undefined;
  const [, httpKind, httpName, restKind, restName, otherKind, otherName] = match;
  const kind = httpKind ?? restKind;
  const name = httpName ?? restName;
  if (kind === 'header' && name !== undefined) {
    // A REST TOKEN event carries only the token header's value.
    if (event.type === 'TOKEN' && typeof event.authorizationToken === 'string') {
      return event.authorizationToken;
    }
    return lookUp(event.headers, name, true);
  }
  if (kind === 'querystring' && name !== undefined) {
    return lookUp(event.queryStringParameters, name, false);
  }
  if (otherKind === 'context' && otherName !== undefined) {
    return readContextValue(event, otherName);
  }
  if (otherKind === 'stageVariables' && otherName !== undefined) {
    return lookUp(event.stageVariables, otherName, false);
  }
  return undefined;
}

/**
 * The cache key of `event`: every identity source's value, in order. Undefined when one is missing
 * or empty: API Gateway then answers 401 without invoking the authorizer (CreateAuthorizer's
 * IdentitySource, https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/apis-apiid-authorizers.html),
 * and here the request is passed to the function uncached.
 */
export function toCacheKey(event: unknown, identitySources: readonly string[]): string | undefined {
  if (!isRecord(event)) return undefined;
  const values: string[] = [];
  for (const source of identitySources) {
    const value = readIdentitySource(event, source);
    if (value === undefined || value === '') return undefined;
    values.push(value);
  }
  return JSON.stringify(values);
}

export interface CacheLookup<T> {
  answer: T;
  /** True when the answer came from the cache and the function was not invoked. */
  cached: boolean;
  /** Seconds since the answer was stored (0 when the function just gave it). */
  ageSeconds: number;
}

export interface AuthorizerCache {
  /**
   * The cached answer for `event`'s identity sources while it is fresh, or else `invoke`'s answer,
   * stored for the TTL. A thrown error (a REST `Unauthorized`) is not stored.
   */
  answer<T>(event: unknown, invoke: () => Promise<T>): Promise<CacheLookup<T>>;
}

interface Entry {
  answer: unknown;
  storedAtMs: number;
}

/** Creates an empty cache; `nowMs` is the clock (tests freeze it). */
export function createAuthorizerCache(
  settings: AuthorizerCacheSettings,
  { nowMs = () => Date.now() }: { nowMs?: () => number } = {},
): AuthorizerCache {
  assertAuthorizerCacheSettings(settings);
  const entries = new Map<string, Entry>();
  const ttlMs = settings.ttlSeconds * 1000;
  return {
    async answer<T>(event: unknown, invoke: () => Promise<T>): Promise<CacheLookup<T>> {
      const key = ttlMs > 0 ? toCacheKey(event, settings.identitySources) : undefined;
      if (key === undefined) return { answer: await invoke(), cached: false, ageSeconds: 0 };
      const now = nowMs();
      const entry = entries.get(key);
      if (entry !== undefined && now - entry.storedAtMs < ttlMs) {
        return {
          answer: structuredClone(entry.answer) as T,
          cached: true,
          ageSeconds: Math.floor((now - entry.storedAtMs) / 1000),
        };
      }
      entries.delete(key);
      const answer = await invoke();
      entries.set(key, { answer: structuredClone(answer), storedAtMs: nowMs() });
      return { answer, cached: false, ageSeconds: 0 };
    },
  };
}
