// The CLI's number options: one rule per option, a one-line error for anything out of range, and
// negative numbers understood as values (not as options).
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  maxEventsOption,
  NUMBER_OPTIONS,
  numberOption,
  parse,
  TRACE_OPTIONS,
} from '../../../src/cli/args';
import { checkOutputPath } from '../../../src/cli/common';
import { UserError } from '../../../src/core/errors';

function message(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return (e as Error).message;
  }
  throw new Error('no error');
}

describe('number options', () => {
  it.each([
    ['timeout', '1e12', '--timeout must be a number of seconds from 1 to 86400 (got 1e12).'],
    ['timeout', '0.5', '--timeout must be a number of seconds from 1 to 86400 (got 0.5).'],
    ['timeout', '-5', '--timeout must be a number of seconds from 1 to 86400 (got -5).'],
    [
      'timeout',
      'Infinity',
      '--timeout must be a number of seconds from 1 to 86400 (got Infinity).',
    ],
    ['timeout', '0x10', '--timeout must be a number of seconds from 1 to 86400 (got 0x10).'],
    ['timeout', '', '--timeout must be a number of seconds from 1 to 86400 (got ).'],
    ['rounds', '1e9', '--rounds must be a whole number of rounds from 1 to 10 (got 1e9).'],
    ['rounds', '2.5', '--rounds must be a whole number of rounds from 1 to 10 (got 2.5).'],
    [
      'max-events',
      'NaN',
      '--max-events must be a whole number of events from 1 to 100000000 (got NaN).',
    ],
    [
      'max-tool-calls',
      '-1',
      '--max-tool-calls must be a whole number of calls from 0 to 50 (got -1).',
    ],
  ] as const)('--%s %s', (name, value, text) => {
    expect(message(() => numberOption(name, value))).toBe(text);
  });

  it('accepts every value in range, in decimal or exponent form', () => {
    expect(numberOption('timeout', '2.5')).toBe(2.5);
    expect(numberOption('timeout', '86400')).toBe(86400);
    expect(numberOption('max-events', '1e5')).toBe(100000);
    expect(numberOption('max-tool-calls', '0')).toBe(0);
    expect(numberOption('rounds', undefined)).toBeUndefined();
    for (const [name, spec] of Object.entries(NUMBER_OPTIONS)) {
      expect(numberOption(name as keyof typeof NUMBER_OPTIONS, String(spec.min))).toBe(spec.min);
      expect(numberOption(name as keyof typeof NUMBER_OPTIONS, String(spec.max))).toBe(spec.max);
    }
  });

  it('--max-steps is the old name of --max-events: read alone, refused beside it', () => {
    expect(maxEventsOption('300', undefined)).toBe(300);
    expect(maxEventsOption(undefined, '400')).toBe(400);
    expect(maxEventsOption(undefined, undefined)).toBeUndefined();
    expect(message(() => maxEventsOption(undefined, '0'))).toBe(
      '--max-steps must be a whole number of events from 1 to 100000000 (got 0).',
    );
    expect(message(() => maxEventsOption('5', '6'))).toBe(
      '--max-steps is the old name of --max-events: give one.',
    );
    const { values } = parse(['s.py', '--max-events', '7'], TRACE_OPTIONS);
    expect(values['max-events']).toBe('7');
  });

  it('every timeout fits a timer (2^31 - 1 ms)', () => {
    for (const name of ['timeout', 'verify-timeout', 'model-timeout'] as const)
      expect(NUMBER_OPTIONS[name].max * 1000).toBeLessThan(2 ** 31);
  });

  it('a negative number after an option is its value, not an unknown option', () => {
    const { values } = parse(['s.py', '--timeout', '-5', '--max-steps', '-.5'], TRACE_OPTIONS);
    expect(values.timeout).toBe('-5');
    expect(values['max-steps']).toBe('-.5');
    // After `--`, everything is the program's.
    const rest = parse(['s.py', '--', '--timeout', '-5'], TRACE_OPTIONS);
    expect(rest.positionals).toEqual(['s.py', '--timeout', '-5']);
    expect(message(() => parse(['--verbose', '-5'], TRACE_OPTIONS))).toMatch(/Unknown option '-5'/);
  });
});

describe('--out', () => {
  it('never replaces a source file (also through a link) or a protected file; a new or earlier output is fine', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tfx-out-'));
    try {
      const script = path.join(dir, 'script.py');
      writeFileSync(script, 'x = 1\n');
      symlinkSync(script, path.join(dir, 'alias.txt'));
      writeFileSync(path.join(dir, 'data.csv'), 'a,b\n');
      writeFileSync(path.join(dir, 'old.json'), '{}');
      expect(message(() => checkOutputPath(script))).toMatch(/is a source file/);
      expect(message(() => checkOutputPath(path.join(dir, 'alias.txt')))).toMatch(/source file/);
      expect(
        message(() => checkOutputPath(path.join(dir, 'data.csv'), [path.join(dir, 'data.csv')])),
      ).toMatch(/source file/);
      expect(message(() => checkOutputPath(dir))).toMatch(/is a folder/);
      expect(message(() => checkOutputPath(path.join(dir, 'nope', 'x.json')))).toMatch(
        /folder not found/,
      );
      checkOutputPath(path.join(dir, 'old.json'));
      checkOutputPath(path.join(dir, 'new.json'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
