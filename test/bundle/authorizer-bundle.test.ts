/**
 * The authorizer as it ships: bundled by esbuild with the deployment's options, configured with the
 * environment serverless.yml gives it on the local stage, answering the sample events in
 * events/authorizer/ as the README says.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  buildAuthorizerSampleEvents,
  type SampleEvent,
} from '../../tools/dev-stack/authorizer-sample-events';
import { toPolicyResources } from '../../src/auth/access-rules';
import { bundleFunction } from '../../tools/dev-stack/bundle-function';
import { loadDevKeyPair, localStage } from '../../tools/dev-stack/dev-key';
import { generateKeyPair } from '../../tools/dev-stack/sign-jwt';
import { ROOT } from '../../tools/dev-stack/root';
import { printStack } from '../../tools/dev-stack/emulator-config';

const run = promisify(execFile);
const STAGE = 'arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/prod';
const SUB = '4f1c2a3b-0000-4000-8000-000000000001';

let workdir: string;
let bundle: string;
let environment: Record<string, string>;
let samples: Record<string, SampleEvent>;

/** Runs the bundle in a fresh Node process, as Lambda would, on each event in turn. */
async function invokeBundle(events: unknown[]): Promise<{ result?: unknown; error?: string }[]> {
  const script = `
    const { handler } = require(${JSON.stringify(bundle)});
    const events = JSON.parse(process.argv[1]);
    (async () => {
      const out = [];
      for (const event of events) {
        try { out.push({ result: await handler(event, { awsRequestId: 'test' }) }); }
        catch (error) { out.push({ error: error.message, errorClass: error.constructor.name }); }
      }
      process.stderr.write(JSON.stringify(out));
    })();`;
  const { stderr } = await run(process.execPath, ['-e', script, JSON.stringify(events)], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...environment },
    maxBuffer: 16 * 1024 * 1024,
  });
  return JSON.parse(stderr) as { result?: unknown; error?: string }[];
}

beforeAll(async () => {
  workdir = mkdtempSync(join(tmpdir(), 'cognito-gate-bundle-'));
  bundle = await bundleFunction('src/handlers/authorizer.ts', workdir);
  const service = await printStack();
  environment = {
    ...service.provider?.environment,
    ...service.functions?.authorizer?.environment,
    // What `serverless invoke local` sets.
    IS_LOCAL: 'true',
    LOG_LEVEL: 'INFO',
  };
  samples = buildAuthorizerSampleEvents({
    devKey: loadDevKeyPair(),
    forgeryKey: generateKeyPair('forgery'),
    userPoolId: localStage.userPoolId,
    clientId: localStage.clientId,
    nowSeconds: Math.floor(Date.now() / 1000),
  });
}, 60_000);

afterAll(() => {
  rmSync(workdir, { recursive: true, force: true });
});

