/**
 * Shapes the authorizer's answer as API Gateway expects it. API Gateway caches the answer per
 * identity source (the token) for the authorizer's TTL and reuses it for every route of the
 * stage, so a policy must be right for all routes, not only the one being called
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-lambda-authorizer-cache.html).
 */
import type {
  APIGatewayAuthorizerWithContextResult,
  APIGatewaySimpleAuthorizerWithContextResult,
  Statement,
} from 'aws-lambda';
import type { AccessRule } from './access-rules';
import type { AuthorizerContext } from './authorizer-context';

export type PolicyResult = APIGatewayAuthorizerWithContextResult<AuthorizerContext>;
export type SimpleResult = APIGatewaySimpleAuthorizerWithContextResult<AuthorizerContext>;

const INVOKE = 'execute-api:Invoke';

/**
 * Allows the whole stage, then denies (explicit Deny wins in IAM evaluation) every spelling of
 * every rule-protected route this caller does not satisfy (see `toPolicyResources`), plus
 * `exactDeny`, the ARN of the current request when a rule refused it, so that request stays
 * refused under any spelling the patterns miss. A call to a denied route gets 403.
 */
export function buildPolicy(
  principalId: string,
  stageArn: string,
  refusedRules: readonly AccessRule[],
  context: AuthorizerContext,
  exactDeny?: string,
): PolicyResult {
  const statements: Statement[] = [{ Action: INVOKE, Effect: 'Allow', Resource: `${stageArn}/*` }];
  if (refusedRules.length > 0 || exactDeny !== undefined) {
    const resources: string[] = [];
    for (const rule of refusedRules) {
      for (const suffix of rule.policyResources) resources.push(`${stageArn}/${suffix}`);
    }
    if (exactDeny !== undefined && !resources.includes(exactDeny)) resources.push(exactDeny);
    statements.push({ Action: INVOKE, Effect: 'Deny', Resource: resources });
  }
  return {
    principalId,
    policyDocument: { Version: '2012-10-17', Statement: statements },
    context,
  };
}

/** An explicit Deny of the whole stage, for HTTP APIs answering with IAM policies. */
export function buildDenyAllPolicy(
  stageArn: string,
): APIGatewayAuthorizerWithContextResult<Record<string, never>> {
  return {
    principalId: 'anonymous',
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: INVOKE, Effect: 'Deny', Resource: `${stageArn}/*` }],
    },
    context: {},
  };
}
