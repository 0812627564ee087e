// Trace Only / Explain & Fix on the fixture workspace, end to end through the real recorder: the
// decorations, diagnostics, hover, timeline and what Explain & Fix is handed.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExplainRequest } from '../../../src/extension/explain/feature';
import { assertOk, closeAll, openAt, run, textAt, tracefix, waitFor, wsUri } from './tracefixApi';

describe('tracefix: Trace Only on a script', function () {
  this.timeout(90_000);
  before(async () => {
    await closeAll();
    const api = await tracefix();
    await openAt('report.py', 3);
    // stats.py beside it, so its decorations are painted too.
    await vscode.window.showTextDocument(
      await vscode.workspace.openTextDocument(wsUri('stats.py')),
      { viewColumn: vscode.ViewColumn.Two, preserveFocus: true },
    );
    // The timeline is a view in the panel, open from earlier suites: close the panel to see whether Trace Only opens it.
    await vscode.commands.executeCommand('workbench.action.closePanel');
    api.clearNotifications();
    const r = await run('tracefix.traceOnly');
    assertOk(r);
    assert.equal(r.plan?.target.kind, 'script');
    assert.equal(r.plan?.label, 'report.py');
  });
  after(closeAll);

  it('records the run the way it happened', async () => {
    const trace = (await tracefix()).lastTrace();
    assert.ok(trace);
    assert.equal(trace.program.kind, 'script');
    assert.equal(trace.outcome.status, 'exception');
    assert.deepEqual(
      [trace.outcome.exception?.type, trace.outcome.exception?.file, trace.outcome.exception?.line],
      ['ZeroDivisionError', 'stats.py', 8],
    );
  });

  it('paints what each line of the script did on that line', async () => {
    const api = await tracefix();
    const uri = wsUri('report.py');
    assert.equal(textAt(api, uri, 3), 'scores = [3, 5, 8]');
    assert.equal(textAt(api, uri, 4), 'totals = []');
    assert.equal(textAt(api, uri, 5), 'i = 0 → 1 → 2');
    assert.equal(textAt(api, uri, 6), 'totals = [3] → [3, 8] → [3, 8, 16]');
    assert.equal(textAt(api, uri, 8), '✗ ZeroDivisionError');
    assert.equal(textAt(api, uri, 7), undefined, 'a line that changed nothing gets no text');
    const d = api.lastDecorations(uri)!;
    assert.equal(d.stale, false);
    assert.ok(d.lines.every((l) => l.kind === 'trace'));
  });

  it('paints the called module, marking the exception line and publishing a diagnostic on it', async () => {
    const api = await tracefix();
    const uri = wsUri('stats.py');
    const d = await waitFor(() => api.lastDecorations(uri), 'decorations on stats.py');
    assert.equal(textAt(api, uri, 4), 'values = [3, 5, 8] → []');
    assert.equal(textAt(api, uri, 5), 'total = 0 (×2)');
    assert.equal(textAt(api, uri, 6), 'v = 3 → 5 → 8');
    assert.equal(textAt(api, uri, 7), 'total = 3 → 8 → 16');
    assert.equal(d.exceptionLine, 8);
    const exc = d.lines.find((l) => l.line === 8)!;
    assert.equal(exc.kind, 'exception');
    assert.equal(exc.text, '__return__ = 5.333333333333333; ✗ ZeroDivisionError: division by zero');
    // `spread` never ran, so none of its lines is dimmed; every line of `mean` ran.
    assert.deepEqual(d.neverExecuted, []);
    assert.deepEqual(api.diagnostics(uri), [
      {
        line: 8,
        message: 'ZeroDivisionError: division by zero (in the recorded run)',
        severity: 'error',
      },
    ]);
    assert.ok(
      vscode.languages
        .getDiagnostics(uri)
        .some((x) => x.source === 'Tracefix' && x.range.start.line === 7),
    );
  });

  it('hovers a line with every recorded execution and command links', async () => {
    const uri = wsUri('stats.py');
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      uri,
      new vscode.Position(6, 10),
    );
    const md = hovers
      .flatMap((h) =>
        h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : '')),
      )
      .find((t) => t.includes('**Tracefix**'));
    assert.ok(md, 'a Tracefix hover on stats.py:7');
    assert.match(md, /^\*\*Tracefix\*\* · line 7 · ran 3× in mean/m);
    for (const v of ['3', '8', '16'])
      assert.ok(md.includes(`total = \`${v}\``), `total = ${v} in the hover`);
    assert.ok(md.includes('mean #1 · depth 1'));
    assert.ok(md.includes('command:tracefix.showTimeline?'));
    assert.ok(md.includes('command:tracefix.goToCaller?'));
    assert.ok(md.includes('command:tracefix.replayFromStep?'));
    assert.equal(md, await (await tracefix()).hoverMarkdown(uri, 7));
    assert.equal(
      await (await tracefix()).hoverMarkdown(uri, 2),
      undefined,
      'no hover on a blank line',
    );
  });

  it('does not open the timeline for Trace Only, and Clear Trace removes everything', async () => {
    const api = await tracefix();
    assert.equal(api.timeline().open, false);
    await vscode.commands.executeCommand('tracefix.clearTrace');
    assert.equal(api.lastTrace(), undefined);
    assert.equal(api.lastDecorations(wsUri('report.py')), undefined);
    assert.deepEqual(api.diagnostics(wsUri('stats.py')), []);
  });
});

