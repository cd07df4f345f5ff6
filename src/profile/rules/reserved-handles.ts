import { toAsciiLowerCase } from './to-ascii-lower-case';

/**
 * Handles nobody may choose, in lower case: names that could pass for staff or the system, the
 * API's route names (a profile at `/profiles/login` would be ambiguous in links), the role
 * mailboxes of RFC 2142, and the JavaScript values that leak into strings by mistake.
 */
export const RESERVED_HANDLES: readonly string[] = Object.freeze([
  // Staff and system
  'admin',
  'administrator',
  'moderator',
  'root',
  'superuser',
  'system',
  'support',
  'help',
  'security',
  'staff',
  'official',
  'cognito',
  // Route names
  'api',
  'www',
  'me',
  'health',
  'profiles',
  'profile',
  'auth',
  'login',
  'logout',
  'signin',
  'signup',
  'settings',
  'static',
  'assets',
  'status',
  'about',
  // Role mailboxes (RFC 2142)
  'abuse',
  'postmaster',
  'hostmaster',
  'webmaster',
  'noreply',
  // Values that end up in strings by mistake
  'null',
  'undefined',
  'nan',
  'true',
  'false',
  'anonymous',
]);

const reservedHandleSet: ReadonlySet<string> = new Set(RESERVED_HANDLES);

/** Whether `handle` is one of {@link RESERVED_HANDLES}, ignoring ASCII case. */
export function isReservedHandle(handle: string): boolean {
  return reservedHandleSet.has(toAsciiLowerCase(handle));
}
