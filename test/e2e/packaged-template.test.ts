/**
 * The CloudFormation template `npm run package` produces for a production-like stage with the
 * README's sample params, read as CloudFormation will read it: which functions sit in the VPC,
 * what their environments hold, what each role may do, how the pool is protected, the alarms and
 * access logs; and the CLI refusing to deploy the `local` stage. Packaging runs once, with no AWS
 * credentials.
 */
import {
  listFunctions,
  packageTemplate,
  runServerless,
  type CfnResource,
  type CfnTemplate,
} from '../../tools/dev-stack/package-template';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { describeRefusal } = require('../../tools/serverless/refuse-local-deploy.cjs') as {
  describeRefusal: (stage: string, stageWasGiven: boolean) => string;
};

jest.setTimeout(180_000);

/** The sample params of package.json's `package` script (and the README's deploy example). */
const SAMPLE = {
  webOrigin: 'https://app.example.org',
  databaseHost: 'cognito-gate.proxy-c0abc123xyz.us-east-1.rds.amazonaws.com',
  databaseUser: 'cognito_gate',
  databaseResourceId: 'prx-0123456789abcdef0',
  subnetIds: ['subnet-0a1b2c3d4e5f60718', 'subnet-0f1e2d3c4b5a69788'],
  securityGroupIds: ['sg-0a1b2c3d4e5f60718'],
  alarmTopicArn: 'arn:aws:sns:us-east-1:123456789012:cognito-gate-alarms',
};

const DATABASE_FUNCTIONS = [
  'PreSignUpLambdaFunction',
  'PostConfirmationLambdaFunction',
  'GetMeLambdaFunction',
  'PatchMeLambdaFunction',
  'GetProfileLambdaFunction',
  'HealthLambdaFunction',
  'MigrateLambdaFunction',
];
const OTHER_FUNCTIONS = ['AuthorizerLambdaFunction', 'WhoamiLambdaFunction'];
const VPC_ACCESS_POLICY = ':iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole';
const LOG_ACTIONS = ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'];
const RDS_CONNECT_ARN = `arn:\${AWS::Partition}:rds-db:\${AWS::Region}:\${AWS::AccountId}:dbuser:${SAMPLE.databaseResourceId}/${SAMPLE.databaseUser}`;
const POOL_ARN = { 'Fn::GetAtt': ['CognitoUserPoolUsers', 'Arn'] };

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

interface Grant {
  action: string;
  resource: unknown;
  /** The CloudFormation condition the granting resource depends on, if any. */
  condition: string | undefined;
}

let template: CfnTemplate;

beforeAll(async () => {
  template = await packageTemplate();
});

function resource(logicalId: string): CfnResource {
  const found = template.Resources[logicalId];
  if (found === undefined) throw new Error(`the template has no resource ${logicalId}`);
  return found;
}

function properties(logicalId: string): Record<string, unknown> {
  return resource(logicalId).Properties ?? {};
}

function environmentOf(functionId: string): Record<string, unknown> {
  const environment = properties(functionId).Environment as
    { Variables: Record<string, unknown> } | undefined;
  return environment?.Variables ?? {};
}

function roleOf(functionId: string): string {
  const role = properties(functionId).Role as { 'Fn::GetAtt': [string, string] };
  return role['Fn::GetAtt'][0];
}

/** Every action a function's role is granted: its inline policies and AWS::IAM::Policy resources. */
function grantsOf(functionId: string): Grant[] {
  const roleId = roleOf(functionId);
  const documents: { statements: Statement[]; condition: string | undefined }[] = [];
  const policies = (properties(roleId).Policies ?? []) as {
    PolicyDocument: { Statement: Statement[] };
  }[];
  for (const policy of policies) {
    documents.push({ statements: policy.PolicyDocument.Statement, condition: undefined });
  }
  for (const candidate of Object.values(template.Resources)) {
    if (candidate.Type !== 'AWS::IAM::Policy') continue;
    const roles = (candidate.Properties?.Roles ?? []) as unknown[];
    if (!roles.some((role) => JSON.stringify(role) === JSON.stringify({ Ref: roleId }))) continue;
    const document = candidate.Properties?.PolicyDocument as { Statement: Statement[] };
    documents.push({ statements: document.Statement, condition: candidate.Condition });
  }
  return documents.flatMap(({ statements, condition }) =>
    statements.flatMap((statement) => {
      expect(statement.Effect).toBe('Allow');
      return [statement.Action].flat().map((action) => ({
        action,
        resource: statement.Resource,
        condition,
      }));
    }),
  );
}

