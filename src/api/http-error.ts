/**
 * Request errors of the profile API. Each carries the HTTP status, a stable snake_case `code` and a
 * message that tells the client what to fix; `expose` says whether the message may reach the
 * client (by default only for 4xx). `with-http-errors.ts` is the one place that turns them, and
 * anything else thrown, into a response.
 */

/** The body of every error response. */
export interface ErrorBody {
  error: { code: string; message: string };
}

export interface HttpErrorOptions extends ErrorOptions {
  /** Overrides `statusCode < 500`: only for 5xx errors whose message is fixed and ours. */
  expose?: boolean;
  /** Response headers that belong to this error (`Retry-After`). */
  headers?: Readonly<Record<string, string>>;
}

export class HttpError extends Error {
  /** Whether {@link message} may be sent to the client. */
  readonly expose: boolean;
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    readonly statusCode: number,
    /** Stable, snake_case, for clients to branch on. */
    readonly code: string,
    message: string,
    options: HttpErrorOptions = {},
  ) {
    super(message, options);
    this.name = new.target.name;
    this.expose = options.expose ?? statusCode < 500;
    this.headers = options.headers ?? {};
  }

  /** The response body; only meaningful when {@link expose} is `true`. */
  toJSON(): ErrorBody {
    return { error: { code: this.code, message: this.message } };
  }
}

/** 400: the request is malformed or a field is invalid. */
export class BadRequestError extends HttpError {
  constructor(code: string, message: string, options?: ErrorOptions) {
    super(400, code, message, options);
  }
}

/** 403: the caller is known but may not use this route. */
export class ForbiddenError extends HttpError {
  constructor(message: string, options?: ErrorOptions & { code?: string }) {
    super(403, options?.code ?? 'forbidden', message, options);
  }
}

/** 404: what the request names does not exist. */
export class NotFoundError extends HttpError {
  constructor(code: string, message: string, options?: ErrorOptions) {
    super(404, code, message, options);
  }
}

/** 409: the request conflicts with the current state (a handle held by someone else). */
export class ConflictError extends HttpError {
  constructor(code: string, message: string, options?: ErrorOptions) {
    super(409, code, message, options);
  }
}

/** 413: the body is larger than the route accepts. */
export class PayloadTooLargeError extends HttpError {
  constructor(maxBytes: number, options?: ErrorOptions) {
    super(413, 'payload_too_large', `The body must be at most ${maxBytes} bytes.`, options);
  }
}

/** 415: the body is not in a format the route accepts. */
export class UnsupportedMediaTypeError extends HttpError {
  constructor(message: string, options?: ErrorOptions) {
    super(415, 'unsupported_media_type', message, options);
  }
}

/**
 * Seconds a client should wait before trying again after a 503: a database restart or failover
 * takes seconds (https://www.rfc-editor.org/rfc/rfc9110#field.retry-after).
 */
export const RETRY_AFTER_SECONDS = 2;

/**
 * 503: a service we depend on (the database, Cognito) did not answer; trying again later may
 * work, and `Retry-After` says when. Exposed, because its message is fixed and says nothing
 * internal; the cause goes to the log.
 */
export class ServiceUnavailableError extends HttpError {
  constructor(options?: ErrorOptions) {
    super(
      503,
      'service_unavailable',
      'The service is temporarily unavailable; try again shortly.',
      { ...options, expose: true, headers: { 'Retry-After': String(RETRY_AFTER_SECONDS) } },
    );
  }
}

/** 500: our fault (misconfiguration, a bug). Never exposed: clients get a generic message. */
export class InternalError extends HttpError {
  constructor(message: string, options?: ErrorOptions) {
    super(500, 'internal_error', message, options);
  }
}

/** The body sent for every unexposed error. */
export const INTERNAL_ERROR_BODY: ErrorBody = {
  error: { code: 'internal_error', message: 'Something went wrong on our side.' },
};
