// A hand-made recording of stats.spread([3, 5, 8]) called from a test, as the recorder fills it.
import type { Trace } from '../../../src/core/trace/model';
import { TraceBuilder } from '../render/traceBuilder';

export const STATS = `def spread(values):
    low = 0
    high = values[0]
    for v in values:
        if v < low:
            low = v
        if v > high:
            high = v
    return high - low


def test_spread():
    data = [3, 5, 8]
    assert spread(data) == 5
`;

export function spreadTrace(): Trace {
  const b = new TraceBuilder().source('stats.py', STATS);
  b.call('stats.py', 'test_spread', 12).line(13, { data: '[3, 5, 8]' });
  b.call('stats.py', 'spread', 1, { values: '[3, 5, 8]' })
    .line(2, { low: '0' })
    .line(3, { high: '3' });
  for (const v of ['3', '5', '8']) {
    b.line(4, { v }).line(5).line(7);
    if (v !== '3') b.line(8, { high: v });
  }
  b.line(4).line(9).ret(9, '8');
  b.raise(14, { type: 'AssertionError', message: 'assert 8 == 5', file: 'stats.py', line: 14 });
  return b.build({
    status: 'exception',
    exitCode: 1,
    exception: {
      type: 'AssertionError',
      message: 'assert 8 == 5',
      repr: "AssertionError('assert 8 == 5')",
      file: 'stats.py',
      line: 14,
    },
  });
}
