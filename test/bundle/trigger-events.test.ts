/**
 * The committed sample events for the sign-up triggers, run in the README's order through the
 * bundled handlers on a fresh embedded database, as `serverless invoke local` runs them.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleHandlers, invokeBundle } from '../../tools/dev-stack/invoke-bundle';
import { ROOT } from '../../tools/dev-stack/root';

jest.setTimeout(120_000);

const PRE = 'pre-sign-up';
const POST = 'post-confirmation';
const ORDER: [string, string][] = [
  [PRE, 'valid'],
  [PRE, 'to-normalize'],
  [PRE, 'no-handle'],
  [PRE, 'admin-create-user'],
  [PRE, 'reject-invisible-name'],
  [PRE, 'reject-long-name'],
  [PRE, 'reject-bidi-name'],
  [PRE, 'reject-control-name'],
  [PRE, 'reject-handle-characters'],
  [PRE, 'reject-handle-fullwidth'],
  [PRE, 'reject-handle-reserved'],
  [PRE, 'reject-email'],
  [POST, 'valid'],
  [POST, 'to-normalize'],
  [POST, 'handle-taken'],
  [POST, 'no-handle'],
  [POST, 'forgot-password'],
  [POST, 'reject-missing-email'],
  [PRE, 'valid'],
];

let dataDir: string;
let remove: () => void;
let outcomes: { result?: { response?: { autoConfirmUser?: boolean } }; errorMessage?: string }[];
let logs: Record<string, unknown>[];

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'cognito-gate-events-'));
  const built = await bundleHandlers([`src/handlers/${PRE}.ts`, `src/handlers/${POST}.ts`]);
  remove = () => {
    built.remove();
  };
  const [pre = '', post = ''] = built.paths;
  const bundles: Record<string, string> = { [PRE]: pre, [POST]: post };
  // One process per invocation, one after the other, as `serverless invoke local` runs them
  // (two PGlite instances must never open one data directory at the same time).
  const env = { IS_LOCAL: 'true', DATABASE_URL: `pglite:${dataDir}`, LOG_LEVEL: 'INFO' };
  outcomes = [];
  logs = [];
  for (const [fn, name] of ORDER) {
    const event: unknown = JSON.parse(
      readFileSync(join(ROOT, 'events', fn, `${name}.json`), 'utf8'),
    );
    const invocation = await invokeBundle(bundles[fn] ?? '', event, env);
    outcomes.push(
      invocation.error === undefined
        ? { result: invocation.result as (typeof outcomes)[number]['result'] }
        : { errorMessage: invocation.error.message },
    );
    logs.push(...invocation.logs);
  }
});

afterAll(() => {
  remove();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the sign-up trigger sample events', () => {
  it('cover every committed file', () => {
    for (const fn of [PRE, POST]) {
      const committed = readdirSync(join(ROOT, 'events', fn)).map((file) =>
        file.replace(/\.json$/, ''),
      );
      expect(committed.sort()).toEqual(
        [...new Set(ORDER.filter(([f]) => f === fn).map(([, n]) => n))].sort(),
      );
    }
  });

  it('produce what the README documents, in its order', () => {
    const byStep = outcomes.map((outcome) => outcome.errorMessage ?? 'returns the event');
    expect(byStep).toEqual([
      'returns the event',
      'returns the event',
      'returns the event',
      'returns the event',
      'Display name must contain visible characters',
      'Display name must be at most 64 characters',
      'Display name must not contain text-direction control characters',
      'Display name must not contain control characters',
      'Handle must be 3–30 letters (a–z), digits or underscores and start with a letter',
      'Handle must be 3–30 letters (a–z), digits or underscores and start with a letter',
      'Handle is reserved; choose another',
      'Email must not contain spaces or invisible characters',
      'returns the event',
      'returns the event',
      'returns the event',
      'returns the event',
      'returns the event',
      'Your account is confirmed, but setting up your profile failed. Sign in and it will be completed.',
      'Handle is already taken; choose another',
    ]);
    expect(outcomes[0]?.result?.response?.autoConfirmUser).toBe(false);
  });

  it('seed the documented profiles', () => {
    const created = logs
      .filter((line) => line.message === 'profile created')
      .map((line) => line.handle);
    expect(created).toEqual(['jane_doe', 'sam_smith', 'jane_doe_2', 'alex_kim']);
    expect(logs).toContainEqual(
      expect.objectContaining({ message: 'password reset confirmed; profile unchanged' }),
    );
  });
});
