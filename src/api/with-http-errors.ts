/**
 * The one place that turns errors into HTTP responses, for every API handler:
 *
 * - {@link HttpError}s that may be shown become `{"error":{"code","message"}}` with their status;
 * - the domain errors of the profile store and normalizers become 400 and 409 first;
 * - a transient database failure (unreachable, restarting, too many connections, a dead
 *   connection) becomes 503 `service_unavailable` with `Retry-After`: the client may try again;
 * - everything else (bugs, database failures, unexposed 5xx) becomes a 500 with a fixed body that
 *   says nothing internal, and is logged with the request id.
 *
 * Formatting is left to @middy/http-error-handler: it answers with `error.message` as body for
 * exposed errors and with `fallbackMessage` for the rest, so our middleware hands it an error whose
 * message is the JSON body. Its own `logger` option is off because it receives only the error; ours
 * logs with `context.awsRequestId`.
 */
import type { MiddlewareObj } from '@middy/core';
import httpErrorHandler from '@middy/http-error-handler';
import { describeError, type Logger } from '../logger';
import { HANDLE_TAKEN_EXPECTATION } from '../profile/rules/normalize-handle';
import { HandleTakenError } from '../profile/store/profile-store';
import { describeFieldProblem, ProfileValidationError } from '../profile/rules/validation-error';
import {
  ConflictError,
  BadRequestError,
  HttpError,
  INTERNAL_ERROR_BODY,
  InternalError,
  ServiceUnavailableError,
} from './http-error';
import { isTransientDatabaseError } from '../profile/store/transient-error';

/**
 * What @middy/http-error-handler formats: the status, `expose`, and the body as `message` (it sets
 * `Content-Type: application/json` because the message parses as JSON).
 */
class ErrorResponse extends Error {
  readonly expose = true;

  constructor(
    readonly statusCode: number,
    body: string,
    readonly headers: Readonly<Record<string, string>>,
    options?: ErrorOptions,
  ) {
    super(body, options);
    this.name = 'ErrorResponse';
  }
}

/**
 * The {@link HttpError} an error stands for: itself, or the HTTP form of a domain error; `undefined`
 * for anything else (which can only be a 500).
 */
export function toHttpError(error: unknown): HttpError | undefined {
  if (error instanceof HttpError) return error;
  if (error instanceof ProfileValidationError) {
    return new BadRequestError(`invalid_${error.field}`, error.message, { cause: error });
  }
  if (error instanceof HandleTakenError) {
    return new ConflictError(
      'handle_taken',
      describeFieldProblem('preferred_username', HANDLE_TAKEN_EXPECTATION),
      { cause: error },
    );
  }
  if (isTransientDatabaseError(error)) return new ServiceUnavailableError({ cause: error });
  return undefined;
}

function describeCause(error: unknown): string | undefined {
  return error instanceof Error && error.cause !== undefined
    ? describeError(error.cause)
    : undefined;
}

/** Maps and logs the error, leaving the response to @middy/http-error-handler. */
function translateErrors(logger: Logger): MiddlewareObj {
  return {
    onError: (request) => {
      const { error } = request;
      if (request.response !== undefined || error === null) return;
      const requestId = request.context.awsRequestId;
      const httpError = toHttpError(error);
      if (httpError?.expose === true) {
        const fields = {
          requestId,
          statusCode: httpError.statusCode,
          code: httpError.code,
          error: describeError(error),
          cause: describeCause(httpError),
        };
        if (httpError.statusCode >= 500) logger.error('request failed', fields);
        else logger.info('request rejected', fields);
        request.error = new ErrorResponse(
          httpError.statusCode,
          JSON.stringify(httpError.toJSON()),
          httpError.headers,
          { cause: error },
        );
        return;
      }
      logger.error('request failed', {
        requestId,
        error: describeError(error),
        cause: describeCause(error),
      });
      // Replaced, so that no error of a library that happens to carry a 4xx `statusCode` can put
      // its own message in front of the client.
      request.error = new InternalError('unexposed error', { cause: error });
    },
  };
}

/**
 * The error handling of every API handler; attach it first: `middy().use(withHttpErrors(logger))`.
 * Every error response has the body `{"error":{"code":"<snake_case>","message":"<what to fix>"}}`.
 */
export function withHttpErrors(logger: Logger): MiddlewareObj[] {
  // middy runs onError middlewares last-attached first: translateErrors, then the formatter.
  return [
    httpErrorHandler({ fallbackMessage: JSON.stringify(INTERNAL_ERROR_BODY), logger: false }),
    translateErrors(logger),
  ];
}
