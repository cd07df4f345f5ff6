/**
 * `npm run emulator:config`: writes the Cognito emulator's pool, app client and trigger wiring
 * (local/cognito-local/.cognito/) and the page's copy of the password policy
 * (web/src/stack-password-policy.ts) from serverless.yml. `-- --check` writes nothing and exits 1
 * when a committed file differs from what serverless.yml says.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import {
  EMULATOR_DIFFERENCES,
  buildEmulatorConfig,
  findStaleEmulatorFiles,
  printStack,
  renderEmulatorFiles,
} from '../tools/dev-stack/emulator-config';
import { ROOT } from '../tools/dev-stack/root';
import { STACK_PASSWORD_POLICY } from '../web/src/stack-password-policy';

function readOrEmpty(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  const config = buildEmulatorConfig(await printStack());
  const files = await renderEmulatorFiles(config);
  // --check compares content; writing also refreshes the layout.
  const stale = check
    ? [...files].filter(([path]) =>
        findStaleEmulatorFiles(config, STACK_PASSWORD_POLICY).includes(relative(ROOT, path)),
      )
    : [...files].filter(([path, text]) => readOrEmpty(path) !== text);
  for (const [path, text] of stale) {
    if (check) process.stdout.write(`out of date: ${relative(ROOT, path)}\n`);
    else {
      writeFileSync(path, text);
      process.stdout.write(`wrote ${relative(ROOT, path)}\n`);
    }
  }
  if (stale.length === 0) process.stdout.write('The emulator files match serverless.yml.\n');
  process.stdout.write(
    `\nWhere the emulator differs from the stack:\n${EMULATOR_DIFFERENCES.map((line) => `- ${line}`).join('\n')}\n`,
  );
  if (check && stale.length > 0) {
    process.stdout.write('\nRun `npm run emulator:config` to regenerate them.\n');
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `emulator:config failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exitCode = 1;
});
