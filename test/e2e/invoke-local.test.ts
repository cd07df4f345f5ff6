/**
 * `npx serverless invoke local` as the README has people run it: a configuration error ends the
 * command quickly with a non-zero exit code and the variable's name (it used to hang on a live
 * esbuild service process), and a `.env` copied from `.env.example` configures the local stage,
 * relative paths included.
 *
 * Each case runs in its own copy of the project (symbolic links to the sources, its own `.env` and
 * build folder), so nothing here touches the working tree's `.env` or `.esbuild/`.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDevKeyPair, localStage } from '../../tools/dev-stack/dev-key';
import { ROOT } from '../../tools/dev-stack/root';
import { buildCognitoClaims, signJwt } from '../../tools/dev-stack/sign-jwt';

jest.setTimeout(180_000);

/** Generous on a loaded 2-core machine (a run takes about 6 s), far below "hangs". */
const EXIT_WITHIN_MS = 60_000;

/** Copied (the CLI wants the service file to be a real file), then linked. */
const COPIED = ['serverless.yml', 'package.json', 'esbuild.config.cjs', 'tsconfig.json'];
const LINKED = ['src', 'local', 'tools', 'migrations', 'node_modules'];

interface Run {
  code: number | null;
  output: string;
  elapsedMs: number;
}

function makeProjectCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cognito-gate-invoke-'));
  for (const name of COPIED) copyFileSync(join(ROOT, name), join(dir, name));
  for (const name of LINKED) symlinkSync(join(ROOT, name), join(dir, name));
  return dir;
}

/** Runs the CLI in `dir`; kills it (and reports `code: null`) if it outlives the bound. */
function invokeLocal(dir: string, args: string[]): Promise<Run> {
  const started = Date.now();
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', SLS_TELEMETRY_DISABLED: '1' };
  if (process.env.HOME !== undefined) env.HOME = process.env.HOME;
  const child = spawn(
    process.execPath,
    [join(ROOT, 'node_modules', 'serverless', 'bin', 'serverless.js'), 'invoke', 'local', ...args],
    { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), EXIT_WITHIN_MS);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output, elapsedMs: Date.now() - started });
    });
  });
}

function writeAllowedEvent(dir: string): string {
  const token = signJwt(
    loadDevKeyPair(),
    buildCognitoClaims({
      userPoolId: localStage.userPoolId,
      clientId: localStage.clientId,
      issuedAt: Math.floor(Date.now() / 1000) - 5,
    }),
  );
  const file = join(dir, 'event.json');
  writeFileSync(
    file,
    JSON.stringify({
      version: '2.0',
      type: 'REQUEST',
      routeArn: 'arn:aws:execute-api:us-east-1:123456789012:abcdef123/$default/GET/whoami',
      identitySource: [`Bearer ${token}`],
      routeKey: 'GET /whoami',
      rawPath: '/whoami',
      rawQueryString: '',
      headers: { authorization: `Bearer ${token}` },
      requestContext: {
        accountId: '123456789012',
        apiId: 'abcdef123',
        http: { method: 'GET', path: '/whoami', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1' },
        requestId: 'invoke-local-test',
        routeKey: 'GET /whoami',
        stage: '$default',
      },
    }),
  );
  return file;
}

describe('serverless invoke local', () => {
  const dirs: string[] = [];
  const project = () => {
    const dir = makeProjectCopy();
    dirs.push(dir);
    return dir;
  };

  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('exits non-zero within seconds on a configuration error, naming the variable', async () => {
    const dir = project();
    const run = await invokeLocal(dir, [
      '-f',
      'authorizer',
      '-p',
      writeAllowedEvent(dir),
      '-e',
      'ACCESS_RULES=notjson',
    ]);
    expect(run.code).toBe(1);
    expect(run.output).toContain('ConfigError: ACCESS_RULES: must be a JSON array of rules');
    expect(run.elapsedMs).toBeLessThan(EXIT_WITHIN_MS);
  });

  it('works with .env.example copied to .env as it is (relative COGNITO_JWKS_FILE included)', async () => {
    const dir = project();
    copyFileSync(join(ROOT, '.env.example'), join(dir, '.env'));
    const run = await invokeLocal(dir, ['-f', 'authorizer', '-p', writeAllowedEvent(dir)]);
    expect(run.output).toMatch(/"isAuthorized": true/u);
    expect(run.code).toBe(0);
  });

  it('reads .env: a client id set there is the one accepted', async () => {
    const dir = project();
    writeFileSync(join(dir, '.env'), 'COGNITO_CLIENT_IDS=someotherclient\n');
    const run = await invokeLocal(dir, ['-f', 'authorizer', '-p', writeAllowedEvent(dir)]);
    expect(run.output).toMatch(/"isAuthorized": false/u);
    expect(run.output).toContain('"reason":"wrong_client"');
    expect(run.code).toBe(0);
  });

  it('exits non-zero within seconds when .env names a JWKS file that does not exist', async () => {
    const dir = project();
    writeFileSync(join(dir, '.env'), 'COGNITO_JWKS_FILE=local/no-such-jwks.json\n');
    const run = await invokeLocal(dir, ['-f', 'authorizer', '-p', writeAllowedEvent(dir)]);
    expect(run.code).toBe(1);
    // Resolved against the project (copy's) root, not the build folder the function runs in.
    expect(run.output).toContain(
      `COGNITO_JWKS_FILE: could not read a JSON JWKS from ${join(ROOT, 'local', 'no-such-jwks.json')}`,
    );
    expect(run.elapsedMs).toBeLessThan(EXIT_WITHIN_MS);
  });
});
