import { describeError, type LogLevel } from '../../src/logger';
import { captureLogs } from '../support/capture-logs';

/** The lines as written: these tests are about the text. */
function capture(level: LogLevel) {
  const { logger, rawLines } = captureLogs({ service: 'svc "x"', level });
  return { logger, lines: rawLines };
}

describe('createLogger', () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: Date.UTC(2026, 5, 1, 12, 0, 0, 5) });
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  it('writes one JSON object a line with level, timestamp, service, message and fields', () => {
    const { logger, lines } = capture('DEBUG');
    logger.info('decision "made"\n', {
      sub: 'abc',
      latencyMs: 1.5,
      cached: false,
      missing: undefined,
    });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '')).toEqual({
      level: 'INFO',
      timestamp: '2026-06-01T12:00:00.005Z',
      service: 'svc "x"',
      message: 'decision "made"\n',
      sub: 'abc',
      latencyMs: 1.5,
      cached: false,
    });
  });

  it('writes valid JSON without fields and with empty fields', () => {
    const { logger, lines } = capture('DEBUG');
    logger.warn('plain');
    logger.error('empty', {});
    expect(lines.map((line) => JSON.parse(line) as unknown)).toEqual([
      expect.objectContaining({ level: 'WARN', message: 'plain' }),
      expect.objectContaining({ level: 'ERROR', message: 'empty' }),
    ]);
  });

  it('drops lines below the configured level', () => {
    const { logger, lines } = capture('WARN');
    logger.debug('d');
    logger.info('i');
    logger.warn('w');
    logger.error('e');
    expect(lines.map((line) => (JSON.parse(line) as { message: string }).message)).toEqual([
      'w',
      'e',
    ]);
  });

  it('writes nothing at SILENT', () => {
    const { logger, lines } = capture('SILENT');
    logger.error('e');
    expect(lines).toEqual([]);
  });
});

describe('describeError', () => {
  it('names the class and message of an Error, and never its stack', () => {
    const error = new RangeError('too big');
    expect(describeError(error)).toBe('RangeError: too big');
    expect(describeError('text')).toBe('text');
    expect(describeError(42)).toBe('non-Error value thrown');
  });
});
