// Runs from the editor without a model: saving before a run as `debug.saveBeforeStart` says (the
// run records what was saved, and the editor shows unsaved text as stale), and a long run's events
// left out between head and tail as one row of the timeline.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TestInvocation } from '../../../src/extension/editor/codeLens';
import {
  assertOk,
  closeAll,
  openAt,
  run,
  setSetting,
  tracefix,
  wsUri,
  setAutoSaveOff,
} from './tracefixApi';

const TEST: () => TestInvocation = () => ({ uri: wsUri('test_calc.py'), testId: 'test_spread' });

describe('tracefix: runs from the editor', function () {
  this.timeout(180_000);
  let original: string;

  before(async () => {
    await closeAll();
    await setAutoSaveOff(true);
    original = (await vscode.workspace.openTextDocument(wsUri('stats.py'))).getText();
  });
  after(async () => {
    await closeAll();
    await setAutoSaveOff(false);
    await vscode.commands.executeCommand('tracefix.clearTrace');
  });

  describe('saving before a run follows debug.saveBeforeStart', () => {
    const edit = async () => {
      const editor = await openAt('stats.py', 1);
      await editor.edit((b) => b.insert(new vscode.Position(0, 0), '# unsaved edit\n'));
      return editor.document;
    };
    afterEach(async () => {
      await vscode.workspace
        .getConfiguration('debug', { languageId: 'python' })
        .update('saveBeforeStart', undefined, vscode.ConfigurationTarget.Workspace, true);
      await vscode.workspace
        .getConfiguration('debug')
        .update('saveBeforeStart', undefined, vscode.ConfigurationTarget.Workspace);
      await closeAll();
    });

    it('by default the modified file is saved and the run records it', async () => {
      const api = await tracefix();
      const doc = await edit();
      assertOk(await run('tracefix.traceOnly', TEST()));
      assert.equal(doc.isDirty, false);
      assert.ok(
        api
          .lastTrace()!
          .sources.find((s) => s.path === 'stats.py')!
          .text.startsWith('# unsaved edit\n'),
      );
      await vscode.window.showTextDocument(doc);
      await doc.save();
      const editor = await openAt('stats.py', 1);
      await editor.edit((b) => b.delete(new vscode.Range(0, 0, 1, 0)));
      await editor.document.save();
    });

    it('"none" for Python (a language override, as VS Code reads it) leaves it unsaved and runs the saved text', async () => {
      const api = await tracefix();
      await vscode.workspace
        .getConfiguration('debug', { languageId: 'python' })
        .update('saveBeforeStart', 'none', vscode.ConfigurationTarget.Workspace, true);
      const doc = await edit();
      assertOk(await run('tracefix.traceOnly', TEST()));
      assert.equal(doc.isDirty, true, 'not saved');
      assert.equal(
        api.lastTrace()!.sources.find((s) => s.path === 'stats.py')!.text,
        original,
        'the run used the saved file',
      );
      assert.equal(
        api.lastDecorations(doc.uri)?.stale,
        true,
        'and the editor shows the values as stale',
      );
    });
  });

  describe('a long run in the timeline', () => {
    after(async () => {
      await setSetting('maxEvents', undefined);
      await setSetting('maxSteps', undefined);
    });

    it('reads the old setting name tracefix.maxSteps when tracefix.maxEvents is not set', async () => {
      const api = await tracefix();
      await setSetting('maxSteps', 30);
      await openAt('collatz.py', 1);
      assertOk(await run('tracefix.traceOnly'));
      assert.equal(api.lastTrace()?.limits.maxSteps, 30);
      await setSetting('maxSteps', undefined);
    });

    it('shows the events left out between head and tail as one row with their counts', async () => {
      const api = await tracefix();
      await setSetting('maxEvents', 20);
      await openAt('collatz.py', 1);
      assertOk(await run('tracefix.traceOnly'));
      const trace = api.lastTrace()!;
      assert.ok(trace.elided && trace.elided.events > 0, 'the recording kept head and tail only');
      await vscode.commands.executeCommand('tracefix.showTimeline');
      assert.match(
        api.timeline().elision ?? '',
        new RegExp(
          `^⋯ ${trace.elided.events} events not kept here \\(${trace.elided.steps} steps?\\)`,
        ),
      );
    });
  });
});
