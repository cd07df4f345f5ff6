/**
 * Prints a fresh token signed with the dev key, for the local stage:
 *   npm run -s token -- [--sub S] [--username U] [--email E] [--groups a,b] [--scope "s1 s2"]
 *                       [--client C] [--token-use access|id] [--expires 1h]
 *                       [--auth-age 2h] [--amr mfa,otp]
 *   npm run -s token -- --machine [--scope "profiles/read"] [--client C] [--expires 1h]
 * --machine mints a client-credentials token: sub = client id, no username, groups or email.
 * The pool is COGNITO_USER_POOL_ID when set, else the local stage's (local/local-stage.json).
 */
import { parseArgs } from 'node:util';
import { loadDevKeyPair, localStage } from '../tools/dev-stack/dev-key';
import { parseDuration } from '../tools/dev-stack/parse-duration';
import { buildCognitoClaims, signJwt } from '../tools/dev-stack/sign-jwt';

function main(): void {
  const { values } = parseArgs({
    options: {
      sub: { type: 'string' },
      username: { type: 'string' },
      email: { type: 'string' },
      groups: { type: 'string' },
      scope: { type: 'string' },
      client: { type: 'string' },
      'token-use': { type: 'string', default: 'access' },
      expires: { type: 'string', default: '1h' },
      'auth-age': { type: 'string' },
      amr: { type: 'string' },
      machine: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const tokenUse = values['token-use'];
  if (tokenUse !== 'access' && tokenUse !== 'id')
    throw new TypeError('--token-use must be access or id');
  const expiresIn = parseDuration(values.expires, '--expires');
  const userPoolId =
    process.env.COGNITO_USER_POOL_ID?.split(',')[0]?.trim() || localStage.userPoolId;
  const clientId =
    values.client ??
    // The first client id, without its pool qualifier (`us-east-1_AbC:client`) if it has one.
    (process.env.COGNITO_CLIENT_IDS?.split(',')[0]?.split(':').pop()?.trim() ||
      localStage.clientId);
  const issuedAt = Math.floor(Date.now() / 1000);
  if (values.machine) {
    for (const flag of ['sub', 'username', 'email', 'groups', 'auth-age', 'amr'] as const) {
      if (values[flag] !== undefined) throw new TypeError(`--${flag} does not apply to --machine`);
    }
    if (tokenUse !== 'access') throw new TypeError('--machine tokens are access tokens');
    const machineClaims = buildCognitoClaims({
      userPoolId,
      clientId,
      issuedAt,
      expiresIn,
      machine: true,
      ...(values.scope !== undefined && { scope: values.scope }),
    });
    process.stdout.write(`${signJwt(loadDevKeyPair(), machineClaims)}\n`);
    return;
  }
  const authAge =
    values['auth-age'] === undefined ? 0 : parseDuration(values['auth-age'], '--auth-age');
  const claims = buildCognitoClaims({
    userPoolId,
    clientId,
    tokenUse,
    issuedAt,
    authTime: issuedAt - authAge,
    expiresIn,
    ...(values.amr !== undefined && { amr: values.amr.split(',').map((m) => m.trim()) }),
    ...(values.sub !== undefined && { sub: values.sub }),
    ...(values.username !== undefined && { username: values.username }),
    // Unlike Cognito's, dev access tokens carry an email, so the local stack's first GET /me can
    // create the profile without a user pool to ask.
    email: values.email ?? `${values.username ?? 'jane'}@example.com`,
    ...(values.scope !== undefined && { scope: values.scope }),
    ...(values.groups !== undefined && {
      groups: values.groups
        .split(',')
        .map((g) => g.trim())
        .filter(Boolean),
    }),
  });
  process.stdout.write(`${signJwt(loadDevKeyPair(), claims)}\n`);
}

try {
  main();
} catch (error) {
  process.stderr.write(`token: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 2;
}
