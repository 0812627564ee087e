import { describe, expect, it } from 'vitest';
import { failingTestFile, isTestPath, testFilesIn } from '../../../src/core/verify/testEdits';

describe('test code', () => {
  it('is conftest.py, test_*.py, *_test.py and anything under tests/ or test/', () => {
    for (const p of [
      'conftest.py',
      'sub/conftest.py',
      'test_x.py',
      'pkg/test_y.py',
      'x_test.py',
      'tests/helpers.py',
      'tests/data/x.json',
      'src/test/util.py',
      'tests\\win.py',
    ])
      expect(isTestPath(p)).toBe(true);
    for (const p of [
      'average.py',
      'pkg/testing_utils.py',
      'contest.py',
      'attest.py',
      'src/latest/x.py',
      'tests.py',
    ])
      expect(isTestPath(p)).toBe(false);
  });

  it("includes the failing test's own file whatever its name", () => {
    expect(testFilesIn(['check_avg.py', 'average.py'], 'check_avg.py')).toEqual(['check_avg.py']);
    expect(testFilesIn(['average.py'], 'check_avg.py')).toEqual([]);
  });

  it('finds the failing test file relative to the root from the node id and cwd', () => {
    expect(
      failingTestFile({ kind: 'pytest', target: 'tests/test_a.py::test_x', cwd: '/p', root: '/p' }),
    ).toBe('tests/test_a.py');
    expect(
      failingTestFile({ kind: 'pytest', target: 'test_a.py::test_x', cwd: '/p/tests', root: '/p' }),
    ).toBe('tests/test_a.py');
    expect(
      failingTestFile({ kind: 'pytest', target: '../t/test_a.py', cwd: '/p', root: '/p' }),
    ).toBeUndefined();
    expect(
      failingTestFile({ kind: 'script', target: 'a.py', cwd: '/p', root: '/p' }),
    ).toBeUndefined();
  });
});
