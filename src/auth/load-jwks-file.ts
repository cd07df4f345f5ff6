import { readFileSync } from 'node:fs';
import type { Jwks } from 'aws-jwt-verify/jwk';
import { ConfigError } from '../config-error';

/** Reads a JWKS JSON file (local runs only); throws {@link ConfigError} naming the variable. */
export function loadJwksFile(path: string, variable = 'COGNITO_JWKS_FILE'): Jwks {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError(variable, `could not read a JSON JWKS from ${path}`, { cause: error });
  }
  if (
    typeof parsed !== 'object' ||
    parsed === null ||
    !Array.isArray((parsed as { keys?: unknown }).keys) ||
    (parsed as { keys: unknown[] }).keys.length === 0
  ) {
    throw new ConfigError(
      variable,
      `${path} must hold a JWKS: {"keys":[...]} with at least one key`,
    );
  }
  return parsed as Jwks;
}
