// Drives the bundled stand-alone adapter (dist/replayAdapter.js) over real DAP with the
// @vscode/debugadapter-testsupport client, on the fixture traces.
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import * as esbuild from 'esbuild';
import { nodeBundle } from '../../../scripts/esbuild-options.mjs';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Trace } from '../../../src/core/trace/model';
import { FIXTURE_SRC, fixturePath, loadFixture } from '../../unit/replay/fixtures';

const ROOT = path.resolve(__dirname, '../../..');
const ADAPTER = path.join(ROOT, 'dist', 'replayAdapter.js');
const FACTORIAL = path.join(FIXTURE_SRC, 'factorial.py');
const AVERAGE = path.join(FIXTURE_SRC, 'average_bug.py');
const NESTED = path.join(FIXTURE_SRC, 'nested.py');
const THREAD = { threadId: 1 };

beforeAll(async () => {
  // Same esbuild options as scripts/build.mjs for this entry (only this entry, so unrelated work in
  // progress elsewhere cannot break the build); written aside and renamed so a concurrent
  // `npm run build` never leaves a half-written file for the adapter process to load.
  mkdirSync(path.dirname(ADAPTER), { recursive: true });
  const tmp = `${ADAPTER}.${process.pid}.tmp.js`;
  await esbuild.build({
    ...nodeBundle,
    absWorkingDir: ROOT,
    entryPoints: ['src/core/replay/adapterMain.ts'],
    outfile: tmp,
    sourcemap: 'inline',
  });
  renameSync(tmp, ADAPTER);
});

const stoppedBody = (e: DebugProtocol.Event) => (e as DebugProtocol.StoppedEvent).body;

let dc: DebugClient;
let positions: Array<{ index: number; file: string; line: number; reason: string }>;

beforeEach(async () => {
  dc = new DebugClient('node', ADAPTER, 'tracefix-replay', { cwd: ROOT }, true);
  dc.defaultTimeout = 10_000;
  positions = [];
  dc.on('tracefix/position', (e: DebugProtocol.Event) =>
    positions.push(e.body as (typeof positions)[number]),
  );
  await dc.start();
});

afterEach(async () => {
  await dc.stop();
});

async function launch(
  args: Record<string, unknown>,
  breakpoints: Array<{ path: string; lines: number[] }> = [],
) {
  const stopped = dc.waitForEvent('stopped');
  const bps = dc.waitForEvent('initialized').then(async () => {
    const out = [];
    for (const b of breakpoints)
      out.push(
        await dc.setBreakpointsRequest({
          source: { path: b.path },
          breakpoints: b.lines.map((line) => ({ line })),
        }),
      );
    await dc.configurationDoneRequest();
    return out;
  });
  await dc.launch(args);
  const [event, bpResponses] = await Promise.all([stopped, bps]);
  return { reason: stoppedBody(event).reason, event, bpResponses };
}

async function top() {
  const st = await dc.stackTraceRequest(THREAD);
  const frames = st.body.stackFrames;
  const frame = frames[0] as DebugProtocol.StackFrame;
  return { frame, frames, locals: await locals(frame.id) };
}

async function locals(frameId: number, scope = 'Locals'): Promise<Record<string, string>> {
  const scopes = await dc.scopesRequest({ frameId });
  const s = scopes.body.scopes.find((x) => x.name === scope);
  if (s === undefined) throw new Error(`no ${scope} scope`);
  const vars = await dc.variablesRequest({ variablesReference: s.variablesReference });
  return Object.fromEntries(vars.body.variables.map((v) => [v.name, v.value]));
}

type Motion = 'next' | 'stepIn' | 'stepOut' | 'stepBack' | 'continue' | 'reverseContinue';

async function move(motion: Motion): Promise<{
  reason: string;
  line: number;
  locals: Record<string, string>;
  event: DebugProtocol.Event;
}> {
  const stopped = dc.waitForEvent('stopped');
  const requests = {
    next: () => dc.nextRequest(THREAD),
    stepIn: () => dc.stepInRequest(THREAD),
    stepOut: () => dc.stepOutRequest(THREAD),
    stepBack: () => dc.stepBackRequest(THREAD),
    continue: () => dc.continueRequest(THREAD),
    reverseContinue: () => dc.reverseContinueRequest(THREAD),
  };
  await requests[motion]();
  const event = await stopped;
  const t = await top();
  return { reason: stoppedBody(event).reason, line: t.frame.line, locals: t.locals, event };
}

