/**
 * Optional per-route access rules: which Cognito groups and/or OAuth scopes a route requires.
 *
 * Declared as JSON in `ACCESS_RULES`, for example
 * `[{"route":"GET /profiles/{handle}","groups":["admin"]}]`, and validated at cold start: a rule set
 * that cannot be read stops the function; it never opens access.
 */
import { ConfigError } from '../config-error';

export const HTTP_METHODS = [
  'GET',
  'POST',
  'PUT',
  'PATCH',
  'DELETE',
  'HEAD',
  'OPTIONS',
  'ANY',
] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export interface AccessRule {
  /** As written, for logs and error messages: `GET /profiles/{handle}`. */
  route: string;
  method: HttpMethod;
  /** Path template segments; `{name}` matches one segment, `{name+}` one or more. */
  segments: readonly string[];
  /** The caller must be in at least one of these groups (when given). */
  groups: readonly string[];
  /** The caller's token must carry every one of these scopes (when given). */
  scopes: readonly string[];
}

const RULE_KEYS = new Set(['route', 'groups', 'scopes']);
const ROUTE = /^([A-Z]+) (\/[^\s]*)$/;
const LITERAL_SEGMENT = /^[A-Za-z0-9._~-]+$/;
const PARAM_SEGMENT = /^\{[A-Za-z_][A-Za-z0-9_]*\+?\}$/;
const NAME = /^[\w+./:@-]{1,128}$/;

function parseNames(value: unknown, where: string, variable: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.length === 0) {
    throw new ConfigError(variable, `${where} must be a non-empty array of strings when given`);
  }
  return value.map((name: unknown) => {
    if (typeof name !== 'string' || !NAME.test(name)) {
      throw new ConfigError(
        variable,
        `${where} must hold names of 1-128 letters, digits or _ + . / : @ -; got ${JSON.stringify(name)}`,
      );
    }
    return name;
  });
}

function parseRoute(value: unknown, where: string, variable: string) {
  const match = typeof value === 'string' ? ROUTE.exec(value) : null;
  const method = match?.[1];
  const path = match?.[2];
  if (method === undefined || path === undefined) {
    throw new ConfigError(variable, `${where}.route must look like "GET /profiles/{handle}"`);
  }
  if (!(HTTP_METHODS as readonly string[]).includes(method)) {
    throw new ConfigError(
      variable,
      `${where}.route method must be one of ${HTTP_METHODS.join(', ')}`,
    );
  }
  const segments = path === '/' ? [] : path.slice(1).split('/');
  segments.forEach((segment, index) => {
    const isGreedy = segment.endsWith('+}');
    if (!LITERAL_SEGMENT.test(segment) && !PARAM_SEGMENT.test(segment)) {
      throw new ConfigError(
        variable,
        `${where}.route segment "${segment.slice(0, 40)}" must be a literal or a {parameter}`,
      );
    }
    if (isGreedy && index !== segments.length - 1) {
      throw new ConfigError(
        variable,
        `${where}.route may use a {greedy+} parameter only at the end`,
      );
    }
  });
  return { method: method as HttpMethod, segments };
}

/** Parses and validates the JSON rule set; an empty string means "no rules". */
export function parseAccessRules(json: string, variable: string): AccessRule[] {
  if (json.trim() === '') return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (error) {
    throw new ConfigError(variable, 'must be a JSON array of rules', { cause: error });
  }
  if (!Array.isArray(parsed)) throw new ConfigError(variable, 'must be a JSON array of rules');

  const seen = new Set<string>();
  return parsed.map((raw: unknown, index): AccessRule => {
    const where = `rule ${index}`;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      throw new ConfigError(variable, `${where} must be an object`);
    }
    const unknownKey = Object.keys(raw).find((key) => !RULE_KEYS.has(key));
    if (unknownKey !== undefined) {
      throw new ConfigError(
        variable,
        `${where} has unknown key "${unknownKey.slice(0, 40)}" (allowed: route, groups, scopes)`,
      );
    }
    const record = raw as Record<string, unknown>;
    const { method, segments } = parseRoute(record.route, where, variable);
    const groups = parseNames(record.groups, `${where}.groups`, variable);
    const scopes = parseNames(record.scopes, `${where}.scopes`, variable);
    if (groups.length === 0 && scopes.length === 0) {
      throw new ConfigError(variable, `${where} must require groups, scopes or both`);
    }
    const route = `${method} /${segments.join('/')}`;
    if (seen.has(route)) throw new ConfigError(variable, `${where} repeats route ${route}`);
    seen.add(route);
    return { route, method, segments, groups, scopes };
  });
}

function matchesPath(template: readonly string[], path: readonly string[]): boolean {
  for (let i = 0; i < template.length; i += 1) {
    const segment = template[i] ?? '';
    if (segment.endsWith('+}')) return path.length > i;
    const actual = path[i];
    if (actual === undefined || actual === '') return false;
    if (!segment.startsWith('{') && segment !== actual) return false;
  }
  return path.length === template.length;
}

/** The rules that apply to a concrete request (method and path as API Gateway resolved them). */
export function findRules(
  rules: readonly AccessRule[],
  method: string,
  pathSegments: readonly string[],
): AccessRule[] {
  return rules.filter(
    (rule) =>
      (rule.method === 'ANY' || rule.method === method) && matchesPath(rule.segments, pathSegments),
  );
}

export interface Entitlements {
  groups: readonly string[];
  scopes: readonly string[];
}

/** Why a rule refuses a caller, or `undefined` when the caller satisfies it. */
export function checkRule(
  rule: AccessRule,
  caller: Entitlements,
): 'missing_group' | 'missing_scope' | undefined {
  if (rule.groups.length > 0 && !rule.groups.some((group) => caller.groups.includes(group))) {
    return 'missing_group';
  }
  if (!rule.scopes.every((scope) => caller.scopes.includes(scope))) return 'missing_scope';
  return undefined;
}
