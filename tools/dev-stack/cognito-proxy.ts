/**
 * A small HTTP proxy in front of cognito-local that adds what the emulator lacks and real Cognito
 * does, so the page behaves against the emulator stack as it will against AWS:
 *
 * - `GetTokensFromRefreshToken`, the only call aws-amplify ≥ 6.15.4 refreshes tokens with, which
 *   cognito-local 5.3 does not implement: answered through cognito-local's `InitiateAuth` with
 *   `REFRESH_TOKEN_AUTH`, which returns the same tokens. Without rotation Cognito returns no new
 *   refresh token, and Amplify keeps the one it has.
 *   https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_GetTokensFromRefreshToken.html
 * - The pool's password policy on every call that sets a password (cognito-local accepts any),
 *   refused with Cognito's `InvalidPasswordException`.
 *   https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-policies.html
 * - The app client's attribute write permissions (`WriteAttributes`) on `SignUp` and
 *   `UpdateUserAttributes`, which cognito-local ignores: an attribute the client may not write is
 *   refused with Cognito's `NotAuthorizedException` ("A client attempted to write unauthorized
 *   attribute"). https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-attributes.html
 *   (attribute permissions and scopes). ClientMetadata passes through: cognito-local 5.3 hands it
 *   to PreSignUp and PostConfirmation as `request.clientMetadata`, as Cognito does.
 *
 * Everything else passes through unchanged, CORS included (cognito-local answers preflights).
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { findCognitoPasswordViolation, type PasswordPolicy } from '../../web/src/password-policy';

const TARGET_PREFIX = 'AWSCognitoIdentityProviderService.';

/** Where each password-setting operation carries the password. */
const PASSWORD_FIELDS: Readonly<Record<string, (body: Record<string, unknown>) => unknown>> = {
  SignUp: (body) => body.Password,
  ConfirmForgotPassword: (body) => body.Password,
  ChangePassword: (body) => body.ProposedPassword,
  AdminSetUserPassword: (body) => body.Password,
  AdminCreateUser: (body) => body.TemporaryPassword,
  RespondToAuthChallenge: (body) =>
    (body.ChallengeResponses as Record<string, unknown> | undefined)?.NEW_PASSWORD,
};

/** The operations a person's client call sets attributes with, subject to WriteAttributes. */
const ATTRIBUTE_WRITES = new Set(['SignUp', 'UpdateUserAttributes']);

/** Names in a call's `UserAttributes` that `writable` does not list. */
export function findUnwritableAttributes(
  body: Record<string, unknown>,
  writable: readonly string[],
): string[] {
  const attributes = Array.isArray(body.UserAttributes) ? (body.UserAttributes as unknown[]) : [];
  return attributes
    .map((attribute) =>
      typeof attribute === 'object' && attribute !== null
        ? (attribute as { Name?: unknown }).Name
        : undefined,
    )
    .filter((name): name is string => typeof name === 'string' && !writable.includes(name));
}

export interface CognitoProxy {
  port: number;
  /** How many GetTokensFromRefreshToken calls it answered (tests check the page used it). */
  refreshCount: () => number;
  stop: () => Promise<void>;
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.once('end', () => {
      resolve(Buffer.concat(chunks));
    });
    request.once('error', reject);
  });
}

function parseJsonObject(body: Buffer): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

interface UpstreamResponse {
  status: number;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

function forward(
  upstreamPort: number,
  method: string,
  path: string,
  headers: IncomingMessage['headers'],
  body: Buffer,
): Promise<UpstreamResponse> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      {
        host: '127.0.0.1',
        port: upstreamPort,
        method,
        path,
        headers: { ...headers, host: `127.0.0.1:${upstreamPort}`, 'content-length': body.length },
      },
      (response) => {
        readBody(response).then((responseBody) => {
          resolve({
            status: response.statusCode ?? 502,
            headers: response.headers,
            body: responseBody,
          });
        }, reject);
      },
    );
    outgoing.once('error', reject);
    outgoing.end(body);
  });
}

