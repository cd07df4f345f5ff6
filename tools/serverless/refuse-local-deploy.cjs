// A local osls plugin: `serverless deploy` (and `deploy function`) refuse the `local` stage.
//
// `local` is the default stage so that `npm start`, `serverless offline` and
// `serverless invoke local` need no flags; it trusts the committed dev key, keeps profiles in
// PGlite and logs at DEBUG. Deployed, it would create a real user pool whose functions cannot
// start. The check runs in the `initialize` lifecycle event, which every command passes through
// before packaging or any AWS call, so nothing is built or created.
'use strict';

const LOCAL_STAGE = 'local';
const DEPLOY_COMMANDS = new Set(['deploy']);

/** The message, one place, also asserted by test/e2e/packaged-template.test.ts. */
function describeRefusal(stage, stageWasGiven) {
  const how = stageWasGiven
    ? `--stage ${stage}`
    : `no --stage (the default stage is "${LOCAL_STAGE}")`;
  return (
    `Refusing to deploy the "${stage}" stage to AWS (${how}): it is for this machine only ` +
    '(dev signing key, PGlite, DEBUG logs). Deploy a named stage with its params instead, e.g. ' +
    'npx serverless deploy --stage prod --param="webOrigin=https://app.example.org" … ' +
    '(README "Deploy to AWS").'
  );
}

class RefuseLocalDeployPlugin {
  constructor(serverless, options) {
    this.serverless = serverless;
    this.options = options;
    this.hooks = { initialize: () => this.refuseLocalDeploy() };
  }

  refuseLocalDeploy() {
    const [command] = this.serverless.processedInput.commands;
    if (!DEPLOY_COMMANDS.has(command)) return;
    const stage = this.serverless.getProvider('aws').getStage();
    if (stage.toLowerCase() !== LOCAL_STAGE) return;
    throw new this.serverless.classes.Error(
      describeRefusal(stage, this.options.stage !== undefined),
      'LOCAL_STAGE_DEPLOY_REFUSED',
    );
  }
}

module.exports = RefuseLocalDeployPlugin;
module.exports.describeRefusal = describeRefusal;
