// A program with a tracer of its own (sys.settrace, the event source before Python 3.12): its
// tracer sees the program's calls, not the recorder's (pydevd's settrace wrapper printed a
// "PYDEV DEBUGGER WARNING" and ran under the program's tracer: 230 events where the program made
// 4); and once it switches tracing off, the values its lines make are not shown on the last line
// Tracefix saw.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderNext } from '../../../src/core/render/next';
import { recordTrace } from '../../../src/core/trace/record';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'tfx-own-tracer-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TEMPORARY = `import sys

calls = []


def tracer(frame, event, arg):
    calls.append((frame.f_code.co_name, event))
    return tracer


def helper(v):
    w = v * 10
    return w


def traced(fn, *args):
    old = sys.gettrace()
    sys.settrace(tracer)
    try:
        return fn(*args)
    finally:
        sys.settrace(old)


b = traced(helper, 1)
names = sorted({name for name, _ in calls})
n = len(calls)
`;

const SWITCHED_OFF = `import sys


def tracer(frame, event, arg):
    return tracer


def test_it():
    a = 2
    sys.settrace(tracer)
    b = a * 2
    c = [b, b]
    sys.settrace(None)
    e = len(c)
    f = e + 1
    assert f == 4
`;

describe.runIf(
  process.env.TRACEFIX_TEST_PYTHON === undefined ||
    /3\.(8|9|10|11)\b/.test(process.env.TRACEFIX_TEST_PYTHON),
)('a program with its own tracer (sys.settrace, Python < 3.12)', () => {
  it("its tracer sees only the program's own calls; no debugger warning in its output", async () => {
    writeFileSync(path.join(dir, 'temporary.py'), TEMPORARY);
    const t = await recordTrace({ target: { kind: 'script', path: 'temporary.py' }, cwd: dir });
    const last = (name: string) => t.events.filter((e) => e.changed[name] !== undefined).at(-1);
    // helper's call, two lines and return, and Tracefix's settrace wrapper (a Python function the
    // program calls) while the program's tracer is on.
    expect(last('names')?.changed.names).toBe("['helper', 'settrace']");
    expect(Number(last('n')?.changed.n)).toBeLessThanOrEqual(8);
    expect(t.output.map((o) => o.text).join('')).not.toMatch(/PYDEV DEBUGGER WARNING/);
    expect(last('b')?.changed.b).toBe('10');
  });

  it('after sys.settrace(None) the values made unseen are not put on the last line seen', async () => {
    writeFileSync(path.join(dir, 'test_off.py'), SWITCHED_OFF);
    const t = await recordTrace({
      target: { kind: 'pytest', nodeId: 'test_off.py::test_it' },
      cwd: dir,
    });
    expect(t.outcome.partial).toBe(true);
    const text = renderNext(t).text;
    expect(text).toMatch(/c = \[b, b\] {2}# \(\d+\) c=\[4, 4\];/);
    // Lines 13-15 ran unseen: e and f are nowhere, least of all on `sys.settrace(None)`.
    expect(text).toMatch(/ {4}sys\.settrace\(None\)\n/);
    expect(t.events.some((e) => e.changed.e !== undefined || e.changed.f !== undefined)).toBe(
      false,
    );
    expect(text).toMatch(/assert f == 4 {2}# \(\d+\) __exception__ = AssertionError/);
  });
});
