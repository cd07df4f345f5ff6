/**
 * The profile API handlers end to end (event in, response out) on PGlite and on the PostgreSQL
 * server, built through their factories so the test database and an in-memory Cognito are used.
 */
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { createGetMeHandler } from '../../../src/api/create-get-me-handler';
import { createGetProfileHandler } from '../../../src/api/create-get-profile-handler';
import { createHealthHandler } from '../../../src/api/create-health-handler';
import type { LookUpUser } from '../../../src/api/look-up-user';
import { MAX_PATCH_BODY_BYTES } from '../../../src/api/parse-profile-patch';
import { createPatchMeHandler } from '../../../src/api/create-patch-me-handler';
import type { ProfileStore } from '../../../src/profile/store/profile-store';
import {
  createProfileStoreHandle,
  openProfileStore,
} from '../../../src/profile/store/container-store';
import {
  buildApiEvent,
  buildGetProfileEvent,
  buildMachineEvent,
  buildPatchEvent,
  CALLER_SUB,
  LAMBDA_CONTEXT,
} from '../../fixtures/api/api-events';
import { expectErrorResponse, readJsonBody } from '../../support/api-responses';
import {
  buildProfileInput,
  countProfiles,
  createPgliteBackend,
  createPostgresBackend,
  type FreshDatabase,
} from '../../support/profile-store-fixtures';
import { captureLogs, type LogCapture } from '../../support/capture-logs';

jest.setTimeout(30_000);

const COGNITO_USERS: Record<string, Record<string, string>> = {
  [CALLER_SUB]: {
    sub: CALLER_SUB,
    email: 'grace@example.com',
    name: 'Grace Hopper',
    preferred_username: 'grace',
  },
};

const lookUpUser: LookUpUser = (username) => Promise.resolve(COGNITO_USERS[username]);

const PROFILE_KEYS = ['createdAt', 'email', 'id', 'name', 'preferred_username', 'sub', 'updatedAt'];
const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

function expectProfileResponse(
  response: APIGatewayProxyStructuredResultV2,
): Record<string, unknown> {
  expect(response.statusCode).toBe(200);
  expect(response.headers?.['Content-Type']).toBe('application/json');
  const body = readJsonBody(response) as Record<string, unknown>;
  expect(Object.keys(body).sort()).toEqual(PROFILE_KEYS);
  expect(body.createdAt).toMatch(ISO_TIME);
  expect(body.updatedAt).toMatch(ISO_TIME);
  return body;
}

/** A store whose every call fails as a dropped database connection would. */
function brokenStore(): ProfileStore {
  const fail = () =>
    Promise.reject(new Error('Connection terminated unexpectedly (10.0.3.7:5432)'));
  return {
    findBySub: fail,
    findByHandle: fail,
    isHandleTaken: fail,
    createProfile: fail,
    updateProfile: fail,
    recordSignUpIntent: fail,
    findSignUpIntent: fail,
    deleteSignUpIntent: fail,
    ping: fail,
    releaseConnections: () => Promise.resolve(),
    close: () => Promise.resolve(),
  };
}

