/**
 * The CloudFormation template of a deployed stage, as `npm run package` (a production-like stage
 * with the README's sample params) produces it, for tests that check what would reach AWS. Runs
 * with no AWS credentials at all: packaging must never need them.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT } from './root';

export interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
  Condition?: string;
  DependsOn?: string | string[];
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
}

export interface CfnTemplate {
  Parameters?: Record<string, { Type: string; Default?: string; AllowedValues?: string[] }>;
  Conditions?: Record<string, unknown>;
  Resources: Record<string, CfnResource>;
  Outputs?: Record<string, unknown>;
}

/** What one run of the osls CLI printed and how it ended. */
export interface CliRun {
  code: number | null;
  output: string;
}

/** The file osls writes and `serverless deploy` sends to CloudFormation. */
export const TEMPLATE_FILE = 'cloudformation-template-update-stack.json';

/** The environment minus anything that could give the CLI AWS credentials. */
function environmentWithoutAws(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith('AWS_')) env[name] = value;
  }
  return {
    ...env,
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials',
    AWS_CONFIG_FILE: '/nonexistent/config',
    // No instance metadata either (it would be tried last for credentials).
    AWS_EC2_METADATA_DISABLED: 'true',
    SLS_TELEMETRY_DISABLED: '1',
    ...extra,
  };
}

/** Runs `command args` in the repository without AWS credentials; never rejects on exit code. */
export function runWithoutAws(
  command: string,
  args: readonly string[],
  extraEnv: Record<string, string> = {},
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: ROOT,
      env: environmentWithoutAws(extraEnv),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => {
      resolve({ code, output });
    });
  });
}

/** Runs the osls CLI (`serverless <args>`) in the repository without AWS credentials. */
export function runServerless(args: readonly string[]): Promise<CliRun> {
  return runWithoutAws(process.execPath, [
    join(ROOT, 'node_modules', 'serverless', 'bin', 'serverless.js'),
    ...args,
  ]);
}

/** Reads a template osls wrote into `dir`. */
export function loadPackagedTemplate(dir: string): CfnTemplate {
  return JSON.parse(readFileSync(join(dir, TEMPLATE_FILE), 'utf8')) as CfnTemplate;
}

/**
 * `npm run package` into a scratch folder (never .serverless/, which CI lints, nor .esbuild/,
 * which a serverless-offline in another Jest worker may be using); returns the template.
 * `extraArgs` go to `serverless package`, e.g. `--param=syncAttributesToCognito=true`.
 */
export async function packageTemplate(extraArgs: readonly string[] = []): Promise<CfnTemplate> {
  mkdirSync(join(ROOT, '.tmp'), { recursive: true });
  const scratch = mkdtempSync(join(ROOT, '.tmp', 'package-'));
  try {
    const run = await runWithoutAws(
      'npm',
      ['run', '-s', 'package', '--', '--package', join(scratch, 'out'), ...extraArgs],
      { SLS_ESBUILD_WORK_FOLDER: relative(ROOT, join(scratch, 'esbuild')) },
    );
    if (run.code !== 0) throw new Error(`npm run package exited with ${run.code}:\n${run.output}`);
    return loadPackagedTemplate(join(scratch, 'out'));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** The template's Lambda functions by logical id (`GetMeLambdaFunction`, ...). */
export function listFunctions(template: CfnTemplate): [string, CfnResource][] {
  return Object.entries(template.Resources).filter(
    ([, resource]) => resource.Type === 'AWS::Lambda::Function',
  );
}
