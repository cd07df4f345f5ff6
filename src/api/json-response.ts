import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

/**
 * A JSON response. `Content-Type` is spelled as @middy/http-error-handler spells it on error
 * responses, so clients see one form; `no-store` because the bodies are personal data or live
 * status, neither of which a browser or proxy should keep.
 */
export function toJsonResponse(
  statusCode: number,
  body: unknown,
): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode,
    headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' },
    body: JSON.stringify(body),
  };
}
