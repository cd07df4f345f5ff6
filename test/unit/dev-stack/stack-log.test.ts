import {
  createStackLogPrinter,
  readLogFormat,
  toFunctionName,
} from '../../../tools/dev-stack/stack-log';

const LINE =
  '{"level":"INFO","timestamp":"2026-01-01T00:00:00.000Z","service":"pre-sign-up","message":"sign-up rejected","field":"name","reason":"Display name must contain visible characters"}';

function collect(format: 'text' | 'json') {
  const out: string[] = [];
  const err: string[] = [];
  const printer = createStackLogPrinter(format, {
    out: (line) => out.push(line),
    err: (line) => err.push(line),
  });
  return { printer, out, err };
}

describe('the stack log printer', () => {
  it('names functions as serverless.yml does', () => {
    expect(toFunctionName('pre-sign-up')).toBe('preSignUp');
    expect(toFunctionName('authorizer')).toBe('authorizer');
  });

  it('prints a function log line on one line, prefixed with the function', () => {
    const { printer, out } = collect('text');
    printer.stdout(`${LINE}\n`);
    expect(out).toEqual([
      'preSignUp        | INFO  sign-up rejected field=name reason="Display name must contain visible characters"',
    ]);
  });

  it('keeps JSON intact on stdout in json mode, the rest on stderr', () => {
    const { printer, out, err } = collect('json');
    printer.stdout(`GET /me (λ: getMe)\n${LINE}\n`);
    expect(out).toEqual([LINE]);
    expect(err).toEqual(['offline          | GET /me (λ: getMe)']);
  });

  it('joins lines split across chunks and gives other lines to the last function named', () => {
    const { printer, out } = collect('text');
    printer.stdout(
      'POST /2015-03-31/functions/cognito-gate-local-preSignUp/invocations (λ: preSignUp)\nTypeError: bo',
    );
    printer.stdout('om\n\n');
    printer.flush();
    expect(out).toEqual([
      'offline          | POST /2015-03-31/functions/cognito-gate-local-preSignUp/invocations (λ: preSignUp)',
      'preSignUp        | TypeError: boom',
    ]);
  });

  it('chooses json with --json or LOG_FORMAT=json', () => {
    expect(readLogFormat(['--json'], {})).toBe('json');
    expect(readLogFormat([], { LOG_FORMAT: 'JSON' })).toBe('json');
    expect(readLogFormat([], {})).toBe('text');
  });
});
