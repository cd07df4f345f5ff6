import { GENERIC_MESSAGE } from './errors';

/** `GET /me` and `PATCH /me` answer with this (README "Profile API"). */
export interface Profile {
  id: string;
  sub: string;
  email: string;
  name: string;
  preferred_username: string;
  createdAt: string;
  updatedAt: string;
}

export interface ProfileUpdate {
  name?: string;
  preferred_username?: string;
}

/**
 * A failed API call. `code` is the API's (`invalid_name`, `handle_taken`, …), or `network_error` /
 * `internal_error` (message: the generic one), or `unauthorized` for a 401/403.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

function isProfile(value: unknown): value is Profile {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return ['id', 'sub', 'email', 'name', 'preferred_username'].every(
    (key) => typeof record[key] === 'string',
  );
}

/** The `{"error":{"code","message"}}` body, if that is what came back. */
function errorBody(value: unknown): { code: string; message: string } | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const error = (value as { error?: unknown }).error;
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, message } = error as { code?: unknown; message?: unknown };
  return typeof code === 'string' && typeof message === 'string' ? { code, message } : undefined;
}

async function call(
  apiUrl: string,
  accessToken: string,
  init: { method: 'GET' } | { method: 'PATCH'; body: ProfileUpdate },
): Promise<Profile> {
  let response: Response;
  try {
    response = await fetch(`${apiUrl}/me`, {
      method: init.method,
      headers: {
        Authorization: `Bearer ${accessToken}`,
        ...(init.method === 'PATCH' ? { 'Content-Type': 'application/json' } : {}),
      },
      ...(init.method === 'PATCH' ? { body: JSON.stringify(init.body) } : {}),
    });
  } catch {
    throw new ApiError(0, 'network_error', GENERIC_MESSAGE);
  }
  const body: unknown = await response.json().catch(() => undefined);
  if (response.ok && isProfile(body)) return body;
  if (response.status === 401 || response.status === 403) {
    throw new ApiError(response.status, 'unauthorized', 'Your session has ended. Sign in again.');
  }
  const error = errorBody(body);
  if (response.status >= 500 || error === undefined) {
    throw new ApiError(response.status, 'internal_error', GENERIC_MESSAGE);
  }
  throw new ApiError(response.status, error.code, error.message);
}

export function getMe(apiUrl: string, accessToken: string): Promise<Profile> {
  return call(apiUrl, accessToken, { method: 'GET' });
}

export function updateMe(
  apiUrl: string,
  accessToken: string,
  update: ProfileUpdate,
): Promise<Profile> {
  return call(apiUrl, accessToken, { method: 'PATCH', body: update });
}
