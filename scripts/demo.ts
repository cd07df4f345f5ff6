/**
 * `npm run demo`: the emulator stack (tools/dev-stack/emulator-stack.ts) plus the web page on
 * http://localhost:5173 (WEB_PORT). State in .data/demo/ (`-- --reset` clears it), ports and log
 * format as for `npm run start:emulator`. Ctrl-C stops all of it.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { CONFIRMATION_CODE } from '../tools/dev-stack/cognito-local';
import { describeEmulatorStack, startEmulatorStack } from '../tools/dev-stack/emulator-stack';
import { readLogFormat } from '../tools/dev-stack/stack-log';
import { ROOT } from '../tools/dev-stack/root';
import { WEB_PORT, assertPortFree, readPort } from '../tools/dev-stack/stack-ports';

async function main(): Promise<void> {
  const webPort = readPort(WEB_PORT, process.env);
  await assertPortFree(webPort, WEB_PORT);
  const webUrl = `http://localhost:${webPort}`;
  const stack = await startEmulatorStack({
    name: 'demo',
    reset: process.argv.includes('--reset'),
    logFormat: readLogFormat(process.argv, process.env),
    webOrigin: webUrl,
  });
  // Started as `node <vite bin>` so the process held here is the server itself. The page's
  // endpoints follow the ports chosen here (the environment wins over web/.env.development).
  const web = spawn(
    process.execPath,
    [
      join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'),
      '--config',
      'web/vite.config.ts',
      '--port',
      String(webPort),
      '--strictPort',
    ],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        VITE_USER_POOL_ENDPOINT: stack.cognitoEndpoint,
        VITE_API_URL: stack.apiUrl,
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  process.stderr.write(
    `\nThe demo is up.\nWeb page:         ${webUrl} (the confirmation code is ${CONFIRMATION_CODE})\n${describeEmulatorStack(stack)}\nCtrl-C stops all of it.\n\n`,
  );
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    web.kill('SIGTERM');
    void stack.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  web.once('exit', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
