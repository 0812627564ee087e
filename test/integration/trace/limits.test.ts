// Limits, cancellation, output capture and process hygiene with a real debugpy.
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CancelledError, UserError } from '../../../src/core/errors';
import { renderNext } from '../../../src/core/render/next';
import { recordTrace } from '../../../src/core/trace/record';
import { PROGRAMS, processesMentioning } from '../../support/python';

const script = (p: string) => ({ kind: 'script' as const, path: p });

async function noProcessesLeft(needle: string, parentPid?: number): Promise<void> {
  // Reaping is asynchronous for the grandchildren; give the kernel a moment.
  for (let i = 0; i < 20 && processesMentioning(needle, parentPid).length > 0; i++)
    await new Promise((r) => setTimeout(r, 100));
  expect(processesMentioning(needle, parentPid)).toEqual([]);
}

describe('limits and hygiene', () => {
  it('an infinite loop runs until the timeout; the trace keeps its head and its last events, and nothing is left running', async () => {
    const t = await recordTrace({
      target: script('infinite_loop.py'),
      cwd: PROGRAMS,
      limits: { maxSteps: 3000, timeoutMs: 6000 },
    });
    expect(t.outcome.status).toBe('timeout');
    expect(t.outcome.partial).toBe(true);
    expect(t.outcome.exitCode).toBeNull();
    // Head and tail, and of the middle the first and last execution of each line that ran there.
    const tail = t.elided?.tail ?? 750;
    const keptMiddle = tail - 750;
    expect(keptMiddle).toBeGreaterThan(0);
    expect(keptMiddle).toBeLessThanOrEqual(20);
    expect(t.events.length).toBeLessThanOrEqual(3000 + keptMiddle);
    expect(t.outcome.eventCount).toBeGreaterThan(t.events.length);
    expect(t.elided).toMatchObject({ at: 750 });
    expect(t.elided!.events).toBe(t.outcome.eventCount - t.events.length);
    // Step numbers after the gap count the elided steps: the tail is numbered as the run was.
    const shownBefore = t.events.filter((e, i) => i < tail && e.step !== null).length;
    const after = t.events.filter((e, i) => i >= tail && e.step !== null)[0]!;
    expect(after.step).toBe(shownBefore + t.elided!.steps);
    expect(t.outcome.message).toMatch(/not kept/);
    await noProcessesLeft(path.join(PROGRAMS, 'infinite_loop.py'));
  });

  it('the wall-clock timeout ends a slow program with a partial trace', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tfx-'));
    writeFileSync(
      path.join(dir, 'slow.py'),
      'import time\nn = 0\nwhile True:\n    time.sleep(0.05)\n    n += 1\n',
    );
    const t = await recordTrace({
      target: script('slow.py'),
      cwd: dir,
      limits: { timeoutMs: 6000 },
    });
    expect(t.outcome.status).toBe('timeout');
    expect(t.outcome.partial).toBe(true);
    expect(t.events.some((e) => e.changed.n === '1')).toBe(true);
    await noProcessesLeft(path.join(dir, 'slow.py'));
  });

  it('records made just before the program blocks (sleep, I/O) are delivered by the timeout', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tfx-'));
    writeFileSync(path.join(dir, 'blocked.py'), 'x = 1\ny = 2\nimport time\ntime.sleep(60)\n');
    const t = await recordTrace({
      target: script('blocked.py'),
      cwd: dir,
      limits: { timeoutMs: 6000 },
    });
    expect(t.outcome.status).toBe('timeout');
    expect(t.events.filter((e) => e.kind === 'line').map((e) => [e.line, e.changed])).toEqual([
      [1, { x: '1' }],
      [2, { y: '2' }],
      [3, {}],
      [4, {}],
    ]);
    await noProcessesLeft(path.join(dir, 'blocked.py'));
  });

  it('a program stuck in one long C call (holding the GIL) still ends at the timeout with a partial trace', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tfx-'));
    writeFileSync(path.join(dir, 'hog.py'), 'x = 1\ntotal = sum(range(10**10))\n');
    const t = await recordTrace({
      target: script('hog.py'),
      cwd: dir,
      limits: { timeoutMs: 6000 },
    });
    expect(t.outcome).toMatchObject({ status: 'timeout', partial: true, exitCode: null });
    await noProcessesLeft(path.join(dir, 'hog.py'));
  });

  it('aborting rejects with CancelledError and kills the debuggee and the adapter', async () => {
    const ac = new AbortController();
    const p = recordTrace({
      target: script('infinite_loop.py'),
      cwd: PROGRAMS,
      limits: { maxSteps: 1e9, timeoutMs: 60_000 },
      signal: ac.signal,
    });
    setTimeout(() => ac.abort(), 2500);
    await expect(p).rejects.toBeInstanceOf(CancelledError);
    await noProcessesLeft(path.join(PROGRAMS, 'infinite_loop.py'));
    // Only this worker's adapters: other test files record in parallel.
    await noProcessesLeft('debugpy.adapter', process.pid);
  });

  it('a 1,000,000-element list is recorded as a bounded repr', async () => {
    const t = await recordTrace({
      target: script('big_list.py'),
      cwd: PROGRAMS,
      limits: { reprLength: 80 },
    });
    const data = t.events.find((e) => e.changed.data)?.changed.data ?? '';
    expect(data.length).toBeLessThanOrEqual(100);
    expect(data).toMatch(/^\[0, 1, 2, .*\.\.\.\(\d+ more\)\]$/);
    expect(t.outcome.status).toBe('completed');
  });

  it('captures stdout and stderr interleaved with the events, in program order', async () => {
    const t = await recordTrace({ target: script('print_order.py'), cwd: PROGRAMS });
    const texts = t.output.map((o) => [o.stream, o.text.trim()]);
    expect(texts).toEqual([
      ['stdout', 'one'],
      ['stderr', 'two'],
      ['stdout', 'three'],
    ]);
    const xEvents = t.events.filter((e) => e.changed.x !== undefined).map((e) => e.index);
    const [one, two, three] = t.output;
    expect(one!.afterEvent).toBeLessThanOrEqual(xEvents[0]!);
    expect(two!.afterEvent).toBeGreaterThan(xEvents[0]!);
    expect(two!.afterEvent).toBeLessThanOrEqual(xEvents[1]!);
    expect(three!.afterEvent).toBeGreaterThan(xEvents[1]!);
  });

  it('stdin is at EOF unless text is given', async () => {
    const t = await recordTrace({ target: script('reads_stdin.py'), cwd: PROGRAMS });
    expect(t.events.find((e) => e.changed.lines)?.changed.lines).toBe('[]');
    expect(t.outcome.status).toBe('completed');
  });

  it('a syntax error gives a UserError with file:line and no trace', async () => {
    const e = await recordTrace({ target: script('syntax_error.py'), cwd: PROGRAMS }).catch(
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(UserError);
    expect((e as UserError).code).toBe('syntax-error');
    expect((e as UserError).message).toMatch(/^syntax_error\.py:1: SyntaxError/);
  });

  it('a missing file gives a UserError', async () => {
    const e = await recordTrace({ target: script('missing.py'), cwd: PROGRAMS }).catch(
      (x: unknown) => x,
    );
    expect((e as UserError).code).toBe('file-not-found');
  });

  it('records recursion depth and per-call numbering', async () => {
    const t = await recordTrace({ target: script('recursion.py'), cwd: PROGRAMS });
    const calls = t.events.filter((e) => e.kind === 'call' && e.function === 'factorial');
    expect(calls.map((c) => [c.depth, c.callIndex, c.changed.n])).toEqual([
      [1, 1, '4'],
      [2, 2, '3'],
      [3, 3, '2'],
      [4, 4, '1'],
    ]);
    const returns = t.events.filter((e) => e.kind === 'return' && e.function === 'factorial');
    expect(returns.map((r) => [r.depth, r.value])).toEqual([
      [4, '1'],
      [3, '2'],
      [2, '6'],
      [1, '24'],
    ]);
    expect(returns[0]!.parentCallId).toBe(calls[2]!.callId);
  });

  it('describes the uncaught exception in the outcome', async () => {
    const t = await recordTrace({ target: script('exceptions.py'), cwd: PROGRAMS });
    expect(t.outcome).toMatchObject({
      status: 'exception',
      exitCode: 1,
      exception: {
        type: 'ZeroDivisionError',
        message: 'division by zero',
        file: 'exceptions.py',
        line: 14,
      },
    });
    const caught = t.events.find((e) => e.kind === 'exception' && e.function === 'parse');
    expect(caught?.exception?.type).toBe('ValueError');
  });

  it('runs a module with arguments', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tfx-'));
    writeFileSync(path.join(dir, 'greet.py'), 'import sys\nwho = sys.argv[1:]\n');
    const t = await recordTrace({
      target: { kind: 'module', module: 'greet' },
      args: ['ada', 'bob'],
      cwd: dir,
    });
    expect(t.events.find((e) => e.changed.who)?.changed.who).toBe("['ada', 'bob']");
  });

  it('finds debugpy in the next interpreter on PATH when the first lacks it, or through --debugpy-path', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tfx-bin-'));
    // A python3 whose site-packages are off (-S): it cannot import the system's debugpy.
    const fake = path.join(dir, 'python3');
    writeFileSync(fake, '#!/bin/sh\nexec /usr/bin/python3 -S "$@"\n');
    chmodSync(fake, 0o755);
    const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${dir}:/usr/bin:/bin` };
    delete env.TRACEFIX_PYTHON; // the interpreter matrix sets it; this test is about PATH
    const t = await recordTrace({ target: script('recursion.py'), cwd: PROGRAMS, env });
    expect(t.interpreter.path).toBe('/usr/bin/python3');

    // No debugpy of its own: Tracefix's bundled debugpy 1.8 (bundled/libs) records it.
    const bundled = await recordTrace({
      target: script('recursion.py'),
      cwd: PROGRAMS,
      python: fake,
      env,
    });
    expect(bundled.interpreter.debugpyPath).toBe(path.resolve(__dirname, '../../../bundled/libs'));

    const withPath = await recordTrace({
      target: script('recursion.py'),
      cwd: PROGRAMS,
      python: fake,
      debugpyPath: '/usr/lib/python3/dist-packages',
      env,
    });
    expect(withPath.interpreter.path).toBe(fake);
    expect(withPath.events.some((ev) => ev.changed.value === '24')).toBe(true);
  });
});

describe('the time limit on a test that would end', () => {
  it('stops recording where the program is; the program goes on untraced and pytest’s outcome completes the trace, told the same way everywhere', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tfx-'));
    writeFileSync(
      path.join(dir, 'test_slow.py'),
      [
        'def slow_sum(n):',
        '    total = 0',
        '    for i in range(n):',
        '        total += i % 7',
        '    return total',
        '',
        '',
        'def test_slow_sum():',
        '    assert slow_sum(3_000_000) == 1',
        '',
      ].join('\n'),
    );
    const t = await recordTrace({
      target: { kind: 'pytest', nodeId: 'test_slow.py::test_slow_sum' },
      cwd: dir,
      limits: { timeoutMs: 3000 },
    });
    const o = t.outcome;
    expect(o).toMatchObject({ status: 'exception', partial: true, testPassed: false });
    expect(o.test?.phases.call).toBe('failed');
    expect(o.test?.failureText).toMatch(/assert 8999994 == 1|assert \d+ == 1/);
    expect(o.recordingStopped).toMatchObject({
      afterMs: 3000,
      file: 'test_slow.py',
      function: 'slow_sum',
    });
    const where = `test_slow.py:${o.recordingStopped?.line} in slow_sum`;
    expect(o.message).toContain(`Recording stopped after 3 s (the time limit) at ${where}`);
    expect(o.message).toContain(
      'pytest reported test_slow.py::test_slow_sum failed (AssertionError',
    );
    const header = renderNext(t)
      .text.split('\n')
      .filter((l) => l.startsWith('# Partial trace'));
    expect(header).toHaveLength(1);
    expect(header[0]).toContain(`recording stopped after 3 s (the time limit) at ${where}`);
    expect(header[0]).toContain('the program went on untraced and pytest reported');
    await noProcessesLeft(path.join(dir, 'test_slow.py'));
  });
});
