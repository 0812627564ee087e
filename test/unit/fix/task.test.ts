import { describe, expect, it } from 'vitest';
import { extractTask } from '../../../src/core/fix/task';
import { stats, tests } from '../model/promptSources';

describe('extractTask', () => {
  const files = [
    { path: 'stats.py', text: stats },
    { path: 'test_stats.py', text: tests },
  ];

  it('takes the test, its assertion and the docstring of the function it calls', () => {
    expect(extractTask({ files, testName: 'test_stats.py::test_median_even' })).toBe(
      [
        'Function under test: median(xs) (stats.py)',
        '    Return the median of a non-empty list.',
        '',
        '    For an even count, the mean of the two middle values.',
        'Failing test: test_median_even (test_stats.py)',
        '    assert median(data) == 2.5, "even count"',
      ].join('\n'),
    );
  });

  it('works with a parametrized node id, an explicit function, or neither', () => {
    expect(extractTask({ files, testName: 'test_stats.py::test_median_odd[case1]' })).toContain(
      'assert median([3, 1, 2]) == 2',
    );
    expect(extractTask({ files, functionName: 'median' })).toMatch(
      /^Function under test: median\(xs\)/,
    );
    expect(extractTask({ files: [{ path: 'x.py', text: 'print(1)\n' }] })).toBeUndefined();
  });
});

describe('the task of a test named by file::Class::method[params]', () => {
  const impl =
    'class Ring:\n    def area(self):\n        """Area of the ring."""\n        return 1\n\n\nclass Disk:\n    def area(self):\n        """Area of the disk."""\n        return 2\n';
  const decoy =
    'def test_area():\n    assert 1 == 1, "decoy module-level test"\n\n\nclass TestArea:\n    def test_area(self):\n        assert 2 == 2, "decoy in another file"\n';
  const real = [
    'import pytest',
    'from shapes import Disk',
    '',
    '',
    'def test_area():',
    '    assert True, "module-level test of the same name"',
    '',
    '',
    'class TestArea:',
    '    @pytest.mark.parametrize("r", [1, 2])',
    '    def test_area(self, r):',
    '        assert Disk().area() == r * 3, "the one that failed"',
    '',
  ].join('\n');
  const files = [
    { path: 'tests/test_decoy.py', text: decoy },
    { path: 'tests/test_shapes.py', text: real },
    { path: 'shapes.py', text: impl },
  ];

  it('quotes the method of that class in that file, never a same-named test elsewhere', () => {
    const task = extractTask({ files, testName: 'tests/test_shapes.py::TestArea::test_area[2]' })!;
    expect(task).toContain(
      'Failing test: TestArea::test_area[2] (tests/test_shapes.py)\n    assert Disk().area() == r * 3, "the one that failed"',
    );
    expect(task).not.toContain('decoy');
    expect(task).not.toContain('module-level test of the same name');
    // A node id relative to another folder (rootdir above the project root) still finds the file.
    expect(extractTask({ files, testName: 'proj/tests/test_shapes.py::test_area' })).toContain(
      'module-level test of the same name',
    );
  });

  it('names the function under test where the trace saw it start, with its class', () => {
    const pinned = extractTask({
      files,
      testName: 'tests/test_shapes.py::TestArea::test_area[2]',
      functionAt: { path: 'shapes.py', line: 8 },
      functionName: 'area',
    })!;
    expect(pinned.split('\n').slice(0, 2)).toEqual([
      'Function under test: Disk.area(self) (shapes.py)',
      '    Area of the disk.',
    ]);
    // Without the pin the first `area` is as good a guess as any: that is what the trace fixes.
    expect(extractTask({ files, functionName: 'area' })).toContain(
      'Function under test: Ring.area(self)',
    );
  });
});
