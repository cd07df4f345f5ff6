// The `local` stage's settings for serverless.yml. Paths are absolute because
// `serverless invoke local` and serverless-offline run the functions from the build folder
// (.esbuild/.build), where relative paths would point elsewhere.
const path = require('node:path');
const stage = require('./local-stage.json');

module.exports = {
  userPoolId: stage.userPoolId,
  clientId: stage.clientId,
  jwksFile: path.join(__dirname, 'dev-jwks.json'),
  // The embedded PGlite database, shared by every local run of every function; the same directory
  // src/config.ts uses when DATABASE_URL is unset (relative to the working directory there).
  databaseUrl: `pglite:${path.join(__dirname, '..', stage.databaseDir)}`,
};
