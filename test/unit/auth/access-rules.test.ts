import fc from 'fast-check';
import {
  checkRule,
  parseAccessRules,
  ruleApplies,
  toPolicyResources,
  type MatchedRoute,
} from '../../../src/auth/access-rules';
import { normalizePath } from '../../../src/auth/resource-arn';
import { ConfigError } from '../../../src/config-error';
import { iamMatches } from '../../support/iam-pattern';

const NOW = 1780272000;

function parseError(json: string): ConfigError {
  try {
    parseAccessRules(json, 'ACCESS_RULES');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('parseAccessRules', () => {
  it('reads no rules from an empty value', () => {
    expect(parseAccessRules('  ', 'ACCESS_RULES')).toEqual([]);
  });

  it('reads routes, groups and scopes', () => {
    const rules = parseAccessRules(
      '[{"route":"GET /profiles/{handle}","groups":["admin","support"]},{"route":"ANY /ops/{path+}","scopes":["ops/all"]}]',
      'ACCESS_RULES',
    );
    expect(rules).toMatchObject([
      {
        route: 'GET /profiles/{handle}',
        method: 'GET',
        methods: new Set(['GET', 'HEAD']),
        segments: ['profiles', '{handle}'],
        groups: ['admin', 'support'],
        scopes: [],
        amr: [],
        principal: undefined,
        maxAuthAgeSeconds: undefined,
      },
      {
        route: 'ANY /ops/{path+}',
        method: 'ANY',
        methods: undefined,
        segments: ['ops', '{path+}'],
        groups: [],
        scopes: ['ops/all'],
      },
    ]);
  });

  it('reads principal, amr, maxAuthAgeSeconds and includeHead', () => {
    const [rule] = parseAccessRules(
      '[{"route":"GET /payouts","principal":"user","amr":["mfa"],"maxAuthAgeSeconds":300,"includeHead":false}]',
      'ACCESS_RULES',
    );
    expect(rule).toMatchObject({
      principal: 'user',
      amr: ['mfa'],
      maxAuthAgeSeconds: 300,
      methods: new Set(['GET']),
    });
  });

  it.each([
    ['invalid JSON', '[{', 'ACCESS_RULES: must be a JSON array of rules'],
    ['an object', '{"route":"GET /a"}', 'ACCESS_RULES: must be a JSON array of rules'],
    ['a non-object rule', '[1]', 'ACCESS_RULES: rule 0 must be an object'],
    [
      'an unknown key',
      '[{"route":"GET /a","groups":["x"],"group":["y"]}]',
      'ACCESS_RULES: rule 0 has unknown key "group" (allowed: route, groups, scopes, principal, amr, maxAuthAgeSeconds, includeHead)',
    ],
    [
      'a route without a method',
      '[{"route":"/a","groups":["x"]}]',
      'ACCESS_RULES: rule 0.route must look like "GET /profiles/{handle}"',
    ],
    [
      'an unknown method',
      '[{"route":"FETCH /a","groups":["x"]}]',
      'ACCESS_RULES: rule 0.route method must be one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS, ANY',
    ],
    [
      'a wildcard segment',
      '[{"route":"GET /a/*","groups":["x"]}]',
      'ACCESS_RULES: rule 0.route segment "*" must be a literal or a {parameter}',
    ],
    [
      'a greedy parameter in the middle',
      '[{"route":"GET /{p+}/a","groups":["x"]}]',
      'ACCESS_RULES: rule 0.route may use a {greedy+} parameter only at the end',
    ],
    [
      'no requirement',
      '[{"route":"GET /a"}]',
      'ACCESS_RULES: rule 0 must require at least one of groups, scopes, principal, amr, maxAuthAgeSeconds',
    ],
    [
      'an empty group list',
      '[{"route":"GET /a","groups":[]}]',
      'ACCESS_RULES: rule 0.groups must be a non-empty array of strings when given',
    ],
    [
      'a non-string group',
      '[{"route":"GET /a","groups":[1]}]',
      'ACCESS_RULES: rule 0.groups must hold names of 1-128 letters, digits or _ + . / : @ -; got 1',
    ],
    [
      'an unknown principal',
      '[{"route":"GET /a","principal":"robot"}]',
      'ACCESS_RULES: rule 0.principal must be "user" or "machine" when given',
    ],
    [
      'a machine rule that needs groups machines never have',
      '[{"route":"GET /a","principal":"machine","groups":["x"]}]',
      'ACCESS_RULES: rule 0 requires a machine principal together with groups, amr or maxAuthAgeSeconds, which machine tokens never carry',
    ],
    [
      'a fractional maxAuthAgeSeconds',
      '[{"route":"GET /a","maxAuthAgeSeconds":1.5}]',
      'ACCESS_RULES: rule 0.maxAuthAgeSeconds must be a whole number of seconds from 1 to 86400 when given',
    ],
    [
      'a maxAuthAgeSeconds as a string',
      '[{"route":"GET /a","maxAuthAgeSeconds":"300"}]',
      'ACCESS_RULES: rule 0.maxAuthAgeSeconds must be a whole number of seconds from 1 to 86400 when given',
    ],
    [
      'an empty amr list',
      '[{"route":"GET /a","amr":[]}]',
      'ACCESS_RULES: rule 0.amr must be a non-empty array of strings when given',
    ],
    [
      'includeHead on a route that is not GET',
      '[{"route":"POST /a","groups":["x"],"includeHead":true}]',
      'ACCESS_RULES: rule 0.includeHead applies only to GET routes',
    ],
    [
      'includeHead that is not a boolean',
      '[{"route":"GET /a","groups":["x"],"includeHead":"no"}]',
      'ACCESS_RULES: rule 0.includeHead must be true or false when given',
    ],
    [
      'the same route under another parameter name',
      '[{"route":"GET /p/{a}","groups":["x"]},{"route":"GET /p/{b}","scopes":["y"]}]',
      'ACCESS_RULES: rule 1 repeats route GET /p/{b}',
    ],
    [
      'a repeated route',
      '[{"route":"GET /a","groups":["x"]},{"route":"GET /a","scopes":["y"]}]',
      'ACCESS_RULES: rule 1 repeats route GET /a',
    ],
  ])('stops the cold start on %s', (_label, json, message) => {
    expect(parseError(json).message).toBe(message);
  });
});

const ENTITLED = {
  groups: [] as string[],
  scopes: [] as string[],
  principalKind: 'user' as const,
  amr: [] as string[],
  authTime: NOW,
};

function route(
  method: string,
  template: string | undefined,
  path: string,
  routesOnPath = false,
): MatchedRoute {
  return {
    method,
    template: template === undefined ? undefined : template.split('/').filter(Boolean),
    routesOnPath: routesOnPath || template === undefined,
    path: normalizePath(path),
  };
}

describe('ruleApplies', () => {
  const rules = parseAccessRules(
    JSON.stringify([
      { route: 'GET /profiles/{handle}', groups: ['admin'] },
      { route: 'ANY /ops/{path+}', groups: ['ops'] },
      { route: 'GET /', groups: ['root'] },
      { route: 'GET /admin/whoami', groups: ['admin'] },
      { route: 'GET /reports', groups: ['admin'], includeHead: false },
    ]),
    'ACCESS_RULES',
  );
  const applying = (matched: MatchedRoute) =>
    rules.filter((rule) => ruleApplies(rule, matched)).map((rule) => rule.route);

  it('binds to the template the gateway chose, whatever the concrete spelling', () => {
    // routeKey GET /admin/whoami with the ARN paths AWS sends for these spellings.
    for (const path of ['/admin/whoami', '/admin/whoami/', '//admin/whoami', '/Admin/whoami']) {
      expect(applying(route('GET', '/admin/whoami', path))).toEqual(['GET /admin/whoami']);
    }
    // A decoded %2F inside {handle}: still the route /profiles/{handle}.
    expect(applying(route('GET', '/profiles/{handle}', '/profiles/a/b'))).toEqual([
      'GET /profiles/{handle}',
    ]);
    // Parameter names do not matter, greediness does.
    expect(applying(route('GET', '/profiles/{id}', '/profiles/x'))).toEqual([
      'GET /profiles/{handle}',
    ]);
    expect(applying(route('GET', '/profiles/{id+}', '/profiles/x'))).toEqual([]);
  });

  it('does not apply a rule to another route the gateway chose, even one its path resembles', () => {
    // The gateway picked the more specific /profiles/me route, which no rule protects.
    expect(applying(route('GET', '/profiles/me', '/profiles/me'))).toEqual([]);
    expect(applying(route('GET', '/admin/whoamix', '/admin/whoamix'))).toEqual([]);
  });

  it('covers HEAD with a GET rule unless includeHead is false, and every method with ANY', () => {
    expect(applying(route('HEAD', '/admin/whoami', '/admin/whoami'))).toEqual([
      'GET /admin/whoami',
    ]);
    expect(applying(route('HEAD', '/reports', '/reports'))).toEqual([]);
    expect(applying(route('GET', '/reports', '/reports'))).toEqual(['GET /reports']);
    expect(applying(route('POST', '/admin/whoami', '/admin/whoami'))).toEqual([]);
    expect(applying(route('DELETE', '/ops/{path+}', '/ops/a/b'))).toEqual(['ANY /ops/{path+}']);
    // An event that does not tell the method (ANY) is checked against every rule of the route.
    expect(applying(route('ANY', '/admin/whoami', '/admin/whoami'))).toEqual(['GET /admin/whoami']);
  });

  it('matches the normalized concrete path when the route leaves routing to the integration', () => {
    // $default, a greedy route, or no route named at all (REST TOKEN): the integration routes on
    // the path, so every spelling of a protected path is protected.
    for (const path of ['/admin/whoami', '/admin/whoami/', '//admin//whoami', '/ADMIN/WhoAmI']) {
      expect(applying(route('GET', undefined, path))).toEqual(['GET /admin/whoami']);
      expect(applying(route('GET', '/{proxy+}', path, true))).toEqual(['GET /admin/whoami']);
    }
    expect(applying(route('GET', undefined, '/profiles/jane'))).toEqual(['GET /profiles/{handle}']);
    expect(applying(route('GET', undefined, '/profiles/jane/extra'))).toEqual([]);
    expect(applying(route('GET', undefined, '/profiles/'))).toEqual([]);
    expect(applying(route('GET', undefined, '/'))).toEqual(['GET /']);
    expect(applying(route('GET', undefined, '/ops'))).toEqual([]);
  });
});

describe('checkRule', () => {
  const [rule] = parseAccessRules(
    '[{"route":"GET /a","groups":["admin","ops"],"scopes":["s1","s2"]}]',
    'ACCESS_RULES',
  );
  if (rule === undefined) throw new Error('rule expected');

  it('needs one of the groups and all of the scopes', () => {
    expect(checkRule(rule, { ...ENTITLED, groups: ['ops'], scopes: ['s2', 's1'] }, NOW)).toBe(
      undefined,
    );
    expect(checkRule(rule, { ...ENTITLED, groups: ['users'], scopes: ['s1', 's2'] }, NOW)).toBe(
      'missing_group',
    );
    expect(checkRule(rule, { ...ENTITLED, groups: ['admin'], scopes: ['s1'] }, NOW)).toBe(
      'missing_scope',
    );
  });

  it('compares group names exactly', () => {
    expect(checkRule(rule, { ...ENTITLED, groups: ['Admin'], scopes: ['s1', 's2'] }, NOW)).toBe(
      'missing_group',
    );
    expect(checkRule(rule, { ...ENTITLED, groups: ['ops,admin'], scopes: ['s1', 's2'] }, NOW)).toBe(
      'missing_group',
    );
  });

  it('requires the principal kind a rule names', () => {
    const [userOnly] = parseAccessRules('[{"route":"GET /me","principal":"user"}]', 'R');
    if (userOnly === undefined) throw new Error('rule expected');
    expect(checkRule(userOnly, ENTITLED, NOW)).toBeUndefined();
    expect(checkRule(userOnly, { ...ENTITLED, principalKind: 'machine' }, NOW)).toBe(
      'wrong_principal',
    );
  });

  it('requires one of the amr values and a sign-in no older than maxAuthAgeSeconds', () => {
    const [stepUp] = parseAccessRules(
      '[{"route":"POST /payouts","amr":["mfa","otp","webauthn"],"maxAuthAgeSeconds":300}]',
      'R',
    );
    if (stepUp === undefined) throw new Error('rule expected');
    const strong = { ...ENTITLED, amr: ['pwd', 'otp'], authTime: NOW - 300 };
    expect(checkRule(stepUp, strong, NOW)).toBeUndefined();
    expect(checkRule(stepUp, { ...strong, amr: ['pwd'] }, NOW)).toBe('step_up_required');
    expect(checkRule(stepUp, { ...strong, amr: [] }, NOW)).toBe('step_up_required');
    expect(checkRule(stepUp, { ...strong, authTime: NOW - 301 }, NOW)).toBe('auth_too_old');
    expect(checkRule(stepUp, { ...strong, authTime: undefined }, NOW)).toBe('auth_too_old');
  });
});

describe('toPolicyResources', () => {
  it('lists every spelling of a literal route, HEAD with GET', () => {
    expect(toPolicyResources('GET', ['admin', 'whoami'], true)).toEqual([
      'GET/admin/whoami',
      'GET/admin/whoami/',
      'GET//admin/whoami',
      'GET//admin/whoami/',
      'GET/admin//whoami',
      'GET/admin//whoami/',
      'HEAD/admin/whoami',
      'HEAD/admin/whoami/',
      'HEAD//admin/whoami',
      'HEAD//admin/whoami/',
      'HEAD/admin//whoami',
      'HEAD/admin//whoami/',
    ]);
  });

  it('writes parameters as one-or-more characters and ANY as every method', () => {
    expect(toPolicyResources('ANY', ['profiles', '{handle}'], false)).toEqual([
      '*/profiles/?*',
      '*//profiles/?*',
      '*/profiles//?*',
    ]);
  });
});

/** A concrete path in the alphabet of templates, with slashes where the gateway might put them. */
const SEGMENT = fc.constantFrom('admin', 'whoami', 'profiles', 'jane', 'a', 'x', 'Admin');
const TEMPLATE_SEGMENT = fc.constantFrom('admin', 'whoami', 'profiles', 'a', '{id}');

describe('policy patterns (properties)', () => {
  it('deny every trailing-slash and repeated-slash spelling of a path the template matches', () => {
    fc.assert(
      fc.property(
        fc.array(TEMPLATE_SEGMENT, { minLength: 1, maxLength: 4 }),
        fc.array(SEGMENT, { minLength: 4, maxLength: 4 }),
        fc.nat(5),
        fc.boolean(),
        (template, fillers, doubled, trailing) => {
          const concrete = template.map((s, i) => (s.startsWith('{') ? (fillers[i] ?? 'a') : s));
          const parts: string[] = [...concrete];
          if (doubled < parts.length) parts[doubled] = `/${parts[doubled] ?? ''}`;
          const spelling = `GET/${parts.join('/')}${trailing ? '/' : ''}`;
          const resources = toPolicyResources('GET', template, true);
          expect(resources.some((pattern) => iamMatches(pattern, spelling))).toBe(true);
        },
      ),
    );
  });

  it('never deny a path outside a literal template (no over-reach onto unprotected routes)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('admin', 'whoami', 'a'), { minLength: 1, maxLength: 3 }),
        fc.array(SEGMENT, { maxLength: 4 }),
        fc.constantFrom('GET', 'POST', 'HEAD'),
        (template, path, method) => {
          const resources = toPolicyResources('GET', template, true);
          const spelling = `${method}/${path.join('/')}`;
          const denied = resources.some((pattern) => iamMatches(pattern, spelling));
          const sameRoute =
            method !== 'POST' &&
            path.length === template.length &&
            path.every((segment, i) => segment === template[i]);
          expect(denied).toBe(sameRoute);
        },
      ),
    );
  });

  it('deny under a parameter only paths whose literals match (the one-segment limit of IAM)', () => {
    fc.assert(
      fc.property(
        fc.array(TEMPLATE_SEGMENT, { minLength: 1, maxLength: 3 }),
        fc.array(SEGMENT, { maxLength: 5 }),
        (template, path) => {
          const resources = toPolicyResources('GET', template, false);
          const spelling = `GET/${path.join('/')}`;
          if (!resources.some((pattern) => iamMatches(pattern, spelling))) return;
          // What IAM can express: each {param} stands for one or more segments.
          const loose = new RegExp(
            `^${template.map((s) => (s.startsWith('{') ? '[^]+' : s)).join('/')}$`,
          );
          expect(loose.test(path.join('/'))).toBe(true);
        },
      ),
    );
  });
});
