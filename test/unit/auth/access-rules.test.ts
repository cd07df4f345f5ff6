import { checkRule, findRules, parseAccessRules } from '../../../src/auth/access-rules';
import { ConfigError } from '../../../src/config-error';

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
    expect(rules).toEqual([
      {
        route: 'GET /profiles/{handle}',
        method: 'GET',
        segments: ['profiles', '{handle}'],
        groups: ['admin', 'support'],
        scopes: [],
      },
      {
        route: 'ANY /ops/{path+}',
        method: 'ANY',
        segments: ['ops', '{path+}'],
        groups: [],
        scopes: ['ops/all'],
      },
    ]);
  });

  it.each([
    ['invalid JSON', '[{', 'ACCESS_RULES: must be a JSON array of rules'],
    ['an object', '{"route":"GET /a"}', 'ACCESS_RULES: must be a JSON array of rules'],
    ['a non-object rule', '[1]', 'ACCESS_RULES: rule 0 must be an object'],
    [
      'an unknown key',
      '[{"route":"GET /a","groups":["x"],"group":["y"]}]',
      'ACCESS_RULES: rule 0 has unknown key "group" (allowed: route, groups, scopes)',
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
      'ACCESS_RULES: rule 0 must require groups, scopes or both',
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
      'a repeated route',
      '[{"route":"GET /a","groups":["x"]},{"route":"GET /a","scopes":["y"]}]',
      'ACCESS_RULES: rule 1 repeats route GET /a',
    ],
  ])('stops the cold start on %s', (_label, json, message) => {
    expect(parseError(json).message).toBe(message);
  });
});

describe('findRules', () => {
  const rules = parseAccessRules(
    '[{"route":"GET /profiles/{handle}","groups":["admin"]},{"route":"ANY /ops/{path+}","groups":["ops"]},{"route":"GET /","groups":["root"]}]',
    'ACCESS_RULES',
  );
  const routes = (method: string, path: string) =>
    findRules(rules, method, path === '' ? [] : path.split('/')).map((rule) => rule.route);

  it('matches a parameter against exactly one segment', () => {
    expect(routes('GET', 'profiles/jane')).toEqual(['GET /profiles/{handle}']);
    expect(routes('GET', 'profiles')).toEqual([]);
    expect(routes('GET', 'profiles/jane/extra')).toEqual([]);
    expect(routes('GET', 'profiles/')).toEqual([]);
    expect(routes('PATCH', 'profiles/jane')).toEqual([]);
  });

  it('matches a greedy parameter against one or more segments and ANY against every method', () => {
    expect(routes('DELETE', 'ops/a/b/c')).toEqual(['ANY /ops/{path+}']);
    expect(routes('GET', 'ops')).toEqual([]);
  });

  it('matches the root path', () => {
    expect(routes('GET', '')).toEqual(['GET /']);
  });
});

describe('checkRule', () => {
  const [rule] = parseAccessRules(
    '[{"route":"GET /a","groups":["admin","ops"],"scopes":["s1","s2"]}]',
    'ACCESS_RULES',
  );
  if (rule === undefined) throw new Error('rule expected');

  it('needs one of the groups and all of the scopes', () => {
    expect(checkRule(rule, { groups: ['ops'], scopes: ['s2', 's1'] })).toBeUndefined();
    expect(checkRule(rule, { groups: ['users'], scopes: ['s1', 's2'] })).toBe('missing_group');
    expect(checkRule(rule, { groups: ['admin'], scopes: ['s1'] })).toBe('missing_scope');
  });

  it('compares group names exactly', () => {
    expect(checkRule(rule, { groups: ['Admin'], scopes: ['s1', 's2'] })).toBe('missing_group');
  });
});
