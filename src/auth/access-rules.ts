/**
 * Optional per-route access rules: what a caller needs (groups, scopes, a kind of principal, a
 * recent or strong sign-in) to use a route.
 *
 * Declared as JSON in `ACCESS_RULES`, for example
 * `[{"route":"GET /profiles/{handle}","groups":["admin"]}]`, and validated at cold start: a rule set
 * that cannot be read, or has a key this version does not know, stops the function; it never opens
 * access. Each rule is compiled once, here: its method set, its template and the execute-api policy
 * resources that refuse it, so the request path does no parsing.
 */
import { ConfigError } from '../config-error';
import { isRecord } from '../is-record';

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

export const PRINCIPAL_KINDS = ['user', 'machine'] as const;
/** `machine`: a client-credentials access token (no user behind it); `user`: everything else. */
export type PrincipalKind = (typeof PRINCIPAL_KINDS)[number];

export interface AccessRule {
  /** As written, normalized, for logs and error messages: `GET /profiles/{handle}`. */
  route: string;
  method: HttpMethod;
  /** The request methods the rule covers; `undefined` for `ANY` (every method). */
  methods: ReadonlySet<string> | undefined;
  /** Path template segments; `{name}` matches one segment, `{name+}` one or more. */
  segments: readonly string[];
  /** The caller must be in at least one of these groups (when given). */
  groups: readonly string[];
  /** The caller's token must carry every one of these scopes (when given). */
  scopes: readonly string[];
  /** The caller must be this kind of principal (when given). */
  principal: PrincipalKind | undefined;
  /** The token's `amr` must contain at least one of these (when given): step-up. */
  amr: readonly string[];
  /** The sign-in (`auth_time`) must be at most this many seconds old (when given): step-up. */
  maxAuthAgeSeconds: number | undefined;
  /**
   * execute-api resource suffixes (`GET/profiles/?*`, `HEAD/profiles/?*`, …) that a stage-wide
   * policy denies when the caller does not satisfy the rule; see {@link toPolicyResources}.
   */
  policyResources: readonly string[];
}

const RULE_KEYS = [
  'route',
  'groups',
  'scopes',
  'principal',
  'amr',
  'maxAuthAgeSeconds',
  'includeHead',
] as const;
const ROUTE = /^([A-Z]+) (\/[^\s]*)$/;
const LITERAL_SEGMENT = /^[A-Za-z0-9._~-]+$/;
const PARAM_SEGMENT = /^\{[A-Za-z_][A-Za-z0-9_]*\+?\}$/;
const NAME = /^[\w+./:@-]{1,128}$/;
/** Cognito's longest token lifetime is a day; a longer bound would never refuse anything. */
const MAX_AUTH_AGE_SECONDS = 24 * 60 * 60;

export function isParameter(segment: string): boolean {
  return segment.startsWith('{') && segment.endsWith('}');
}

export function isGreedy(segment: string): boolean {
  return segment.startsWith('{') && segment.endsWith('+}');
}

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
    if (!LITERAL_SEGMENT.test(segment) && !PARAM_SEGMENT.test(segment)) {
      throw new ConfigError(
        variable,
        `${where}.route segment "${segment.slice(0, 40)}" must be a literal or a {parameter}`,
      );
    }
    if (isGreedy(segment) && index !== segments.length - 1) {
      throw new ConfigError(
        variable,
        `${where}.route may use a {greedy+} parameter only at the end`,
      );
    }
  });
  return { method: method as HttpMethod, segments };
}

function parsePrincipal(value: unknown, where: string, variable: string) {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !(PRINCIPAL_KINDS as readonly string[]).includes(value)) {
    throw new ConfigError(variable, `${where}.principal must be "user" or "machine" when given`);
  }
  return value as PrincipalKind;
}

function parseMaxAuthAge(value: unknown, where: string, variable: string) {
  if (value === undefined) return undefined;
  if (
    typeof value !== 'number' ||
    !Number.isInteger(value) ||
    value < 1 ||
    value > MAX_AUTH_AGE_SECONDS
  ) {
    throw new ConfigError(
      variable,
      `${where}.maxAuthAgeSeconds must be a whole number of seconds from 1 to ${MAX_AUTH_AGE_SECONDS} when given`,
    );
  }
  return value;
}

function parseIncludeHead(value: unknown, method: HttpMethod, where: string, variable: string) {
  if (value === undefined) return method === 'GET';
  if (typeof value !== 'boolean') {
    throw new ConfigError(variable, `${where}.includeHead must be true or false when given`);
  }
  if (method !== 'GET') {
    throw new ConfigError(variable, `${where}.includeHead applies only to GET routes`);
  }
  return value;
}

