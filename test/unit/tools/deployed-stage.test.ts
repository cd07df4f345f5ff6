/**
 * tools/serverless/deployed-stage.cjs: what a stage's params become in serverless.yml, driven the
 * way osls drives a `${file(...)}` function resolver (a `resolveVariable` answering `sls:stage`,
 * `param:<name>, null` and `self:custom.<key>`).
 */

interface ResolverInput {
  resolveVariable: (variable: string) => Promise<unknown>;
}
type Resolver = (input: ResolverInput) => Promise<unknown>;

// eslint-disable-next-line @typescript-eslint/no-require-imports
const stageSettings = require('../../../tools/serverless/deployed-stage.cjs') as Record<
  | 'webOrigin'
  | 'databaseVpc'
  | 'apiEnvironment'
  | 'signUpTriggerEnvironment'
  | 'migrateEnvironment'
  | 'profileApiStatements'
  | 'databaseStatements',
  Resolver
> & { StageParamError: new (...args: never[]) => Error };

const BASE_PARAMS: Readonly<Record<string, string>> = {
  webOrigin: 'https://app.example.org',
  databaseHost: 'cognito-gate.proxy-c0abc123xyz.us-east-1.rds.amazonaws.com',
  databaseName: 'profiles',
  databaseUser: 'cognito_gate',
  databaseResourceId: 'prx-0123456789abcdef0',
  vpcSubnetIds: 'subnet-0a1b2c3d4e5f60718, subnet-0f1e2d3c4b5a69788',
  vpcSecurityGroupIds: 'sg-0a1b2c3d4e5f60718',
};

const CUSTOM: Readonly<Record<string, unknown>> = {
  apiEnvironment: { COGNITO_USER_POOL_ID: { Ref: 'CognitoUserPoolUsers' } },
  signUpTriggerEnvironment: { SYNC_ATTRIBUTES_TO_COGNITO: 'false' },
  profileApiStatements: [
    { Effect: 'Allow', Action: ['cognito-idp:AdminGetUser'], Resource: 'pool' },
  ],
};

/** A resolveVariable over `params` (a param absent from it is unset) on `stage`. */
function resolverFor(stage: string, params: Record<string, string | undefined>): ResolverInput {
  return {
    resolveVariable: (variable) => {
      if (variable === 'sls:stage') return Promise.resolve(stage);
      const param = /^param:(\w+), null$/.exec(variable);
      if (param?.[1] !== undefined) return Promise.resolve(params[param[1]] ?? null);
      const custom = /^self:custom\.(\w+)$/.exec(variable);
      if (custom?.[1] !== undefined) return Promise.resolve(structuredClone(CUSTOM[custom[1]]));
      return Promise.reject(new Error(`unexpected variable ${variable}`));
    },
  };
}

function deployed(overrides: Record<string, string | undefined> = {}): ResolverInput {
  return resolverFor('prod', { ...BASE_PARAMS, ...overrides });
}

async function expectParamError(promise: Promise<unknown>, message: string): Promise<void> {
  await expect(promise).rejects.toThrow(stageSettings.StageParamError);
  await expect(promise).rejects.toThrow(message);
}

describe('deployed-stage webOrigin', () => {
  it('passes the local stage its own origin unchecked', async () => {
    await expect(
      stageSettings.webOrigin(resolverFor('local', { webOrigin: 'http://localhost:5173' })),
    ).resolves.toBe('http://localhost:5173');
  });

  it('requires webOrigin on a deployed stage, naming the param and the stage', async () => {
    await expectParamError(
      stageSettings.webOrigin(deployed({ webOrigin: undefined })),
      '--param="webOrigin=…" is required',
    );
    await expectParamError(stageSettings.webOrigin(deployed({ webOrigin: ' ' })), 'stage prod');
  });

  it.each([
    ['a path', 'https://app.example.org/app'],
    ['a trailing slash', 'https://app.example.org/'],
    ['plain http off localhost', 'http://app.example.org'],
    ['no scheme', 'app.example.org'],
  ])('refuses an origin with %s', async (_, origin) => {
    await expectParamError(
      stageSettings.webOrigin(deployed({ webOrigin: origin })),
      'must be an https origin without path or trailing slash',
    );
  });

  it('accepts an https origin with a port', async () => {
    await expect(
      stageSettings.webOrigin(deployed({ webOrigin: 'https://app.example.org:8443' })),
    ).resolves.toBe('https://app.example.org:8443');
  });
});

describe('deployed-stage databaseVpc', () => {
  it('splits the comma-separated ids', async () => {
    await expect(stageSettings.databaseVpc(deployed())).resolves.toEqual({
      subnetIds: ['subnet-0a1b2c3d4e5f60718', 'subnet-0f1e2d3c4b5a69788'],
      securityGroupIds: ['sg-0a1b2c3d4e5f60718'],
    });
  });

  it('leaves the functions outside any VPC when neither list is given, and on the local stage', async () => {
    await expect(
      stageSettings.databaseVpc(deployed({ vpcSubnetIds: undefined, vpcSecurityGroupIds: '' })),
    ).resolves.toBeNull();
    await expect(stageSettings.databaseVpc(resolverFor('local', BASE_PARAMS))).resolves.toBeNull();
  });

  it('refuses one list without the other', async () => {
    await expectParamError(
      stageSettings.databaseVpc(deployed({ vpcSecurityGroupIds: undefined })),
      '--param="vpcSecurityGroupIds=…" is required with the other VPC param',
    );
    await expectParamError(
      stageSettings.databaseVpc(deployed({ vpcSubnetIds: undefined })),
      '--param="vpcSubnetIds=…" is required',
    );
  });

  it('refuses an id that is not a subnet or security group id', async () => {
    await expectParamError(
      stageSettings.databaseVpc(deployed({ vpcSubnetIds: 'subnet-0a1b2c3d4e5f60718,sg-0a1b2c3d' })),
      'got "sg-0a1b2c3d"',
    );
  });
});

