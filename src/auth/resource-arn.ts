/**
 * API Gateway names the called route by ARN: `methodArn` (REST, HTTP API payload 1.0) or
 * `routeArn` (HTTP API payload 2.0), e.g.
 * `arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/profiles/jane`.
 */
export interface ResourceArn {
  /** `arn:aws:execute-api:us-east-1:123456789012:abc123/prod`: everything a stage-wide policy covers. */
  stageArn: string;
  method: string;
  /** The concrete path, split on `/`, without the stage. */
  pathSegments: string[];
}

const EXECUTE_API_ARN =
  /^(arn:aws[\w-]*:execute-api:[\w-]+:\d{12}:[\w-]+\/[^/\s]+)\/([A-Z]+)\/([^\s]*)$/;

/** Parses an execute-api ARN; `undefined` when it is not one (a malformed event). */
export function parseResourceArn(arn: unknown): ResourceArn | undefined {
  if (typeof arn !== 'string' || arn.length > 2048) return undefined;
  const match = EXECUTE_API_ARN.exec(arn);
  if (match === null) return undefined;
  const [, stageArn = '', method = '', path = ''] = match;
  return { stageArn, method, pathSegments: path === '' ? [] : path.split('/') };
}