/**
 * The execute-api resource suffixes (after `<stage ARN>/`) that refuse a rule in a stage-wide
 * IAM policy (REST, HTTP API payload 1.0 or `iam` responses). API Gateway caches that policy under
 * the token and evaluates it against the `methodArn` of every later request, and a `methodArn`
 * carries the concrete path as the client spelt it, so each spelling the gateway routes to the
 * protected resource needs a pattern:
 * - `{param}` and `{param+}` become `?*`: one or more characters. (IAM's `*` also matches `/`:
 *   there is no one-segment wildcard, https://repost.aws/questions/QU4Fkm_neaTBu6ub8RJsgFTQ; the
 *   `?` keeps `/profiles/` — the resource `/profiles` with a trailing slash — out of
 *   `/profiles/{handle}`'s patterns.)
 * - a trailing slash: REST and HTTP APIs route `/hello/` to `/hello`
 *   (https://github.com/aws-powertools/powertools-lambda-python/issues/1552), so a template ending
 *   in a literal also gets `<path>/`; one ending in a parameter is covered by its `?*`.
 * - one repeated slash at any position (`//admin/whoami`, `/admin//whoami`): AWS does not document
 *   how it routes those; they are refused rather than trusted.
 * - `GET` also covers `HEAD` unless the rule says `"includeHead": false`; `ANY` becomes `*`.
 */
export function toPolicyResources(
  method: HttpMethod,
  segments: readonly string[],
  includeHead: boolean,
): string[] {
  const parts = segments.map((segment) => (isParameter(segment) ? '?*' : segment));
  const spellings = [parts.join('/')];
  for (let i = 0; i < parts.length; i += 1) {
    spellings.push([...parts.slice(0, i), '', ...parts.slice(i)].join('/'));
  }
  const last = segments[segments.length - 1];
  const endsInLiteral = last !== undefined && !isParameter(last);
  const paths = endsInLiteral ? spellings.flatMap((path) => [path, `${path}/`]) : spellings;
  const verbs = method === 'ANY' ? ['*'] : includeHead ? ['GET', 'HEAD'] : [method];
  return verbs.flatMap((verb) => paths.map((path) => `${verb}/${path}`));
}

function parseRule(raw: unknown, index: number, variable: string): AccessRule {
  const where = `rule ${index}`;
  if (!isRecord(raw)) throw new ConfigError(variable, `${where} must be an object`);
  const unknownKey = Object.keys(raw).find(
    (key) => !(RULE_KEYS as readonly string[]).includes(key),
  );
  if (unknownKey !== undefined) {
    throw new ConfigError(
      variable,
      `${where} has unknown key "${unknownKey.slice(0, 40)}" (allowed: ${RULE_KEYS.join(', ')})`,
    );
  }
  const { method, segments } = parseRoute(raw.route, where, variable);
  const groups = parseNames(raw.groups, `${where}.groups`, variable);
  const scopes = parseNames(raw.scopes, `${where}.scopes`, variable);
  const amr = parseNames(raw.amr, `${where}.amr`, variable);
  const principal = parsePrincipal(raw.principal, where, variable);
  const maxAuthAgeSeconds = parseMaxAuthAge(raw.maxAuthAgeSeconds, where, variable);
  const includeHead = parseIncludeHead(raw.includeHead, method, where, variable);
  if (
    groups.length === 0 &&
    scopes.length === 0 &&
    amr.length === 0 &&
    principal === undefined &&
    maxAuthAgeSeconds === undefined
  ) {
    throw new ConfigError(
      variable,
      `${where} must require at least one of groups, scopes, principal, amr, maxAuthAgeSeconds`,
    );
  }
  if (principal === 'machine' && (groups.length > 0 || amr.length > 0 || maxAuthAgeSeconds)) {
    // Client-credentials tokens carry no groups, no amr and no sign-in: such a rule refuses all.
    throw new ConfigError(
      variable,
      `${where} requires a machine principal together with groups, amr or maxAuthAgeSeconds, which machine tokens never carry`,
    );
  }
  let methods: ReadonlySet<string> | undefined;
  if (method !== 'ANY') methods = new Set(includeHead ? ['GET', 'HEAD'] : [method]);
  return {
    route: `${method} /${segments.join('/')}`,
    method,
    methods,
    segments,
    groups,
    scopes,
    principal,
    amr,
    maxAuthAgeSeconds,
    policyResources: toPolicyResources(method, segments, includeHead),
  };
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
    const rule = parseRule(raw, index, variable);
    // Parameter names do not change what a template matches: `{id}` and `{handle}` are one route.
    const shape = `${rule.method} ${rule.segments.map((s) => (isGreedy(s) ? '{+}' : isParameter(s) ? '{}' : s)).join('/')}`;
    if (seen.has(shape))
      throw new ConfigError(variable, `rule ${index} repeats route ${rule.route}`);
    seen.add(shape);
    return rule;
  });
}

