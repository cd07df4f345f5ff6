import fc from 'fast-check';
import {
  describeError,
  formatNumber,
  formatTimestamp,
  type LogFields,
  type LogLevel,
} from '../../src/logger';
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

describe('Logger.prepare', () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: Date.UTC(2026, 5, 1, 12, 0, 0, 5) });
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  const value = fc.oneof(
    fc.string(),
    fc.double(),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
  );
  const fieldName = fc
    .string()
    .filter((name) => !['level', 'timestamp', 'service', 'message'].includes(name));

  it('writes exactly the line the level method writes for the same fields', () => {
    fc.assert(
      fc.property(fc.dictionary(fieldName, value), fc.string(), (fields: LogFields, message) => {
        const { logger, lines } = capture('DEBUG');
        const names = Object.keys(fields);
        logger.prepare('WARN', message, names)(names.map((name) => fields[name]));
        logger.warn(message, fields);
        expect(lines).toHaveLength(2);
        expect(lines[0]).toBe(lines[1]);
        expect(JSON.parse(lines[0] ?? '')).toEqual({
          ...(JSON.parse(JSON.stringify(fields)) as object),
          level: 'WARN',
          timestamp: '2026-06-01T12:00:00.005Z',
          service: 'svc "x"',
          message,
        });
      }),
    );
  });

  it('writes the right line for every line of a sequence, values repeated or not', () => {
    const names = ['a', 'b', 'c'] as const;
    const small = fc.oneof(fc.constantFrom('x', 'y', 1, 1.5, true, null, undefined), value);
    fc.assert(
      fc.property(fc.array(fc.tuple(small, small, small), { maxLength: 12 }), (rows) => {
        const { logger, lines } = capture('DEBUG');
        const write = logger.prepare('INFO', 'm', names);
        for (const row of rows) {
          write(row);
          logger.info('m', { a: row[0], b: row[1], c: row[2] });
        }
        for (let i = 0; i < lines.length; i += 2) expect(lines[i]).toBe(lines[i + 1]);
        expect(lines).toHaveLength(rows.length * 2);
      }),
    );
  });

  it('leaves out undefined values and writes nothing below the level', () => {
    const { logger, lines } = capture('INFO');
    const names = ['a', 'b', 'c'] as const;
    logger.prepare('INFO', 'm', names)(['x', undefined, 2.5]);
    logger.prepare('DEBUG', 'm', names)(['y', 'z', 1]);
    expect(lines).toEqual([
      '{"level":"INFO","timestamp":"2026-06-01T12:00:00.005Z","service":"svc \\"x\\"","message":"m","a":"x","c":2.5}',
    ]);
  });

  it("refuses a field named like one of the line's own keys", () => {
    const { logger } = capture('INFO');
    expect(() => logger.prepare('INFO', 'm', ['sub', 'level'])).toThrow(
      new RangeError("log field name must not be one of the line's own keys: level"),
    );
  });
});

describe('formatNumber', () => {
  it('writes the same text as String for every finite number, null otherwise', () => {
    // Durations as the code rounds them (ms to the microsecond), and any double at all.
    const rounded = fc.integer({ min: -1e13, max: 1e13 }).map((micros) => micros / 1000);
    fc.assert(
      fc.property(fc.oneof(rounded, fc.double(), fc.integer()), (number) => {
        expect(formatNumber(number)).toBe(Number.isFinite(number) ? String(number) : 'null');
      }),
      { numRuns: 5000 },
    );
  });

  it('writes milliseconds rounded to the microsecond without trailing zeros', () => {
    expect([0.001, 0.012, 2.1, 2.05, 12.345, 1500].map(formatNumber)).toEqual([
      '0.001',
      '0.012',
      '2.1',
      '2.05',
      '12.345',
      '1500',
    ]);
  });
});

describe('formatTimestamp', () => {
  it('writes what toISOString writes, for any time and in any order', () => {
    const valid = fc.integer({ min: -8.64e15, max: 8.64e15 });
    const near = fc.integer({ min: 1_700_000_000_000, max: 1_900_000_000_000 });
    fc.assert(
      fc.property(
        fc.array(fc.oneof(near, valid, fc.constant(253_402_300_799_999)), { minLength: 1 }),
        (times) => {
          for (const millis of times) {
            expect(formatTimestamp(millis)).toBe(new Date(millis).toISOString());
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('keeps the minute right across a minute boundary', () => {
    const boundary = Date.UTC(2026, 11, 31, 23, 59, 0);
    for (const millis of [boundary + 59_999, boundary + 60_000, boundary + 59_999, boundary - 1]) {
      expect(formatTimestamp(millis)).toBe(new Date(millis).toISOString());
    }
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
