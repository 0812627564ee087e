import { describe, expect, it } from 'vitest';
import { extractSteps } from '../../../../src/core/model/answer/prose';
import { matchFile, parseAnswer } from '../../../../src/core/model/answer/parse';

const stats = `import math


def mean(xs):
    return sum(xs) / len(xs)


def median(xs):
    """Median of a non-empty list."""
    xs = sorted(xs)
    mid = len(xs) // 2
    return xs[mid]


if __name__ == '__main__':
    print(median([1, 2, 3, 4]))
`;

const fixedMedian = `def median(xs):
    """Median of a non-empty list."""
    xs = sorted(xs)
    mid = len(xs) // 2
    if len(xs) % 2 == 0:
        return (xs[mid - 1] + xs[mid]) / 2
    return xs[mid]`;

const expectedStats = stats.replace(
  '    mid = len(xs) // 2\n',
  '    mid = len(xs) // 2\n    if len(xs) % 2 == 0:\n        return (xs[mid - 1] + xs[mid]) / 2\n',
);

const files = [{ path: 'src/stats.py', text: stats }];

describe('parseAnswer: formats', () => {
  it('takes rationale, summary, steps and a function fenced with language and path', () => {
    const answer = `At (1) xs=[1, 2, 3, 4] and at (2) mid=2, so step 3 returns xs[2]=3 while 2.5 is expected.

Summary: average the two middle values for an even count.

\`\`\`python src/stats.py
${fixedMedian}
\`\`\`
`;
    const r = parseAnswer(answer, files);
    expect(r.state).toBe('ok');
    expect(r.problems).toEqual([]);
    expect(r.summary).toBe('average the two middle values for an even count.');
    expect(r.steps).toEqual([1, 2, 3]);
    expect(r.rationale).toBe(
      'At (1) xs=[1, 2, 3, 4] and at (2) mid=2, so step 3 returns xs[2]=3 while 2.5 is expected.',
    );
    expect(r.files).toEqual([{ path: 'src/stats.py', newText: expectedStats }]);
  });

  it('accepts a fence without language, the file named on the line before, bold headings and a bold summary', () => {
    const answer = `## Rationale
The loop at (4) skips the last element.

**Summary:** handle even-length lists.

**\`stats.py\`**:
\`\`\`
${fixedMedian}
\`\`\``;
    const r = parseAnswer(answer, files);
    expect(r.state).toBe('ok');
    expect(r.summary).toBe('handle even-length lists.');
    expect(r.rationale).toBe('The loop at (4) skips the last element.');
    expect(r.files?.[0]?.newText).toBe(expectedStats);
  });

  it('handles a CRLF answer and keeps the CRLF line ends of a CRLF file', () => {
    const crlf = stats.replace(/\n/g, '\r\n');
    const answer = `Summary: fix\r\n\r\n\`\`\`python\r\n${fixedMedian.replace(/\n/g, '\r\n')}\r\n\`\`\`\r\n`;
    const r = parseAnswer(answer, [{ path: 'src/stats.py', text: crlf }]);
    expect(r.state).toBe('ok');
    expect(r.files?.[0]?.newText).toBe(expectedStats.replace(/\n/g, '\r\n'));
  });

  it('keeps a missing final newline missing', () => {
    const noEol = stats.replace(/\n$/, '');
    const r = parseAnswer(`Summary: x\n\`\`\`python\n${fixedMedian}\n\`\`\``, [
      { path: 'src/stats.py', text: noEol },
    ]);
    expect(r.files?.[0]?.newText).toBe(expectedStats.replace(/\n$/, ''));
  });

  it('takes a whole-file answer as the whole file', () => {
    const whole = expectedStats.replace('import math\n', 'import math\nimport statistics\n');
    const r = parseAnswer(
      `Here is the corrected file:\n\n\`\`\`py\n${whole}\`\`\`\nSummary: fixed`,
      files,
    );
    expect(r.state).toBe('ok');
    expect(r.files?.[0]?.newText).toBe(whole);
  });

  it('applies a unified diff whose line numbers are wrong', () => {
    const answer = `Summary: even case

\`\`\`diff
--- a/src/stats.py
+++ b/src/stats.py
@@ -40,4 +40,6 @@ def median(xs):
     xs = sorted(xs)
     mid = len(xs) // 2
+    if len(xs) % 2 == 0:
+        return (xs[mid - 1] + xs[mid]) / 2
     return xs[mid]
\`\`\``;
    const r = parseAnswer(answer, files);
    expect(r.state).toBe('ok');
    expect(r.files?.[0]?.newText).toBe(expectedStats);
  });

  it('reports a diff that does not match as unparseable', () => {
    const answer =
      'Summary: x\n```diff\n--- a/src/stats.py\n+++ b/src/stats.py\n@@ -1,2 +1,2 @@\n-    return nothing_like_this\n+    return 1\n```';
    const r = parseAnswer(answer, files);
    expect(r.state).toBe('unparseable');
    expect(r.files).toBeNull();
    expect(r.problems.join(' ')).toMatch(/could not be applied/);
  });

  it('routes blocks to several files by fence path, file comment and defined names', () => {
    const util = 'def clamp(x, lo, hi):\n    return max(lo, x)\n\n\ndef other():\n    pass\n';
    const helpers = 'def scale(x):\n    return x * 3\n';
    const all = [
      ...files,
      { path: 'src/util.py', text: util },
      { path: 'src/helpers.py', text: helpers },
    ];
    const answer = `Summary: three fixes

\`\`\`python
# file: src/util.py
def clamp(x, lo, hi):
    return min(hi, max(lo, x))
\`\`\`

\`\`\`python
def scale(x):
    return x * 2
\`\`\`

\`\`\`python stats.py
${fixedMedian}
\`\`\``;
    const r = parseAnswer(answer, all);
    expect(r.state).toBe('ok');
    const byPath = Object.fromEntries((r.files ?? []).map((f) => [f.path, f.newText]));
    expect(byPath['src/util.py']).toBe(
      'def clamp(x, lo, hi):\n    return min(hi, max(lo, x))\n\n\ndef other():\n    pass\n',
    );
    expect(byPath['src/helpers.py']).toBe('def scale(x):\n    return x * 2\n');
    expect(byPath['src/stats.py']).toBe(expectedStats);
  });

  it('a block it cannot place among several files makes the answer unparseable', () => {
    const all = [...files, { path: 'src/b.py', text: 'def g():\n    pass\n' }];
    const r = parseAnswer('Summary: x\n```python\ndef brand_new():\n    return 1\n```', all);
    expect(r.state).toBe('unparseable');
    expect(r.problems.join(' ')).toMatch(/could not be matched to a file/);
  });
});

