/**
 * The Cognito emulator's pool and app client, generated from the stack itself: serverless.yml's
 * `CognitoUserPoolUsers` and `WebClient` as osls resolves them for the `local` stage
 * (`serverless print`), so the emulator cannot drift from what AWS gets. `npm run emulator:config`
 * writes the files; test/e2e/emulator-config.test.ts fails when the committed ones disagree.
 *
 * What the emulator needs to differ in is listed once, in {@link EMULATOR_DIFFERENCES}.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { isDeepStrictEqual, promisify } from 'node:util';
import { USER_POOL_AWS_DEFAULTS } from 'cognito-local/lib/services/cognitoService';
import type { PasswordPolicy } from '../../web/src/password-policy';
import { ROOT } from './root';

export const LOCAL_POOL_ID = 'us-east-1_LocalPool1';
export const LOCAL_CLIENT_ID = 'cognitogatelocalwebclient1';
/** The logical ids of the stack's pool and web client in serverless.yml. */
export const POOL_RESOURCE = 'CognitoUserPoolUsers';
export const CLIENT_RESOURCE = 'WebClient';
/** The password flow the page uses against an emulator (cognito-local has no SRP). */
export const EMULATOR_AUTH_FLOW = 'ALLOW_USER_PASSWORD_AUTH';

/** Every way the emulator's configuration differs from the stack's, and why. */
export const EMULATOR_DIFFERENCES: readonly string[] = [
  `Fixed ids: pool ${LOCAL_POOL_ID}, app client ${LOCAL_CLIENT_ID} (AWS generates them on deploy).`,
  `The app client also allows ${EMULATOR_AUTH_FLOW}: cognito-local has no USER_SRP_AUTH, so the page signs in with USER_PASSWORD_AUTH against an emulator.`,
  "Triggers are named in config.json (TriggerFunctions) and reached through serverless-offline's Lambda endpoint, not through the pool's LambdaConfig.",
  "Tokens carry Cognito's real issuer for the pool (TokenConfig.IssuerDomain), so the authorizer checks them as it checks real ones.",
  'cognito-local enforces neither the password policy nor GetTokensFromRefreshToken: the proxy in front of it (tools/dev-stack/cognito-proxy.ts) does both, and refuses SignUp and UpdateUserAttributes setting an attribute outside the client’s WriteAttributes, which cognito-local ignores. It also ignores UsernameConfiguration.CaseSensitive (it compares user names case-sensitively) and the client’s ExplicitAuthFlows.',
];

/** The part of `serverless print --format json` read here. */
export interface PrintedStack {
  provider?: { environment?: Record<string, string> };
  functions?: Record<
    string,
    { name?: string; events?: unknown[]; environment?: Record<string, string> }
  >;
  resources?: {
    Resources?: Record<string, { Type?: string; Properties?: Record<string, unknown> }>;
  };
}

/** The stack's configuration cannot be turned into the emulator's. */
export class EmulatorConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EmulatorConfigError';
  }
}

const run = promisify(execFile);

/**
 * serverless.yml resolved by osls itself for the `local` stage (variables, params, `${self:…}`),
 * with a clean environment so nothing from the shell leaks into the result.
 */
export async function printStack(): Promise<PrintedStack> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', SLS_TELEMETRY_DISABLED: '1' };
  if (process.env.HOME !== undefined) env.HOME = process.env.HOME;
  const { stdout } = await run(
    process.execPath,
    [
      join(ROOT, 'node_modules', 'serverless', 'bin', 'serverless.js'),
      'print',
      '--format',
      'json',
      '--stage',
      'local',
    ],
    { cwd: ROOT, env, maxBuffer: 16 * 1024 * 1024, timeout: 120_000 },
  );
  return JSON.parse(stdout) as PrintedStack;
}

function resourceProperties(stack: PrintedStack, logicalId: string): Record<string, unknown> {
  const properties = stack.resources?.Resources?.[logicalId]?.Properties;
  if (properties === undefined) {
    throw new EmulatorConfigError(`serverless.yml has no resources.Resources.${logicalId}`);
  }
  return properties;
}

/** A CloudFormation intrinsic (`{Ref}`, `{Fn::…}`) cannot be evaluated offline. */
function isIntrinsic(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.keys(value).some((key) => key === 'Ref' || key.startsWith('Fn::'))
  );
}