describe('tracefix: Explain & Fix on the pytest test at the cursor', function () {
  this.timeout(90_000);
  const explained: ExplainRequest[] = [];
  let registration: vscode.Disposable | undefined;
  before(async () => {
    await closeAll();
    const api = await tracefix();
    // What Explain & Fix is handed (the model itself is not configured here: no answer is made up).
    registration = api.onWillExplain((input) => void explained.push(input));
    await openAt('test_calc.py', 9);
    assertOk(await run('tracefix.explainAndFix'));
  });
  after(async () => {
    registration?.dispose();
    await vscode.commands.executeCommand('tracefix.clearTrace');
    await closeAll();
  });

  it('runs the test under the cursor with pytest', async () => {
    const api = await tracefix();
    const r = api.lastRun()!;
    assert.deepEqual(r.plan?.target, { kind: 'pytest', nodeId: 'test_calc.py::test_spread' });
    assert.equal(r.plan?.origin, 'test-at-cursor');
    const trace = api.lastTrace()!;
    assert.equal(trace.outcome.testPassed, false);
    assert.equal(trace.outcome.exception?.type, 'AssertionError');
    assert.deepEqual(
      [trace.outcome.exception?.file, trace.outcome.exception?.line],
      ['test_calc.py', 10],
    );
  });

  it('marks the failing assert and paints the test', async () => {
    const api = await tracefix();
    const uri = wsUri('test_calc.py');
    assert.equal(textAt(api, uri, 9), 'data = [3, 5, 8]');
    const d = api.lastDecorations(uri)!;
    assert.equal(d.exceptionLine, 10);
    assert.match(textAt(api, uri, 10) ?? '', /^✗ AssertionError: assert 8 == 5/);
    assert.equal(api.diagnostics(uri)[0]?.line, 10);
  });

  it('opens the timeline at the exception and highlights its line', async () => {
    const api = await tracefix();
    const trace = api.lastTrace()!;
    const t = api.timeline();
    assert.equal(t.open, true);
    assert.equal(t.rows, trace.events.length);
    const e = trace.events.at(t.selected!)!;
    assert.deepEqual([e.kind, e.file, e.line], ['exception', 'test_calc.py', 10]);
    assert.deepEqual(api.stepHighlight(), { uri: wsUri('test_calc.py').toString(), line: 10 });
  });

  it('paints the module under test with the loop values and dims the branch that never ran', async () => {
    const api = await tracefix();
    const uri = wsUri('stats.py');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), {
      viewColumn: vscode.ViewColumn.Three,
      preserveFocus: true,
    });
    await waitFor(() => api.lastDecorations(uri)?.lines.length, 'decorations on stats.py');
    assert.equal(textAt(api, uri, 11), 'values = [3, 5, 8]');
    assert.equal(textAt(api, uri, 12), 'low = 0');
    assert.equal(textAt(api, uri, 13), 'high = 3');
    assert.equal(textAt(api, uri, 14), 'v = 3 → 5 → 8');
    assert.equal(textAt(api, uri, 15), '×3');
    assert.equal(textAt(api, uri, 18), 'high = 5 → 8');
    assert.equal(textAt(api, uri, 19), '__return__ = 8');
    assert.equal(textAt(api, uri, 16), undefined);
    assert.deepEqual(api.lastDecorations(uri)!.neverExecuted, [16], '`low = v` never ran: the bug');
  });

  it('moves the editor highlight with the selected step, as the hover link does', async () => {
    const api = await tracefix();
    const trace = api.lastTrace()!;
    const v8 = trace.events.find((e) => e.file === 'stats.py' && e.changed.v === '8')!;
    await api.selectStep(v8.index);
    assert.equal(api.timeline().selected, v8.index);
    assert.deepEqual(api.stepHighlight(), { uri: wsUri('stats.py').toString(), line: 14 });
    const high = trace.events.find(
      (e) => e.file === 'stats.py' && e.line === 18 && e.changed.high === '8',
    )!;
    await vscode.commands.executeCommand('tracefix.showTimeline', { eventIndex: high.index });
    assert.equal(api.timeline().selected, high.index);
    assert.deepEqual(api.stepHighlight(), { uri: wsUri('stats.py').toString(), line: 18 });
  });

  it('goes to the caller of a step', async () => {
    const api = await tracefix();
    const trace = api.lastTrace()!;
    const ret = trace.events.find((e) => e.kind === 'return' && e.function === 'spread')!;
    await vscode.commands.executeCommand('tracefix.goToCaller', { eventIndex: ret.index });
    const editor = vscode.window.activeTextEditor!;
    assert.equal(editor.document.uri.toString(), wsUri('test_calc.py').toString());
    assert.equal(editor.selection.active.line + 1, 10);
  });

  it('replays the recording in the debugger from a chosen step', async () => {
    const api = await tracefix();
    const trace = api.lastTrace()!;
    const high = trace.events.find(
      (e) => e.file === 'stats.py' && e.line === 18 && e.changed.high === '8',
    )!;
    const stopped = new Promise<vscode.DebugSession>((resolve) => {
      const sub = vscode.debug.onDidStartDebugSession((s) => {
        if (s.type !== 'tracefix-replay') return;
        sub.dispose();
        resolve(s);
      });
    });
    await vscode.commands.executeCommand('tracefix.replayFromStep', { eventIndex: high.index });
    const session = await stopped;
    try {
      const stack = (await session.customRequest('stackTrace', { threadId: 1 })) as {
        stackFrames: { name: string; line: number; source?: { path?: string } }[];
      };
      const top = stack.stackFrames[0]!;
      assert.equal(top.line, 18);
      assert.match(top.source?.path ?? '', /stats\.py$/);
      const frames = stack.stackFrames.map((f) => f.name).join(' < ');
      assert.match(frames, /spread.*test_spread/);
    } finally {
      await vscode.debug.stopDebugging(session);
    }
  });

  it('hands the trace to Explain & Fix', () => {
    assert.equal(explained.length, 1);
    assert.equal(explained[0]!.trace.program.target, 'test_calc.py::test_spread');
    assert.equal(explained[0]!.plan.origin, 'test-at-cursor');
    assert.equal(explained[0]!.settings.budget, 12000);
  });
});

