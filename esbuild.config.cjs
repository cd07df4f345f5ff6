// One source for how functions are bundled: serverless-esbuild reads it (custom.esbuild.config in
// serverless.yml), and so do the bundle tests and `npm run bench`.
module.exports = () => ({
  bundle: true,
  minify: true,
  sourcemap: true,
  // Error class names stay readable in logs and stack traces.
  keepNames: true,
  // Built for Node 20 so the same bundle runs here (Node 20) and on Lambda's nodejs24.x.
  target: 'node20',
  platform: 'node',
  format: 'cjs',
  // Left out of the bundles (serverless-esbuild's name for esbuild's `external`, not packaged):
  // - the AWS SDK v3 clients ship with the Lambda runtime (we use client-cognito-identity-provider).
  //   Everything else of the SDK is bundled: @aws-sdk/rds-signer (IAM database tokens) is not
  //   documented as part of the runtime, so the database functions carry it and its credential
  //   chain (about 440 kB minified; the authorizer does not import it and is unchanged);
  // - PGlite (the embedded database of local runs) finds its .wasm and data files next to its own
  //   modules, so local runs load it from node_modules; deployed stages use PostgreSQL instead;
  // - pg-native is pg's optional libpq binding, which we do not use.
  exclude: ['@aws-sdk/client-*', '@electric-sql/pglite', 'pg-native'],
  packager: 'npm',
  // serverless-esbuild's scratch folder (default .esbuild). A test that packages the stack sets
  // its own, so it never shares one with a serverless-offline started by another Jest worker.
  ...(process.env.SLS_ESBUILD_WORK_FOLDER
    ? { outputWorkFolder: process.env.SLS_ESBUILD_WORK_FOLDER }
    : {}),
  // serverless-esbuild keeps an esbuild context (and its service child process) for rebuilds and
  // disposes of it only after a *successful* `invoke local`; when the handler fails to load (a
  // configuration error at cold start) the live child keeps Node's event loop, and the command,
  // running forever (https://github.com/floydspace/serverless-esbuild/issues/532). Plain one-shot
  // builds leave nothing behind; serverless-offline's watcher still rebuilds on change.
  skipRebuild: true,
});
