/**
 * The entry points serverless.yml names (src/handlers/*.ts), wired from the environment as
 * `serverless invoke local` loads them: an in-memory PGlite database, no Cognito, and the store
 * closed after each invocation (which also lets Jest exit).
 */
import type { Handler } from 'aws-lambda';
import { buildApiEvent, LAMBDA_CONTEXT } from '../../fixtures/api/api-events';
import { readJsonBody } from '../../support/api-responses';
// Required for PGlite under Jest (see the jest.mock inside).
import '../../support/profile-store-fixtures';

jest.setTimeout(60_000);

const ENV = {
  IS_LOCAL: 'true',
  DATABASE_URL: 'pglite:memory:',
  LOG_LEVEL: 'SILENT',
  COGNITO_USER_POOL_ID: '',
  // The first open of an in-memory PGlite builds its template (initdb): seconds, not the 1 s default.
  HEALTH_CHECK_TIMEOUT_MS: '10000',
};

describe('API handler modules', () => {
  const saved = { ...process.env };
  beforeAll(() => {
    Object.assign(process.env, ENV);
  });
  afterAll(() => {
    for (const key of Object.keys(ENV)) {
      if (saved[key] === undefined) Reflect.deleteProperty(process.env, key);
      else process.env[key] = saved[key];
    }
  });

  async function loadHandler(name: string): Promise<Handler> {
    const module = (await import(`../../../src/handlers/${name}`)) as { handler: Handler };
    return module.handler;
  }

  it('health answers 200 from its own store', async () => {
    const handler = await loadHandler('health');
    await expect(handler(buildApiEvent(), LAMBDA_CONTEXT, () => undefined)).resolves.toMatchObject({
      statusCode: 200,
      body: '{"status":"ok"}',
    });
  });

  it("get-me creates a profile from an id token's email", async () => {
    const handler = await loadHandler('get-me');
    const event = buildApiEvent();
    Object.assign(event.requestContext.authorizer.lambda, {
      tokenUse: 'id',
      email: 'lin@example.com',
    });
    const response: unknown = await handler(event, LAMBDA_CONTEXT, () => undefined);
    expect(response).toMatchObject({ statusCode: 200 });
    expect(readJsonBody(response as never)).toMatchObject({ preferred_username: 'lin' });
  });
});