describe.each([createPgliteBackend(), createPostgresBackend()])(
  'profile API on $name',
  (backend) => {
    if (!backend.available) {
      it('is not run: no PostgreSQL server on this machine (CI requires one)', () => {
        expect(process.env.CI).not.toBe('true');
      });
      return;
    }

    let fresh: FreshDatabase;
    let logs: LogCapture;
    beforeAll(() => backend.prepare(), 60_000);
    afterAll(() => backend.dispose());
    beforeEach(async () => {
      fresh = await backend.openFresh();
      logs = captureLogs();
    });
    afterEach(() => fresh.close());

    const storeHandle = (store: ProfileStore = fresh.store) =>
      createProfileStoreHandle(() => Promise.resolve(store));
    const getMe = (deps: { lookUpUser?: LookUpUser; store?: ProfileStore } = {}) =>
      createGetMeHandler({
        store: storeHandle(deps.store),
        lookUpUser: 'lookUpUser' in deps ? deps.lookUpUser : lookUpUser,
        logger: logs.logger,
      });
    const patchMe = () =>
      createPatchMeHandler({ store: storeHandle(), lookUpUser, logger: logs.logger });

    describe('GET /me', () => {
      it('answers a machine caller 403 user_required and creates no profile', async () => {
        const response = await getMe()(buildMachineEvent(), LAMBDA_CONTEXT);
        expect(expectErrorResponse(response, 403, 'user_required')).toMatch(/machine/);
        expect(await countProfiles(fresh.db)).toBe(0);
      });

      it('creates the profile on the first call from Cognito, then returns it', async () => {
        const handler = getMe();
        const first = expectProfileResponse(await handler(buildApiEvent(), LAMBDA_CONTEXT));
        expect(first).toMatchObject({
          sub: CALLER_SUB,
          email: 'grace@example.com',
          name: 'Grace Hopper',
          preferred_username: 'grace',
        });
        const second = expectProfileResponse(await handler(buildApiEvent(), LAMBDA_CONTEXT));
        expect(second).toEqual(first);
        expect(await countProfiles(fresh.db)).toBe(1);
      });

      it("creates the profile from an id token's claims when Cognito is not configured", async () => {
        const event = buildApiEvent();
        Object.assign(event.requestContext.authorizer.lambda, {
          tokenUse: 'id',
          email: 'Ada@Example.com',
        });
        const response = await getMe({ lookUpUser: undefined })(event, LAMBDA_CONTEXT);
        expect(expectProfileResponse(response)).toMatchObject({
          email: 'ada@example.com',
          name: 'ada',
          preferred_username: 'ada',
        });
      });

      it('creates exactly one profile under five concurrent first calls', async () => {
        // As five Lambda containers make them: on PostgreSQL each has its own store, so its own
        // connection, and the inserts race in the database. (Sharing one store's pool of one
        // connection would run them one after another, and under load queue the last call past
        // the pool's connect timeout, a 503.) PGlite is one store in one process.
        const config = fresh.config;
        const stores: ProfileStore[] =
          config === undefined
            ? Array.from({ length: 5 }, () => fresh.store)
            : await Promise.all(
                Array.from({ length: 5 }, () => openProfileStore(config, logs.logger)),
              );
        try {
          const responses = await Promise.all(
            stores.map((store) => getMe({ store })(buildApiEvent(), LAMBDA_CONTEXT)),
          );
          const ids = responses.map((response) => expectProfileResponse(response).id);
          expect(new Set(ids).size).toBe(1);
          expect(await countProfiles(fresh.db)).toBe(1);
        } finally {
          if (config !== undefined) await Promise.all(stores.map((store) => store.close()));
        }
      });

      it('returns 404 when Cognito no longer knows the user', async () => {
        const response = await getMe({ lookUpUser: () => Promise.resolve(undefined) })(
          buildApiEvent(),
          LAMBDA_CONTEXT,
        );
        expect(expectErrorResponse(response, 404, 'user_not_found')).toBe(
          'The user of this token no longer exists.',
        );
        expect(await countProfiles(fresh.db)).toBe(0);
      });

      it('creates the profile with a safe name when Cognito holds one the table cannot store', async () => {
        const name = 'q\u0300\u0316\u0323\u0333'.repeat(60);
        const handler = getMe({
          lookUpUser: () =>
            Promise.resolve({ ...COGNITO_USERS[CALLER_SUB], name } as Record<string, string>),
        });
        const first = expectProfileResponse(await handler(buildApiEvent(), LAMBDA_CONTEXT));
        expect(first).toMatchObject({ name: 'grace', preferred_username: 'grace' });
        expectProfileResponse(await handler(buildApiEvent(), LAMBDA_CONTEXT));
        expect(await countProfiles(fresh.db)).toBe(1);
      });

      it('returns 409 when no email is known and Cognito is not configured', async () => {
        const response = await getMe({ lookUpUser: undefined })(buildApiEvent(), LAMBDA_CONTEXT);
        expectErrorResponse(response, 409, 'email_required');
      });

      it('returns 503 when Cognito fails, without its message', async () => {
        const response = await getMe({
          lookUpUser: () => Promise.reject(new Error('AccessDeniedException: role arn:aws:iam::1')),
        })(buildApiEvent(), LAMBDA_CONTEXT);
        expectErrorResponse(response, 503, 'service_unavailable');
        expect(response.body).not.toContain('arn:aws');
      });

      it('returns 503 with Retry-After, without internals, when the database stays unreachable', async () => {
        const store = brokenStore();
        const findBySub = jest.spyOn(store, 'findBySub');
        const response = await getMe({ store })(buildApiEvent(), LAMBDA_CONTEXT);
        expectErrorResponse(response, 503, 'service_unavailable');
        expect(response.headers?.['Retry-After']).toBe('2');
        expect(response.body).not.toMatch(/Connection|10\.0\.3\.7|5432/);
        // One retry on a new connection, then the answer.
        expect(findBySub).toHaveBeenCalledTimes(2);
        expect(logs.lines).toContainEqual(
          expect.objectContaining({
            level: 'ERROR',
            requestId: LAMBDA_CONTEXT.awsRequestId,
            statusCode: 503,
            error: 'Error: Connection terminated unexpectedly (10.0.3.7:5432)',
          }),
        );
      });

      it('returns a generic 500 without internals when the database fails for good', async () => {
        const store = brokenStore();
        const syntaxError = Object.assign(new Error('syntax error at or near "SELEC" (10.0.3.7)'), {
          code: '42601',
        });
        const findBySub = jest.spyOn(store, 'findBySub').mockRejectedValue(syntaxError);
        const response = await getMe({ store })(buildApiEvent(), LAMBDA_CONTEXT);
        expectErrorResponse(response, 500, 'internal_error');
        expect(response.body).not.toMatch(/SELEC|10\.0\.3\.7/);
        // Not transient: never retried.
        expect(findBySub).toHaveBeenCalledTimes(1);
      });

      it('returns a generic 500 when the route has no authorizer context', async () => {
        const event = buildApiEvent() as unknown as { requestContext: Record<string, unknown> };
        delete event.requestContext.authorizer;
        const response = await getMe()(event as never, LAMBDA_CONTEXT);
        expectErrorResponse(response, 500, 'internal_error');
        expect(response.body).not.toContain('authorizer');
      });
    });

    describe('PATCH /me', () => {
      it('answers a machine caller 403 user_required', async () => {
        const event = buildMachineEvent();
        event.routeKey = 'PATCH /me';
        event.requestContext.http.method = 'PATCH';
        event.headers['content-type'] = 'application/json';
        event.body = JSON.stringify({ name: 'Robot' });
        expectErrorResponse(await patchMe()(event, LAMBDA_CONTEXT), 403, 'user_required');
      });

      beforeEach(async () => {
        await fresh.store.createProfile(
          buildProfileInput({
            cognitoSub: CALLER_SUB,
            handle: 'grace',
            email: 'grace@example.com',
          }),
        );
      });

      it('changes the name and handle, normalized, and returns the profile', async () => {
        const response = await patchMe()(
          buildPatchEvent(
            '{"name":"  Grace \\n Brewster  Hopper ","preferred_username":"Amazing_Grace"}',
          ),
          LAMBDA_CONTEXT,
        );
        const body = expectProfileResponse(response);
        expect(body).toMatchObject({
          sub: CALLER_SUB,
          name: 'Grace Brewster Hopper',
          preferred_username: 'amazing_grace',
        });
        expect(await fresh.store.findBySub(CALLER_SUB)).toMatchObject({
          displayName: 'Grace Brewster Hopper',
          handle: 'amazing_grace',
        });
      });

      it('answers 400 for a name the table cannot store (300 code points), changing nothing', async () => {
        const name = 'q\u0300\u0316\u0323\u0333'.repeat(60);
        const response = await patchMe()(buildPatchEvent(JSON.stringify({ name })), LAMBDA_CONTEXT);
        expect(expectErrorResponse(response, 400, 'invalid_name')).toContain('at most 256');
        expect((await fresh.store.findBySub(CALLER_SUB))?.displayName).not.toBe(name);
      });

      it('accepts a base64-encoded body', async () => {
        const event = buildPatchEvent(Buffer.from('{"name":"Grace"}').toString('base64'));
        event.isBase64Encoded = true;
        expect(expectProfileResponse(await patchMe()(event, LAMBDA_CONTEXT)).name).toBe('Grace');
      });

      it('keeps its own handle in another case without a conflict', async () => {
        const response = await patchMe()(
          buildPatchEvent('{"preferred_username":"GRACE"}'),
          LAMBDA_CONTEXT,
        );
        expect(expectProfileResponse(response).preferred_username).toBe('grace');
      });

      it('creates the profile first when the caller has none', async () => {
        // A caller other than the one whose profile beforeEach created.
        const event = buildPatchEvent('{"name":"New Name"}');
        event.requestContext.authorizer.lambda.sub = '7e0d1c2b-3a49-4f58-9e6d-5c4b3a291807';
        event.requestContext.authorizer.lambda.username = 'newcomer';
        const handler = createPatchMeHandler({
          store: storeHandle(),
          lookUpUser: (username) =>
            Promise.resolve(
              username === 'newcomer'
                ? {
                    sub: '7e0d1c2b-3a49-4f58-9e6d-5c4b3a291807',
                    email: 'new@example.com',
                    preferred_username: 'newcomer',
                  }
                : undefined,
            ),
          logger: logs.logger,
        });
        const body = expectProfileResponse(await handler(event, LAMBDA_CONTEXT));
        expect(body).toMatchObject({
          email: 'new@example.com',
          name: 'New Name',
          preferred_username: 'newcomer',
        });
        expect(await countProfiles(fresh.db)).toBe(2);
      });

      it('returns 409 when the handle is taken', async () => {
        await fresh.store.createProfile(
          buildProfileInput({ cognitoSub: 'someone-else', handle: 'hopper' }),
        );
        const response = await patchMe()(
          buildPatchEvent('{"preferred_username":"Hopper"}'),
          LAMBDA_CONTEXT,
        );
        expect(expectErrorResponse(response, 409, 'handle_taken')).toBe(
          'Handle is already taken; choose another',
        );
        expect(await fresh.store.findBySub(CALLER_SUB)).toMatchObject({ handle: 'grace' });
      });

      it.each([
        ['invalid JSON', buildPatchEvent('{"name":'), 400, 'invalid_json'],
        ['an empty body', buildPatchEvent(undefined), 400, 'empty_body'],
        ['an empty object', buildPatchEvent('{}'), 400, 'empty_update'],
        ['an unknown field', buildPatchEvent('{"email":"x@example.com"}'), 400, 'unknown_field'],
        ['an invalid name', buildPatchEvent('{"name":"\\u202egnp.exe"}'), 400, 'invalid_name'],
        [
          'a reserved handle',
          buildPatchEvent('{"preferred_username":"Admin"}'),
          400,
          'invalid_preferred_username',
        ],
        [
          'a form body',
          buildPatchEvent('name=Grace', 'application/x-www-form-urlencoded'),
          415,
          'unsupported_media_type',
        ],
        [
          'a body over the limit',
          buildPatchEvent(JSON.stringify({ name: 'x'.repeat(MAX_PATCH_BODY_BYTES) })),
          413,
          'payload_too_large',
        ],
      ])('rejects %s, changing nothing', async (_what, event, statusCode, code) => {
        const before = await fresh.store.findBySub(CALLER_SUB);
        const response = await patchMe()(event, LAMBDA_CONTEXT);
        expectErrorResponse(response, statusCode, code);
        expect(await fresh.store.findBySub(CALLER_SUB)).toEqual(before);
      });

      it('names the field and the expectation in a 400', async () => {
        const response = await patchMe()(
          buildPatchEvent('{"preferred_username":"admin"}'),
          LAMBDA_CONTEXT,
        );
        expect(expectErrorResponse(response, 400, 'invalid_preferred_username')).toBe(
          'Handle is reserved; choose another',
        );
      });
    });

    describe('GET /health', () => {
      const health = (store: ProfileStore, timeoutMs = 1000) =>
        createHealthHandler({ store: storeHandle(store), logger: logs.logger, timeoutMs });

      it('answers 200 when the database answers', async () => {
        const response = await health(fresh.store)(buildApiEvent(), LAMBDA_CONTEXT);
        expect(response).toMatchObject({ statusCode: 200, body: '{"status":"ok"}' });
      });

      it('answers 503 with a closed store, logging the cause', async () => {
        await fresh.store.close();
        const response = await health(fresh.store)(buildApiEvent(), LAMBDA_CONTEXT);
        expect(response).toMatchObject({ statusCode: 503, body: '{"status":"unavailable"}' });
        expect(logs.lines).toContainEqual(
          expect.objectContaining({
            level: 'ERROR',
            message: 'health check failed',
            requestId: LAMBDA_CONTEXT.awsRequestId,
          }),
        );
      });

      it('answers 503 when the ping rejects, without internals', async () => {
        const response = await health(brokenStore())(buildApiEvent(), LAMBDA_CONTEXT);
        expect(response).toMatchObject({ statusCode: 503, body: '{"status":"unavailable"}' });
        expect(logs.lines).toContainEqual(
          expect.objectContaining({
            error: 'Error: Connection terminated unexpectedly (10.0.3.7:5432)',
          }),
        );
      });

      it('answers 503 when the database does not answer in time', async () => {
        const hung: ProfileStore = {
          ...brokenStore(),
          ping: () => new Promise<void>(() => undefined),
        };
        const response = await health(hung, 50)(buildApiEvent(), LAMBDA_CONTEXT);
        expect(response).toMatchObject({ statusCode: 503, body: '{"status":"unavailable"}' });
      });
    });

    describe('GET /profiles/{handle}', () => {
      const getProfile = () =>
        createGetProfileHandler({ store: storeHandle(), logger: logs.logger });

      beforeEach(async () => {
        await fresh.store.createProfile(buildProfileInput({ handle: 'ada_lovelace' }));
      });

      it('returns the profile with that handle, in any case, to an admin', async () => {
        const response = await getProfile()(
          buildGetProfileEvent('Ada_Lovelace', ['ops', 'admin']),
          LAMBDA_CONTEXT,
        );
        expect(expectProfileResponse(response)).toMatchObject({
          preferred_username: 'ada_lovelace',
          name: 'Ada Lovelace',
        });
      });

      it.each<[string[]]>([
        [[]],
        [['ops']],
        [['administrators']],
        [['Admin']],
        [['ops,admin']],
        [['admin ']],
      ])('returns 403 to a caller in groups %j', async (groups) => {
        const response = await getProfile()(
          buildGetProfileEvent('ada_lovelace', groups),
          LAMBDA_CONTEXT,
        );
        expectErrorResponse(response, 403, 'forbidden');
      });

      it.each(['grace', 'ada lovelace', "x' OR '1'='1", ''])(
        'returns 404 for the handle %j',
        async (handle) => {
          const response = await getProfile()(
            buildGetProfileEvent(handle, ['admin']),
            LAMBDA_CONTEXT,
          );
          expectErrorResponse(response, 404, 'profile_not_found');
        },
      );

      it('returns 404 when the path has no handle', async () => {
        const event = buildGetProfileEvent('ada_lovelace', ['admin']);
        delete event.pathParameters;
        expectErrorResponse(await getProfile()(event, LAMBDA_CONTEXT), 404, 'profile_not_found');
      });
    });
  },
);
