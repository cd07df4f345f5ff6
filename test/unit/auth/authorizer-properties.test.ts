import fc from 'fast-check';
import {
  buildTestAuthorizer,
  freezeClock,
  generateKeyPair,
  httpApiV2Event,
  makeToken,
  restTokenEvent,
  STAGE_ARN,
} from '../../support/authorizer-fixtures';
import type { JsonWebKeyPair } from '../../../tools/dev-stack/sign-jwt';
import { assertCompactJws } from '../../../src/auth/extract-bearer-token';
import { TokenRejectedError } from '../../../src/auth/token-rejected-error';

let key: JsonWebKeyPair;
let validToken: string;

beforeAll(() => {
  key = generateKeyPair('prop-key');
});

beforeEach(() => {
  freezeClock();
  validToken = makeToken(key, { groups: ['admin'] });
});

afterEach(() => {
  jest.useRealTimers();
});

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const decode = (segment: string) =>
  JSON.parse(Buffer.from(segment, 'base64url').toString()) as Record<string, unknown>;

/** Ways to damage a valid token; none of them may ever be allowed. */
const mutation = fc.oneof(
  // Flip one character anywhere (header, payload or signature).
  fc.record({
    kind: fc.constant('flip' as const),
    at: fc.nat(),
    to: fc.constantFrom('A', 'B', 'C', 'a', 'b', 'c', '0', '1', '2', '-', '_', 'x', 'y', 'z'),
  }),
  // Replace a claim in the payload, keeping the signature.
  fc.record({
    kind: fc.constant('claim' as const),
    name: fc.constantFrom(
      'sub',
      'iss',
      'exp',
      'iat',
      'client_id',
      'token_use',
      'cognito:groups',
      'scope',
    ),
    value: fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.array(fc.string())),
  }),
  // Replace a header field, keeping the signature.
  fc.record({
    kind: fc.constant('header' as const),
    name: fc.constantFrom('alg', 'kid', 'typ', 'crit', 'jku', 'x5u'),
    value: fc.oneof(fc.string(), fc.constantFrom('none', 'HS256', 'RS512', 'ES256')),
  }),
  // Drop or duplicate segments.
  fc.record({
    kind: fc.constant('segments' as const),
    count: fc.integer({ min: 0, max: 6 }).filter((n) => n !== 3),
  }),
  // Truncate the signature or re-encode a segment with standard base64 and padding.
  fc.record({ kind: fc.constant('truncate' as const), by: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('reencode' as const), segment: fc.integer({ min: 0, max: 2 }) }),
  // Random bytes for the signature.
  fc.record({
    kind: fc.constant('signature' as const),
    bytes: fc.uint8Array({ minLength: 0, maxLength: 300 }),
  }),
);

type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function applyMutation(token: string, m: Mutation): string {
  const [header = '', payload = '', signature = ''] = token.split('.');
  switch (m.kind) {
    case 'flip': {
      const at = m.at % token.length;
      if (token[at] === '.' || token[at] === m.to) return `${token}x`;
      return `${token.slice(0, at)}${m.to}${token.slice(at + 1)}`;
    }
    case 'claim':
      return `${header}.${b64({ ...decode(payload), [m.name]: m.value })}.${signature}`;
    case 'header':
      return `${b64({ ...decode(header), [m.name]: m.value })}.${payload}.${signature}`;
    case 'segments':
      return Array.from({ length: m.count }, (_, i) => [header, payload, signature][i % 3]).join(
        '.',
      );
    case 'truncate':
      return `${header}.${payload}.${signature.slice(0, -m.by)}`;
    case 'reencode': {
      const parts = [header, payload, signature];
      parts[m.segment] = Buffer.from(parts[m.segment] ?? '', 'base64url').toString('base64');
      return parts.join('.');
    }
    case 'signature':
      return `${header}.${payload}.${Buffer.from(m.bytes).toString('base64url')}`;
  }
}

