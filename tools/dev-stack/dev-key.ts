import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { keyPairFromPrivateJwk, type JsonWebKeyPair } from './sign-jwt';
import { ROOT } from './root';

/** The local stage's pool and client (also read by serverless.yml). */
export const localStage = JSON.parse(
  readFileSync(join(ROOT, 'local', 'local-stage.json'), 'utf8'),
) as {
  userPoolId: string;
  clientId: string;
  jwksFile: string;
};

/** The committed dev-only key pair; trusted only in local runs (see local/README.md). */
export function loadDevKeyPair(): JsonWebKeyPair {
  const jwk = JSON.parse(readFileSync(join(ROOT, 'local', 'dev-private-key.jwk.json'), 'utf8')) as {
    kid: string;
  } & Record<string, unknown>;
  return keyPairFromPrivateJwk(jwk);
}