function pick(
  properties: Record<string, unknown>,
  keys: readonly string[],
  where: string,
): Record<string, unknown> {
  const picked: Record<string, unknown> = {};
  for (const key of keys) {
    const value = properties[key];
    if (value === undefined) continue;
    if (isIntrinsic(value)) {
      throw new EmulatorConfigError(
        `${where}.${key} is a CloudFormation function (${JSON.stringify(value)}); the emulator needs a plain value`,
      );
    }
    picked[key] = value;
  }
  return picked;
}

const POOL_KEYS = [
  'UsernameAttributes',
  'AliasAttributes',
  'UsernameConfiguration',
  'AutoVerifiedAttributes',
  'AccountRecoverySetting',
  'MfaConfiguration',
  'Policies',
] as const;

const CLIENT_KEYS = [
  'ClientName',
  'ExplicitAuthFlows',
  'AccessTokenValidity',
  'IdTokenValidity',
  'RefreshTokenValidity',
  'TokenValidityUnits',
  'AuthSessionValidity',
  'ReadAttributes',
  'WriteAttributes',
  'PreventUserExistenceErrors',
  'EnableTokenRevocation',
] as const;

interface SchemaAttribute {
  Name: string;
  AttributeDataType?: string;
  Mutable?: boolean;
  Required?: boolean;
  [key: string]: unknown;
}

/** Cognito's standard attributes, with the stack's `Schema` entries applied (custom ones added). */
function buildSchema(schema: unknown): SchemaAttribute[] {
  const standard = (USER_POOL_AWS_DEFAULTS.SchemaAttributes ?? []) as SchemaAttribute[];
  const merged = standard.map((attribute) => ({ ...attribute }));
  for (const entry of Array.isArray(schema) ? (schema as SchemaAttribute[]) : []) {
    const index = merged.findIndex((attribute) => attribute.Name === entry.Name);
    if (index !== -1) merged[index] = { ...merged[index], ...entry };
    else merged.push({ ...entry, Name: `custom:${entry.Name}` });
  }
  return merged;
}

/** The emulator's files under `.cognito/`, by path, and the page's copy of the password policy. */
export interface EmulatorConfig {
  files: Record<'config.json' | 'db/clients.json' | `db/${string}.json`, unknown>;
  passwordPolicy: PasswordPolicy;
  triggerFunctions: Record<string, string>;
}

/** The function names (as deployed) of the stack's triggers on the pool, by trigger. */
function findTriggerFunctions(stack: PrintedStack): Record<string, string> {
  const poolName = POOL_RESOURCE.replace(/^CognitoUserPool/u, '');
  const triggers: Record<string, string> = {};
  for (const [key, fn] of Object.entries(stack.functions ?? {})) {
    for (const event of fn.events ?? []) {
      const pool = (event as { cognitoUserPool?: { pool?: string; trigger?: string } })
        .cognitoUserPool;
      if (pool?.pool === poolName && pool.trigger !== undefined) {
        triggers[pool.trigger] = fn.name ?? key;
      }
    }
  }
  return triggers;
}

function readPasswordPolicy(pool: Record<string, unknown>): PasswordPolicy {
  const policy = (pool.Policies as { PasswordPolicy?: Partial<PasswordPolicy> } | undefined)
    ?.PasswordPolicy;
  // Cognito's defaults for what the template leaves out (AWS::Cognito::UserPool PasswordPolicy).
  return {
    MinimumLength: policy?.MinimumLength ?? 8,
    RequireLowercase: policy?.RequireLowercase ?? false,
    RequireUppercase: policy?.RequireUppercase ?? false,
    RequireNumbers: policy?.RequireNumbers ?? false,
    RequireSymbols: policy?.RequireSymbols ?? false,
  };
}

