// Editing a traced file: the trace goes stale, values stay only on unchanged lines at their new
// positions (never on a line that took another line's place), hovers follow, undo restores.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { assertOk, closeAll, openAt, run, textAt, tracefix, waitFor, wsUri } from './tracefixApi';

describe('tracefix: stale trace after an edit', function () {
  this.timeout(90_000);
  let editor: vscode.TextEditor;
  before(async () => {
    await closeAll();
    editor = await openAt('report.py', 3);
    await vscode.window.showTextDocument(
      await vscode.workspace.openTextDocument(wsUri('stats.py')),
      { viewColumn: vscode.ViewColumn.Two, preserveFocus: true },
    );
    assertOk(await run('tracefix.traceOnly'));
  });
  after(async () => {
    await vscode.commands.executeCommand('tracefix.clearTrace');
    await closeAll();
  });

  it('starts fresh: values on the recorded lines', async () => {
    const api = await tracefix();
    const d = api.lastDecorations(wsUri('report.py'))!;
    assert.equal(d.stale, false);
    assert.equal(textAt(api, wsUri('report.py'), 3), 'scores = [3, 5, 8]');
  });

  it('moves values down with their lines when lines are inserted above, fading them', async () => {
    const api = await tracefix();
    const uri = wsUri('report.py');
    const applied = waitFor(() => api.lastDecorations(uri)?.stale, 'stale decorations');
    await editor.edit((b) => b.insert(new vscode.Position(1, 0), '# a note\n\n'));
    await applied;
    const d = api.lastDecorations(uri)!;
    assert.ok(d.lines.every((l) => l.kind === 'stale'));
    assert.equal(textAt(api, uri, 3), undefined, 'the inserted blank line shows nothing');
    assert.equal(textAt(api, uri, 5), 'scores = [3, 5, 8]');
    assert.equal(textAt(api, uri, 8), 'totals = [3] → [3, 8] → [3, 8, 16]');
    assert.deepEqual(d.neverExecuted, [], 'no dimming once stale');
  });

  it('drops the value of a line whose text changed, keeps the others', async () => {
    const api = await tracefix();
    const uri = wsUri('report.py');
    const before = api.lastDecorations(uri)!.at;
    await editor.edit((b) => b.replace(editor.document.lineAt(5).range, 'totals = [0]'));
    await waitFor(
      () => (api.lastDecorations(uri)!.at > before || textAt(api, uri, 6) === undefined) && true,
      'repaint after the edit',
    );
    assert.equal(textAt(api, uri, 6), undefined, 'the edited line has no (now wrong) value');
    assert.equal(textAt(api, uri, 5), 'scores = [3, 5, 8]');
    assert.equal(textAt(api, uri, 7), 'i = 0 → 1 → 2');
  });

  it('answers hovers only on unchanged lines, with a stale note', async () => {
    const api = await tracefix();
    const uri = wsUri('report.py');
    assert.equal(await api.hoverMarkdown(uri, 6), undefined);
    assert.equal(await api.hoverMarkdown(uri, 3), undefined);
    const md = await api.hoverMarkdown(uri, 7);
    assert.ok(md?.includes('changed since the trace was recorded'));
    assert.ok(md?.includes('i = `2`'));
  });

  it('leaves other files of the trace alone', async () => {
    const api = await tracefix();
    const d = api.lastDecorations(wsUri('stats.py'))!;
    assert.equal(d.stale, false);
    assert.equal(d.exceptionLine, 8);
  });

  it('moves the diagnostic with the exception line and drops it when that line changes', async () => {
    const api = await tracefix();
    const uri = wsUri('stats.py');
    const stats = vscode.window.visibleTextEditors.find(
      (e) => e.document.uri.toString() === uri.toString(),
    )!;
    await stats.edit((b) => b.insert(new vscode.Position(0, 0), '\n'));
    await waitFor(
      () => api.diagnostics(uri)[0]?.line === 9 && true,
      'diagnostic on the moved line 9',
    );
    assert.equal(api.lastDecorations(uri)!.exceptionLine, 9);
    await stats.edit((b) =>
      b.replace(stats.document.lineAt(8).range, '    return total / max(len(values), 1)'),
    );
    await waitFor(() => api.diagnostics(uri).length === 0, 'diagnostic removed');
    assert.equal(api.lastDecorations(uri)!.exceptionLine, undefined);
  });

  it('is fresh again once the text is back to what was recorded', async () => {
    const api = await tracefix();
    for (const rel of ['report.py', 'stats.py']) {
      const e = vscode.window.visibleTextEditors.find(
        (x) => x.document.uri.toString() === wsUri(rel).toString(),
      )!;
      await vscode.window.showTextDocument(e.document, e.viewColumn);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
    await waitFor(
      () => api.lastDecorations(wsUri('report.py'))?.stale === false && true,
      'fresh decorations',
    );
    assert.equal(textAt(api, wsUri('report.py'), 3), 'scores = [3, 5, 8]');
    assert.ok(api.lastDecorations(wsUri('report.py'))!.lines.every((l) => l.kind === 'trace'));
    assert.equal(api.diagnostics(wsUri('stats.py'))[0]?.line, 8);
  });
});
