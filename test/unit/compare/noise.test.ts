import { describe, expect, it } from 'vitest';
import { compareValues, noiseContext, type NoiseContext } from '../../../src/core/compare/noise';

const T = Date.parse('2025-03-01T10:00:00Z');
const ctxA: NoiseContext = {
  root: '/home/u/proj',
  cwd: '/home/u/proj',
  from: T - 70_000,
  to: T + 60_000,
};
const ctxB: NoiseContext = {
  root: '/tmp/tfx-base-1/proj',
  cwd: '/tmp/tfx-base-1/proj/sub',
  from: T + 3_600_000 - 70_000,
  to: T + 3_600_000 + 60_000,
};
const same = (a: string, b: string) => compareValues(a, b, ctxA, ctxB);

describe('the noise rule', () => {
  it('keeps real differences', () => {
    expect(same('3', '2')).toEqual({ same: false });
    expect(same("'abc'", "'abd'")).toEqual({ same: false });
    expect(same('[1, 2]', '[2, 1]')).toEqual({ same: false });
    expect(same("{'a': 1, 'b': 2}", "{'b': 2, 'a': 1}")).toEqual({ same: false });
    // A duration is not a clock reading.
    expect(same('0.0123', '0.0131')).toEqual({ same: false });
    // A date computed from data is compared.
    expect(same('datetime.date(2024, 1, 3)', 'datetime.date(2024, 1, 4)')).toEqual({ same: false });
    // A number of ten digits far from the recording is not a clock reading.
    expect(same('1234567890', '1234567891')).toEqual({ same: false });
  });

  it('ignores object numbers', () => {
    expect(same('Node#3(v=1)', 'Node#7(v=1)')).toEqual({ same: true, noise: 'object' });
    expect(same('Node#3(v=1)', 'Node#7(v=2)')).toEqual({ same: false });
  });

  it('ignores clock readings within each run’s own window', () => {
    const a = (T / 1000 - 5).toFixed(6);
    const b = ((T + 3_600_000) / 1000 - 2).toFixed(6);
    expect(same(a, b)).toEqual({ same: true, noise: 'clock' });
    expect(same(`{'at': ${a}, 'n': 1}`, `{'at': ${b}, 'n': 1}`)).toEqual({
      same: true,
      noise: 'clock',
    });
    expect(same(`{'at': ${a}, 'n': 1}`, `{'at': ${b}, 'n': 2}`)).toEqual({ same: false });
    // Milliseconds, an ISO string and a datetime repr.
    expect(same(String(T - 1000), String(T + 3_600_000))).toEqual({ same: true, noise: 'clock' });
    expect(same("'2025-03-01T10:00:01'", "'2025-03-01T11:00:02'")).toEqual({
      same: true,
      noise: 'clock',
    });
    expect(
      same(
        'datetime.datetime(2025, 3, 1, 10, 0, 1, 5)',
        'datetime.datetime(2025, 3, 1, 11, 0, 3, 77)',
      ),
    ).toEqual({ same: true, noise: 'clock' });
    // A reading of one run against another value of the other is a difference.
    expect(same(a, '17.5')).toEqual({ same: false });
  });

  it('ignores addresses, id()s, random UUIDs, set order and the runs’ folders', () => {
    expect(same('<function f at 0x7f3a2b1c0d40>', '<function f at 0x7f99aa110e20>')).toEqual({
      same: true,
      noise: 'address',
    });
    expect(same('140234567890112', '140234599990448')).toEqual({ same: true, noise: 'address' });
    expect(
      same(
        "UUID('6f1c3f3e-8a43-4b8e-9d2a-0c1d2e3f4a5b')",
        "UUID('0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d')",
      ),
    ).toEqual({ same: true, noise: 'uuid' });
    expect(same('{3, 1, 2}', '{1, 2, 3}')).toEqual({ same: true, noise: 'set' });
    expect(same('frozenset({3, 1})', 'frozenset({1, 3})')).toEqual({ same: true, noise: 'set' });
    expect(same("'/home/u/proj/data.csv'", "'/tmp/tfx-base-1/proj/data.csv'")).toEqual({
      same: true,
      noise: 'root',
    });
    expect(same("'/tmp/tmpk3j_x9a1/out.txt'", "'/tmp/tmpz9q0ab12/out.txt'")).toEqual({
      same: true,
      noise: 'temp',
    });
  });

  it('takes a recording’s window from its createdAt and duration', () => {
    const c = noiseContext({
      program: { root: '/r', cwd: '/r' },
      createdAt: '2025-03-01T10:00:00.000Z',
      outcome: { durationMs: 5000 },
    });
    expect(c.to - c.from).toBe(5000 + 120_000);
  });
});
