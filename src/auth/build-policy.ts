/**
 * Shapes the authorizer's answer as API Gateway expects it. API Gateway caches the answer per
 * identity source (the token) for the authorizer's TTL and reuses it for every route of the
 * stage, so a policy must be right for all routes, not only the one being called.
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

/** `GET /profiles/{handle}` as an execute-api resource under the stage: `.../GET/profiles/*`. */
export function toRuleResource(stageArn: string, rule: AccessRule): string {
  const method = rule.method === 'ANY' ? '*' : rule.method;
  const path = rule.segments.map((segment) => (segment.startsWith('{') ? '*' : segment)).join('/');
  return `${stageArn}/${method}/${path}`;
}

/**
 * Allows the whole stage, then denies (explicit Deny wins in IAM evaluation) every rule-protected
 * route this caller does not satisfy. A call to a denied route gets 403.
 */
export function buildPolicy(
  principalId: string,
  stageArn: string,
  refusedRules: readonly AccessRule[],
  context: AuthorizerContext,
): PolicyResult {
  const statements: Statement[] = [{ Action: INVOKE, Effect: 'Allow', Resource: `${stageArn}/*` }];
  if (refusedRules.length > 0) {
    statements.push({
      Action: INVOKE,
      Effect: 'Deny',
      Resource: refusedRules.map((rule) => toRuleResource(stageArn, rule)),
    });
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
