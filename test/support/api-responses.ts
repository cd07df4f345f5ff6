/**
 * Assertions on the profile API's responses (the events they answer are in test/fixtures/api).
 */
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

/** The parsed JSON body of a response. */
export function readJsonBody(response: APIGatewayProxyStructuredResultV2): unknown {
  if (typeof response.body !== 'string') throw new Error('response has no body');
  return JSON.parse(response.body);
}

/**
 * Asserts an error response: its status, `Content-Type: application/json`, and a body of exactly
 * `{"error":{"code","message"}}` with the given code.
 */
export function expectErrorResponse(
  response: APIGatewayProxyStructuredResultV2,
  statusCode: number,
  code: string,
): string {
  expect(response.statusCode).toBe(statusCode);
  expect(response.headers?.['Content-Type']).toBe('application/json');
  const body = readJsonBody(response);
  expect(body).toEqual({ error: { code, message: expect.any(String) as unknown } });
  expect(Object.keys(body as object)).toEqual(['error']);
  expect(Object.keys((body as { error: object }).error).sort()).toEqual(['code', 'message']);
  return (body as { error: { message: string } }).error.message;
}
