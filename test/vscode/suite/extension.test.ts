// Activation, the command table in a real extension host: every contributed command is registered,
// runs without a recording and says what to do first, a recording gets the core's defaults, and the
// CodeLenses. (What package.json promises about menus and views: test/unit/extension/manifest.test.ts.)
// This file runs first (the runner sorts suite files), before any suite has recorded anything.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { SETTING_DEFAULTS } from '../../../src/extension/contributes/settings';
import { assertOk, closeAll, EXTENSION_ID, openAt, run, tracefix, wsUri } from './tracefixApi';

const ALL_COMMANDS = [
  'tracefix.explainAndFix',
  'tracefix.traceOnly',
  'tracefix.clearTrace',
  'tracefix.chooseTarget',
  'tracefix.showTimeline',
  'tracefix.setApiKey',
  'tracefix.goToCaller',
  'tracefix.replayFromStep',
  'tracefix.replayTrace',
  'tracefix.saveTrace',
  'tracefix.showLog',
  'tracefix.applyFix',
  'tracefix.previewFix',
  'tracefix.showExplanation',
  'tracefix.showPrompt',
  'tracefix.rerun',
  'tracefix.undoFix',
  'tracefix.sandboxChoice',
  'tracefix.compareWith',
  'tracefix.stopComparing',
  'tracefix.why',
  'tracefix.clearWhy',
];

const NO_TRACE = 'No trace yet: run "Tracefix: Trace Only" or "Tracefix: Explain & Fix" first.';
const NO_FIX = 'No fix yet: run "Tracefix: Explain & Fix" first.';

/** Before anything was recorded: what each command says (one information message each). */
const WITHOUT_A_RECORDING: [string, string][] = [
  ['tracefix.showTimeline', NO_TRACE],
  ['tracefix.saveTrace', NO_TRACE],
  ['tracefix.goToCaller', 'That step has no caller in user code.'],
  ['tracefix.replayFromStep', 'No recorded step to replay from: record a trace first.'],
  [
    'tracefix.rerun',
    'Nothing to run again yet: run "Tracefix: Trace Only" or "Tracefix: Explain & Fix" first.',
  ],
  ['tracefix.applyFix', NO_FIX],
  ['tracefix.previewFix', NO_FIX],
  ['tracefix.showPrompt', NO_FIX],
  ['tracefix.undoFix', 'No fix applied from the current Explain & Fix run to undo.'],
  [
    'tracefix.showExplanation',
    'No explanation yet: run "Tracefix: Explain & Fix" on a failing test or script first.',
  ],
];

function contributes(): { commands: { command: string }[] } {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext);
  return (ext.packageJSON as { contributes: ReturnType<typeof contributes> }).contributes;
}

describe('tracefix: activation and the command table', () => {
  it('activates and hands the suites its test API', async () => {
    const api = await tracefix();
    assert.equal(typeof api.lastDecorations, 'function');
    assert.ok(vscode.extensions.getExtension(EXTENSION_ID)?.isActive);
  });

  it('registers every contributed command', async () => {
    await tracefix();
    const registered = new Set(await vscode.commands.getCommands(true));
    const contributed = contributes()
      .commands.map((c) => c.command)
      .sort();
    assert.deepEqual(contributed, [...ALL_COMMANDS].sort());
    for (const id of contributed) assert.ok(registered.has(id), `${id} is registered`);
  });

  it('runs each command before anything was recorded, saying in one message what to do first', async () => {
    const api = await tracefix();
    await vscode.commands.executeCommand('tracefix.clearTrace');
    for (const [command, message] of WITHOUT_A_RECORDING) {
      api.clearNotifications();
      await vscode.commands.executeCommand(command);
      assert.deepEqual(
        api.notifications().map((n) => [n.severity, n.message]),
        [['info', message]],
        command,
      );
    }
  });

  it("records with the core's default limits and engine when nothing is set", async function () {
    this.timeout(90_000);
    const api = await tracefix();
    try {
      await openAt('report.py', 1);
      assertOk(await run('tracefix.traceOnly'));
      assert.deepEqual(api.lastTrace()?.limits, {
        maxSteps: SETTING_DEFAULTS.maxEvents,
        timeoutMs: SETTING_DEFAULTS.timeoutSeconds * 1000,
        reprLength: SETTING_DEFAULTS.reprLength,
      });
      assert.equal(api.lastTrace()?.engine, SETTING_DEFAULTS.engine);
    } finally {
      await vscode.commands.executeCommand('tracefix.clearTrace');
      await closeAll();
    }
  });

  it('shows Explain & Fix / Trace lenses above each pytest test function only', async () => {
    await tracefix();
    const uri = wsUri('test_calc.py');
    await vscode.workspace.openTextDocument(uri);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>(
      'vscode.executeCodeLensProvider',
      uri,
    );
    const ours = lenses.filter((l) => l.command?.command.startsWith('tracefix.'));
    assert.deepEqual(
      ours.map((l) => [
        l.range.start.line + 1,
        l.command?.command,
        (l.command?.arguments?.[0] as { testId: string }).testId,
      ]),
      [
        [4, 'tracefix.explainAndFix', 'test_mean'],
        [4, 'tracefix.traceOnly', 'test_mean'],
        [8, 'tracefix.explainAndFix', 'test_spread'],
        [8, 'tracefix.traceOnly', 'test_spread'],
      ],
    );
    const module = wsUri('stats.py');
    await vscode.workspace.openTextDocument(module);
    const none = await vscode.commands.executeCommand<vscode.CodeLens[]>(
      'vscode.executeCodeLensProvider',
      module,
    );
    assert.equal(none.filter((l) => l.command?.command.startsWith('tracefix.')).length, 0);
  });
});
