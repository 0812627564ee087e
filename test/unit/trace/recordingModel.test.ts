// The recording model: one pass per recording gives the frame tree, the events of every line, the
// steps, the locals at any event and the gap; every reader shares it (built once per events object).
import { describe, expect, it } from 'vitest';
import { buildFixPrompt } from '../../../src/core/fix/explainAndFix';
import { traceIndexBuilds } from '../../../src/core/render/traceIndex';
import { TraceAssembler } from '../../../src/core/trace/assemble';
import { localsAt } from '../../../src/core/trace/locals';
import type { Trace } from '../../../src/core/trace/model';
import type { RawRecord } from '../../../src/core/trace/records';
import { RecordingModel, recordingModel } from '../../../src/core/trace/recordingModel';
import { FIXTURE_SRC, events, loadFixture } from '../replay/fixtures';
import { traceOfAssembly } from '../../support/recordedTrace';

function traceOf(records: RawRecord[], source: string, maxEvents = 20_000): Trace {
  const asm = new TraceAssembler(maxEvents);
  asm.push([['F', 0, 'p.py'], ...records, ['E', 'exit', 0, 1, null]]);
  asm.finish();
  return traceOfAssembly(asm, { file: 'p.py', source, maxEvents });
}

// 1 def fact(n):            6 def gen():            10 r = fact(3)
// 2     if n <= 1:          7     yield 1           11 xs = list(gen())
// 3         return 1        8     yield 2           12 try: boom()
// 4     return n * fact(n-1) 9 def boom(): raise ...  13 except ValueError: pass
const PROGRAM =
  'def fact(n):\n    if n <= 1:\n        return 1\n    return n * fact(n - 1)\n\n'.concat(
    'def gen():\n    yield 1\n    yield 2\ndef boom(): raise ValueError("x")\n',
    'r = fact(3)\nxs = list(gen())\ntry: boom()\nexcept ValueError: pass\n',
  );
const NO = [0, 0, 0] as const;
const program = (): Trace =>
  traceOf(
    [
      ['C', 1, 0, 0, 1, '<module>', 0, 0, 'm'],
      ['L', 1, 10],
      ['C', 2, 1, 0, 1, 'fact', 1, { n: '3' }, 'f'],
      ['L', 2, 2],
      ['L', 2, 4],
      ['C', 3, 2, 0, 1, 'fact', 2, { n: '2' }, 'f'],
      ['L', 3, 2],
      ['L', 3, 4],
      ['C', 4, 3, 0, 1, 'fact', 3, { n: '1' }, 'f'],
      ['L', 4, 2],
      ['L', 4, 3],
      ['R', 4, 3, 'r', '1', ...NO],
      ['R', 3, 4, 'r', '2', ...NO],
      ['R', 2, 4, 'r', '6', ...NO],
      ['L', 1, 11, { r: '6' }],
      ['C', 5, 1, 0, 6, 'gen', 1, 0, 'f'],
      ['L', 5, 7],
      ['R', 5, 7, 'y', '1', ...NO],
      ['L', 5, 8],
      ['R', 5, 8, 'y', '2', ...NO],
      ['R', 5, 8, 'r', 'None', ...NO],
      ['L', 1, 12, { xs: '[1, 2]' }],
      ['C', 6, 1, 0, 9, 'boom', 1, 0, 'f'],
      ['R', 6, 9, 'e', ['ValueError', 'x', "ValueError('x')"], ...NO],
      ['L', 1, 13],
      ['R', 1, 13, 'r', 'None', ...NO],
    ],
    PROGRAM,
  );

