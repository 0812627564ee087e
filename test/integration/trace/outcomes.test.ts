// How a recording ends and what it keeps, with a real debugpy: exits, crashes, recursion, a program's
// own tracer, long runs that end in a failure, threads, imports, changes past a cut repr.
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/core/errors';
import { deltaText } from '../../../src/core/trace/model';
import { recordTrace } from '../../../src/core/trace/record';
import { PROGRAMS } from '../../support/python';

const DIR = path.join(PROGRAMS, 'outcomes');
const script = (p: string) => ({ kind: 'script' as const, path: p });

describe('outcomes', () => {
  it('os._exit(3): status exited with its code, and the values recorded up to it', async () => {
    const t = await recordTrace({ target: script('os_exit.py'), cwd: DIR });
    expect(t.outcome).toMatchObject({ status: 'exited', exitCode: 3, partial: false });
    expect(t.outcome.message).toMatch(/os\._exit\(3\)/);
    expect(
      t.events.filter((e) => e.changed.total !== undefined).map((e) => e.changed.total),
    ).toEqual(['0', '1', '3']);
  });

  it('a segfault: status crashed with the signal, and what ran before it', async () => {
    const t = await recordTrace({ target: script('segfault.py'), cwd: DIR });
    expect(t.outcome).toMatchObject({ status: 'crashed', signal: 'SIGSEGV' });
    expect(t.events.some((e) => e.changed.before === "'still recorded'")).toBe(true);
  });

  it('a RecursionError keeps its type and message, in the trace and the outcome', async () => {
    const t = await recordTrace({ target: script('recursion_error.py'), cwd: DIR });
    expect(t.outcome.status).toBe('exception');
    expect(t.outcome.exception).toMatchObject({
      type: 'RecursionError',
      file: 'recursion_error.py',
      line: 2,
    });
    expect(t.outcome.exception?.message).toMatch(/maximum recursion depth exceeded/);
    const raised = t.events.find((e) => e.kind === 'exception');
    expect(raised?.exception?.type).toBe('RecursionError');
  });

  it('a long run that ends in a failure keeps its end: the failing assert is the last thing recorded', async () => {
    const t = await recordTrace({
      target: script('long_then_fail.py'),
      cwd: DIR,
      limits: { maxSteps: 2000, timeoutMs: 60_000 },
    });
    expect(t.outcome.status).toBe('exception');
    expect(t.outcome.exception).toMatchObject({
      type: 'AssertionError',
      message: 'result was 599994',
      line: 9,
    });
    // Head and tail within the limit; besides them, the first and last execution of each line that
    // ran in the middle (at most two per line and kind, whatever the length of the run).
    const gap = t.elided!;
    const middle = (gap.tail ?? gap.at) - gap.at;
    expect(t.events.length - middle).toBeLessThanOrEqual(2000);
    expect(middle).toBeLessThanOrEqual(2 * 3 * gap.lines.length);
    expect(t.outcome.eventCount).toBeGreaterThan(390_000);
    const last = t.events.at(t.events.length - 1)!;
    expect(last).toMatchObject({ kind: 'exception', line: 9 });
    expect(
      t.events.some((e) => e.kind === 'return' && e.function === 'work' && e.value === '599994'),
    ).toBe(true);
    // The gap is counted per line: the loop body ran about 200,000 times in it.
    const body = t.elided!.lines.find((l) => l.line === 4)!;
    expect(body.count).toBeGreaterThan(190_000);
  });

  it('a change past the cut of a large value is recorded as a delta', async () => {
    const t = await recordTrace({ target: script('deep_change.py'), cwd: DIR });
    const deltas = t.events.map((e) => (e.deltas ?? []).map((d) => [e.line, deltaText(d)])).flat();
    expect(deltas).toContainEqual([7, 'memo[3, 5]=30']);
    expect(deltas).toContainEqual([9, "book['acct299']=-2010"]);
  });

  it('records the threads a program starts', async () => {
    const t = await recordTrace({ target: script('threads.py'), cwd: DIR });
    const workers = t.events.filter((e) => e.kind === 'call' && e.function === 'worker');
    expect(workers.map((e) => e.changed.k).sort()).toEqual(['0', '1', '2']);
    expect(t.events.find((e) => e.changed.total)?.changed.total).toBe('5');
  });

  it('does not line-record the bodies of imported user modules, unless asked', async () => {
    const t = await recordTrace({ target: script('uses_pkg.py'), cwd: DIR });
    expect(t.events.some((e) => e.file === 'pkg/__init__.py' && e.function === '<module>')).toBe(
      false,
    );
    expect(t.imports).toEqual([expect.objectContaining({ file: 'pkg/__init__.py', calls: 3 })]);
    // Functions of the module called later are recorded.
    expect(t.events.find((e) => e.function === 'register' && e.kind === 'return')?.value).toBe('3');
    const all = await recordTrace({ target: script('uses_pkg.py'), cwd: DIR, recordImports: true });
    expect(all.events.filter((e) => e.function === 'register' && e.kind === 'call')).toHaveLength(
      4,
    );
    expect(all.imports).toBeUndefined();
  });

  it('a pytest id that collects nothing is a user error, before anything is traced', async () => {
    const e = await recordTrace({
      target: { kind: 'pytest', nodeId: 'test_collect.py::test_absent' },
      cwd: DIR,
    }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(UserError);
    expect((e as UserError).message).toMatch(/test_collect\.py::test_absent/);
  });

  it("a passing pytest test: outcome says so, with pytest's phases", async () => {
    const t = await recordTrace({
      target: { kind: 'pytest', nodeId: 'test_collect.py::test_present' },
      cwd: DIR,
    });
    expect(t.outcome).toMatchObject({ status: 'completed', testPassed: true });
    expect(t.outcome.test?.phases).toEqual({ setup: 'passed', call: 'passed', teardown: 'passed' });
    expect(t.events.some((e) => e.function === 'test_present')).toBe(true);
  });
});

describe.runIf(
  process.env.TRACEFIX_TEST_PYTHON === undefined ||
    process.env.TRACEFIX_TEST_PYTHON.includes('3.11'),
)('a program that installs its own tracer (sys.settrace, Python < 3.12)', () => {
  it('is detected and the trace says where recording stopped', async () => {
    const t = await recordTrace({ target: script('own_tracer.py'), cwd: DIR });
    expect(t.outcome.tracerTakenOver).toMatchObject({ file: 'own_tracer.py', line: 10 });
    expect(t.outcome.partial).toBe(true);
    expect(t.outcome.message).toMatch(
      /own tracer.*own_tracer\.py:10.*calls that thread made after it were not recorded/,
    );
  });
});
