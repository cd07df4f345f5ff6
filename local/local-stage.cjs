// The `local` stage's settings for serverless.yml. Paths reach the functions absolute, because
// `serverless invoke local` and serverless-offline run them from the build folder (.esbuild/.build),
// where a relative path would point elsewhere. A relative COGNITO_JWKS_FILE or `pglite:./dir`
// DATABASE_URL (from the shell or from `.env`, which serverless.yml's `useDotenv` loads before
// these run) is therefore resolved against the project root here, once, for every local run.
const path = require('node:path');
const stage = require('./local-stage.json');

const ROOT = path.join(__dirname, '..');

/** `value` as an absolute path, relative ones taken from the project root. */
function fromRoot(value) {
  return path.resolve(ROOT, value);
}

/** DATABASE_URL with a relative PGlite directory made absolute; other URLs unchanged. */
function resolveDatabaseUrl(url) {
  const match = /^pglite:(.*)$/su.exec(url);
  if (match === null || match[1] === 'memory:' || match[1] === '') return url;
  return `pglite:${fromRoot(match[1])}`;
}

const fromEnv = (name) => {
  const value = process.env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
};

// Functions, so serverless reads the environment when it resolves the variable (after `.env`).
module.exports = {
  userPoolId: () => fromEnv('COGNITO_USER_POOL_ID') ?? stage.userPoolId,
  clientId: () => fromEnv('COGNITO_CLIENT_IDS') ?? stage.clientId,
  jwksFile: () => fromRoot(fromEnv('COGNITO_JWKS_FILE') ?? stage.jwksFile),
  // The embedded PGlite database, shared by every local run of every function; the same directory
  // src/config.ts uses when DATABASE_URL is unset (relative to the working directory there).
  databaseUrl: () => resolveDatabaseUrl(fromEnv('DATABASE_URL') ?? `pglite:${stage.databaseDir}`),
};