/** Builds the emulator's configuration from the printed stack (pure; see {@link printStack}). */
export function buildEmulatorConfig(stack: PrintedStack): EmulatorConfig {
  const poolProperties = resourceProperties(stack, POOL_RESOURCE);
  const clientProperties = resourceProperties(stack, CLIENT_RESOURCE);
  const pool = pick(poolProperties, POOL_KEYS, POOL_RESOURCE);
  const passwordPolicy = readPasswordPolicy(pool);
  const client = pick(clientProperties, CLIENT_KEYS, CLIENT_RESOURCE);
  const flows = Array.isArray(client.ExplicitAuthFlows)
    ? (client.ExplicitAuthFlows as string[])
    : [];
  const triggerFunctions = findTriggerFunctions(stack);

  const poolOptions = {
    Id: LOCAL_POOL_ID,
    Name: poolProperties.UserPoolName,
    ...pool,
    Policies: {
      ...(pool.Policies as object | undefined),
      PasswordPolicy: {
        TemporaryPasswordValidityDays: 7,
        ...passwordPolicy,
        ...(pool.Policies as { PasswordPolicy?: object } | undefined)?.PasswordPolicy,
      },
    },
    SchemaAttributes: buildSchema(poolProperties.Schema),
    LambdaConfig: {},
  };
  const appClient = {
    ClientId: LOCAL_CLIENT_ID,
    UserPoolId: LOCAL_POOL_ID,
    ...client,
    ExplicitAuthFlows: flows.includes(EMULATOR_AUTH_FLOW) ? flows : [...flows, EMULATOR_AUTH_FLOW],
    // cognito-local reads the dates back; fixed so regenerating changes nothing.
    CreationDate: '2024-01-01T00:00:00.000Z',
    LastModifiedDate: '2024-01-01T00:00:00.000Z',
  };
  const config = {
    // The endpoint is rewritten at start to serverless-offline's Lambda port (LAMBDA_PORT).
    LambdaClient: {
      endpoint: 'http://127.0.0.1:3002',
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    },
    TriggerFunctions: triggerFunctions,
    UserPoolDefaults: {
      ...(pool.UsernameAttributes === undefined
        ? {}
        : { UsernameAttributes: pool.UsernameAttributes }),
      ...(pool.AutoVerifiedAttributes === undefined
        ? {}
        : { AutoVerifiedAttributes: pool.AutoVerifiedAttributes }),
    },
    TokenConfig: { IssuerDomain: 'https://cognito-idp.us-east-1.amazonaws.com' },
  };
  return {
    files: {
      'config.json': config,
      'db/clients.json': { Clients: { [LOCAL_CLIENT_ID]: appClient } },
      // cognito-local reads users from `Users`, which must exist.
      [`db/${LOCAL_POOL_ID}.json`]: { Options: poolOptions, Users: {} },
    },
    passwordPolicy,
    triggerFunctions,
  };
}

/** The committed emulator files, under local/cognito-local/.cognito/. */
export const EMULATOR_CONFIG_DIR = join(ROOT, 'local', 'cognito-local', '.cognito');
/** The page's copy of the pool's password policy. */
export const WEB_POLICY_FILE = join(ROOT, 'web', 'src', 'stack-password-policy.ts');

/** The generated web/src/stack-password-policy.ts (before Prettier). */
export function renderWebPolicy(policy: PasswordPolicy): string {
  return `// Generated by \`npm run emulator:config\` from serverless.yml (${POOL_RESOURCE}'s PasswordPolicy).
// Do not edit: change serverless.yml and regenerate; test/e2e/emulator-config.test.ts checks it.
import type { PasswordPolicy } from './password-policy';

export const STACK_PASSWORD_POLICY: PasswordPolicy = ${JSON.stringify(policy)};
`;
}

/**
 * The committed files that differ in content (not layout) from `config`, relative to the root.
 * Compares parsed JSON and the policy object, so it needs no Prettier (which Jest cannot load).
 */
export function findStaleEmulatorFiles(
  config: EmulatorConfig,
  committedPolicy: PasswordPolicy,
): string[] {
  const stale: string[] = [];
  for (const [relativePath, content] of Object.entries(config.files)) {
    const path = join(EMULATOR_CONFIG_DIR, relativePath);
    let committed: unknown;
    try {
      committed = JSON.parse(readFileSync(path, 'utf8'));
    } catch {
      committed = undefined;
    }
    if (!isDeepStrictEqual(committed, content)) stale.push(relative(ROOT, path));
  }
  if (!isDeepStrictEqual({ ...committedPolicy }, config.passwordPolicy)) {
    stale.push(relative(ROOT, WEB_POLICY_FILE));
  }
  return stale;
}

/** Every generated file's absolute path and text, formatted as the repository's Prettier wants. */
export async function renderEmulatorFiles(config: EmulatorConfig): Promise<Map<string, string>> {
  const { format, resolveConfig } = await import('prettier');
  const rendered = new Map<string, string>();
  const add = async (path: string, text: string) => {
    const options = (await resolveConfig(path)) ?? {};
    rendered.set(path, await format(text, { ...options, filepath: path }));
  };
  for (const [relative, content] of Object.entries(config.files)) {
    await add(join(EMULATOR_CONFIG_DIR, relative), JSON.stringify(content, null, 2));
  }
  await add(WEB_POLICY_FILE, renderWebPolicy(config.passwordPolicy));
  return rendered;
}
