/**
 * The authorizer's logic, independent of Lambda: from an API Gateway authorizer event to the answer
 * API Gateway expects. `src/handlers/authorizer.ts` creates one per container.
 */
import type { APIGatewaySimpleAuthorizerResult } from 'aws-lambda';
import type { JwtPayload } from 'aws-jwt-verify/jwt-model';
import type { AuthorizerConfig } from '../config';
import type { Logger } from '../logger';
import { checkRule, findRules, type AccessRule } from './access-rules';
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
} from './build-response';
import { toAuthorizerContext, toCaller } from './caller-claims';
import { assertCompactJws, extractBearerCredentials } from './extract-bearer-token';
import { parseResourceArn } from './resource-arn';
import { TokenRejectedError, type DenyReason } from './token-rejected-error';
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

/** The exact error API Gateway turns into 401 for REST APIs; any other error becomes 500. */
function unauthorized(): Error {
  return new Error('Unauthorized');
}

function errorClass(error: unknown): string {
  return error instanceof Error ? error.constructor.name : typeof error;
}

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
  const cache = new VerifiedTokenCache(config.tokenCacheSize);
  const rules: readonly AccessRule[] = config.accessRules;

  const log = (
    started: number,
    outcome: Outcome,
    reason: DenyReason | 'allowed' | 'missing_group' | 'missing_scope',
    fields: {
      kind?: EventKind | undefined;
      sub?: string;
      cached?: boolean;
      requestId?: string | undefined;
      /** Fixed texts of ours only: never a token, a claim value or a library message. */
      detail?: string;
    },
  ) => {
    const line = {
      decision: outcome,
      reason,
      eventKind: fields.kind,
      sub: fields.sub,
      cached: fields.cached,
      requestId: fields.requestId,
      detail: fields.detail,
      latencyMs: Math.round((clock() - started) * 1000) / 1000,
    };
    if (reason === 'jwks_unavailable' || reason === 'verification_failed') {
      logger.error('authorization decision', line);
    } else {
      logger.info('authorization decision', line);
    }
  };

  const verify = async (credentials: string): Promise<{ payload: JwtPayload; cached: boolean }> => {
    // Only fully verified tokens are in the cache, so a hit has passed the shape checks too.
    const remembered = cache.get(credentials, nowMs());
    if (remembered !== undefined) return { payload: remembered, cached: true };
    assertCompactJws(credentials);
    const payload = await verifier.verify(credentials);
    cache.set(credentials, payload);
    return { payload, cached: false };
  };

  const isSimple = (kind: EventKind) =>
    kind === 'http-api-v2' && config.httpApiResponse === 'simple';

  const decide = async (request: AuthorizationRequest) => {
    const { payload, cached } = await verify(extractBearerCredentials(request.authorization));
    const context = toAuthorizerContext(payload);
    const caller = toCaller(payload);
    const simple = isSimple(request.kind);
    const resource = parseResourceArn(request.resourceArn);
    if (resource === undefined && (!simple || rules.length > 0)) {
      throw new TokenRejectedError('malformed_event', 'event must name the route by ARN');
    }
    const applicable = resource ? findRules(rules, resource.method, resource.pathSegments) : [];
    const refusal = applicable.map((rule) => checkRule(rule, caller)).find((r) => r !== undefined);
    return { context, caller, cached, resource, refusal };
  };

  return async (event, requestId) => {
    const started = clock();
    let request: AuthorizationRequest | undefined;
    try {
      request = parseAuthorizerEvent(event);
      const { context, caller, cached, resource, refusal } = await decide(request);
      log(started, refusal ? 'forbidden' : 'allow', refusal ?? 'allowed', {
        kind: request.kind,
        sub: context.sub,
        cached,
        requestId,
      });
      if (isSimple(request.kind) || resource === undefined) {
        return refusal ? { isAuthorized: false } : { isAuthorized: true, context };
      }
      const refusedAnywhere = rules.filter((rule) => checkRule(rule, caller) !== undefined);
      return buildPolicy(context.sub, resource.stageArn, refusedAnywhere, context);
    } catch (error) {
      const rejection =
        error instanceof TokenRejectedError
          ? error
          : new TokenRejectedError('verification_failed', `unexpected ${errorClass(error)}`, {
              cause: error,
            });
      log(started, 'unauthorized', rejection.reason, {
        kind: request?.kind,
        requestId,
        detail: rejection.message,
      });
      if (request === undefined || isRestKind(request.kind)) throw unauthorized();
      if (isSimple(request.kind)) return { isAuthorized: false };
      // HTTP APIs cannot be told "401" by an authorizer; an explicit Deny gives 403.
      const resource = parseResourceArn(request.resourceArn);
      if (resource === undefined) throw unauthorized();
      return buildDenyAllPolicy(resource.stageArn);
    }
  };
}
