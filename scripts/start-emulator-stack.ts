/**
 * `npm run start:emulator`: cognito-local on http://localhost:9229 and the API on
 * http://localhost:3000, wired together (see tools/dev-stack/emulator-stack.ts). Ctrl-C stops both.
 */
import { describeEmulatorStack, startEmulatorStack } from '../tools/dev-stack/emulator-stack';

async function main(): Promise<void> {
  const stack = await startEmulatorStack('emulator-profiles');
  process.stdout.write(`${describeEmulatorStack(stack)}\nCtrl-C stops both.\n`);
  const stop = () => {
    void stack.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `start:emulator failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exitCode = 1;
});
