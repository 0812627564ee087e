// A model's unified diff is read by answer/diff.ts, not by the `diff` package's parsePatch: models get
// hunk counts wrong (too small or too large) and write prose after a hunk, which parsePatch refuses. These
// cases pin both halves: if a later `diff` reads them, the hand-written reader can go.
import { parsePatch } from 'diff';
import { describe, expect, it } from 'vitest';
import { applyModelDiff, parseModelDiff } from '../../../../src/core/model/answer/diff';

const file = 'def f():\n\n    x = 3\n    return 1\n';

const cases = {
  'counts too small': `--- a/x.py\n+++ b/x.py\n@@ -1,2 +1,2 @@\n def f():\n\n     x = 3\n-    return 1\n+    return x\n`,
  'counts too large, prose after the hunk': `--- a/x.py\n+++ b/x.py\n@@ -1,9 +1,9 @@\n     x = 3\n-    return 1\n+    return x\nThat is the fix.\n`,
};

describe("a model's unified diff", () => {
  it.each(Object.entries(cases))('%s: applied by content', (_what, diff) => {
    const [patch] = parseModelDiff(diff);
    expect(patch?.oldPath).toBe('x.py');
    expect(applyModelDiff(file, patch!)).toEqual({ text: 'def f():\n\n    x = 3\n    return x\n' });
  });

  it.each(Object.entries(cases))('%s: the diff package refuses it', (_what, diff) => {
    expect(() => parsePatch(diff)).toThrow();
  });

  it('prose after a hunk ends it; a bare @@ starts one', () => {
    const patches = parseModelDiff(
      '--- a/x.py\n+++ b/x.py\n@@\n-    return 1\n+    return 2\nThis returns 2 now.\n-not a line\n',
    );
    expect(patches).toEqual([
      { oldPath: 'x.py', newPath: 'x.py', hunks: [{ lines: ['-    return 1', '+    return 2'] }] },
    ]);
  });
});
