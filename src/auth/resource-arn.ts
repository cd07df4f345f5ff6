/**
 * API Gateway names the called route by ARN: `methodArn` (REST, HTTP API payload 1.0) or
 * `routeArn` (HTTP API payload 2.0), e.g.
 * `arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/profiles/jane`. On AWS the path part
 * is the concrete request path as the client spelt it, not the route template
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-lambda-authorizer.html);
 * serverless-offline writes the template there instead.
 */
export interface ResourceArn {
  /** `arn:aws:execute-api:us-east-1:123456789012:abc123/prod`: everything a stage-wide policy covers. */
  stageArn: string;
  method: string;
  /** The concrete path without the stage: empty segments dropped, lower case (for rule matching). */
  path: readonly string[];
}

// The account is 12 digits on AWS; serverless-offline writes a placeholder there. Any token
// without `:` or `/` is accepted: the ARN comes from API Gateway, not from the caller.
const EXECUTE_API_ARN =
  /^(arn:aws[\w-]*:execute-api:[\w-]+:[^:/\s]+:[\w-]+\/[^/\s]+)\/([A-Z]+)\/([^\s]*)$/;

const MEMO_LIMIT = 256;
const memo = new Map<string, ResourceArn>();

/** `/Admin//whoami/` → `['admin', 'whoami']`: how rules see a concrete path. */
export function normalizePath(path: string): readonly string[] {
  return Object.freeze(
    path
      .toLowerCase()
      .split('/')
      .filter((segment) => segment !== ''),
  );
}

/**
 * Parses an execute-api ARN; `undefined` when it is not one (a malformed event). A container sees
 * the same few route ARNs again and again, so recent results are kept (bounded; cleared when full).
 */
export function parseResourceArn(arn: unknown): Readonly<ResourceArn> | undefined {
  if (typeof arn !== 'string' || arn.length > 2048) return undefined;
  const known = memo.get(arn);
  if (known !== undefined) return known;
  const parsed = parseArn(arn);
  if (parsed !== undefined) {
    if (memo.size >= MEMO_LIMIT) memo.clear();
    memo.set(arn, parsed);
  }
  return parsed;
}

function parseArn(arn: string): Readonly<ResourceArn> | undefined {
  const match = EXECUTE_API_ARN.exec(arn);
  if (match === null) return undefined;
  const [, stageArn = '', method = '', path = ''] = match;
  return Object.freeze({ stageArn, method, path: normalizePath(path) });
}
