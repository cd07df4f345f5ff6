/**
 * The transport under the JWKS cache: one GET, no retry, no timer of its own. How long it may take
 * and how often it may run is decided one level up ({@link guardJwksFetcher}), which aborts it
 * through the `signal` request option; this module only has to honour that signal.
 *
 * Why not aws-jwt-verify's `SimpleFetcher`: it retries once at once and its default bounds are a
 * 1.5 s socket-idle timer (which never fires while a slow server trickles bytes) plus a 3 s response
 * timer per attempt, so a hanging endpoint costs 6 s, the whole function timeout
 * (https://github.com/awslabs/aws-jwt-verify#configuring-the-jwks-response-timeout-and-other-http-options-with-fetcher).
 */
import { request as requestHttp, type IncomingMessage } from 'node:http';
import { request as requestHttps } from 'node:https';
import { FetchError } from 'aws-jwt-verify/error';
import type { Fetcher } from 'aws-jwt-verify/https';

/**
 * A Cognito JWKS is about 1 KB (two RSA keys); anything this large is not one, and reading it
 * whole would cost memory and time on the request path.
 */
export const MAX_JWKS_BYTES = 64 * 1024;

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Plain HTTP only to this machine (tests and local emulators): the keys decide who is let in, so
 * they never travel unencrypted over a network.
 */
function assertFetchableUri(uri: string): URL {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw new FetchError(uri, 'the JWKS URI is not a valid URL');
  }
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)) return url;
  throw new FetchError(uri, 'the JWKS URI must be https:// (plain http only on loopback)');
}

function readBody(uri: string, response: IncomingMessage): Promise<ArrayBuffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    response.on('data', (chunk: Buffer) => {
      length += chunk.length;
      if (length > MAX_JWKS_BYTES) {
        response.destroy();
        reject(new FetchError(uri, `response is larger than ${MAX_JWKS_BYTES} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    response.on('end', () => {
      const body = Buffer.concat(chunks);
      resolve(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength));
    });
    response.on('error', (error) => {
      reject(new FetchError(uri, error.message));
    });
    // A response cut short emits `aborted`/`close` without `end`.
    response.on('close', () => {
      if (!response.complete) reject(new FetchError(uri, 'response ended before its body did'));
    });
  });
}

/** One GET of `uri`; rejects with the library's `FetchError` (mapped to `jwks_unavailable`). */
function fetchOnce(uri: string, signal: AbortSignal | undefined): Promise<ArrayBuffer> {
  const url = assertFetchableUri(uri);
  const request = url.protocol === 'https:' ? requestHttps : requestHttp;
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'GET', headers: { accept: 'application/json' }, signal },
      (response) => {
        if (response.statusCode !== 200) {
          response.resume();
          reject(new FetchError(uri, `status ${response.statusCode ?? 'none'}, expected 200`));
          req.destroy();
          return;
        }
        readBody(uri, response).then(resolve, reject);
      },
    );
    req.on('error', (error) => {
      // An abort surfaces here as AbortError; the guard reports the deadline itself.
      reject(new FetchError(uri, error.message));
    });
    req.end();
  });
}

/**
 * Creates the JWKS transport: HTTPS (plain HTTP to loopback only), status 200 only, at most
 * {@link MAX_JWKS_BYTES}, aborted by `requestOptions.signal`.
 */
export function createJwksFetcher(): Fetcher {
  return {
    fetch: (uri, requestOptions) =>
      fetchOnce(
        uri,
        requestOptions?.signal instanceof AbortSignal ? requestOptions.signal : undefined,
      ),
  };
}
