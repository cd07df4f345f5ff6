// One source for how functions are bundled: serverless-esbuild reads it (custom.esbuild.config in
// serverless.yml), and so do the bundle tests and `npm run bench`.
module.exports = () => ({
  bundle: true,
  minify: true,
  sourcemap: true,
  // Error class names stay readable in logs and stack traces.
  keepNames: true,
  // Built for Node 20 so the same bundle runs here (Node 20) and on Lambda's nodejs22.x.
  target: 'node20',
  platform: 'node',
  format: 'cjs',
  // The AWS SDK v3 ships with the Lambda runtime: left out of the bundles (serverless-esbuild's
  // name for esbuild's `external`).
  exclude: ['@aws-sdk/*'],
  packager: 'npm',
});