describe('deployed-stage database environments', () => {
  it('gives the local stage DATABASE_URL alone', async () => {
    const local = resolverFor('local', { databaseUrl: 'pglite:/tmp/profiles' });
    await expect(stageSettings.migrateEnvironment(local)).resolves.toEqual({
      DATABASE_URL: 'pglite:/tmp/profiles',
    });
    await expect(stageSettings.databaseStatements(local)).resolves.toEqual([]);
  });

  it('signs in with IAM over verified TLS on a deployed stage, with no URL or password', async () => {
    const environment = await stageSettings.apiEnvironment(deployed());
    expect(environment).toEqual({
      COGNITO_USER_POOL_ID: { Ref: 'CognitoUserPoolUsers' },
      DATABASE_HOST: BASE_PARAMS.databaseHost,
      DATABASE_PORT: '5432',
      DATABASE_NAME: 'profiles',
      DATABASE_USER: 'cognito_gate',
      DATABASE_AUTH: 'iam',
      DATABASE_SSL: 'verify-full',
      NODE_EXTRA_CA_CERTS: '/var/runtime/ca-cert.pem',
    });
  });

  it('merges the trigger settings from custom.signUpTriggerEnvironment', async () => {
    await expect(
      stageSettings.signUpTriggerEnvironment(deployed({ databasePort: '6432' })),
    ).resolves.toMatchObject({ SYNC_ATTRIBUTES_TO_COGNITO: 'false', DATABASE_PORT: '6432' });
  });

  it('uses databaseUrl alone when the user chooses it, with no IAM settings beside it', async () => {
    const url = 'postgres://app:pw@db.example.org:5432/profiles?sslmode=verify-full';
    const environment = await stageSettings.migrateEnvironment(
      deployed({
        databaseUrl: url,
        databaseHost: undefined,
        databaseName: undefined,
        databaseUser: undefined,
        databaseResourceId: undefined,
      }),
    );
    expect(environment).toEqual({
      DATABASE_URL: url,
      NODE_EXTRA_CA_CERTS: '/var/runtime/ca-cert.pem',
    });
  });

  it('refuses databaseUrl together with databaseHost', async () => {
    await expectParamError(
      stageSettings.apiEnvironment(deployed({ databaseUrl: 'postgres://db.example.org/p' })),
      'cannot be combined with databaseHost',
    );
  });

  it('refuses a databaseUrl that is not postgres:// without echoing it', async () => {
    const promise = stageSettings.migrateEnvironment(
      deployed({ databaseUrl: 'mysql://u:secret@h/d', databaseHost: undefined }),
    );
    await expectParamError(promise, 'must be a postgres:// URL (value not shown');
    await expect(promise).rejects.not.toThrow('secret');
  });

  it.each(['databaseHost', 'databaseName', 'databaseUser', 'databaseResourceId'])(
    'requires %s for IAM authentication',
    async (param) => {
      await expectParamError(
        stageSettings.migrateEnvironment(deployed({ [param]: undefined })),
        `--param="${param}=…" is required`,
      );
    },
  );

  it.each([
    ['a proxy name', 'cognito-gate-proxy'],
    ['an ARN', 'arn:aws:rds:us-east-1:123456789012:db-proxy:prx-0123456789abcdef0'],
  ])('refuses %s as databaseResourceId', async (_, id) => {
    await expectParamError(
      stageSettings.databaseStatements(deployed({ databaseResourceId: id })),
      'must be prx-…, db-… or cluster-…',
    );
  });

  it('refuses a port that is not a port', async () => {
    await expectParamError(
      stageSettings.apiEnvironment(deployed({ databasePort: '70000' })),
      '--param="databasePort=…" must be a port number',
    );
  });
});

describe('deployed-stage IAM statements', () => {
  const connect = {
    Effect: 'Allow',
    Action: ['rds-db:connect'],
    Resource: {
      'Fn::Sub':
        'arn:${AWS::Partition}:rds-db:${AWS::Region}:${AWS::AccountId}:dbuser:prx-0123456789abcdef0/cognito_gate',
    },
  };

  it('grants rds-db:connect on the one database user', async () => {
    await expect(stageSettings.databaseStatements(deployed())).resolves.toEqual([connect]);
  });

  it("adds it to the profile API's own statements", async () => {
    await expect(stageSettings.profileApiStatements(deployed())).resolves.toEqual([
      ...(CUSTOM.profileApiStatements as unknown[]),
      connect,
    ]);
  });

  it('grants nothing on the database when the user chose databaseUrl', async () => {
    await expect(
      stageSettings.databaseStatements(
        deployed({ databaseUrl: 'postgres://db.example.org/p', databaseHost: undefined }),
      ),
    ).resolves.toEqual([]);
  });
});
