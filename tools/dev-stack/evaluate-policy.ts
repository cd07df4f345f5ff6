/**
 * How API Gateway judges a (cached) authorizer policy for one request: an explicit `Deny` whose
 * resource matches the request's ARN wins, else an `Allow` that matches lets it through, else it
 * is refused (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html).
 * Resources match with IAM's wildcards: `*` any run of characters, `/` included, `?` exactly one
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html).
 * Only `execute-api:Invoke` statements (or `*`, `execute-api:*`) count.
 */

export type PolicyDecision = 'allow' | 'deny';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function toList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [value];
}

function resourceMatches(pattern: string, arn: string): boolean {
  const source = pattern.replace(/[.+^${}()|[\]\\*?]/gu, (c) =>
    c === '*' ? '.*' : c === '?' ? '.' : `\\${c}`,
  );
  return new RegExp(`^${source}$`, 'su').test(arn);
}

function coversInvoke(action: unknown): boolean {
  return toList(action).some(
    (a) =>
      typeof a === 'string' &&
      ['execute-api:invoke', 'execute-api:*', '*'].includes(a.toLowerCase()),
  );
}

function statementsMatching(policyDocument: unknown, arn: string, effect: string): boolean {
  if (!isRecord(policyDocument)) return false;
  return toList(policyDocument.Statement).some(
    (statement) =>
      isRecord(statement) &&
      statement.Effect === effect &&
      coversInvoke(statement.Action) &&
      toList(statement.Resource).some(
        (resource) => typeof resource === 'string' && resourceMatches(resource, arn),
      ),
  );
}

/** What `policyDocument` decides for a request to `arn` (its `methodArn` or `routeArn`). */
export function evaluatePolicy(policyDocument: unknown, arn: string): PolicyDecision {
  if (statementsMatching(policyDocument, arn, 'Deny')) return 'deny';
  return statementsMatching(policyDocument, arn, 'Allow') ? 'allow' : 'deny';
}

/**
 * What an authorizer answer decides for the request `event`: a simple response's `isAuthorized`,
 * or the policy evaluated against the event's `methodArn` / `routeArn`.
 */
export function decideAnswer(answer: unknown, event: unknown): PolicyDecision {
  if (!isRecord(answer)) return 'deny';
  if ('isAuthorized' in answer) return answer.isAuthorized === true ? 'allow' : 'deny';
  const arn = isRecord(event) ? (event.methodArn ?? event.routeArn) : undefined;
  return typeof arn === 'string' ? evaluatePolicy(answer.policyDocument, arn) : 'deny';
}
