/**
 * Runs a bundled handler (built as serverless-esbuild builds it) in a fresh Node process, as Lambda
 * would: the environment is read at cold start, the event is untrusted JSON.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { bundleFunction } from './bundle-function';
import { ROOT } from './root';

const run = promisify(execFile);

export interface Invocation {
  result?: unknown;
  error?: { name: string; message: string };
  /** The JSON log lines the process wrote. */
  logs: Record<string, unknown>[];
  elapsedMs: number;
}

/**
 * Bundles handlers into a folder inside the repository, so packages left out of the bundle
 * (PGlite) resolve from node_modules as they do under `serverless invoke local`.
 */
export async function bundleHandlers(
  entries: string[],
): Promise<{ paths: string[]; remove(): void }> {
  const dir = join(ROOT, '.tmp', `bundles-${process.pid}-${Date.now()}`);
  mkdirSync(dir, { recursive: true });
  const paths = await Promise.all(entries.map((entry) => bundleFunction(entry, dir)));
  return {
    paths,
    remove: () => {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const RUNNER = `
const started = Date.now();
const { handler } = require(process.argv[1]);
handler(JSON.parse(process.argv[2]), { awsRequestId: 'test', getRemainingTimeInMillis: () => 5000 })
  .then((result) => ({ result }), (error) => ({ error: { name: error.name, message: error.message } }))
  .then((outcome) => {
    process.stderr.write('\\n@@OUTCOME@@' + JSON.stringify({ ...outcome, elapsedMs: Date.now() - started }));
    process.exit(0);
  });
`;

/** Invokes `bundle`'s handler once in a new process with `env` (plus PATH). */
export async function invokeBundle(
  bundle: string,
  event: unknown,
  env: Record<string, string>,
): Promise<Invocation> {
  const { stdout, stderr } = await run(
    process.execPath,
    ['-e', RUNNER, bundle, JSON.stringify(event)],
    {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'DEBUG', ...env },
      maxBuffer: 16 * 1024 * 1024,
      timeout: 30_000,
    },
  );
  const marker = stderr.lastIndexOf('@@OUTCOME@@');
  if (marker === -1) throw new Error(`the handler process printed no outcome:\n${stderr}`);
  const outcome = JSON.parse(stderr.slice(marker + '@@OUTCOME@@'.length)) as Omit<
    Invocation,
    'logs'
  >;
  const logs = stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { ...outcome, logs };
}
