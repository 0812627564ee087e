import { describe, expect, it } from 'vitest';
import { parseNodeId } from '../../../src/core/source/pytest';
import {
  buildPrompt,
  buildUserPrompt,
  fenceFor,
  type PromptInput,
} from '../../../src/core/model/prompt';
import { stats } from './promptSources';

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
