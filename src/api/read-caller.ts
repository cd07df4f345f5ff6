/**
 * Who is calling, read from the context our authorizer attached to the request. That context is
 * the only source of identity: API Gateway writes `requestContext.authorizer` itself, whereas the
 * body, query and headers are the client's to choose. The event is still read as untrusted data.
 */
import { InternalError } from './http-error';

export interface Caller {
  /** The Cognito user's `sub`. */
  sub: string;
  /** The Cognito user name (`username` / `cognito:username`); empty when the context has none. */
  username: string;
  /** `access` or `id`. */
  tokenUse: string;
  /** Only id tokens carry the email. */
  email: string | undefined;
  /** The caller's Cognito groups. */
  groups: string[];
}

/**
 * A protected route ran without the authorizer's context: the route is misconfigured (no
 * authorizer attached), which is our fault, hence a 500.
 */
export class MissingAuthorizerContextError extends InternalError {
  constructor(detail: string) {
    super(`request reached a protected route without a valid authorizer context: ${detail}`);
  }
}

// Cognito subs are UUIDs; anything printable, without spaces, is accepted as a defence in depth
// against control characters reaching logs and SQL parameters, not as a format check.
const SUB = /^[\x21-\x7e]{1,128}$/;
// Cognito user names: up to 128 characters, no whitespace or control characters.
const USERNAME = /^[^\p{White_Space}\p{Cc}]{1,128}$/u;
const MAX_FIELD_LENGTH = 2048;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readText(context: Record<string, unknown>, key: string): string {
  const value = context[key];
  return typeof value === 'string' && value.length <= MAX_FIELD_LENGTH ? value : '';
}

/** The authorizer context (`requestContext.authorizer.lambda`), if the event has one. */
function readAuthorizerContext(event: unknown): Record<string, unknown> | undefined {
  if (!isRecord(event) || !isRecord(event.requestContext)) return undefined;
  const { authorizer } = event.requestContext;
  if (!isRecord(authorizer) || !isRecord(authorizer.lambda)) return undefined;
  return authorizer.lambda;
}

/**
 * Reads and validates the caller of an HTTP API (payload 2.0) request.
 *
 * @throws {@link MissingAuthorizerContextError} when the context or its `sub` is missing or malformed
 */
export function readCaller(event: unknown): Caller {
  const context = readAuthorizerContext(event);
  if (context === undefined) throw new MissingAuthorizerContextError('no context');
  const sub = readText(context, 'sub');
  if (!SUB.test(sub)) throw new MissingAuthorizerContextError('no valid sub');
  const username = readText(context, 'username');
  const email = readText(context, 'email');
  return {
    sub,
    username: USERNAME.test(username) ? username : '',
    tokenUse: readText(context, 'tokenUse'),
    email: email === '' ? undefined : email,
    groups: readText(context, 'groups')
      .split(',')
      .map((group) => group.trim())
      .filter((group) => group !== ''),
  };
}