describe('tracefix: settings', function () {
  this.timeout(90_000);
  after(async () => {
    await vscode.workspace
      .getConfiguration('tracefix')
      .update('inline.maxLength', undefined, vscode.ConfigurationTarget.Workspace);
    await vscode.workspace
      .getConfiguration('tracefix')
      .update('inline.dimNeverExecuted', undefined, vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand('tracefix.clearTrace');
    await closeAll();
  });

  it('repaints with the new width and dimming when the inline settings change', async () => {
    const api = await tracefix();
    await closeAll();
    await openAt('report.py', 1);
    assertOk(await run('tracefix.traceOnly'));
    const uri = wsUri('report.py');
    assert.equal(textAt(api, uri, 6), 'totals = [3] → [3, 8] → [3, 8, 16]');
    await vscode.workspace
      .getConfiguration('tracefix')
      .update('inline.maxLength', 20, vscode.ConfigurationTarget.Workspace);
    await waitFor(
      () => textAt(api, uri, 6) !== 'totals = [3] → [3, 8] → [3, 8, 16]',
      'repaint at 20 characters',
    );
    const narrow = api.lastDecorations(uri)!.lines;
    assert.ok(
      narrow.every((l) => l.text.length <= 20),
      JSON.stringify(narrow),
    );
    assert.equal(textAt(api, uri, 6), 'totals = … [3, 8…');

    const stats = wsUri('stats.py');
    await openAt('test_calc.py', 9);
    assertOk(await run('tracefix.traceOnly'));
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(stats), {
      viewColumn: vscode.ViewColumn.Two,
      preserveFocus: true,
    });
    await waitFor(
      () => api.lastDecorations(stats)?.neverExecuted.length === 1 && true,
      'stats.py dimmed line',
    );
    await vscode.workspace
      .getConfiguration('tracefix')
      .update('inline.dimNeverExecuted', false, vscode.ConfigurationTarget.Workspace);
    await waitFor(
      () => api.lastDecorations(stats)?.neverExecuted.length === 0 && true,
      'no dimming',
    );
  });
});

