/**
 * The authorizer's logic, independent of Lambda: from an API Gateway authorizer event to the answer
 * API Gateway expects. `src/handlers/authorizer.ts` creates one per container.
 */
import type { APIGatewaySimpleAuthorizerResult } from 'aws-lambda';
import type { JwtPayload } from 'aws-jwt-verify/jwt-model';
import type { AuthorizerConfig } from '../config';
import type { Logger } from '../logger';
import {
  checkRule,
  ruleApplies,
  type AccessRule,
  type Entitlements,
  type RuleRefusal,
} from './access-rules';
import {
  parseAuthorizerEvent,
  type AuthorizationRequest,
  type EventKind,
} from './authorizer-event';
import {
  buildDenyAllPolicy,
  buildPolicy,
  type PolicyResult,
  type SimpleResult,
} from './build-policy';
import { toAuthorizerContext, toEntitlements, type AuthorizerContext } from './authorizer-context';
import {
  assertCompactJws,
  assertUnpaddedCanonical,
  extractBearerCredentials,
} from './extract-bearer-token';
import { toMatchedRoute } from './matched-route';
import { parseResourceArn } from './resource-arn';
import { TokenRejectedError, toTokenRejectedError, type DenyReason } from './token-rejected-error';
import type { TokenVerifier } from './token-verifier';
import { VerifiedTokenCache } from './verified-token-cache';

export type AuthorizerResult =
  | PolicyResult
  | SimpleResult
  | APIGatewaySimpleAuthorizerResult
  | ReturnType<typeof buildDenyAllPolicy>;

export type AuthorizeFn = (event: unknown, requestId?: string) => Promise<AuthorizerResult>;

export interface AuthorizerDependencies {
  verifier: TokenVerifier;
  logger: Logger;
  /** Milliseconds since the epoch; tests freeze it. */
  nowMs?: () => number;
  /** Monotonic milliseconds for latency. */
  clock?: () => number;
}

type Outcome = 'allow' | 'forbidden' | 'unauthorized';

/** What a verified token tells about its caller, derived once per token. */
interface Identity {
  context: Readonly<AuthorizerContext>;
  caller: Entitlements;
}

/** The exact error API Gateway turns into 401 for REST APIs; any other error becomes 500. */
function unauthorized(): Error {
  return new Error('Unauthorized');
}

// IAM wildcards: a concrete ARN holding one would deny more than itself.
const WILDCARD = /[*?]/;

function isRestKind(kind: EventKind): boolean {
  return kind === 'rest-token' || kind === 'rest-request';
}

