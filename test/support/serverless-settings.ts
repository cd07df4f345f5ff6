/**
 * Settings read from serverless.yml itself, so a test of the local stand-ins runs with the values
 * a deploy uses rather than a copy that can drift from them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const SERVERLESS_YML = join(__dirname, '..', '..', 'serverless.yml');

/**
 * The authorizer's `ACCESS_RULES`, a YAML folded scalar (`>-`): its lines joined with spaces, as
 * YAML folds them, give the JSON the function receives.
 */
export function readDeployedAccessRules(): string {
  const lines = readFileSync(SERVERLESS_YML, 'utf8').split('\n');
  const start = lines.findIndex((line) => /^\s+ACCESS_RULES: >-$/u.test(line));
  if (start < 0) throw new Error('serverless.yml has no folded ACCESS_RULES: >- entry');
  const indent = (lines[start] ?? '').search(/\S/u);
  const body: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.trim() !== '' && line.search(/\S/u) <= indent) break;
    body.push(line.trim());
  }
  const rules = body.join(' ').trim();
  // Throws, with the position, if the folding above produced no JSON.
  JSON.parse(rules);
  return rules;
}
