/**
 * `npm run start:emulator`: cognito-local on http://localhost:9229 (COGNITO_PORT) and the API on
 * http://localhost:3000 (PORT), wired together through serverless-offline's Lambda endpoint on 3002
 * (LAMBDA_PORT); see tools/dev-stack/emulator-stack.ts. Users and profiles persist together in
 * .data/emulator/; `-- --reset` clears both first. Every function's log lines are printed as they
 * come; `-- --json` (or LOG_FORMAT=json) keeps them as JSON, one object a line, on stdout.
 * Ctrl-C stops it all.
 */
import { describeEmulatorStack, startEmulatorStack } from '../tools/dev-stack/emulator-stack';
import { readLogFormat } from '../tools/dev-stack/stack-log';

async function main(): Promise<void> {
  const stack = await startEmulatorStack({
    name: 'emulator',
    reset: process.argv.includes('--reset'),
    logFormat: readLogFormat(process.argv, process.env),
  });
  process.stderr.write(`${describeEmulatorStack(stack)}\nCtrl-C stops both.\n`);
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