/** Creates the authorize function for a parsed configuration and a verifier. */
export function createAuthorizer(
  config: Pick<AuthorizerConfig, 'accessRules' | 'httpApiResponse' | 'tokenCacheSize'>,
  {
    verifier,
    logger,
    nowMs = () => Date.now(),
    clock = () => performance.now(),
  }: AuthorizerDependencies,
): AuthorizeFn {
  const cache = new VerifiedTokenCache<Identity>(config.tokenCacheSize);
  const rules: readonly AccessRule[] = config.accessRules;

  // One prepared line per level: the decision is logged on every request, cached or not.
  const DECISION_FIELDS = [
    'decision',
    'reason',
    'eventKind',
    'sub',
    'cached',
    'requestId',
    'detail',
    'latencyMs',
  ] as const;
  const logInfo = logger.prepare('INFO', 'authorization decision', DECISION_FIELDS);
  const logError = logger.prepare('ERROR', 'authorization decision', DECISION_FIELDS);

  const log = (
    started: number,
    outcome: Outcome,
    reason: DenyReason | RuleRefusal | 'allowed',
    fields: {
      kind?: EventKind | undefined;
      sub?: string;
      cached?: boolean;
      requestId?: string | undefined;
      /** Fixed texts of ours only: never a token, a claim value or a library message. */
      detail?: string;
    },
  ) => {
    const write =
      reason === 'jwks_unavailable' || reason === 'verification_failed' ? logError : logInfo;
    write([
      outcome,
      reason,
      fields.kind,
      fields.sub,
      fields.cached,
      fields.requestId,
      fields.detail,
      Math.round((clock() - started) * 1000) / 1000,
    ]);
  };

  const isSimple = (kind: EventKind) =>
    kind === 'http-api-v2' && config.httpApiResponse === 'simple';

  /** Derives what the handler needs from a verified token, once per token, and remembers it. */
  const remember = (credentials: string, payload: JwtPayload): Identity => {
    const identity: Identity = {
      context: Object.freeze(toAuthorizerContext(payload)),
      caller: toEntitlements(payload),
    };
    cache.set(credentials, identity, payload.exp);
    return identity;
  };

  /** The answer for a verified caller; throws TokenRejectedError when the event names no route. */
  const respond = (
    request: AuthorizationRequest,
    { context, caller }: Identity,
    cached: boolean,
    started: number,
    requestId: string | undefined,
  ): AuthorizerResult => {
    const simple = isSimple(request.kind);
    // A simple response without rules is the same for every route; everything else needs it.
    const needsRoute = !simple || rules.length > 0;
    const resource = needsRoute ? parseResourceArn(request.resourceArn) : undefined;
    if (needsRoute && resource === undefined) {
      throw new TokenRejectedError('malformed_event', 'event must name the route by ARN');
    }
    const nowSeconds = rules.length > 0 ? nowMs() / 1000 : 0;
    let refusal: RuleRefusal | undefined;
    if (resource !== undefined && rules.length > 0) {
      const route = toMatchedRoute(request, resource);
      for (const rule of rules) {
        if (ruleApplies(rule, route)) refusal ??= checkRule(rule, caller, nowSeconds);
      }
    }
    log(started, refusal ? 'forbidden' : 'allow', refusal ?? 'allowed', {
      kind: request.kind,
      sub: context.sub,
      cached,
      requestId,
    });
    if (simple || resource === undefined) {
      return refusal ? { isAuthorized: false } : { isAuthorized: true, context };
    }
    const refusedAnywhere =
      rules.length === 0
        ? rules
        : rules.filter((rule) => checkRule(rule, caller, nowSeconds) !== undefined);
    // The current request, refused on the route the gateway chose, stays refused in the cached
    // policy even if its spelling is one the rule's patterns do not list.
    const arn = request.resourceArn as string;
    const exactDeny = refusal !== undefined && !WILDCARD.test(arn) ? arn : undefined;
    return buildPolicy(context.sub, resource.stageArn, refusedAnywhere, context, exactDeny);
  };

  /** The answer for a refused request: API Gateway's 401 where it has one, else a deny. */
  const refuse = (
    request: AuthorizationRequest | undefined,
    error: unknown,
    started: number,
    requestId: string | undefined,
  ): Promise<AuthorizerResult> => {
    const rejection = toTokenRejectedError(error);
    log(started, 'unauthorized', rejection.reason, {
      kind: request?.kind,
      requestId,
      detail: rejection.message,
    });
    if (request === undefined || isRestKind(request.kind)) return Promise.reject(unauthorized());
    if (isSimple(request.kind)) return Promise.resolve({ isAuthorized: false });
    // HTTP APIs cannot be told "401" by an authorizer; an explicit Deny gives 403.
    const resource = parseResourceArn(request.resourceArn);
    if (resource === undefined) return Promise.reject(unauthorized());
    return Promise.resolve(buildDenyAllPolicy(resource.stageArn));
  };

  /** The verifier's answer, with the precise reason when the token is not one compact JWS. */
  const verifyShaped = (credentials: string) => {
    try {
      return verifier.verify(credentials);
    } catch (error) {
      if (error instanceof TokenRejectedError && error.reason === 'malformed_token') {
        assertCompactJws(credentials);
      }
      throw error;
    }
  };

  // Not an async function: a remembered or synchronously verified token is answered without a
  // promise hop per step, which is most of the cost left once the RSA check is skipped.
  return (event, requestId) => {
    const started = clock();
    let request: AuthorizationRequest | undefined;
    try {
      request = parseAuthorizerEvent(event);
      if (request.rejection !== undefined) throw request.rejection;
      const credentials = extractBearerCredentials(request.authorization);
      // Only fully verified tokens are in the cache, so a hit has passed the shape checks too.
      const known = cache.get(credentials, nowMs());
      if (known !== undefined) {
        return Promise.resolve(respond(request, known, true, started, requestId));
      }
      assertUnpaddedCanonical(credentials);
      const verified = verifyShaped(credentials);
      if (verified instanceof Promise) {
        const pending = request;
        return verified
          .then((payload) =>
            respond(pending, remember(credentials, payload), false, started, requestId),
          )
          .catch((error: unknown) => refuse(pending, error, started, requestId));
      }
      return Promise.resolve(
        respond(request, remember(credentials, verified), false, started, requestId),
      );
    } catch (error) {
      return refuse(request, error, started, requestId);
    }
  };
}