describe('authorizer properties', () => {
  it('never allows a mutated token', async () => {
    const { authorize } = buildTestAuthorizer([key]);
    await fc.assert(
      fc.asyncProperty(mutation, async (m) => {
        const token = applyMutation(validToken, m);
        fc.pre(token !== validToken);
        const result = await authorize(httpApiV2Event({ authorization: `Bearer ${token}` }));
        expect(result).toEqual({ isAuthorized: false });
      }),
      { numRuns: 400 },
    );
  });

  // The hot path checks only `=` and the last character itself and leaves the rest of the shape to
  // aws-jwt-verify's parse; this holds it to the full check's verdict and reason.
  it("refuses every credential that is not one compact JWS with the full check's reason", async () => {
    const { authorize, logs } = buildTestAuthorizer([key]);
    const damage = fc.record({
      at: fc.nat(),
      insert: fc.constantFrom('=', '==', ' ', ',', ', ', '.', '+', '/', '\t', '%', 'é', 'Bearer '),
      removeLast: fc.integer({ min: 0, max: 3 }),
    });
    await fc.assert(
      fc.asyncProperty(damage, async ({ at, insert, removeLast }) => {
        const base = validToken.slice(0, validToken.length - removeLast);
        const cut = at % (base.length + 1);
        const credentials = `${base.slice(0, cut)}${insert}${base.slice(cut)}`.trim();
        let expected: string | undefined;
        try {
          assertCompactJws(credentials);
        } catch (error) {
          expected = (error as TokenRejectedError).reason;
        }
        fc.pre(expected !== undefined);
        logs.length = 0;
        await expect(authorize(restTokenEvent(`Bearer ${credentials}`))).rejects.toEqual(
          new Error('Unauthorized'),
        );
        expect(logs[0]).toMatchObject({ decision: 'unauthorized', reason: expected });
      }),
      { numRuns: 300 },
    );
  });

  it('never allows a mutated token on REST, and only ever throws Unauthorized', async () => {
    const { authorize } = buildTestAuthorizer([key]);
    await fc.assert(
      fc.asyncProperty(mutation, async (m) => {
        const token = applyMutation(validToken, m);
        fc.pre(token !== validToken);
        await expect(authorize(restTokenEvent(`Bearer ${token}`))).rejects.toEqual(
          new Error('Unauthorized'),
        );
      }),
      { numRuns: 200 },
    );
  });

  it('answers arbitrary event shapes with Unauthorized or a deny, never another error', async () => {
    const { authorize } = buildTestAuthorizer([key], {
      ACCESS_RULES: '[{"route":"GET /a/{b}","groups":["x"]}]',
    });
    const header = fc.oneof(
      fc.constant(`Bearer ${validToken}`),
      fc.string(),
      fc.constant(null),
      fc.integer(),
      fc.array(fc.string()),
    );
    const event = fc.oneof(
      fc.anything(),
      fc.record(
        {
          type: fc.constantFrom('TOKEN', 'REQUEST', 'OTHER', 1, null),
          version: fc.constantFrom('1.0', '2.0', undefined, 3),
          authorizationToken: header,
          methodArn: fc.oneof(fc.constant(`${STAGE_ARN}/GET/a/b`), fc.string(), fc.anything()),
          routeArn: fc.oneof(fc.constant(`${STAGE_ARN}/GET/a/b`), fc.string(), fc.anything()),
          headers: fc.oneof(
            fc.constant(null),
            fc.dictionary(fc.constantFrom('authorization', 'Authorization', 'x'), header),
          ),
          multiValueHeaders: fc.oneof(fc.constant(null), fc.anything()),
        },
        { requiredKeys: [] },
      ),
    );
    await fc.assert(
      fc.asyncProperty(event, async (input) => {
        try {
          const result = await authorize(input);
          const allowed =
            (result as { isAuthorized?: unknown }).isAuthorized === true ||
            JSON.stringify(result).includes('"Effect":"Allow"');
          // Only the one valid token can ever open the door.
          if (allowed) expect(JSON.stringify(input)).toContain(validToken);
        } catch (error) {
          expect(error).toEqual(new Error('Unauthorized'));
        }
      }),
      { numRuns: 500 },
    );
  });
});
