import middy from '@middy/core';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import {
  BadRequestError,
  ForbiddenError,
  HttpError,
  InternalError,
  ServiceUnavailableError,
} from '../../../src/api/http-error';
import { toHttpError, withHttpErrors } from '../../../src/api/with-http-errors';
import { HandleTakenError } from '../../../src/profile/store/profile-store';
import { ProfileValidationError } from '../../../src/profile/rules/validation-error';
import { captureLogs } from '../../support/capture-logs';
import { LAMBDA_CONTEXT } from '../../fixtures/api/api-events';
import { expectErrorResponse, readJsonBody } from '../../support/api-responses';

function handlerThrowing(error: unknown) {
  const capture = captureLogs();
  const handler = middy<unknown, APIGatewayProxyStructuredResultV2>()
    .use(withHttpErrors(capture.logger))
    .handler(() => Promise.reject(error as Error));
  return { invoke: () => handler({}, LAMBDA_CONTEXT), lines: capture.lines };
}

describe('HttpError', () => {
  it('exposes 4xx messages and hides 5xx ones', () => {
    expect(new ForbiddenError('no')).toMatchObject({
      name: 'ForbiddenError',
      statusCode: 403,
      code: 'forbidden',
      expose: true,
    });
    expect(new InternalError('bug')).toMatchObject({ name: 'InternalError', expose: false });
    expect(new HttpError(502, 'bad_gateway', 'upstream')).toMatchObject({ expose: false });
  });

  it('serializes to the error body', () => {
    expect(JSON.stringify(new BadRequestError('invalid_json', 'Send JSON.'))).toBe(
      '{"error":{"code":"invalid_json","message":"Send JSON."}}',
    );
  });
});

describe('toHttpError', () => {
  it('maps a ProfileValidationError to 400 named after the field', () => {
    expect(toHttpError(new ProfileValidationError('name', 'must be text'))).toMatchObject({
      statusCode: 400,
      code: 'invalid_name',
      message: 'Display name must be text',
    });
  });

  it('maps a HandleTakenError to 409', () => {
    expect(toHttpError(new HandleTakenError('ada'))).toMatchObject({
      statusCode: 409,
      code: 'handle_taken',
      message: 'Handle is already taken; choose another',
    });
  });

  it('leaves anything else unmapped', () => {
    expect(toHttpError(new Error('boom'))).toBeUndefined();
    expect(toHttpError('boom')).toBeUndefined();
  });
});

describe('withHttpErrors', () => {
  it('answers an exposed HttpError with its status and the JSON error body', async () => {
    const { invoke, lines } = handlerThrowing(new ForbiddenError('Admins only.'));
    const response = await invoke();
    expect(expectErrorResponse(response, 403, 'forbidden')).toBe('Admins only.');
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 'INFO',
        message: 'request rejected',
        requestId: LAMBDA_CONTEXT.awsRequestId,
        code: 'forbidden',
      }),
    );
  });

  it('answers a 503 with its fixed message and logs the cause', async () => {
    const { invoke, lines } = handlerThrowing(
      new ServiceUnavailableError({ cause: new Error('ThrottlingException: slow down') }),
    );
    expect(expectErrorResponse(await invoke(), 503, 'service_unavailable')).toBe(
      'The service is temporarily unavailable; try again shortly.',
    );
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 'ERROR',
        requestId: LAMBDA_CONTEXT.awsRequestId,
        cause: 'Error: ThrottlingException: slow down',
      }),
    );
  });

  it.each([
    ['a plain Error', new Error('connect ECONNREFUSED 10.0.0.5:5432 password=hunter2')],
    ['an unexposed HttpError', new InternalError('SELECT * FROM profiles failed')],
    [
      'a library error with a 4xx statusCode',
      Object.assign(new Error('secret detail'), { statusCode: 400 }),
    ],
    ['a thrown string', 'secret detail'],
  ])('answers %s with a generic 500 and logs it with the request id', async (_what, error) => {
    const { invoke, lines } = handlerThrowing(error);
    const response = await invoke();
    expectErrorResponse(response, 500, 'internal_error');
    expect(readJsonBody(response)).toEqual({
      error: { code: 'internal_error', message: 'Something went wrong on our side.' },
    });
    expect(response.body).not.toMatch(/secret|ECONNREFUSED|SELECT|password/);
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 'ERROR',
        message: 'request failed',
        requestId: LAMBDA_CONTEXT.awsRequestId,
      }),
    );
  });
});