describe('parseAnswer: incomplete, missing or useless code', () => {
  it('an unclosed fence is incomplete and yields no code', () => {
    const r = parseAnswer(
      `At (2) mid=2.\nSummary: fix\n\`\`\`python\ndef median(xs):\n    xs = sorted(`,
      files,
    );
    expect(r.state).toBe('incomplete');
    expect(r.files).toBeNull();
    expect(r.steps).toEqual([2]);
  });

  it('finish_reason length is incomplete even when the fences are closed', () => {
    const r = parseAnswer(`Summary: fix\n\`\`\`python\n${fixedMedian}\n\`\`\``, files, {
      finishReason: 'length',
    });
    expect(r.state).toBe('incomplete');
    expect(r.files).toBeNull();
    expect(r.problems.join(' ')).toMatch(/token limit/);
  });

  it('prose only is no-code; a shell or text block is not code', () => {
    expect(parseAnswer('I am not sure what is wrong here.', files).state).toBe('no-code');
    const r = parseAnswer('Run this:\n```sh\npytest -x\n```\n```text\nok\n```', files);
    expect(r.state).toBe('no-code');
    expect(r.summary).toBe('Run this:');
  });

  it('garbage is no-code, not a crash', () => {
    const r = parseAnswer('\u0000\u0001 {{{ ``` ``` ]]] \n```\n\n```\n', files);
    expect(['no-code', 'unparseable']).toContain(r.state);
    expect(r.files).toBeNull();
  });

  it('code identical to the file is no-code', () => {
    const original = stats.split('\n').slice(7, 12).join('\n');
    const r = parseAnswer(`Summary: none\n\`\`\`python\n${original}\n\`\`\``, files);
    expect(r.state).toBe('no-code');
    expect(r.problems.join(' ')).toMatch(/does not change/);
  });

  it('ignores a quoted buggy line before the fix and keeps it in the rationale', () => {
    const answer = `The line\n\`\`\`python\nreturn xs[mid]\n\`\`\`\nis wrong at (3).\n\nSummary: fix\n\n\`\`\`python\n${fixedMedian}\n\`\`\``;
    const r = parseAnswer(answer, files);
    expect(r.state).toBe('ok');
    expect(r.rationale).toContain('return xs[mid]');
    expect(r.rationale).toContain('is wrong at (3).');
    expect(r.problems.join(' ')).toMatch(/Ignored a code block/);
  });
});

