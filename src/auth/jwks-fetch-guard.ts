/**
 * What every JWKS fetch goes through, whatever the transport: the backoff, one deadline for the
 * whole fetch (connect, TLS, headers, body), and a check that the body is a usable JWKS before the
 * library's cache replaces the keys it knows. Any failure blocks the URI in the backoff, so an
 * endpoint that hangs or errs costs one bounded wait per backoff period, never one per request.
 */
import { FetchError } from 'aws-jwt-verify/error';
import type { Fetcher } from 'aws-jwt-verify/https';
import { assertIsJwks } from 'aws-jwt-verify/jwk';
import type { JwksBackoff } from './jwks-backoff';

export interface JwksFetchGuardOptions {
  /** Bound on one fetch, start to last byte. */
  timeoutMs: number;
  backoff: JwksBackoff;
}

function errorText(error: unknown): string {
  return error instanceof Error ? `${error.constructor.name}: ${error.message}` : typeof error;
}

/**
 * Throws unless `body` is a JWKS with at least one key. An empty or malformed set must not replace
 * the keys already cached: the library's cache stores whatever its fetcher returns and parses.
 * The body is never quoted (it is whatever the endpoint sent).
 */
function assertUsableJwks(uri: string, body: ArrayBuffer): void {
  let parsed: Parameters<typeof assertIsJwks>[0];
  try {
    parsed = JSON.parse(new TextDecoder('utf8', { fatal: true }).decode(body)) as typeof parsed;
  } catch {
    throw new FetchError(uri, 'the body is not UTF-8 JSON');
  }
  try {
    assertIsJwks(parsed);
  } catch (error) {
    throw new FetchError(uri, `the body is not a JWKS (${errorText(error)})`);
  }
  if (parsed.keys.length === 0) throw new FetchError(uri, 'the JWKS holds no keys');
}

/** Wraps `transport` with the backoff, the deadline and the JWKS check. */
export function guardJwksFetcher(
  transport: Fetcher,
  { timeoutMs, backoff }: JwksFetchGuardOptions,
): Fetcher {
  return {
    fetch: async (uri) => {
      backoff.assertMayFetch(uri);
      const controller = new AbortController();
      let timer: ReturnType<typeof setTimeout> | undefined;
      const deadline = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => {
          reject(new FetchError(uri, `no complete answer within ${timeoutMs} ms`));
          controller.abort();
        }, timeoutMs);
        // Never what keeps a process alive (serverless invoke local waits for an empty loop).
        timer.unref();
      });
      try {
        const body = await Promise.race([
          transport.fetch(uri, { signal: controller.signal }),
          deadline,
        ]);
        assertUsableJwks(uri, body);
        return body;
      } catch (error) {
        backoff.registerFailedFetch(uri);
        throw error instanceof FetchError ? error : new FetchError(uri, errorText(error));
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