describe('tracefix: run targets', function () {
  this.timeout(90_000);
  afterEach(async () => {
    await vscode.workspace
      .getConfiguration('tracefix')
      .update('launch', undefined, vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand('tracefix.clearTrace');
    await closeAll();
  });

  it('runs the test a CodeLens names, wherever the cursor is', async () => {
    await openAt('collatz.py', 1);
    const r = await run('tracefix.traceOnly', { uri: wsUri('test_calc.py'), testId: 'test_mean' });
    assertOk(r);
    assert.deepEqual(r.plan?.target, { kind: 'pytest', nodeId: 'test_calc.py::test_mean' });
    assert.equal((await tracefix()).lastTrace()?.outcome.testPassed, true);
  });

  it('runs the file an explorer menu names, not the one in the editor', async () => {
    await openAt('report.py', 3);
    const r = await run('tracefix.traceOnly', wsUri('collatz.py'));
    assertOk(r);
    assert.equal(r.plan?.origin, 'explicit');
    assert.equal(r.plan?.label, 'collatz.py');
    assert.equal((await tracefix()).lastTrace()?.program.target, 'collatz.py');
  });

  it('runs a launch.json configuration named by tracefix.launch', async () => {
    await vscode.workspace
      .getConfiguration('tracefix')
      .update('launch', 'Spread test', vscode.ConfigurationTarget.Workspace);
    await openAt('collatz.py', 1);
    const r = await run('tracefix.traceOnly');
    assertOk(r);
    assert.equal(r.plan?.origin, 'launch');
    assert.deepEqual(r.plan?.target, { kind: 'pytest', nodeId: 'test_calc.py::test_spread' });
    assert.deepEqual(r.plan?.args, ['-q']);
  });

  it('reports an unknown launch configuration name in one notification', async () => {
    const api = await tracefix();
    await vscode.workspace
      .getConfiguration('tracefix')
      .update('launch', 'No such config', vscode.ConfigurationTarget.Workspace);
    await openAt('collatz.py', 1);
    api.clearNotifications();
    const r = await run('tracefix.traceOnly');
    assert.equal(r.status, 'error');
    assert.equal(r.error?.code, 'bad-argument');
    assert.equal(api.notifications().length, 1);
    assert.match(
      api.notifications()[0]!.message,
      /No Python launch configuration named "No such config".*Known: Report script, Spread test/,
    );
  });
});
