/**
 * `npm run demo`: the emulator stack (tools/dev-stack/emulator-stack.ts) plus the web page on
 * http://localhost:5173. Ctrl-C stops all of it.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describeEmulatorStack, startEmulatorStack } from '../tools/dev-stack/emulator-stack';
import { ROOT } from '../tools/dev-stack/root';

async function main(): Promise<void> {
  const stack = await startEmulatorStack('demo-profiles');
  // Started as `node <vite bin>` so the process held here is the server itself.
  const web = spawn(
    process.execPath,
    [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), '--config', 'web/vite.config.ts'],
    { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] },
  );
  process.stdout.write(
    `\nThe demo is up.\nWeb page:         http://localhost:5173 (the confirmation code is 123456)\n${describeEmulatorStack(stack)}\nCtrl-C stops all of it.\n\n`,
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