const JSON_HEADERS = {
  'content-type': 'application/x-amz-json-1.1',
  'access-control-allow-origin': '*',
};

/** Starts the proxy on `port` (0: a free one) in front of cognito-local on `upstreamPort`. */
export async function startCognitoProxy(options: {
  port: number;
  upstreamPort: number;
  passwordPolicy: PasswordPolicy;
  /** The app client's WriteAttributes; `undefined`: not enforced. */
  writeAttributes?: readonly string[] | undefined;
}): Promise<CognitoProxy> {
  const { upstreamPort, passwordPolicy, writeAttributes } = options;
  let refreshes = 0;

  const server: Server = createServer((request, response) => {
    const reply = (status: number, headers: Record<string, unknown>, body: Buffer | string) => {
      response.writeHead(status, headers as Record<string, string>);
      response.end(body);
    };
    const handle = async () => {
      const body = await readBody(request);
      const method = request.method ?? 'GET';
      const path = request.url ?? '/';
      const target = String(request.headers['x-amz-target'] ?? '');
      const operation = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
      const json = method === 'POST' ? parseJsonObject(body) : undefined;

      if (json !== undefined && writeAttributes !== undefined && ATTRIBUTE_WRITES.has(operation)) {
        if (findUnwritableAttributes(json, writeAttributes).length > 0) {
          reply(
            400,
            { ...JSON_HEADERS, 'x-amzn-errortype': 'NotAuthorizedException' },
            JSON.stringify({
              __type: 'NotAuthorizedException',
              message: 'A client attempted to write unauthorized attribute',
            }),
          );
          return;
        }
      }

      const password = json === undefined ? undefined : PASSWORD_FIELDS[operation]?.(json);
      if (typeof password === 'string') {
        const violation = findCognitoPasswordViolation(password, passwordPolicy);
        if (violation !== undefined) {
          reply(
            400,
            { ...JSON_HEADERS, 'x-amzn-errortype': 'InvalidPasswordException' },
            JSON.stringify({
              __type: 'InvalidPasswordException',
              message: `Password did not conform with policy: ${violation}`,
            }),
          );
          return;
        }
      }

      if (operation === 'GetTokensFromRefreshToken' && json !== undefined) {
        refreshes += 1;
        const upstream = await forward(
          upstreamPort,
          'POST',
          path,
          {
            ...request.headers,
            'x-amz-target': `${TARGET_PREFIX}InitiateAuth`,
          },
          Buffer.from(
            JSON.stringify({
              AuthFlow: 'REFRESH_TOKEN_AUTH',
              ClientId: json.ClientId,
              AuthParameters: { REFRESH_TOKEN: json.RefreshToken },
              ...(json.ClientMetadata === undefined ? {} : { ClientMetadata: json.ClientMetadata }),
            }),
          ),
        );
        const result = parseJsonObject(upstream.body);
        if (upstream.status !== 200 || result === undefined) {
          reply(upstream.status, upstream.headers, upstream.body);
          return;
        }
        // InitiateAuth and GetTokensFromRefreshToken share the AuthenticationResult shape.
        reply(
          200,
          JSON_HEADERS,
          JSON.stringify({ AuthenticationResult: result.AuthenticationResult }),
        );
        return;
      }

      const upstream = await forward(upstreamPort, method, path, request.headers, body);
      const headers = { ...upstream.headers };
      delete headers['transfer-encoding'];
      headers['content-length'] = String(upstream.body.length);
      reply(upstream.status, headers, upstream.body);
    };
    handle().catch(() => {
      if (!response.headersSent) {
        reply(
          502,
          JSON_HEADERS,
          JSON.stringify({
            __type: 'InternalErrorException',
            message: 'cognito-local is not answering',
          }),
        );
      } else response.end();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    refreshCount: () => refreshes,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}
