// Hand-written traces of small programs, shaped like the recorder's output.
import type { Trace } from '../../../src/core/trace/model';
import { TraceBuilder } from './traceBuilder';

export const ZEROS_SRC = [
  '"""Module docstring."""', // 1
  'import math', // 2
  '', // 3
  '', // 4
  'def zeros(n):', // 5
  '    """Return n zeros."""', // 6
  '    out = []', // 7
  '    for i in range(n):', // 8
  '        out.append(0)', // 9
  '    if n < 0:', // 10
  '        raise ValueError("negative")', // 11
  '    return out', // 12
  '', // 13
  '', // 14
  'def unused():', // 15
  '    return 1', // 16
  '', // 17
  '', // 18
  'result = zeros(3)', // 19
  'assert result == [1, 1, 1], (', // 20
  '    "expected ones"', // 21
  ')', // 22
  '',
].join('\n');

/** main.py: zeros(3) returns [0, 0, 0] and the module-level assert fails. */
export function zerosTrace(): Trace {
  const b = new TraceBuilder().source('main.py', ZEROS_SRC);
  b.call('main.py', '<module>', 1)
    .line(1, { __doc__: "'Module docstring.'" })
    .line(2, { math: "<module 'math' (built-in)>" })
    .line(5, { zeros: '<function zeros at 0x7f01>' })
    .line(15, { unused: '<function unused at 0x7f02>' });
  b.call('main.py', 'zeros', 5, { n: '3' }).line(7, { out: '[]' });
  for (let i = 0; i < 3; i++) {
    b.line(8, { i: String(i) });
    b.line(9, {
      out: `[${Array(i + 1)
        .fill('0')
        .join(', ')}]`,
    });
  }
  b.line(8).line(10).line(12).ret(12, '[0, 0, 0]');
  b.line(19, { result: '[0, 0, 0]' });
  b.raise(20, { type: 'AssertionError', message: 'expected ones', file: 'main.py', line: 20 });
  return b.build({
    status: 'exception',
    exitCode: 1,
    exception: {
      type: 'AssertionError',
      message: 'expected ones',
      repr: "AssertionError('expected ones')",
      file: 'main.py',
      line: 20,
    },
  });
}

export const LOOP_SRC = [
  'total = 0',
  'for i in range(10):',
  '    total += i',
  'print(total)',
  '',
].join('\n');

export function loopTrace(partial = false): Trace {
  const b = new TraceBuilder().source('loop.py', LOOP_SRC);
  b.call('loop.py', '<module>', 1).line(1, { total: '0' });
  let total = 0;
  for (let i = 0; i < 10; i++) {
    b.line(2, { i: String(i) });
    total += i;
    b.line(3, { total: String(total) });
  }
  b.line(2);
  if (!partial) b.line(4).ret(4, 'None');
  return b.build(partial ? { status: 'timeout', exitCode: null, partial: true } : {});
}

/** calc.py + test_calc.py: a pytest test calling a function that divides by zero. */
export const CALC_SRC = [
  'def mean(xs):',
  '    total = sum(xs)',
  '    return total / len(xs)',
  '',
].join('\n');
export const TEST_CALC_SRC = [
  'from calc import mean',
  '',
  '',
  'def test_mean_empty():',
  '    assert mean([]) == 0',
  '',
].join('\n');

export function calcTrace(): Trace {
  const b = new TraceBuilder().source('calc.py', CALC_SRC).source('test_calc.py', TEST_CALC_SRC);
  b.call('test_calc.py', 'test_mean_empty', 4);
  b.call('calc.py', 'mean', 1, { xs: '[]' }).line(2, { total: '0' });
  b.raise(3, { type: 'ZeroDivisionError', message: 'division by zero' });
  b.raise(5, { type: 'ZeroDivisionError', message: 'division by zero' });
  const t = b.build({
    status: 'exception',
    exitCode: 1,
    testPassed: false,
    exception: {
      type: 'ZeroDivisionError',
      message: 'division by zero',
      repr: "ZeroDivisionError('division by zero')",
      file: 'calc.py',
      line: 3,
    },
  });
  t.program = { ...t.program, kind: 'pytest', target: 'test_calc.py::test_mean_empty' };
  return t;
}
