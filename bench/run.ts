/**
 * `npm run bench`: every figure is printed beside a baseline measured in the same process run.
 * Quick mode for a smoke run: `BENCH_QUICK=1 npm run bench`; one part only:
 * `BENCH_ONLY=authorizer`, `BENCH_ONLY=triggers` or `BENCH_ONLY=load`.
 */
import { cpus } from 'node:os';
import { benchAuthorizer, printAuthorizerFigures } from './authorizer-bench';
import { benchColdStart, printColdStartFigures } from './cold-start-bench';
import { benchLoad, printLoadFigures } from './load-bench';
import { benchTriggers, printTriggerFigures } from './trigger-bench';

const log = (line: string) => {
  process.stdout.write(`${line}\n`);
};

async function main(): Promise<void> {
  const quick = process.env.BENCH_QUICK === '1';
  log(
    `cognito-gate benchmark: Node ${process.version}, ${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'}`,
  );
  const only = process.env.BENCH_ONLY;
  if (only === undefined || only === 'authorizer') {
    printAuthorizerFigures(await benchAuthorizer(quick ? 1000 : 10_000, log), log);
    printColdStartFigures(await benchColdStart(quick ? 5 : 41), log);
  }
  if (only === undefined || only === 'triggers') {
    const invocations = quick ? 200 : 2000;
    const triggers = await benchTriggers(invocations, log);
    if (triggers !== undefined) printTriggerFigures(triggers, invocations, log);
  }
  if (only === undefined || only === 'load') {
    printLoadFigures(await benchLoad(quick ? 3 : 10, log), log);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
