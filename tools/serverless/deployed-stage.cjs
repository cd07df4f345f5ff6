// What a stage's params become in serverless.yml: the browser origin, the database functions'
// VPC, environment and database grant. Each export is an osls `${file(...):name}` function
// resolver (https://www.serverless.com/framework/docs/providers/aws/guide/variables#reference-variables-in-javascript-files),
// so a deployed stage with a missing or malformed param stops `serverless package/deploy` with
// a message naming the param, before anything reaches AWS. The `local` stage keeps its settings
// from `params.local` (PGlite through DATABASE_URL, no VPC, no database grant).
'use strict';

const LOCAL_STAGE = 'local';

/**
 * Node.js 20+ Lambda runtimes no longer load the Amazon CA certificates (the RDS ones among them)
 * unless NODE_EXTRA_CA_CERTS names this file, which the runtime ships
 * (https://docs.aws.amazon.com/lambda/latest/dg/lambda-nodejs.html, "CA certificate loading").
 * The variable adds the file to Node's own list. Loading it costs cold-start time, so only the
 * database functions get it, never the authorizer.
 */
const LAMBDA_CA_BUNDLE = '/var/runtime/ca-cert.pem';

const SUBNET_ID = /^subnet-[0-9a-f]{8,17}$/;
const SECURITY_GROUP_ID = /^sg-[0-9a-f]{8,17}$/;
/**
 * What `rds-db:connect` is granted on: an RDS Proxy's resource id (`prx-…`, from
 * `aws rds describe-db-proxies`), or, connecting straight to the database, an instance's
 * DbiResourceId (`db-…`) or an Aurora cluster's resource id (`cluster-…`). The policy resource is
 * arn:aws:rds-db:<region>:<account>:dbuser:<resource id>/<user>:
 * https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-proxy-connecting.html and
 * https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.IAMDBAuth.IAMPolicy.html
 */
const DATABASE_RESOURCE_ID = /^(prx|db|cluster)-[0-9A-Za-z]{1,64}$/;

/** A deployed stage's param is missing or malformed. */
class StageParamError extends Error {
  constructor(stage, param, expectation) {
    super(`--param="${param}=…" ${expectation} (stage ${stage}; see README "Deploy to AWS")`);
    this.name = 'StageParamError';
    // osls prints the stack of a failed resolver; the message is all the reader needs.
    this.stack = `${this.name}: ${this.message}`;
  }
}

/** The stage and a reader of its params (trimmed; '' when not set). */
async function openStage(resolveVariable) {
  const stage = await resolveVariable('sls:stage');
  const read = async (name) => {
    const value = await resolveVariable(`param:${name}, null`);
    return value === null || value === undefined ? '' : String(value).trim();
  };
  return { stage, isLocal: stage === LOCAL_STAGE, read };
}

function readIdList(stage, param, raw, pattern, example) {
  const ids = raw
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id !== '');
  const bad = ids.find((id) => !pattern.test(id));
  if (bad !== undefined) {
    throw new StageParamError(
      stage,
      param,
      `must be ids separated by commas, like ${example}; got "${bad.slice(0, 40)}"`,
    );
  }
  return ids;
}

/**
 * The origin of the browser app allowed to call the API (CORS). Required on deployed stages: an
 * example default would silently block the real app.
 */
async function webOrigin({ resolveVariable }) {
  const { stage, isLocal, read } = await openStage(resolveVariable);
  const origin = await read('webOrigin');
  if (isLocal) return origin;
  if (origin === '') {
    throw new StageParamError(
      stage,
      'webOrigin',
      'is required: the origin of the web app allowed to call the API, for example --param="webOrigin=https://app.example.org"',
    );
  }
  let url;
  try {
    url = new URL(origin);
  } catch {
    url = undefined;
  }
  const local = url !== undefined && ['localhost', '127.0.0.1'].includes(url.hostname);
  if (
    url === undefined ||
    url.origin !== origin ||
    !(url.protocol === 'https:' || (local && url.protocol === 'http:'))
  ) {
    throw new StageParamError(
      stage,
      'webOrigin',
      `must be an https origin without path or trailing slash, like https://app.example.org; got "${origin.slice(0, 80)}"`,
    );
  }
  return origin;
}

/**
 * `vpc` of the database functions: both lists, or neither (null: outside any VPC, e.g. a
 * publicly reachable database). An RDS Proxy is reachable only from inside its VPC.
 */
async function databaseVpc({ resolveVariable }) {
  const { stage, isLocal, read } = await openStage(resolveVariable);
  if (isLocal) return null;
  const subnetIds = readIdList(
    stage,
    'vpcSubnetIds',
    await read('vpcSubnetIds'),
    SUBNET_ID,
    'subnet-0a1b2c3d4e5f60718,subnet-0f1e2d3c4b5a69788',
  );
  const securityGroupIds = readIdList(
    stage,
    'vpcSecurityGroupIds',
    await read('vpcSecurityGroupIds'),
    SECURITY_GROUP_ID,
    'sg-0a1b2c3d4e5f60718',
  );
  if (subnetIds.length === 0 && securityGroupIds.length === 0) return null;
  if (subnetIds.length === 0 || securityGroupIds.length === 0) {
    const missing = subnetIds.length === 0 ? 'vpcSubnetIds' : 'vpcSecurityGroupIds';
    throw new StageParamError(
      stage,
      missing,
      'is required with the other VPC param: the database functions need both subnets and security groups',
    );
  }
  return { subnetIds, securityGroupIds };
}

