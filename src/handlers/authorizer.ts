/**
 * Lambda entry point of the API Gateway authorizer (REST TOKEN/REQUEST, HTTP API payload 1.0/2.0).
 * Everything at module scope runs once per container, during the cold start: configuration,
 * the verifier and its JWKS.
 */
import type { Context } from 'aws-lambda';
import { createAuthorizer, type AuthorizerResult } from '../auth/create-authorizer';
import type { AuthorizerEvent } from '../auth/authorizer-event';
import { loadJwksFile } from '../auth/load-jwks-file';
import { createTokenVerifier } from '../auth/token-verifier';
import { readAuthorizerConfig } from '../config';
import { createLogger } from '../logger';

const config = readAuthorizerConfig();
const logger = createLogger({ service: 'authorizer', level: config.logLevel });
const verifier = createTokenVerifier(config, {
  ...(config.jwksFile !== undefined && { jwks: loadJwksFile(config.jwksFile) }),
});
// Fetch the pool's JWKS while Lambda is still initialising, so the first request does not pay
// for it. Lambda freezes the container after init; the promise resumes on the first invocation.
const hydrated = verifier.hydrate();
const authorize = createAuthorizer(config, { verifier, logger });

export const handler = async (
  event: AuthorizerEvent,
  context?: Pick<Context, 'awsRequestId'>,
): Promise<AuthorizerResult> => {
  await hydrated;
  return authorize(event, context?.awsRequestId);
};
