// The oracle's answers go through the real answer parser: every format must yield the dataset's
// correct program for real HumanEvalFix and MBPP-shaped tasks, or the oracle run would measure nothing.
import { describe, expect, it } from 'vitest';
import {
  ANSWER_FORMATS,
  createOracleProvider,
  formatFor,
  lastTraceStep,
  oracleAnswer,
} from '../../../src/core/bench/oracle';
import { defaultDataDir, loadHumanEvalFix } from '../../../src/core/bench/datasets';
import type { BenchTask } from '../../../src/core/bench/types';
import { parseAnswer } from '../../../src/core/model/answer/parse';

const DATA = defaultDataDir();
const tasks = DATA ? loadHumanEvalFix(DATA) : [];

const MBPP_LIKE: BenchTask = {
  id: 'Mbpp/2',
  dataset: 'mbpp',
  bugType: 'stub',
  symptom: 'not implemented',
  entryPoint: 'similar_elements',
  program:
    "def similar_elements(test_tup1, test_tup2):\n    'Write a function to find the shared elements.'\n    raise NotImplementedError\n",
  reference:
    'def similar_elements(test_tup1, test_tup2):\n  res = tuple(set(test_tup1) & set(test_tup2))\n  return (res)\n',
  test: 'assert set(similar_elements((3, 4), (4, 5))) == {4}\n',
};

function parsed(task: BenchTask, text: string): string | undefined {
  const r = parseAnswer(text, [{ path: 'solution.py', text: task.program }], {
    finishReason: 'stop',
  });
  expect(r.state, r.problems.join('; ')).toBe('ok');
  return r.files?.find((f) => f.path === 'solution.py')?.newText;
}

// Leading blank lines may go when a fragment is taken as the whole file; the code is the same.
const norm = (s: string | undefined) => (s ?? '').replace(/\r\n/g, '\n').trim();

describe('oracle answers', () => {
  it("finds the repository's benchmark data", () => {
    expect(DATA, 'benchmarks/ in the repository').toBeTruthy();
    expect(tasks).toHaveLength(164);
  });

  for (const format of ANSWER_FORMATS) {
    it(`${format}: parses back to the reference program on 30 HumanEvalFix tasks`, () => {
      for (const task of tasks.slice(0, 30)) {
        const text = oracleAnswer(task, format, 7);
        expect(norm(parsed(task, text)), `${task.id} ${format}`).toBe(norm(task.reference));
      }
    });
    it(`${format}: whole-file answer for an MBPP stub`, () => {
      expect(norm(parsed(MBPP_LIKE, oracleAnswer(MBPP_LIKE, format, undefined)))).toBe(
        norm(MBPP_LIKE.reference),
      );
    });
  }

  it('uses every format across consecutive tasks; CRLF and diff answers look like what models send', () => {
    expect(new Set([0, 1, 2, 3, 4].map(formatFor)).size).toBe(ANSWER_FORMATS.length);
    const task = tasks[0] ?? MBPP_LIKE;
    expect(oracleAnswer(task, 'crlf', 3)).toContain('\r\n```python solution.py\r\n');
    expect(oracleAnswer(task, 'unified-diff', 3)).toMatch(
      /```diff\n--- a\/solution\.py\n\+\+\+ b\/solution\.py\n@@/,
    );
    expect(oracleAnswer(task, 'fenced-plain', 3)).toMatch(/\n```\n/);
  });

  it('cites the last step of the NExT trace in the prompt, and none without a trace', async () => {
    const withTrace = {
      messages: [
        {
          role: 'user' as const,
          content:
            '## Code\nx\n\n## Execution trace of the failing run (NExT format)\n```python\n    total = total + x  # (3) total=1; (16) total=3\n    return total  # (17) __return__=3\n```\n\n## Earlier attempts\n# (99) no',
        },
      ],
    };
    expect(lastTraceStep(withTrace)).toBe(17);
    expect(
      lastTraceStep({ messages: [{ role: 'user', content: '## Code\n# (5) x=1' }] }),
    ).toBeUndefined();
    const task = tasks[0] ?? MBPP_LIKE;
    const deltas: string[] = [];
    const res = await createOracleProvider(task, 'fenced-tagged').complete(withTrace, {
      onDelta: (d) => deltas.push(d),
    });
    expect(res.finishReason).toBe('stop');
    expect(res.text).toContain('step (17)');
    expect(deltas.join('')).toBe(res.text);
    const plain = await createOracleProvider(task, 'fenced-tagged').complete({
      messages: [{ role: 'user', content: '## Code\nx' }],
    });
    expect(plain.text).not.toMatch(/step \(\d+\)/);
  });
});
