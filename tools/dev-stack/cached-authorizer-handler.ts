/**
 * The authorizer as the local stacks run it with `AUTHORIZER_CACHE=emulate`: API Gateway's result
 * cache (./authorizer-cache.ts) in front of the unchanged production handler. Only
 * tools/serverless/emulate-authorizer-cache.cjs points serverless.yml's `authorizer` function here,
 * and only for `serverless offline`; the deployed bundle is src/handlers/authorizer.ts alone.
 *
 * A cache hit does not run the production handler, as on AWS: no decision line is logged for it
 * (that is how an operator tells hits from invocations), only the `authorizer cache hit` line here.
 * The token, the identity source values and the cache key are never logged.
 */
import type { Context } from 'aws-lambda';
import { handler as authorizerHandler } from '../../src/handlers/authorizer';
import type { AuthorizerEvent } from '../../src/auth/authorizer-event';
import type { AuthorizerResult } from '../../src/auth/create-authorizer';
import { createLogger } from '../../src/logger';
import { createAuthorizerCache, parseAuthorizerCacheSettings } from './authorizer-cache';
import { decideAnswer } from './evaluate-policy';

/** The variable the plugin passes the settings in (JSON: identitySources, ttlSeconds). */
export const SETTINGS_VARIABLE = 'AUTHORIZER_CACHE_SETTINGS';

const settings = parseAuthorizerCacheSettings(process.env[SETTINGS_VARIABLE]);
const cache = createAuthorizerCache(settings);
const logger = createLogger({ service: 'authorizer-cache', level: 'INFO' });

function describeRoute(event: AuthorizerEvent): string | undefined {
  const fields = event as unknown as Record<string, unknown>;
  for (const name of ['routeKey', 'methodArn', 'routeArn']) {
    const value = fields[name];
    if (typeof value === 'string') return value;
  }
  return undefined;
}

export const handler = async (
  event: AuthorizerEvent,
  context?: Pick<Context, 'awsRequestId'>,
): Promise<AuthorizerResult> => {
  const { answer, cached, ageSeconds } = await cache.answer(event, () =>
    authorizerHandler(event, context),
  );
  if (cached) {
    logger.info('authorizer cache hit', {
      route: describeRoute(event),
      decision: decideAnswer(answer, event),
      ageSeconds,
      ttlSeconds: settings.ttlSeconds,
    });
  }
  return answer;
};