/**
 * How the database functions reach PostgreSQL on this stage:
 * - `local`: DATABASE_URL from params.local (PGlite unless DATABASE_URL names a server);
 * - `url`: the user chose --param="databaseUrl=postgres://…" (password in the URL: their call);
 * - `iam` (the default on deployed stages): host, port, name and user, IAM database
 *   authentication over TLS verified against the runtime's CA bundle; no password anywhere.
 */
async function readDatabaseSettings(resolveVariable) {
  const { stage, isLocal, read } = await openStage(resolveVariable);
  const databaseUrl = await read('databaseUrl');
  if (isLocal) return { mode: 'local', environment: { DATABASE_URL: databaseUrl } };

  const host = await read('databaseHost');
  if (databaseUrl !== '') {
    if (host !== '') {
      throw new StageParamError(
        stage,
        'databaseUrl',
        'cannot be combined with databaseHost: pass databaseHost, databaseName, databaseUser and databaseResourceId (IAM authentication), or databaseUrl alone',
      );
    }
    if (!/^postgres(ql)?:\/\//i.test(databaseUrl)) {
      throw new StageParamError(
        stage,
        'databaseUrl',
        'must be a postgres:// URL (value not shown: it may hold a password)',
      );
    }
    return {
      mode: 'url',
      environment: { DATABASE_URL: databaseUrl, NODE_EXTRA_CA_CERTS: LAMBDA_CA_BUNDLE },
    };
  }

  const required = {
    databaseHost:
      'the RDS Proxy endpoint (or the database endpoint), like my-proxy.proxy-abc123xyz.us-east-1.rds.amazonaws.com',
    databaseName: 'the database, like profiles',
    databaseUser: 'the database user the functions sign in as with IAM, like cognito_gate',
    databaseResourceId:
      "the resource id rds-db:connect is granted on: the proxy's (prx-…) or the instance's DbiResourceId (db-…)",
  };
  const values = {};
  for (const [param, what] of Object.entries(required)) {
    values[param] = await read(param);
    if (values[param] === '') {
      throw new StageParamError(
        stage,
        param,
        `is required: ${what} (or pass databaseUrl instead of the databaseHost params)`,
      );
    }
  }
  if (!DATABASE_RESOURCE_ID.test(values.databaseResourceId)) {
    throw new StageParamError(
      stage,
      'databaseResourceId',
      `must be prx-…, db-… or cluster-… (a resource id, not a name or ARN); got "${values.databaseResourceId.slice(0, 70)}"`,
    );
  }
  const port = (await read('databasePort')) || '5432';
  if (!/^\d{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65_535) {
    throw new StageParamError(
      stage,
      'databasePort',
      `must be a port number; got "${port.slice(0, 20)}"`,
    );
  }
  return {
    mode: 'iam',
    user: values.databaseUser,
    resourceId: values.databaseResourceId,
    environment: {
      DATABASE_HOST: values.databaseHost,
      DATABASE_PORT: port,
      DATABASE_NAME: values.databaseName,
      DATABASE_USER: values.databaseUser,
      DATABASE_AUTH: 'iam',
      DATABASE_SSL: 'verify-full',
      NODE_EXTRA_CA_CERTS: LAMBDA_CA_BUNDLE,
    },
  };
}

/** The statements every database function's role needs beyond logs (and VPC interfaces). */
async function readDatabaseStatements(resolveVariable) {
  const settings = await readDatabaseSettings(resolveVariable);
  if (settings.mode !== 'iam') return [];
  return [
    {
      Effect: 'Allow',
      Action: ['rds-db:connect'],
      // One database user through one proxy (or database), nothing else.
      Resource: {
        'Fn::Sub': `arn:\${AWS::Partition}:rds-db:\${AWS::Region}:\${AWS::AccountId}:dbuser:${settings.resourceId}/${settings.user}`,
      },
    },
  ];
}

/** An environment from serverless.yml's `custom.<key>` plus where the database is. */
function withDatabaseEnvironment(customKey) {
  return async ({ resolveVariable }) => {
    const own = customKey === undefined ? {} : await resolveVariable(`self:custom.${customKey}`);
    const { environment } = await readDatabaseSettings(resolveVariable);
    return { ...own, ...environment };
  };
}

/** IAM statements from serverless.yml's `custom.<key>` plus the database grant. */
function withDatabaseStatements(customKey) {
  return async ({ resolveVariable }) => {
    const own = customKey === undefined ? [] : await resolveVariable(`self:custom.${customKey}`);
    return [...own, ...(await readDatabaseStatements(resolveVariable))];
  };
}

module.exports = {
  LAMBDA_CA_BUNDLE,
  StageParamError,
  webOrigin,
  databaseVpc,
  apiEnvironment: withDatabaseEnvironment('apiEnvironment'),
  signUpTriggerEnvironment: withDatabaseEnvironment('signUpTriggerEnvironment'),
  migrateEnvironment: withDatabaseEnvironment(undefined),
  profileApiStatements: withDatabaseStatements('profileApiStatements'),
  databaseStatements: withDatabaseStatements(undefined),
};
