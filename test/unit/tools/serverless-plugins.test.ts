/**
 * The two local osls plugins, driven with the parts of the `serverless` object they read. The
 * CLI itself runs them in test/e2e/packaged-template.test.ts.
 */

import { ServerlessError } from '../../support/serverless-error';

interface FakeServerless {
  processedInput: { commands: string[] };
  getProvider(name: string): { getStage(): string };
  classes: { Error: new (message: string, code: string) => Error };
  service: {
    provider: {
      compiledCloudFormationTemplate: {
        Resources: Record<string, unknown>;
        Outputs?: Record<string, unknown>;
      };
    };
  };
}

interface Plugin {
  hooks: Record<string, () => void>;
}

type PluginClass = new (serverless: FakeServerless, options: { stage?: string }) => Plugin;

/* eslint-disable @typescript-eslint/no-require-imports */
const RefuseLocalDeploy =
  require('../../../tools/serverless/refuse-local-deploy.cjs') as PluginClass & {
    describeRefusal: (stage: string, stageWasGiven: boolean) => string;
  };
const DropUnusedDefaultRole =
  require('../../../tools/serverless/drop-unused-default-role.cjs') as PluginClass & {
    refersTo: (value: unknown, logicalId: string) => boolean;
  };
/* eslint-enable @typescript-eslint/no-require-imports */

function fakeServerless(
  commands: string[],
  stage: string,
  resources: Record<string, unknown> = {},
): FakeServerless {
  return {
    processedInput: { commands },
    getProvider: () => ({ getStage: () => stage }),
    classes: { Error: ServerlessError },
    service: { provider: { compiledCloudFormationTemplate: { Resources: resources } } },
  };
}

function runHook(plugin: Plugin, hook: string): void {
  const run = plugin.hooks[hook];
  if (run === undefined) throw new Error(`the plugin has no ${hook} hook`);
  run();
}

describe('refuse-local-deploy', () => {
  it.each([[['deploy']], [['deploy', 'function']]])(
    'refuses %j on the local stage, naming the stage and the fix',
    (commands) => {
      const plugin = new RefuseLocalDeploy(fakeServerless(commands, 'local'), { stage: 'local' });
      expect(() => {
        runHook(plugin, 'initialize');
      }).toThrow(ServerlessError);
      expect(() => {
        runHook(plugin, 'initialize');
      }).toThrow(RefuseLocalDeploy.describeRefusal('local', true));
    },
  );

  it('says that no --stage means local', () => {
    expect(RefuseLocalDeploy.describeRefusal('local', false)).toContain(
      'no --stage (the default stage is "local")',
    );
    expect(RefuseLocalDeploy.describeRefusal('local', false)).toContain(
      'npx serverless deploy --stage prod',
    );
  });

  it.each([
    [['offline', 'start'], 'local'],
    [['package'], 'local'],
    [['invoke', 'local'], 'local'],
    [['deploy'], 'prod'],
  ])('lets %j on stage %s through', (commands, stage) => {
    const plugin = new RefuseLocalDeploy(fakeServerless(commands, stage), {});
    expect(() => {
      runHook(plugin, 'initialize');
    }).not.toThrow();
  });
});

describe('drop-unused-default-role', () => {
  const role = { Type: 'AWS::IAM::Role', Properties: {} };

  it('removes the shared role when no function uses it', () => {
    const resources: Record<string, unknown> = {
      IamRoleLambdaExecution: role,
      GetMeIamRoleLambdaExecution: role,
      GetMeLambdaFunction: {
        Type: 'AWS::Lambda::Function',
        DependsOn: ['GetMeIamRoleLambdaExecution'],
        Properties: { Role: { 'Fn::GetAtt': ['GetMeIamRoleLambdaExecution', 'Arn'] } },
      },
    };
    runHook(
      new DropUnusedDefaultRole(fakeServerless(['package'], 'prod', resources), {}),
      'before:package:finalize',
    );
    expect(Object.keys(resources).sort()).toEqual([
      'GetMeIamRoleLambdaExecution',
      'GetMeLambdaFunction',
    ]);
  });

  it.each([
    ['GetAtt', { Role: { 'Fn::GetAtt': ['IamRoleLambdaExecution', 'Arn'] } }],
    ['dotted GetAtt', { Role: { 'Fn::GetAtt': 'IamRoleLambdaExecution.Arn' } }],
    ['Ref', { Roles: [{ Ref: 'IamRoleLambdaExecution' }] }],
    ['Sub', { Name: { 'Fn::Sub': '${IamRoleLambdaExecution.Arn}' } }],
  ])('keeps the shared role while a %s names it', (_, properties) => {
    const resources: Record<string, unknown> = {
      IamRoleLambdaExecution: role,
      Other: { Type: 'AWS::Lambda::Function', Properties: properties },
    };
    runHook(
      new DropUnusedDefaultRole(fakeServerless(['package'], 'prod', resources), {}),
      'before:package:finalize',
    );
    expect(resources.IamRoleLambdaExecution).toBe(role);
  });

  it('does not mistake a longer logical id for the shared role', () => {
    expect(
      DropUnusedDefaultRole.refersTo(
        { Ref: 'AuthorizerIamRoleLambdaExecution' },
        'IamRoleLambdaExecution',
      ),
    ).toBe(false);
    expect(
      DropUnusedDefaultRole.refersTo(
        { DependsOn: 'IamRoleLambdaExecution' },
        'IamRoleLambdaExecution',
      ),
    ).toBe(true);
  });
});
