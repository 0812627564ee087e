// The NExT text of real recordings: golden files for both engines (deep container changes, nested
// objects, separators, closures and comprehensions), the partial-trace header of a timeout, the
// head/tail gap of a long run counted where it happened, and a 300 KB source line.
// Regenerate the goldens after an intended change:
//   UPDATE_GOLDEN=1 npx vitest run test/integration/render/next.test.ts
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { traceFailure } from '../../../src/core/verify/traceOutcome';
import { renderNext } from '../../../src/core/render/next';
import { countTokens } from '../../../src/core/render/tokens';
import { goldenFile } from '../../support/golden';
import { recordTrace } from '../../../src/core/trace/record';
import { PROGRAMS } from '../../support/python';

const RENDER = path.join(PROGRAMS, 'render');
const GOLDEN = path.join(RENDER, 'golden');
// The interpreter matrix (scripts/test/matrix.mjs) runs these on every Python it tests.
const python = process.env.TRACEFIX_TEST_PYTHON ?? '/usr/bin/python3';

describe.each(['deep_change', 'nested_objects', 'separators', 'closures'])(
  'golden NExT: render/%s',
  (name) => {
    for (const engine of ['fast', 'step'] as const) {
      it(`${engine} engine`, async () => {
        const trace = await recordTrace({
          target: { kind: 'script', path: `${name}.py` },
          cwd: RENDER,
          engine,
          python,
        });
        const golden = goldenFile(GOLDEN, name, trace.interpreter.version, engine);
        const text = renderNext(trace).text;
        if (process.env.UPDATE_GOLDEN && engine === 'fast') {
          mkdirSync(GOLDEN, { recursive: true });
          writeFileSync(golden, text);
        }
        expect(existsSync(golden), `missing golden file ${golden}`).toBe(true);
        expect(text).toBe(readFileSync(golden, 'utf8'));
        // The format, whatever the program: every entry ends with `;`, no memory address anywhere.
        for (const line of text.split('\n')) {
          const comment = / {2}# (\(\d+\) .*)$/.exec(line)?.[1];
          if (comment) expect(comment.endsWith(';'), line).toBe(true);
        }
        expect(text).not.toMatch(/0x[0-9a-f]{6,}/);
      });
    }
  },
);

describe('partial and long runs', () => {
  it('a timeout: the header and the failure line say where recording stopped and that the program had not ended after it', async () => {
    // A copy of its own: test/integration/trace/limits.test.ts checks that no process mentioning the
    // fixture's path outlives its recording of it, and the files run in parallel.
    const dir = mkdtempSync(path.join(tmpdir(), 'tfx-loop-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    copyFileSync(path.join(PROGRAMS, 'infinite_loop.py'), path.join(dir, 'infinite_loop.py'));
    const trace = await recordTrace({
      target: { kind: 'script', path: 'infinite_loop.py' },
      cwd: dir,
      python,
      limits: { timeoutMs: 6000, maxSteps: 2000 },
    });
    expect(trace.outcome.status).toBe('timeout');
    const r = renderNext(trace, { budget: 400 });
    const [first] = r.text.split('\n');
    expect(first).toMatch(
      /^# Partial trace: recording stopped after 6 s \(the time limit\) at infinite_loop\.py:[23], after step \(\d+\); the program went on untraced and had not ended 10 s later, when Tracefix stopped it\.$/,
    );
    expect(r.tokens).toBeLessThanOrEqual(400);
    expect(traceFailure(trace)).toMatch(
      /^Recording stopped after 6 s \(the time limit\) at infinite_loop\.py:[23]; the program went on untraced and had not ended 10 s later, when Tracefix stopped it\.$/,
    );
  });

  it('a long run keeps its head and tail; the gap is counted on the lines that ran in it', async () => {
    const trace = await recordTrace({
      target: { kind: 'script', path: 'long_gap.py' },
      cwd: RENDER,
      python,
      limits: { maxSteps: 400 },
    });
    const gap = trace.elided!;
    expect(gap.events).toBeGreaterThan(0);
    const r = renderNext(trace);
    expect(r.text).toMatch(
      new RegExp(
        `^# Long run: ${gap.events} events \\(${gap.steps} steps\\) between step \\(\\d+\\) and step \\(\\d+\\) were not recorded;`,
        'm',
      ),
    );
    for (const l of gap.lines) {
      const source = r.text
        .split('\n')
        .find((s) =>
          s.startsWith(l.line === 4 ? '    for i in range(n):' : '        acc += i % 7'),
        );
      expect(source, `line ${l.line}`).toContain(`${l.count} more runs not recorded);`);
    }
    // Nothing about the run's end was lost: the return value and the failing assert.
    expect(r.text).toContain('    return acc  # ');
    expect(r.text).toMatch(/__exception__ = AssertionError\('result was 8994'\);/);
    // The step numbers after the gap continue past the steps it holds.
    const before = Number(/between step \((\d+)\)/.exec(r.text)?.[1]);
    const after = Number(/and step \((\d+)\)/.exec(r.text)?.[1]);
    expect(after - before - 1).toBe(gap.steps);
    // Failure-first: a long run fits a small budget without cutting the failing frame's values.
    const small = renderNext(trace, { budget: 300 });
    expect(small.tokens).toBeLessThanOrEqual(300);
    expect(small.text).toContain("AssertionError('result was 8994');");
  });

  it('a 300 KB source line renders within the budget, cut with a count (time printed, not asserted)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tfx-long-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    for (const size of [300_000, 600_000]) {
      const literal = 'abcdefgh'.repeat(size / 8);
      writeFileSync(
        path.join(dir, 'long_line.py'),
        `data = "${literal}"\nn = len(data)\nassert n == 0, n\n`,
      );
      const trace = await recordTrace({
        target: { kind: 'script', path: 'long_line.py' },
        cwd: dir,
        python,
      });
      const started = performance.now();
      const r = renderNext(trace);
      const ms = performance.now() - started;
      console.log(
        `renderNext of a ${size / 1000} KB line: ${ms.toFixed(0)} ms, ${r.tokens} tokens`,
      );
      expect(r.tokens).toBeLessThanOrEqual(6000);
      expect(r.tokens).toBe(countTokens(r.text));
      expect(r.text).toMatch(
        new RegExp(
          `^data = "abcdefgh.*<\\.\\.\\. ${size + 9 - 400} more characters>  # \\(0\\) data='abcdefgh`,
          'm',
        ),
      );
      expect(r.text).toContain(`assert n == 0, n  # (2) __exception__ = AssertionError(${size});`);
    }
  });
});
