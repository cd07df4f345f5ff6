/**
 * The committed emulator files (local/cognito-local/.cognito/, web/src/stack-password-policy.ts)
 * are exactly what serverless.yml says, as osls resolves it: change the pool or the web client and
 * forget `npm run emulator:config`, and this fails.
 */
import {
  CLIENT_RESOURCE,
  EMULATOR_AUTH_FLOW,
  POOL_RESOURCE,
  buildEmulatorConfig,
  findStaleEmulatorFiles,
  printStack,
  type PrintedStack,
} from '../../tools/dev-stack/emulator-config';
import { STACK_PASSWORD_POLICY } from '../../web/src/stack-password-policy';

jest.setTimeout(120_000);

// Cloned through JSON, not structuredClone: Jest's sandbox gives that clone another realm's
// prototypes, which a strict deep comparison tells apart.
let printed: PrintedStack;

beforeAll(async () => {
  printed = await printStack();
});

const committedDifferences = (stack: PrintedStack) =>
  findStaleEmulatorFiles(buildEmulatorConfig(stack), STACK_PASSWORD_POLICY);

function properties(stack: PrintedStack, id: string): Record<string, unknown> {
  const found = stack.resources?.Resources?.[id]?.Properties;
  if (found === undefined) throw new Error(`no ${id} in the printed stack`);
  return found;
}

describe('the emulator configuration', () => {
  it('matches serverless.yml (run `npm run emulator:config` after changing the pool or client)', () => {
    expect(committedDifferences(printed)).toEqual([]);
  });

  it('notices a changed password policy', () => {
    const changed = JSON.parse(JSON.stringify(printed)) as PrintedStack;
    const pool = properties(changed, POOL_RESOURCE);
    (pool.Policies as { PasswordPolicy: { MinimumLength: number } }).PasswordPolicy.MinimumLength =
      14;
    expect(committedDifferences(changed)).toEqual(
      expect.arrayContaining([
        'local/cognito-local/.cognito/db/us-east-1_LocalPool1.json',
        'web/src/stack-password-policy.ts',
      ]),
    );
  });

  it('notices a changed token validity', () => {
    const changed = JSON.parse(JSON.stringify(printed)) as PrintedStack;
    properties(changed, CLIENT_RESOURCE).AccessTokenValidity = 5;
    expect(committedDifferences(changed)).toEqual(['local/cognito-local/.cognito/db/clients.json']);
  });

  it('adds only the password flow to the client’s flows', () => {
    const flows = properties(printed, CLIENT_RESOURCE).ExplicitAuthFlows as string[];
    const clients = buildEmulatorConfig(printed).files['db/clients.json'] as {
      Clients: Record<string, { ExplicitAuthFlows: string[] }>;
    };
    const emulated = Object.values(clients.Clients)[0]?.ExplicitAuthFlows ?? [];
    expect(new Set(emulated)).toEqual(new Set([...flows, EMULATOR_AUTH_FLOW]));
  });

  it('wires every trigger of the pool to its function', () => {
    expect(buildEmulatorConfig(printed).triggerFunctions).toEqual({
      PreSignUp: 'cognito-gate-local-preSignUp',
      PostConfirmation: 'cognito-gate-local-postConfirmation',
    });
  });
});
