/** Stops the server jest-global-setup.ts started; runs even when tests failed. */
export default async function globalTeardown(): Promise<void> {
  const started = globalThis.cognitoGateTestServer;
  if (started === undefined) return;
  globalThis.cognitoGateTestServer = undefined;
  started.removeSignalHandlers();
  await started.server.stop();
}