describe('parseAnswer: splicing', () => {
  const shapes = `class Shape:
    def __init__(self, w, h):
        self.w = w
        self.h = h

    def area(self):
        return self.w + self.h

    def name(self):
        return 'shape'


def total(shapes):
    return sum(s.area() for s in shapes)
`;
  const fixedShapes = shapes.replace('return self.w + self.h', 'return self.w * self.h');

  it('replaces a method returned without its class, re-indented', () => {
    const r = parseAnswer(
      'Summary: multiply\n```python\ndef area(self):\n    return self.w * self.h\n```',
      [{ path: 'shapes.py', text: shapes }],
    );
    expect(r.files?.[0]?.newText).toBe(fixedShapes);
  });

  it('merges a partial class method by method', () => {
    const answer =
      'Summary: multiply\n```python\nclass Shape:\n    def area(self):\n        return self.w * self.h\n\n    def perimeter(self):\n        return 2 * (self.w + self.h)\n```';
    const r = parseAnswer(answer, [{ path: 'shapes.py', text: shapes }]);
    expect(r.state).toBe('ok');
    expect(r.files?.[0]?.newText).toBe(
      fixedShapes.replace(
        "        return 'shape'\n",
        "        return 'shape'\n\n    def perimeter(self):\n        return 2 * (self.w + self.h)\n",
      ),
    );
  });

  it('adds a new helper after the function that uses it and a missing import', () => {
    const answer = `Summary: use a helper
\`\`\`python
import statistics

def median(xs):
    return _middle(sorted(xs))

def _middle(xs):
    return statistics.median(xs)
\`\`\``;
    const r = parseAnswer(answer, files);
    expect(r.state).toBe('ok');
    const text = r.files?.[0]?.newText ?? '';
    expect(text).toContain('import math\nimport statistics\n');
    expect(text).toContain(
      'def median(xs):\n    return _middle(sorted(xs))\n\n\ndef _middle(xs):\n    return statistics.median(xs)\n\n\nif __name__',
    );
    expect(text).toContain('def mean(xs):');
  });

  it('strips trace comments the model copied', () => {
    const answer = `Summary: x\n\`\`\`python\ndef median(xs):\n    """Median of a non-empty list."""\n    xs = sorted(xs)  # (1) xs=[1, 2, 3, 4]\n    mid = len(xs) // 2  # (2) mid=2\n    if len(xs) % 2 == 0:\n        return (xs[mid - 1] + xs[mid]) / 2\n    return xs[mid]  # (3) __return__=3\n\`\`\``;
    expect(parseAnswer(answer, files).files?.[0]?.newText).toBe(expectedStats);
  });

  it('restores <redacted> placeholders from the file, refuses unknown ones', () => {
    const withKey = `API_KEY = "sk-real"\n\n\ndef call(x):\n    return x - 1\n`;
    const ok = parseAnswer(
      'Summary: x\n```python\nAPI_KEY = "<redacted>"\n\n\ndef call(x):\n    return x + 1\n```',
      [{ path: 'c.py', text: withKey }],
    );
    expect(ok.files?.[0]?.newText).toBe(withKey.replace('x - 1', 'x + 1'));
    const bad = parseAnswer(
      'Summary: x\n```python\ndef call(x):\n    return send(x, token="<redacted>")\n```',
      [{ path: 'c.py', text: withKey }],
    );
    expect(bad.state).toBe('unparseable');
    expect(bad.problems.join(' ')).toMatch(/placeholders/);
  });

  it('drops <think> blocks of reasoning models', () => {
    const r = parseAnswer(
      `<think>\n\`\`\`python\ndef median(xs): return 0\n\`\`\`\n</think>\nAt (2) mid is 2.\nSummary: s\n\`\`\`python\n${fixedMedian}\n\`\`\``,
      files,
    );
    expect(r.state).toBe('ok');
    expect(r.rationale).toBe('At (2) mid is 2.');
    expect(r.files?.[0]?.newText).toBe(expectedStats);
  });
});

describe('helpers', () => {
  it('extractSteps ignores call arguments and steps beyond the trace', () => {
    expect(
      extractSteps('At (7) and (3), f(12) returns; see steps 9 and 11, also step (2). (999)', 20),
    ).toEqual([2, 3, 7, 9, 11]);
  });

  it('matchFile matches exact, suffix and unique basename', () => {
    const fs = [
      { path: 'pkg/a/util.py', text: '' },
      { path: 'pkg/b/util.py', text: '' },
      { path: 'pkg/main.py', text: '' },
    ];
    expect(matchFile('./pkg/main.py', fs)?.path).toBe('pkg/main.py');
    expect(matchFile('a/util.py', fs)?.path).toBe('pkg/a/util.py');
    expect(matchFile('main.py', fs)?.path).toBe('pkg/main.py');
    expect(matchFile('util.py', fs)).toBeUndefined();
  });
});

describe('parseAnswer: refusing unsafe code', () => {
  it('refuses code that elides parts with "# ... unchanged" comments', () => {
    const answer =
      'Summary: x\n```python\ndef median(xs):\n    # ... rest unchanged\n    return xs[len(xs) // 2]\n```';
    const r = parseAnswer(answer, files);
    expect(r.state).toBe('unparseable');
    expect(r.problems.join(' ')).toMatch(/leaves parts out/);
  });

  it('does not put new tests into the code under test', () => {
    const answer = `Summary: x\n\`\`\`python\n${fixedMedian}\n\`\`\`\n\`\`\`python\ndef test_median_even():\n    assert median([1, 2, 3, 4]) == 2.5\n\`\`\``;
    const r = parseAnswer(answer, files);
    expect(r.state).toBe('ok');
    expect(r.files?.[0]?.newText).toBe(expectedStats);
    expect(r.problems.join(' ')).toMatch(/Ignored a block of tests/);
  });
});
