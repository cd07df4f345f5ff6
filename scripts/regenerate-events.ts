/**
 * Rewrites events/authorizer/*.json with tokens signed now by the dev key. Cognito tokens (and so
 * the authorizer) allow at most 24 hours of validity, so the "allowed" samples need this once a day:
 *   npm run events:regenerate
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildAuthorizerSampleEvents } from '../tools/dev-stack/authorizer-sample-events';
import { loadDevKeyPair, localStage } from '../tools/dev-stack/dev-key';
import { generateKeyPair } from '../tools/dev-stack/sign-jwt';

const directory = join(__dirname, '..', 'events', 'authorizer');
mkdirSync(directory, { recursive: true });
const samples = buildAuthorizerSampleEvents({
  devKey: loadDevKeyPair(),
  forgeryKey: generateKeyPair('forgery'),
  userPoolId: localStage.userPoolId,
  clientId: localStage.clientId,
  nowSeconds: Math.floor(Date.now() / 1000),
});
for (const [name, { event }] of Object.entries(samples)) {
  writeFileSync(join(directory, name), `${JSON.stringify(event, null, 2)}\n`);
}
process.stdout.write(
  `wrote ${Object.keys(samples).length} events to events/authorizer/ (valid for 24 hours)\n`,
);
