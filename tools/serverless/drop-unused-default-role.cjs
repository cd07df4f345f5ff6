// A local osls plugin: once serverless-iam-roles-per-function has given every function its own
// role, the shared `IamRoleLambdaExecution` osls compiled is used by nothing, yet it would still
// be created, with logs rights on every function's log group and, as soon as one function is in
// a VPC, the right to create network interfaces. Least privilege means not creating it at all.
// It is removed only when nothing in the template refers to it.
'use strict';

const DEFAULT_ROLE = 'IamRoleLambdaExecution';

/** Whether `value` (a template fragment) names the logical id in a Ref, GetAtt or DependsOn. */
function refersTo(value, logicalId) {
  if (Array.isArray(value)) return value.some((item) => refersTo(item, logicalId));
  if (value === null || typeof value !== 'object') return false;
  for (const [key, inner] of Object.entries(value)) {
    if (key === 'Ref' && inner === logicalId) return true;
    if (key === 'Fn::GetAtt') {
      const target = Array.isArray(inner) ? inner[0] : String(inner).split('.')[0];
      if (target === logicalId) return true;
    }
    if (key === 'DependsOn' && [inner].flat().includes(logicalId)) return true;
    if (key === 'Fn::Sub' && JSON.stringify(inner).includes(`\${${logicalId}`)) return true;
    if (refersTo(inner, logicalId)) return true;
  }
  return false;
}

class DropUnusedDefaultRolePlugin {
  constructor(serverless) {
    this.serverless = serverless;
    this.hooks = { 'before:package:finalize': () => this.dropUnusedDefaultRole() };
  }

  dropUnusedDefaultRole() {
    const template = this.serverless.service.provider.compiledCloudFormationTemplate;
    const { [DEFAULT_ROLE]: role, ...others } = template.Resources;
    if (role === undefined) return;
    if (refersTo(others, DEFAULT_ROLE) || refersTo(template.Outputs ?? {}, DEFAULT_ROLE)) return;
    delete template.Resources[DEFAULT_ROLE];
  }
}

module.exports = DropUnusedDefaultRolePlugin;
module.exports.refersTo = refersTo;
