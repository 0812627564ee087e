import { describe, expect, it } from 'vitest';
import { parseNodeId } from '../../../src/core/source/pytest';
import {
  buildPrompt,
  buildUserPrompt,
  extractTask,
  fenceFor,
  type PromptInput,
} from '../../../src/core/model/prompt';

const stats = `import math


def median(xs):
    """Return the median of a non-empty list.

    For an even count, the mean of the two middle values.
    """
    xs = sorted(xs)
    mid = len(xs) // 2
    return xs[mid]
`;

const tests = `from stats import median


def test_median_odd():
    assert median([3, 1, 2]) == 2


def test_median_even():
    data = [1, 2, 3, 4]
    assert median(data) == 2.5, \\
        "even count"
`;

const trace = `def median(xs):
    xs = sorted(xs)  # (1) xs=[1, 2, 3, 4]
    mid = len(xs) // 2  # (2) mid=2
    return xs[mid]  # (3) __return__=3`;

function input(extra: Partial<PromptInput> = {}): PromptInput {
  return {
    task: 'median should average the middle values',
    files: [{ path: 'stats.py', text: stats }],
    command: 'pytest test_stats.py::test_median_even',
    error: 'AssertionError: even count\nassert 3 == 2.5',
    nextTrace: trace,
    ...extra,
  };
}

describe('buildPrompt', () => {
  it('lays out task, command, failure, code and trace and asks for rationale, summary and fenced fix', () => {
    const { request, redactions } = buildPrompt(input(), { maxTokens: 1500, temperature: 0.2 });
    expect(redactions).toBe(0);
    expect(request.maxTokens).toBe(1500);
    expect(request.temperature).toBe(0.2);
    const [system, user] = request.messages;
    expect(system?.role).toBe('system');
    expect(system?.content).toContain('NExT format');
    expect(system?.content).toContain('citing step numbers like (7)');
    expect(system?.content).toContain('Summary: ');
    expect(system?.content).toContain('```python path/to/file.py');
    expect(user?.role).toBe('user');
    const text = user?.content ?? '';
    const order = [
      '## Task',
      '## Failing command',
      '## Failure',
      '## Code',
      '### stats.py',
      '```python stats.py',
      '## Execution trace',
      'return xs[mid]  # (3) __return__=3',
      'Now give the rationale',
    ];
    const positions = order.map((s) => text.indexOf(s));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it('without a trace it does not mention steps or the trace format', () => {
    const { request } = buildPrompt(input({ nextTrace: undefined }));
    const all = request.messages.map((m) => m.content).join('\n');
    expect(all).not.toContain('NExT');
    expect(all).not.toContain('(7)');
    expect(all).not.toContain('## Execution trace');
  });

  it('lists earlier attempts with their failure and trace', () => {
    const { request } = buildPrompt(
      input({
        previousAttempts: [
          {
            patchSummary: 'Summary: return xs[mid - 1]',
            failure: 'assert 2 == 2.5',
            nextTrace: 'return xs[mid - 1]  # (3) __return__=2',
          },
        ],
      }),
    );
    const user = request.messages[1]?.content ?? '';
    expect(user).toContain('## Earlier attempts that did not fix it');
    expect(user).toContain('### Attempt 1');
    expect(user).toContain('return xs[mid - 1]  # (3) __return__=2');
    expect(user).toContain('assert 2 == 2.5');
  });

  it('redacts secrets in every message and counts them', () => {
    const { request, redactions } = buildPrompt(
      input({
        files: [{ path: 'client.py', text: 'API_KEY = "sk-proj-Zx81QpLm27NvTr40KsWd93Jh"\n' }],
        command: 'OPENAI_API_KEY=abc123xyz pytest',
        nextTrace: "x = f()  # (1) cfg={'password': 'hunter2'}",
      }),
    );
    const all = request.messages.map((m) => m.content).join('\n');
    expect(all).not.toContain('sk-proj-Zx81');
    expect(all).not.toContain('hunter2');
    expect(all).not.toContain('abc123xyz');
    expect(redactions).toBe(3);
  });

  it('uses a longer fence when the code itself contains backticks', () => {
    expect(fenceFor('x = "```"')).toBe('````');
    const { request } = buildPrompt(
      input({ files: [{ path: 'md.py', text: 'DOC = """\n```py\ncode\n```\n"""\n' }] }),
      { redact: false },
    );
    expect(request.messages[1]?.content).toContain('````python md.py\nDOC = """\n```py');
  });
});

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

describe('the code section', () => {
  it('shows excerpts for large files, says so once, and names the files there was no room for', () => {
    const user = buildUserPrompt({
      command: 'pytest',
      files: [
        {
          path: 'big.py',
          text: 'x = 1\n'.repeat(500),
          shown: '# ... lines 1-400 not shown\nx = 1\n',
        },
        { path: 'small.py', text: 'y = 2\n' },
        { path: 'far.py', text: 'z = 3\n', shown: '' },
      ],
    });
    const code = user.slice(user.indexOf('## Code'));
    expect(code).toContain('```python big.py\n# ... lines 1-400 not shown\nx = 1\n```');
    expect(code).toContain('```python small.py\ny = 2\n```');
    expect(code).not.toContain('z = 3');
    expect(code).toContain('Also ran, not shown for lack of room: far.py.');
    expect(code.match(/shown in part/g)).toHaveLength(1);
    const whole = buildUserPrompt({
      command: 'pytest',
      files: [{ path: 'small.py', text: 'y = 2\n' }],
    });
    expect(whole).not.toContain('shown in part');
  });
});

describe('pytest node ids', () => {
  it('split into file, classes + name and parameters (which may hold :: and /)', () => {
    expect(parseNodeId('tests/test_x.py::TestC::test_y[1-2]')).toEqual({
      file: 'tests/test_x.py',
      names: ['TestC', 'test_y'],
      params: '1-2',
    });
    expect(parseNodeId('t.py::test_z[a::b/c]')).toEqual({
      file: 't.py',
      names: ['test_z'],
      params: 'a::b/c',
    });
    expect(parseNodeId('test_alone')).toEqual({ file: '', names: ['test_alone'] });
    expect(parseNodeId('tests\\test_w.py')).toEqual({ file: 'tests/test_w.py', names: [] });
  });
});