describe('replay adapter over DAP', () => {
  it('announces the replay capabilities', async () => {
    const init = await dc.initializeRequest();
    expect(init.body).toMatchObject({
      supportsStepBack: true,
      supportsConfigurationDoneRequest: true,
      supportsEvaluateForHovers: true,
      supportsRestartFrame: true,
      supportsGotoTargetsRequest: true,
      supportsExceptionInfoRequest: true,
      supportsTerminateRequest: true,
      exceptionBreakpointFilters: [
        { filter: 'exceptions', label: 'Recorded exceptions', default: true },
      ],
    });
  });

  it('stops on entry, steps into the call and shows the arguments and the calling line', async () => {
    const { reason } = await launch({ trace: fixturePath('factorial'), sourceRoot: FIXTURE_SRC });
    expect(reason).toBe('entry');
    const threads = await dc.threadsRequest();
    expect(threads.body.threads).toEqual([{ id: 1, name: 'recording' }]);
    expect((await top()).frame).toMatchObject({
      name: '<module>',
      line: 1,
      source: { path: FACTORIAL },
    });
    await move('stepIn');
    const inCall = await move('stepIn');
    expect([inCall.reason, inCall.line, inCall.locals]).toEqual(['step', 1, { n: '4' }]);
    const { frames } = await top();
    expect(frames.map((f) => [f.name, f.line])).toEqual([
      ['factorial (call 1 of 4)', 1],
      ['<module>', 7],
    ]);
    expect(positions.at(-1)).toMatchObject({
      index: 2,
      file: 'factorial.py',
      line: 1,
      reason: 'step',
    });
  });

  it('hits a breakpoint, steps out of a recursion level, steps back and reverse-continues', async () => {
    const { reason, bpResponses } = await launch(
      { trace: fixturePath('factorial'), sourceRoot: FIXTURE_SRC, stopOnEntry: false },
      [{ path: FACTORIAL, lines: [3, 6] }],
    );
    expect(bpResponses[0]?.body.breakpoints.map((b) => [b.line, b.verified, b.message])).toEqual([
      [3, true, undefined],
      [6, false, 'never executed in this recording'],
    ]);
    expect(reason).toBe('breakpoint');
    const atBp = await top();
    expect([atBp.frame.line, atBp.locals, atBp.frames.length]).toEqual([3, { n: '1' }, 5]);
    expect(atBp.frames.map((f) => f.line)).toEqual([3, 4, 4, 4, 7]);
    expect(await locals(atBp.frames[1]!.id)).toEqual({ n: '2' });

    const out = await move('stepOut');
    expect([out.reason, out.line, out.locals]).toEqual(['step', 4, { n: '2' }]);
    // Stepping back over the call passes the breakpoint inside it, so it stops there (as a step would).
    const backIntoBp = await move('stepBack');
    expect([backIntoBp.reason, backIntoBp.line, backIntoBp.locals]).toEqual([
      'breakpoint',
      3,
      { n: '1' },
    ]);
    await move('stepOut');
    await dc.setBreakpointsRequest({ source: { path: FACTORIAL }, breakpoints: [] });
    const back = await move('stepBack');
    expect([back.reason, back.line, back.locals]).toEqual(['step', 2, { n: '2' }]);
    const rc = await move('reverseContinue');
    expect([rc.reason, rc.line]).toEqual(['entry', 1]);
    await dc.setBreakpointsRequest({ source: { path: FACTORIAL }, breakpoints: [{ line: 3 }] });
    const again = await move('continue');
    expect([again.reason, again.line, again.locals]).toEqual(['breakpoint', 3, { n: '1' }]);
  });

  it('reverse-continues to the previous hit of a loop breakpoint and stops at the recorded exception', async () => {
    const { reason } = await launch({
      trace: fixturePath('average_bug'),
      sourceRoot: FIXTURE_SRC,
      stopOnEntry: false,
    });
    expect(reason).toBe('exception');
    const here = await top();
    expect([here.frame.line, here.locals]).toEqual([
      4,
      { values: '[3, 5, 8]', total: '16', i: '3' },
    ]);
    const info = await dc.exceptionInfoRequest(THREAD);
    expect(info.body).toMatchObject({
      exceptionId: 'IndexError',
      description: 'list index out of range',
      breakMode: 'unhandled',
    });
    expect(info.body.details?.stackTrace).toContain('File "average_bug.py", line 10, in main');

    await dc.setBreakpointsRequest({ source: { path: AVERAGE }, breakpoints: [{ line: 4 }] });
    // The turn that raised ran line 4 too: that is the first hit back, then the turns before it.
    const raising = await move('reverseContinue');
    expect([raising.reason, raising.line, raising.locals]).toEqual([
      'breakpoint',
      4,
      { values: '[3, 5, 8]', total: '16', i: '3' },
    ]);
    const prev = await move('reverseContinue');
    expect([prev.reason, prev.line, prev.locals]).toEqual([
      'breakpoint',
      4,
      { values: '[3, 5, 8]', total: '16', i: '2' },
    ]);
    const prev2 = await move('reverseContinue');
    expect(prev2.locals.total).toBe('8');
    const exc = await move('continue');
    expect([exc.reason, exc.line]).toEqual(['breakpoint', 4]);
    const again = await move('continue');
    expect([again.reason, again.line, again.locals.i]).toEqual(['breakpoint', 4, '3']);
    expect((await move('continue')).reason).toBe('exception');
    const end = await move('continue');
    expect([end.reason, end.line, stoppedBody(end.event).description]).toEqual([
      'end',
      14,
      'End of recording',
    ]);
  });

  it('does not stop at recorded exceptions when the filter is off', async () => {
    const stopped = dc.waitForEvent('stopped');
    const config = dc.waitForEvent('initialized').then(async () => {
      await dc.setExceptionBreakpointsRequest({ filters: [] });
      await dc.configurationDoneRequest();
    });
    await dc.launch({
      trace: fixturePath('average_bug'),
      sourceRoot: FIXTURE_SRC,
      stopOnEntry: false,
    });
    await config;
    expect(stoppedBody(await stopped).reason).toBe('end');
  });

  it('evaluates recorded names only, in the selected frame, and expands structured values', async () => {
    await launch({
      trace: fixturePath('average_bug'),
      sourceRoot: FIXTURE_SRC,
      stopOnEntry: false,
    });
    const { frames } = await top();
    const ev = (expression: string, frameId?: number, context = 'repl') =>
      dc.evaluateRequest({ expression, frameId, context });
    expect((await ev('i', frames[0]!.id)).body.result).toBe('3');
    expect((await ev('total', frames[0]!.id, 'hover')).body.result).toBe('16');
    expect((await ev('scores', frames[1]!.id)).body.result).toBe('[3, 5, 8]');
    const values = await ev('values', frames[0]!.id);
    expect(values.body.variablesReference).toBeGreaterThan(0);
    const items = await dc.variablesRequest({ variablesReference: values.body.variablesReference });
    expect(items.body.variables.map((v) => [v.name, v.value])).toEqual([
      ['0', '3'],
      ['1', '5'],
      ['2', '8'],
    ]);
    await expect(ev('i + 1', frames[0]!.id)).rejects.toThrow(/^not recorded/);
    await expect(ev('scores', frames[0]!.id)).rejects.toThrow(/^not recorded/);
    await expect(ev('len(values)', frames[0]!.id, 'hover')).rejects.toThrow(/^not recorded/);
  });

  it('expands nested and truncated values and shows module globals from a function frame', async () => {
    await launch({ trace: fixturePath('nested'), sourceRoot: FIXTURE_SRC, stopOnEntry: false }, [
      { path: NESTED, lines: [21] },
    ]);
    const { frame } = await top();
    expect(frame.line).toBe(21);
    const scopes = await dc.scopesRequest({ frameId: frame.id });
    expect(scopes.body.scopes.map((s) => s.name)).toEqual(['Locals', 'Globals']);
    expect(await locals(frame.id, 'Globals')).toMatchObject({ LIMIT: '3' });
    const vars = (
      await dc.variablesRequest({ variablesReference: scopes.body.scopes[0]!.variablesReference })
    ).body.variables;
    const byName = (list: DebugProtocol.Variable[], name: string) =>
      list.find((v) => v.name === name) as DebugProtocol.Variable;
    const summary = await dc.variablesRequest({
      variablesReference: byName(vars, 'summary').variablesReference,
    });
    expect(summary.body.variables.map((v) => v.name)).toEqual(["'count'", "'squares'", "'range'"]);
    const squares = await dc.variablesRequest({
      variablesReference: byName(summary.body.variables, "'squares'").variablesReference,
    });
    expect(squares.body.variables.map((v) => v.value)).toEqual(['4', '9']);
    const words = await dc.variablesRequest({
      variablesReference: byName(vars, 'words').variablesReference,
    });
    expect(words.body.variables.map((v) => v.value)).toEqual(["'a, b'", `"it's"`, "'x]'"]);
    const big = (
      await dc.variablesRequest({ variablesReference: byName(vars, 'big').variablesReference })
    ).body.variables;
    // The recorder kept 32 items and counted the rest: 32 rows and one that says so.
    expect(big.length).toBe(33);
    expect(big.at(-1)).toMatchObject({
      name: '…',
      value: '(28 more, not recorded)',
      variablesReference: 0,
    });
    expect(big.at(-2)).toMatchObject({ name: '31', value: '31' });
    expect(byName(vars, 'data').variablesReference).toBeGreaterThan(0);
    expect(byName(vars, 'data').evaluateName).toBe('data');
  });

  it('restarts a frame, jumps with goto targets and with tracefix/goto, and follows with tracefix/position', async () => {
    await launch({ trace: fixturePath('factorial'), sourceRoot: FIXTURE_SRC, stopOnEntry: false }, [
      { path: FACTORIAL, lines: [3] },
    ]);
    const { frames } = await top();
    const stopped = dc.waitForEvent('stopped');
    await dc.restartFrameRequest({ frameId: frames[2]!.id }); // factorial(3)
    expect(stoppedBody(await stopped).reason).toBe('restart');
    const restarted = await top();
    expect([restarted.frame.line, restarted.locals]).toEqual([1, { n: '3' }]);

    const targets = await dc.gotoTargetsRequest({ source: { path: FACTORIAL }, line: 4 });
    expect(targets.body.targets.map((t) => t.id)).toEqual([12, 14, 16]);
    const gotoStop = dc.waitForEvent('stopped');
    await dc.gotoRequest({ threadId: 1, targetId: 14 });
    expect(stoppedBody(await gotoStop).reason).toBe('goto');
    expect((await top()).locals).toEqual({ n: '3' });

    const customStop = dc.waitForEvent('stopped');
    const position = dc.waitForEvent('tracefix/position');
    const res = await dc.customRequest('tracefix/goto', { index: 18 });
    expect(res.body).toEqual({ index: 18 });
    expect(stoppedBody(await customStop).reason).toBe('goto');
    expect((await position).body).toMatchObject({
      index: 18,
      file: 'factorial.py',
      line: 7,
      path: FACTORIAL,
      eventCount: 21,
      atEnd: false,
    });
    expect((await top()).locals).toMatchObject({ result: '24' });
    await expect(dc.customRequest('tracefix/goto', { index: 99 })).rejects.toThrow(
      /no event with index 99/,
    );
  });

  it('shows the recorded program output once the replay passes it', async () => {
    await launch({ trace: fixturePath('factorial'), sourceRoot: FIXTURE_SRC });
    const output = dc.assertOutput('stdout', '24\n');
    await move('continue');
    await output;
  });

  it('serves the recorded source when the file is not at the source root, and defaults to program.root', async () => {
    const empty = mkdtempSync(path.join(os.tmpdir(), 'tracefix-replay-'));
    try {
      await launch({ trace: fixturePath('factorial'), sourceRoot: empty, stopOnEntry: false });
      const { frame } = await top();
      expect(frame.source?.path).toBeUndefined();
      const ref = frame.source?.sourceReference ?? 0;
      expect(ref).toBeGreaterThan(0);
      const src = await dc.sourceRequest({
        sourceReference: ref,
        source: { sourceReference: ref },
      });
      expect(src.body.content).toBe(readFileSync(FACTORIAL, 'utf8'));
      const bp = await dc.setBreakpointsRequest({
        source: { sourceReference: ref, name: 'factorial.py' },
        breakpoints: [{ line: 4 }],
      });
      expect(bp.body.breakpoints[0]?.verified).toBe(true);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('uses trace.program.root when no sourceRoot is given (traceObject launch)', async () => {
    const trace: Trace = {
      ...loadFixture('nested'),
      program: { ...loadFixture('nested').program, root: FIXTURE_SRC },
    };
    await launch({ traceObject: trace });
    expect((await top()).frame.source?.path).toBe(NESTED);
  });

  it('answers a launch on a missing trace with a clear error', async () => {
    await dc.initializeRequest();
    await expect(
      dc.launchRequest({
        trace: path.join(ROOT, 'no-such-trace.json'),
      } as DebugProtocol.LaunchRequestArguments),
    ).rejects.toThrow(/Cannot read the trace file/);
  });

  it('terminates on request', async () => {
    await launch({ trace: fixturePath('factorial'), sourceRoot: FIXTURE_SRC });
    const terminated = dc.waitForEvent('terminated');
    await dc.terminateRequest();
    await terminated;
  });
});
