/**
 * Prints a fresh token signed with the dev key, for the local stage:
 *   npm run -s token -- [--sub S] [--username U] [--email E] [--groups a,b] [--scope "s1 s2"]
 *                       [--client C] [--token-use access|id] [--expires 1h]
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
    },
    strict: true,
  });
  const tokenUse = values['token-use'];
  if (tokenUse !== 'access' && tokenUse !== 'id')
    throw new TypeError('--token-use must be access or id');
  const expiresIn = parseDuration(values.expires, '--expires');
  const userPoolId = process.env.COGNITO_USER_POOL_ID?.trim() || localStage.userPoolId;
  const clientId =
    values.client ?? (process.env.COGNITO_CLIENT_IDS?.split(',')[0]?.trim() || localStage.clientId);
  const claims = buildCognitoClaims({
    userPoolId,
    clientId,
    tokenUse,
    issuedAt: Math.floor(Date.now() / 1000),
    expiresIn,
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