function actionsOf(functionId: string): string[] {
  return [...new Set(grantsOf(functionId).map((grant) => grant.action))].sort();
}

function managedPoliciesOf(functionId: string): string[] {
  const arns = (properties(roleOf(functionId)).ManagedPolicyArns ?? []) as unknown[];
  return arns.map((arn) => JSON.stringify(arn));
}

describe('the packaged template of a deployed stage', () => {
  it('runs every function on nodejs24.x', () => {
    const runtimes = listFunctions(template).map(([, fn]) => fn.Properties?.Runtime);
    expect(runtimes).toHaveLength(DATABASE_FUNCTIONS.length + OTHER_FUNCTIONS.length);
    expect(new Set(runtimes)).toEqual(new Set(['nodejs24.x']));
  });

  it('puts exactly the database functions in the VPC, never the authorizer', () => {
    const inVpc = listFunctions(template)
      .filter(([, fn]) => fn.Properties?.VpcConfig !== undefined)
      .map(([id]) => id);
    expect(inVpc.sort()).toEqual([...DATABASE_FUNCTIONS].sort());
    for (const id of DATABASE_FUNCTIONS) {
      expect(properties(id).VpcConfig).toEqual({
        SubnetIds: SAMPLE.subnetIds,
        SecurityGroupIds: SAMPLE.securityGroupIds,
      });
    }
  });

  it('gives the database functions IAM database authentication over verified TLS', () => {
    for (const id of DATABASE_FUNCTIONS) {
      expect(environmentOf(id)).toMatchObject({
        DATABASE_HOST: SAMPLE.databaseHost,
        DATABASE_PORT: '5432',
        DATABASE_NAME: 'profiles',
        DATABASE_USER: SAMPLE.databaseUser,
        DATABASE_AUTH: 'iam',
        DATABASE_SSL: 'verify-full',
        NODE_EXTRA_CA_CERTS: '/var/runtime/ca-cert.pem',
      });
    }
  });

  it('keeps the database settings and the CA bundle out of the authorizer and whoami', () => {
    for (const id of OTHER_FUNCTIONS) {
      const names = Object.keys(environmentOf(id));
      expect(names.filter((name) => /^DATABASE_|^NODE_EXTRA_CA_CERTS$/.test(name))).toEqual([]);
    }
  });

  it('puts no DATABASE_URL, password or secret in any environment', () => {
    for (const [id] of listFunctions(template)) {
      const environment = environmentOf(id);
      expect(Object.keys(environment)).not.toContain('DATABASE_URL');
      expect(
        Object.keys(environment).filter((name) => /PASSWORD|SECRET|TOKEN$/.test(name)),
      ).toEqual([]);
      const text = JSON.stringify(environment);
      expect(text).not.toMatch(/postgres(ql)?:\/\//i);
      expect(text).not.toMatch(/\{\{resolve:(ssm|secretsmanager)/);
    }
  });

  it('gives every function a role of its own and creates no shared role', () => {
    const roles = listFunctions(template).map(([id]) => roleOf(id));
    expect(new Set(roles).size).toBe(roles.length);
    for (const role of roles) expect(resource(role).Type).toBe('AWS::IAM::Role');
    expect(template.Resources.IamRoleLambdaExecution).toBeUndefined();
  });

  it('lets the authorizer and whoami write their own logs and nothing else', () => {
    for (const id of OTHER_FUNCTIONS) {
      expect(actionsOf(id)).toEqual(LOG_ACTIONS);
      expect(managedPoliciesOf(id)).toEqual([]);
      const logGroup = (grantsOf(id)[0]?.resource as { 'Fn::Sub': string }[])[0]?.['Fn::Sub'];
      const functionName = properties(id).FunctionName as string;
      expect(logGroup).toContain(`:log-group:/aws/lambda/${functionName}:`);
    }
  });

  it('grants AdminGetUser on this pool to GET and PATCH /me only', () => {
    for (const id of [...DATABASE_FUNCTIONS, ...OTHER_FUNCTIONS]) {
      const grants = grantsOf(id).filter((grant) => grant.action === 'cognito-idp:AdminGetUser');
      if (id === 'GetMeLambdaFunction' || id === 'PatchMeLambdaFunction') {
        expect(grants).toEqual([
          { action: 'cognito-idp:AdminGetUser', resource: POOL_ARN, condition: undefined },
        ]);
      } else {
        expect(grants).toEqual([]);
      }
    }
  });

  it('grants AdminUpdateUserAttributes on this pool to PostConfirmation only, only with attribute sync on', () => {
    for (const [id] of listFunctions(template)) {
      const grants = grantsOf(id).filter(
        (grant) => grant.action === 'cognito-idp:AdminUpdateUserAttributes',
      );
      if (id === 'PostConfirmationLambdaFunction') {
        expect(grants).toEqual([
          {
            action: 'cognito-idp:AdminUpdateUserAttributes',
            resource: POOL_ARN,
            condition: 'SyncAttributesToCognito',
          },
        ]);
      } else {
        expect(grants).toEqual([]);
      }
    }
    expect(template.Conditions?.SyncAttributesToCognito).toEqual({
      'Fn::Equals': [{ Ref: 'SyncAttributesToCognito' }, 'true'],
    });
    // The README's sample leaves sync off.
    expect(template.Parameters?.SyncAttributesToCognito?.Default).toBe('false');
  });

  it('lets each database function connect as the one database user and create its network interfaces', () => {
    for (const id of DATABASE_FUNCTIONS) {
      const connect = grantsOf(id).filter((grant) => grant.action === 'rds-db:connect');
      expect(connect).toEqual([
        {
          action: 'rds-db:connect',
          resource: { 'Fn::Sub': RDS_CONNECT_ARN },
          condition: undefined,
        },
      ]);
      expect(managedPoliciesOf(id)).toHaveLength(1);
      expect(managedPoliciesOf(id)[0]).toContain(VPC_ACCESS_POLICY);
      const expected = [...LOG_ACTIONS, 'rds-db:connect'];
      if (id === 'GetMeLambdaFunction' || id === 'PatchMeLambdaFunction') {
        expected.push('cognito-idp:AdminGetUser');
      }
      if (id === 'PostConfirmationLambdaFunction') {
        expected.push('cognito-idp:AdminUpdateUserAttributes');
      }
      expect(actionsOf(id)).toEqual(expected.sort());
    }
  });

  it('grants nothing on every resource', () => {
    for (const [id] of listFunctions(template)) {
      for (const grant of grantsOf(id)) expect(JSON.stringify(grant.resource)).not.toBe('"*"');
    }
  });

  it('keeps the user pool when the stack is deleted or the pool replaced, and protects it from deletion', () => {
    const pool = resource('CognitoUserPoolUsers');
    expect(pool.DeletionPolicy).toBe('Retain');
    expect(pool.UpdateReplacePolicy).toBe('Retain');
    expect(pool.Properties?.DeletionProtection).toBe('ACTIVE');
  });

  it('lets the web client write only the email, so name and handle change through the profile API', () => {
    const client = properties('WebClient');
    expect(client.WriteAttributes).toEqual(['email']);
    expect(client.WriteAttributes).not.toContain('name');
    expect(client.WriteAttributes).not.toContain('preferred_username');
    expect(client.ReadAttributes).toEqual(expect.arrayContaining(['name', 'preferred_username']));
  });

  it('does not require name in the pool schema (SignUp no longer sends it)', () => {
    const schema = properties('CognitoUserPoolUsers').Schema as {
      Name: string;
      Required?: boolean;
    }[];
    const required = schema.filter((attribute) => attribute.Required === true).map((a) => a.Name);
    expect(required).toEqual(['email']);
    expect(schema.find((attribute) => attribute.Name === 'name')?.Required).toBe(false);
  });

  it("sends the pool's mail with Cognito's default sender unless an SES identity is given", () => {
    expect(properties('CognitoUserPoolUsers').EmailConfiguration).toEqual({
      'Fn::If': [
        'SendEmailWithSes',
        {
          EmailSendingAccount: 'DEVELOPER',
          SourceArn: { Ref: 'SesIdentityArn' },
          From: {
            'Fn::If': ['SetSesFromAddress', { Ref: 'SesFromAddress' }, { Ref: 'AWS::NoValue' }],
          },
        },
        { EmailSendingAccount: 'COGNITO_DEFAULT' },
      ],
    });
    expect(template.Parameters?.SesIdentityArn?.Default).toBe('');
  });

  it('creates the admin group in the pool, kept with it', () => {
    const group = resource('AdminGroup');
    expect(group.Type).toBe('AWS::Cognito::UserPoolGroup');
    expect(group.Properties).toMatchObject({
      GroupName: 'admin',
      UserPoolId: { Ref: 'CognitoUserPoolUsers' },
    });
    expect(group.DeletionPolicy).toBe('Retain');
  });

  it('alarms on authorizer errors, sign-up trigger errors and API 5xx, notifying the topic', () => {
    const alarms = Object.entries(template.Resources).filter(
      ([, candidate]) => candidate.Type === 'AWS::CloudWatch::Alarm',
    );
    expect(alarms.map(([id]) => id).sort()).toEqual([
      'Api5xxAlarm',
      'AuthorizerErrorsAlarm',
      'SignUpTriggerErrorsAlarm',
    ]);
    expect(properties('AuthorizerErrorsAlarm')).toMatchObject({
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: 'AuthorizerLambdaFunction' } }],
    });
    const triggerMetrics = JSON.stringify(properties('SignUpTriggerErrorsAlarm').Metrics);
    expect(triggerMetrics).toContain('{"Ref":"PreSignUpLambdaFunction"}');
    expect(triggerMetrics).toContain('{"Ref":"PostConfirmationLambdaFunction"}');
    expect(properties('Api5xxAlarm')).toMatchObject({
      Namespace: 'AWS/ApiGateway',
      MetricName: '5xx',
      Dimensions: [
        { Name: 'ApiId', Value: { Ref: 'HttpApi' } },
        { Name: 'Stage', Value: '$default' },
      ],
    });
    for (const [, alarm] of alarms) {
      expect(alarm.Properties?.AlarmActions).toEqual({
        'Fn::If': ['NotifyAlarmTopic', [{ Ref: 'AlarmTopicArn' }], { Ref: 'AWS::NoValue' }],
      });
    }
    expect(template.Parameters?.AlarmTopicArn?.Default).toBe(SAMPLE.alarmTopicArn);
  });

  it("writes HTTP API access logs with the authorizer's error and the latencies, never a token", () => {
    const settings = properties('HttpApiStage').AccessLogSettings as {
      DestinationArn: unknown;
      Format: string;
    };
    expect(settings.DestinationArn).toEqual({ 'Fn::GetAtt': ['HttpApiLogGroup', 'Arn'] });
    const fields = JSON.parse(settings.Format) as Record<string, string>;
    expect(fields).toMatchObject({
      authorizerError: '$context.authorizer.error',
      responseLatency: '$context.responseLatency',
      integrationLatency: '$context.integrationLatency',
      status: '$context.status',
      routeKey: '$context.routeKey',
    });
    expect(settings.Format).not.toMatch(/authorization|header/i);
  });

  it('keeps every log group for 30 days', () => {
    const groups = Object.values(template.Resources).filter(
      (candidate) => candidate.Type === 'AWS::Logs::LogGroup',
    );
    expect(groups).toHaveLength(listFunctions(template).length + 1);
    for (const group of groups) expect(group.Properties?.RetentionInDays).toBe(30);
  });

  it('lets only the web origin call the API from a browser', () => {
    const cors = properties('HttpApi').CorsConfiguration as { AllowOrigins: string[] };
    expect(cors.AllowOrigins).toEqual([SAMPLE.webOrigin]);
  });
});

describe('the deploy guard', () => {
  it('refuses `serverless deploy` without --stage, which means the local stage', async () => {
    const run = await runServerless(['deploy']);
    expect(run.code).not.toBe(0);
    expect(run.output).toContain(describeRefusal('local', false));
  });

  it('refuses `serverless deploy --stage local`', async () => {
    const run = await runServerless(['deploy', '--stage', 'local']);
    expect(run.code).not.toBe(0);
    expect(run.output).toContain(describeRefusal('local', true));
  });

  it('refuses `serverless deploy function` on the local stage', async () => {
    const run = await runServerless(['deploy', 'function', '--function', 'health']);
    expect(run.code).not.toBe(0);
    expect(run.output).toContain(describeRefusal('local', false));
  });

  it('stops a deployed stage without webOrigin before packaging, naming the param', async () => {
    const run = await runServerless([
      'package',
      '--stage',
      'prod',
      '--package',
      '.tmp/never-written',
    ]);
    expect(run.code).not.toBe(0);
    expect(run.output).toContain('--param="webOrigin=…" is required');
    expect(run.output).toContain('stage prod');
  });
});
