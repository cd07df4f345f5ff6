/**
 * The one module that reads the environment. Each function reads and validates the variables of
 * one concern once, at cold start, and throws {@link ConfigError} naming the variable at fault.
 */
import { parseAccessRules, type AccessRule } from './auth/access-rules';
import { ConfigError } from './errors';
import type { LogLevel } from './logger';

export type Env = Readonly<Record<string, string | undefined>>;

export type TokenUse = 'access' | 'id' | 'any';
export type HttpApiResponseMode = 'simple' | 'iam';

export interface AuthorizerConfig {
  userPoolId: string;
  clientIds: string[];
  tokenUse: TokenUse;
  /** Local runs only: trust the keys in this JWKS file instead of fetching the pool's JWKS. */
  jwksFile: string | undefined;
  accessRules: AccessRule[];
  httpApiResponse: HttpApiResponseMode;
  /** Upper bound on verified tokens remembered per container (0 turns the cache off). */
  tokenCacheSize: number;
  logLevel: LogLevel;
}

const USER_POOL_ID = /^[a-z]{2}(-gov)?-[a-z]+-\d_[0-9A-Za-z]+$/;
const CLIENT_ID = /^[\w+]{1,128}$/;
const LOG_LEVELS: readonly LogLevel[] = ['DEBUG', 'INFO', 'WARN', 'ERROR', 'SILENT'];

function readRequired(env: Env, name: string, example: string): string {
  const value = env[name]?.trim();
  if (!value) throw new ConfigError(name, `is required (for example ${example})`);
  return value;
}

function readChoice<T extends string>(
  env: Env,
  name: string,
  choices: readonly T[],
  fallback: T,
): T {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const found = choices.find((choice) => choice.toLowerCase() === raw.toLowerCase());
  if (found === undefined) {
    throw new ConfigError(name, `must be one of ${choices.join(', ')}; got "${raw.slice(0, 40)}"`);
  }
  return found;
}

function readBoolean(env: Env, name: string): boolean {
  return env[name]?.trim().toLowerCase() === 'true';
}

function readInteger(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigError(name, `must be a whole number from ${min} to ${max}; got "${raw.slice(0, 40)}"`);
  }
  return Number(raw);
}

/** `true` under `serverless invoke local` (IS_LOCAL) and serverless-offline (IS_OFFLINE). */
export function isLocalRun(env: Env = process.env): boolean {
  return readBoolean(env, 'IS_LOCAL') || readBoolean(env, 'IS_OFFLINE');
}

export function readLogLevel(env: Env = process.env): LogLevel {
  return readChoice(env, 'LOG_LEVEL', LOG_LEVELS, 'INFO');
}

/** Reads the authorizer's configuration; throws {@link ConfigError} on the first bad variable. */
export function readAuthorizerConfig(env: Env = process.env): AuthorizerConfig {
  const userPoolId = readRequired(env, 'COGNITO_USER_POOL_ID', 'us-east-1_AbCdEf123');
  if (!USER_POOL_ID.test(userPoolId)) {
    throw new ConfigError(
      'COGNITO_USER_POOL_ID',
      `must look like <region>_<id>, for example us-east-1_AbCdEf123; got "${userPoolId.slice(0, 60)}"`,
    );
  }

  const clientIds = readRequired(env, 'COGNITO_CLIENT_IDS', '1example23456789')
    .split(',')
    .map((id) => id.trim());
  const badClientId = clientIds.find((id) => !CLIENT_ID.test(id));
  if (badClientId !== undefined) {
    throw new ConfigError(
      'COGNITO_CLIENT_IDS',
      `must be app client ids separated by commas (letters, digits, _ or +); got "${badClientId.slice(0, 60)}"`,
    );
  }

  const jwksFile = env.COGNITO_JWKS_FILE?.trim() || undefined;
  if (jwksFile !== undefined && !isLocalRun(env)) {
    throw new ConfigError(
      'COGNITO_JWKS_FILE',
      'is honoured only in local runs (IS_LOCAL or IS_OFFLINE set to true); unset it in deployed stages so keys come from the user pool',
    );
  }

  return {
    userPoolId,
    clientIds: [...new Set(clientIds)],
    tokenUse: readChoice(env, 'COGNITO_TOKEN_USE', ['access', 'id', 'any'] as const, 'access'),
    jwksFile,
    accessRules: parseAccessRules(env.ACCESS_RULES ?? '', 'ACCESS_RULES'),
    httpApiResponse: readChoice(env, 'HTTP_API_RESPONSE', ['simple', 'iam'] as const, 'simple'),
    tokenCacheSize: readInteger(env, 'TOKEN_CACHE_SIZE', 1000, 0, 100_000),
    logLevel: readLogLevel(env),
  };
}