/**
 * The route a request reached, as far as the event tells (see `matched-route.ts`).
 */
export interface MatchedRoute {
  /** The request's method, upper case (`ANY` when the event does not tell). */
  method: string;
  /** Segments of the route template the gateway chose (`routeKey` / `resource`); `undefined` when the event names none. */
  template: readonly string[] | undefined;
  /**
   * The chosen route hands every path below it to the integration (`$default`, a greedy
   * `{proxy+}`), or none is known: the integration routes on the path, so rules match it too.
   */
  routesOnPath: boolean;
  /** The concrete path: empty segments (repeated and trailing slashes) dropped, lower case. */
  path: readonly string[];
}

function sameTemplate(rule: readonly string[], route: readonly string[]): boolean {
  if (rule.length !== route.length) return false;
  for (let i = 0; i < rule.length; i += 1) {
    const a = rule[i] ?? '';
    const b = route[i] ?? '';
    if (isParameter(a) || isParameter(b)) {
      if (!isParameter(a) || !isParameter(b) || isGreedy(a) !== isGreedy(b)) return false;
    } else if (a !== b) return false;
  }
  return true;
}

/**
 * Whether a normalized concrete path (lower case, no empty segments) falls under a template.
 * Literals compare without case: an integration behind a catch-all route may route
 * case-insensitively (Express does by default), so `/Admin/whoami` is treated as `/admin/whoami`.
 */
export function matchesPath(template: readonly string[], path: readonly string[]): boolean {
  for (let i = 0; i < template.length; i += 1) {
    const segment = template[i] ?? '';
    if (isGreedy(segment)) return path.length > i;
    const actual = path[i];
    if (actual === undefined) return false;
    if (!isParameter(segment) && segment.toLowerCase() !== actual) return false;
  }
  return path.length === template.length;
}

function coversMethod(rule: AccessRule, method: string): boolean {
  return rule.methods === undefined || method === 'ANY' || rule.methods.has(method);
}

/**
 * Whether a rule applies to a request: its method is covered and either the gateway chose the
 * rule's route (same template) or the chosen route leaves routing to the integration and the
 * concrete path falls under the rule. Never the raw path against a specific route: that path may be
 * a spelling (`/admin/whoami/`, `/profiles/a/b` from a decoded `%2F`) of the route that was chosen.
 */
export function ruleApplies(rule: AccessRule, route: MatchedRoute): boolean {
  if (!coversMethod(rule, route.method)) return false;
  if (route.template !== undefined && sameTemplate(rule.segments, route.template)) return true;
  return route.routesOnPath && matchesPath(rule.segments, route.path);
}

export interface Entitlements {
  groups: readonly string[];
  scopes: readonly string[];
  principalKind: PrincipalKind;
  /** The token's `amr` values (authentication methods), if any. */
  amr: readonly string[];
  /** `auth_time` in seconds since the epoch; `undefined` when the token has none. */
  authTime: number | undefined;
}

export type RuleRefusal =
  'missing_group' | 'missing_scope' | 'wrong_principal' | 'step_up_required' | 'auth_too_old';

/** Why a rule refuses a caller at `nowSeconds`, or `undefined` when the caller satisfies it. */
export function checkRule(
  rule: AccessRule,
  caller: Entitlements,
  nowSeconds: number,
): RuleRefusal | undefined {
  if (rule.principal !== undefined && rule.principal !== caller.principalKind) {
    return 'wrong_principal';
  }
  if (rule.groups.length > 0 && !rule.groups.some((group) => caller.groups.includes(group))) {
    return 'missing_group';
  }
  if (!rule.scopes.every((scope) => caller.scopes.includes(scope))) return 'missing_scope';
  if (rule.amr.length > 0 && !rule.amr.some((method) => caller.amr.includes(method))) {
    return 'step_up_required';
  }
  if (
    rule.maxAuthAgeSeconds !== undefined &&
    (caller.authTime === undefined || nowSeconds - caller.authTime > rule.maxAuthAgeSeconds)
  ) {
    return 'auth_too_old';
  }
  return undefined;
}
