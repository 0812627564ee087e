// Replay in VS Code's own debugger: a trace recorded from the fixture, saved with Save Trace, replayed
// through a launch.json-style `tracefix-replay` configuration; stepping forward then back, the stack
// frame, variables and watch answers read through the debug API, the timeline following the replay
// (and moving it), the Replay Trace command and hover link, and the one error a bad `trace` gives.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { POSITION_EVENT, REPLAY_DEBUG_TYPE, type ReplayPosition } from '../../../src/core/replay';
import {
  assertOk,
  closeAll,
  openAt,
  run,
  tracefix,
  waitFor,
  workspaceDir,
  wsUri,
} from './tracefixApi';

interface Stop {
  index: number;
  line: number;
  file: string;
  fn: string;
  locals: Record<string, string>;
}

const positions: Array<{ session: vscode.DebugSession; body: ReplayPosition }> = [];

function folder(): vscode.WorkspaceFolder {
  const f = vscode.workspace.workspaceFolders?.[0];
  assert.ok(f);
  return f;
}

/** Waits for the position event after `count` were seen, of `session` if given. */
async function nextPosition(
  count: number,
  session?: vscode.DebugSession,
): Promise<{ session: vscode.DebugSession; body: ReplayPosition }> {
  return waitFor(
    () => positions.slice(count).find((p) => !session || p.session.id === session.id),
    'a tracefix/position event',
  );
}

async function topStop(session: vscode.DebugSession, index: number): Promise<Stop> {
  const { threads } = (await session.customRequest('threads')) as { threads: { id: number }[] };
  const threadId = threads[0]!.id;
  const { stackFrames } = (await session.customRequest('stackTrace', { threadId })) as {
    stackFrames: { id: number; name: string; line: number; source?: { path?: string } }[];
  };
  const top = stackFrames[0]!;
  const { scopes } = (await session.customRequest('scopes', { frameId: top.id })) as {
    scopes: { name: string; variablesReference: number }[];
  };
  const scope = scopes.find((s) => s.name === 'Locals');
  assert.ok(scope, `a Locals scope (got ${scopes.map((s) => s.name).join(', ')})`);
  const { variables } = (await session.customRequest('variables', {
    variablesReference: scope.variablesReference,
  })) as { variables: { name: string; value: string }[] };
  return {
    index,
    line: top.line,
    file: path.basename(top.source?.path ?? '?'),
    fn: top.name,
    locals: Object.fromEntries(variables.map((v) => [v.name, v.value])),
  };
}

async function threadOf(session: vscode.DebugSession): Promise<number> {
  const { threads } = (await session.customRequest('threads')) as { threads: { id: number }[] };
  return threads[0]!.id;
}

/** One DAP motion; resolves at the stop it produced. */
async function move(
  session: vscode.DebugSession,
  command: 'next' | 'stepIn' | 'stepBack' | 'continue' | 'reverseContinue',
): Promise<Stop> {
  const seen = positions.length;
  await session.customRequest(command, { threadId: await threadOf(session) });
  const p = await nextPosition(seen, session);
  return topStop(session, p.body.index);
}

async function stopAll(): Promise<void> {
  for (;;) {
    const s = vscode.debug.activeDebugSession;
    if (!s) return;
    const ended = new Promise<void>((r) => {
      const sub = vscode.debug.onDidTerminateDebugSession((t) => {
        if (t.id === s.id) {
          sub.dispose();
          r();
        }
      });
    });
    await vscode.debug.stopDebugging(s);
    await ended;
  }
}