describe('the recording model', () => {
  it('holds the frame tree of nested and recursive calls, each call with its calling line', () => {
    const t = program();
    const m = recordingModel(t);
    expect(m.roots).toEqual([1]);
    expect(m.frames.get(1)?.children).toEqual([2, 5, 6]);
    // Recursion: each level is its own frame, called from line 4 of the level above.
    expect(m.frames.get(2)?.children).toEqual([3]);
    expect(m.frames.get(3)?.children).toEqual([4]);
    expect([2, 3, 4].map((id) => m.frames.get(id)?.callIndex)).toEqual([1, 2, 3]);
    expect([2, 3, 4].map((id) => m.frames.get(id)?.callLine)).toEqual([10, 4, 4]);
    expect(m.frames.get(5)?.callLine).toBe(11);
    // The exception left boom; the module's line that called it is recorded after it.
    expect(m.frames.get(6)?.callLine).toBe(12);
    // Every frame's events are its own, ascending, and all events are in exactly one frame.
    const all = [...m.frames.values()].flatMap((f) => f.events);
    expect(all.sort((a, b) => a - b)).toEqual([...Array(t.events.length).keys()]);
    for (const f of m.frames.values())
      for (const i of f.events) expect(t.events.at(i)?.callId).toBe(f.callId);
    expect(m.callsOf('p.py', 'fact')).toBe(3);
  });

  it('keeps a generator one frame across its yields, with each resumption in it', () => {
    const m = recordingModel(program());
    const gen = m.frames.get(5)!;
    const kinds = gen.events.map((i) => m.kindAt(i));
    expect(kinds.filter((k) => k === 'yield')).toHaveLength(2);
    expect(kinds.at(-1)).toBe('return');
    expect(m.executionsOf('p.py', 8)).toHaveLength(1);
    expect(m.eventsAt('p.py', 8).length).toBeGreaterThan(1);
  });

  it('lists the exception events, the executions of each line and the steps', () => {
    const t = program();
    const m = recordingModel(t);
    expect(m.exceptionEvents.map((i) => [m.callIdAt(i), m.lineAt(i)])).toEqual([[6, 9]]);
    // Line 2 ran in each of the three calls of fact; line events only.
    expect(m.executionsOf('p.py', 2).map((i) => m.callIdAt(i))).toEqual([2, 3, 4]);
    const withStep = t.events.filter((e) => e.step !== null);
    expect(m.stepEvents).toEqual(withStep.map((e) => e.index));
    const last = withStep.at(-1)!;
    expect(m.maxStep).toBe(last.step);
    expect(m.indexOfStep(last.step!)).toBe(last.index);
    expect(m.stepAtOrBefore(t.events.length - 1)).toBe(last.step);
    expect(m.gap).toBeUndefined();
  });

  it('gives the locals of a frame at any event (those of a caller stay its own)', () => {
    const t = program();
    const m = recordingModel(t);
    const xsAt = t.events.findIndex((e) => e.changed.xs !== undefined);
    expect(m.localsAt(xsAt)).toEqual({ r: '6', xs: '[1, 2]' });
    const inner = m.frames.get(4)!.events.at(-1)!;
    expect(m.localsAt(inner)).toEqual({ n: '1' });
    expect(localsAt(t, inner)).toEqual({ n: '1' });
  });

  it('takes the calling line from the exception when the calling line raised and ran no further', () => {
    const m = recordingModel({
      events: events([
        { kind: 'call', callId: 1, fn: '<module>', line: 1, depth: 0 },
        { kind: 'call', callId: 2, fn: 'f', line: 1, depth: 1, parent: 1 },
        { kind: 'exception', callId: 2, fn: 'f', line: 2, depth: 1, parent: 1 },
        { kind: 'exception', callId: 1, fn: '<module>', line: 5, depth: 0 },
      ]),
      elided: undefined,
    });
    expect(m.frames.get(2)?.callLine).toBe(5);
    expect(m.exceptionEvents).toEqual([2, 3]);
  });

  it('makes a frame that names itself as its caller a root (a damaged file), not a cycle', () => {
    const m = recordingModel({
      events: events([
        { kind: 'call', callId: 1, fn: 'f', line: 1, depth: 0, parent: 1 },
        { kind: 'line', callId: 1, fn: 'f', line: 2, depth: 0, parent: 1 },
      ]),
      elided: undefined,
    });
    expect(m.roots).toEqual([1]);
    expect(m.frames.get(1)?.children).toEqual([]);
  });

  it('holds the gap of a long run: the steps around it, the lines that ran in it, the locals after it', () => {
    const records: RawRecord[] = [
      ['C', 1, 0, 0, 1, '<module>', 0, 0, 'm'],
      ['L', 1, 1],
      ['L', 1, 2, { i: '0' }],
    ];
    for (let k = 0; k < 500; k++) records.push(['L', 1, 3], ['L', 1, 2, { i: String(k + 1) }]);
    records.push(['R', 1, 2, 'r', 'None', ...NO]);
    const t = traceOf(records, 'i = 0\nwhile i < 500:\n    i += 1\n', 80);
    const g = t.elided!;
    expect(g.events).toBeGreaterThan(0);
    const m = recordingModel(t);
    const gap = m.gap!;
    expect(gap.at).toBe(g.at);
    expect(gap.lines.get('p.py')?.get(3)).toBe(g.lines.find((l) => l.line === 3)?.count);
    const before = t.events.filter((e) => e.index < g.at && e.step !== null).at(-1)?.step;
    const after = t.events.find((e) => e.index >= g.at && e.step !== null)?.step;
    expect(gap.before).toBe(before);
    expect(gap.after).toBe(after);
    expect(after! - before!).toBeGreaterThan(1);
    expect(m.stepInGap(before! + 1)).toBe(true);
    expect(m.stepInGap(after!)).toBe(false);
    // The module frame ran across the gap: its locals after it start from its state there.
    expect(m.localsAt(t.events.length - 1)).toEqual({ i: '500' });
  });

  it('is built once per recording and shared by every reader', () => {
    const t = program();
    const before = RecordingModel.builds;
    const m = recordingModel(t);
    expect(recordingModel(t)).toBe(m);
    // The replay holds the events and the gap, not the trace: the same model.
    expect(recordingModel({ events: t.events, elided: t.elided })).toBe(m);
    localsAt(t, 3);
    expect(RecordingModel.builds - before).toBe(1);
  });

  it('is built once (and the NExT index once) for the first Explain & Fix prompt', async () => {
    const trace = loadFixture('average_bug');
    const models = RecordingModel.builds;
    const indexes = traceIndexBuilds.count;
    const { messages } = await buildFixPrompt({
      recordOptions: { target: { kind: 'script', path: 'average_bug.py' }, cwd: FIXTURE_SRC },
      trace,
    });
    expect(messages.find((x) => x.role === 'user')?.content).toContain('(1)');
    expect(RecordingModel.builds - models).toBe(1);
    expect(traceIndexBuilds.count - indexes).toBe(1);
  });
});