describe('the bundled authorizer', () => {
  it('is at most 64 KB minified', () => {
    expect(statSync(bundle).size).toBeLessThanOrEqual(64 * 1024);
  });

  it('has one committed sample event per documented case', () => {
    expect(readdirSync(join(ROOT, 'events', 'authorizer')).sort()).toEqual(
      Object.keys(samples).sort(),
    );
  });

  it('answers every sample event as the README documents', async () => {
    const names = Object.keys(samples);
    const results = await invokeBundle(names.map((name) => samples[name]?.event));
    const byName = Object.fromEntries(names.map((name, i) => [name, results[i]]));
    const stagePolicy = (extraDenials: string[]) => ({
      result: {
        principalId: SUB,
        policyDocument: {
          Version: '2012-10-17',
          // Cache-safe: the same answer serves every route, so the admin-only route is denied
          // here too (serverless.yml's ACCESS_RULES).
          Statement: [
            { Action: 'execute-api:Invoke', Effect: 'Allow', Resource: `${STAGE}/*` },
            {
              Action: 'execute-api:Invoke',
              Effect: 'Deny',
              Resource: [
                ...toPolicyResources('GET', ['admin', 'whoami'], true),
                ...toPolicyResources('GET', ['profiles', '{handle}'], true),
              ]
                .map((suffix) => `${STAGE}/${suffix}`)
                .concat(extraDenials),
            },
          ],
        },
        context: expect.objectContaining({ sub: SUB, username: 'jane', groups: '[]' }) as unknown,
      },
    });
    const allowWholeStage = stagePolicy([]);
    const unauthorized = { error: 'Unauthorized', errorClass: 'Error' };
    expect(byName).toEqual({
      'rest-token-allowed.json': allowWholeStage,
      'rest-request-allowed.json': allowWholeStage,
      'rest-token-expired.json': unauthorized,
      'rest-token-forged.json': unauthorized,
      'rest-token-missing-header.json': unauthorized,
      'rest-request-missing-header.json': unauthorized,
      // The refused request's own ARN is already one of the patterns.
      'rest-token-missing-group.json': allowWholeStage,
      'http-api-allowed.json': {
        result: {
          isAuthorized: true,
          context: expect.objectContaining({ sub: SUB, groups: '[]' }) as unknown,
        },
      },
      'http-api-admin-allowed.json': {
        result: {
          isAuthorized: true,
          context: expect.objectContaining({ sub: SUB, groups: '["admin"]' }) as unknown,
        },
      },
      'http-api-expired.json': { result: { isAuthorized: false } },
      'http-api-forged.json': { result: { isAuthorized: false } },
      'http-api-missing-header.json': { result: { isAuthorized: false } },
      'http-api-missing-group.json': { result: { isAuthorized: false } },
      'http-api-param-slash-missing-group.json': { result: { isAuthorized: false } },
      'http-api-head-missing-group.json': { result: { isAuthorized: false } },
      'http-api-step-up-refused.json': { result: { isAuthorized: false } },
      'http-api-machine-allowed.json': {
        result: {
          isAuthorized: true,
          context: expect.objectContaining({ principalKind: 'machine', username: '' }) as unknown,
        },
      },
      'http-api-machine-me-refused.json': { result: { isAuthorized: false } },
      // The refused request's own ARN joins the denials (see build-policy.ts).
      'rest-request-param-slash-missing-group.json': stagePolicy([`${STAGE}/GET/profiles/a/b`]),
      'serverless-offline-http-api-missing-group.json': { result: { isAuthorized: false } },
    });
  });

  it('refuses to start outside a local run when told to trust a JWKS file', async () => {
    delete environment.IS_LOCAL;
    const script = `try { require(${JSON.stringify(bundle)}); } catch (e) { process.stderr.write(e.name + ': ' + e.message); }`;
    const { stderr } = await run(process.execPath, ['-e', script], {
      cwd: ROOT,
      env: { PATH: '', ...environment },
    });
    expect(stderr).toBe(
      'ConfigError: COGNITO_JWKS_FILE: is honoured only in local runs (IS_LOCAL or IS_OFFLINE set to true); unset it in deployed stages so keys come from the user pool',
    );
  });
});

describe('serverless invoke local', () => {
  it('runs the authorizer on a sample event', async () => {
    const eventFile = join(workdir, 'event.json');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(eventFile, JSON.stringify(samples['http-api-allowed.json']?.event));
    const { stdout } = await run(
      process.execPath,
      [
        join(ROOT, 'node_modules', 'serverless', 'bin', 'serverless.js'),
        'invoke',
        'local',
        '-f',
        'authorizer',
        '-p',
        eventFile,
      ],
      {
        cwd: ROOT,
        env: { ...process.env, SLS_TELEMETRY_DISABLED: '1' },
        maxBuffer: 16 * 1024 * 1024,
      },
    );
    const answer = stdout.slice(stdout.lastIndexOf('\n{'));
    expect(JSON.parse(answer)).toMatchObject({
      isAuthorized: true,
      context: { sub: SUB, username: 'jane' },
    });
    expect(stdout).toContain('"decision":"allow"');
  }, 60_000);
});