describe('tracefix: replay in the debugger', function () {
  this.timeout(120_000);
  const saved = () => path.join(workspaceDir(), 'report-trace.json');
  let sub: vscode.Disposable;

  before(async () => {
    sub = vscode.debug.onDidReceiveDebugSessionCustomEvent((e) => {
      if (e.session.type === REPLAY_DEBUG_TYPE && e.event === POSITION_EVENT)
        positions.push({ session: e.session, body: e.body as ReplayPosition });
    });
    await closeAll();
    await openAt('report.py', 3);
    assertOk(await run('tracefix.traceOnly'));
  });
  afterEach(stopAll);
  after(async () => {
    sub.dispose();
    await vscode.commands.executeCommand('tracefix.clearTrace');
    await closeAll();
  });

  it('saves the trace as JSON (Save Trace)', async () => {
    const api = await tracefix();
    const uri = await vscode.commands.executeCommand<vscode.Uri>(
      'tracefix.saveTrace',
      vscode.Uri.file(saved()),
    );
    assert.equal(uri?.fsPath, saved());
    const json = JSON.parse(fs.readFileSync(saved(), 'utf8')) as {
      schema: string;
      events: unknown[];
    };
    assert.equal(json.schema, 'tracefix.trace');
    assert.equal(json.events.length, api.lastTrace()?.events.length);
  });

  it('replays the saved file from a launch.json-style configuration, steps forward and back', async () => {
    const api = await tracefix();
    await vscode.commands.executeCommand('tracefix.clearTrace');
    assert.equal(api.lastTrace(), undefined);
    const seen = positions.length;
    const started = await vscode.debug.startDebugging(folder(), {
      type: REPLAY_DEBUG_TYPE,
      request: 'launch',
      name: 'Replay saved report',
      trace: '${workspaceFolder}/report-trace.json',
    });
    assert.equal(started, true);
    const first = await nextPosition(seen);
    const session = first.session;
    assert.equal(session.name, 'Replay saved report');
    // The file became the current trace (it was cleared): decorations and timeline show it.
    assert.equal(api.lastTrace()?.program.target, 'report.py');
    await vscode.commands.executeCommand('tracefix.showTimeline');
    await waitFor(() => api.timeline().open, 'the timeline panel');

    const entry = await topStop(session, first.body.index);
    assert.deepEqual(
      [entry.index, entry.file, entry.line, entry.fn],
      [0, 'report.py', 1, '<module>'],
    );
    const forward: Stop[] = [];
    for (let i = 0; i < 6; i++) forward.push(await move(session, 'next'));
    // Line by line (the import of stats ran as an import: summarised, not line-recorded).
    assert.deepEqual(
      forward.map((s) => [s.index, s.line]),
      [
        [1, 1],
        [2, 3],
        [3, 4],
        [4, 5],
        [5, 6],
        [6, 5],
      ],
    );
    assert.deepEqual(forward[5]!.locals, { scores: '[3, 5, 8]', totals: '[3]', i: '1' });

    // Back twice: once over DAP, once through the workbench's Step Back (the toolbar's command).
    const back1 = await move(session, 'stepBack');
    assert.deepEqual(back1, forward[4]);
    const seenBefore = positions.length;
    await vscode.commands.executeCommand('workbench.action.debug.stepBack');
    const p = await nextPosition(seenBefore, session);
    const back2 = await topStop(session, p.body.index);
    assert.deepEqual(back2, {
      index: 4,
      line: 5,
      file: 'report.py',
      fn: '<module>',
      locals: { scores: '[3, 5, 8]', totals: '[]', i: '0' },
    });
    assert.deepEqual(back2, forward[3]);

    // The workbench focused the top frame of the replay.
    const { stackFrames } = (await session.customRequest('stackTrace', {
      threadId: await threadOf(session),
    })) as { stackFrames: { id: number; line: number }[] };
    const item = await waitFor(() => {
      const a = vscode.debug.activeStackItem;
      return (
        a instanceof vscode.DebugStackFrame &&
        a.session.id === session.id &&
        a.frameId === stackFrames[0]!.id &&
        a
      );
    }, 'the active stack frame of the replay');
    assert.equal(item.threadId, await threadOf(session));

    // Watch expressions answer recorded names only.
    const watch = (await session.customRequest('evaluate', {
      expression: 'totals',
      frameId: stackFrames[0]!.id,
      context: 'watch',
    })) as { result: string };
    assert.equal(watch.result, '[]');
    await assert.rejects(
      Promise.resolve(
        session.customRequest('evaluate', {
          expression: 'len(totals) + 1',
          frameId: stackFrames[0]!.id,
          context: 'watch',
        }),
      ),
      /not recorded/,
    );

    // The timeline and the step highlight followed the replay.
    await waitFor(() => api.timeline().selected === 4, 'the timeline selection at event 4');
    assert.deepEqual(api.stepHighlight(), { uri: wsUri('report.py').toString(), line: 5 });

    // Picking a timeline row moves the replay there.
    const beforeClick = positions.length;
    await api.selectStep(9);
    const moved = await nextPosition(beforeClick, session);
    assert.equal(moved.body.index, 9);
    const at9 = await topStop(session, 9);
    assert.deepEqual([at9.line, at9.locals.totals], [6, '[3, 8, 16]']);
  });

  it('replays the current trace from its first step (Replay Trace), and the hover link jumps to its step', async () => {
    const api = await tracefix();
    const seen = positions.length;
    const session =
      await vscode.commands.executeCommand<vscode.DebugSession>('tracefix.replayTrace');
    assert.ok(session, 'Replay Trace returned its session');
    assert.equal(session.type, REPLAY_DEBUG_TYPE);
    const first = await nextPosition(seen, session);
    assert.deepEqual([first.body.index, first.body.file, first.body.line], [0, 'report.py', 1]);
    await waitFor(() => api.timeline().selected === 0, 'the timeline selection at event 0');

    // The hover's "replay from this step" link, executed as the hover would: the running replay jumps.
    const md = await api.hoverMarkdown(wsUri('stats.py'), 7);
    const link = /command:tracefix\.replayFromStep\?([^)\s"]+)/.exec(md ?? '');
    assert.ok(link, `a replay link in the hover of stats.py:7: ${md}`);
    const [arg] = JSON.parse(decodeURIComponent(link[1]!)) as [{ eventIndex: number }];
    const target = api.lastTrace()!.events.at(arg.eventIndex)!;
    assert.deepEqual([target.file, target.line], ['stats.py', 7]);
    const beforeLink = positions.length;
    await vscode.commands.executeCommand('tracefix.replayFromStep', arg);
    const jumped = await nextPosition(beforeLink, session);
    assert.equal(jumped.body.index, arg.eventIndex);
    assert.equal(vscode.debug.activeDebugSession?.id, session.id, 'no second session');
    const stop = await topStop(session, jumped.body.index);
    assert.deepEqual([stop.file, stop.line, stop.fn], ['stats.py', 7, 'mean (call 1 of 2)']);
    assert.equal(stop.locals.values, '[3, 5, 8]');
    await waitFor(
      () => api.timeline().selected === arg.eventIndex,
      'the timeline selection at the hover step',
    );
  });

  it('refuses a launch configuration whose trace file is missing or not a trace, with one clear error', async () => {
    const api = await tracefix();
    api.clearNotifications();
    const started = await vscode.debug.startDebugging(folder(), {
      type: REPLAY_DEBUG_TYPE,
      request: 'launch',
      name: 'Replay missing',
      trace: '${workspaceFolder}/no-such-trace.json',
    });
    assert.equal(started, false);
    assert.equal(vscode.debug.activeDebugSession, undefined);
    const missing = path.join(workspaceDir(), 'no-such-trace.json');
    let errors = api.notifications().filter((n) => n.severity === 'error');
    assert.equal(errors.length, 1, JSON.stringify(errors));
    assert.ok(
      errors[0]!.message.startsWith(`Tracefix replay: Cannot read the trace file ${missing}`),
      errors[0]!.message,
    );

    api.clearNotifications();
    fs.writeFileSync(path.join(workspaceDir(), 'not-a-trace.json'), '{"hello": "world"}\n');
    assert.equal(
      await vscode.debug.startDebugging(folder(), {
        type: REPLAY_DEBUG_TYPE,
        request: 'launch',
        name: 'Replay junk',
        trace: 'not-a-trace.json',
      }),
      false,
    );
    errors = api.notifications().filter((n) => n.severity === 'error');
    assert.deepEqual(
      errors.map((n) => n.message),
      [
        `Tracefix replay: ${path.join(workspaceDir(), 'not-a-trace.json')} is not a Tracefix trace (schema "tracefix.trace").`,
      ],
    );
    assert.equal(api.lastTrace()?.program.target, 'report.py', 'the current trace is kept');
  });
});
