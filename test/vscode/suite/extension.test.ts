// Activation, commands and where they appear (from the package.json contributions VS Code loaded).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, tracefix, wsUri } from './tracefixApi';

interface MenuItem {
  command: string;
  when?: string;
  group?: string;
}

const RUN_COMMANDS = ['tracefix.explainAndFix', 'tracefix.traceOnly'];
const ALL_COMMANDS = [
  ...RUN_COMMANDS,
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
];

interface ViewContrib {
  type?: string;
  id: string;
  name: string;
}

function contributes(): {
  commands: { command: string }[];
  menus: Record<string, MenuItem[]>;
  configuration: { properties: Record<string, { enum?: string[] }> };
  colors: { id: string }[];
  viewsContainers: Record<string, { id: string; title: string; icon: string }[]>;
  views: Record<string, ViewContrib[]>;
} {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext);
  return (ext.packageJSON as { contributes: ReturnType<typeof contributes> }).contributes;
}

describe('tracefix: activation and contributions', () => {
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

  it('puts Explain & Fix and Trace Only in the Python editor menu, title bar and .py explorer menu', () => {
    const menus = contributes().menus;
    for (const id of RUN_COMMANDS) {
      assert.ok(
        menus['editor/context']?.some(
          (m) => m.command === id && m.when?.includes('editorLangId == python'),
        ),
        `${id} in editor/context`,
      );
      assert.ok(
        menus['editor/title']?.some(
          (m) => m.command === id && m.when?.includes('resourceLangId == python'),
        ),
        `${id} in editor/title`,
      );
      assert.ok(
        menus['explorer/context']?.some(
          (m) => m.command === id && m.when === 'resourceExtname == .py',
        ),
        `${id} in explorer/context`,
      );
      assert.ok(
        !menus.commandPalette?.some((m) => m.command === id),
        `${id} is not hidden from the palette`,
      );
    }
    assert.equal(
      menus['editor/title']
        ?.find((m) => m.command === 'tracefix.explainAndFix')
        ?.group?.startsWith('navigation'),
      true,
    );
    for (const id of ['tracefix.goToCaller', 'tracefix.replayFromStep']) {
      assert.equal(
        menus.commandPalette?.find((m) => m.command === id)?.when,
        'false',
        `${id} only from hover links`,
      );
    }
  });

  it('has a setting for every core limit and themable colours', () => {
    const { configuration, colors } = contributes();
    for (const key of [
      'maxSteps',
      'timeoutSeconds',
      'reprLength',
      'budget',
      'engine',
      'pythonPath',
      'launch',
    ]) {
      assert.ok(configuration.properties[`tracefix.${key}`], `tracefix.${key}`);
    }
    const c = vscode.workspace.getConfiguration('tracefix');
    assert.equal(c.inspect('maxSteps')?.defaultValue, 20000);
    assert.equal(c.inspect('engine')?.defaultValue, 'fast');
    assert.deepEqual(
      configuration.properties['tracefix.engine']?.enum,
      ['fast', 'step', 'logpoint'],
      "'logpoint' stays accepted as the former name of 'fast'",
    );
    assert.deepEqual(colors.map((x) => x.id).sort(), [
      'tracefix.currentStepBackground',
      'tracefix.exceptionBackground',
      'tracefix.exceptionForeground',
      'tracefix.staleForeground',
      'tracefix.traceForeground',
    ]);
  });

  it('puts the timeline in the panel area and the explanation in its own side bar container', () => {
    const { viewsContainers, views, menus } = contributes();
    assert.deepEqual(
      viewsContainers.panel?.map((c) => c.id),
      ['tracefix-panel'],
    );
    assert.deepEqual(
      viewsContainers.activitybar?.map((c) => c.id),
      ['tracefix'],
    );
    assert.deepEqual(views['tracefix-panel'], [
      {
        type: 'webview',
        id: 'tracefix.timeline',
        name: 'Timeline',
        contextualTitle: 'Tracefix',
        icon: 'media/tracefix-activity.svg',
      },
    ]);
    assert.deepEqual(
      views.tracefix?.map((v) => [v.type, v.id, v.name]),
      [['webview', 'tracefix.explanation', 'Explanation']],
    );
    const timelineTitle = (menus['view/title'] ?? [])
      .filter((m) => m.when?.startsWith('view == tracefix.timeline'))
      .map((m) => m.command);
    assert.deepEqual(timelineTitle, [
      'tracefix.rerun',
      'tracefix.replayTrace',
      'tracefix.saveTrace',
      'tracefix.clearTrace',
    ]);
  });

  it('declares limited support for untrusted workspaces', () => {
    const pkg = vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON as {
      capabilities?: {
        untrustedWorkspaces?: { supported?: unknown; restrictedConfigurations?: string[] };
      };
    };
    assert.equal(pkg.capabilities?.untrustedWorkspaces?.supported, 'limited');
    assert.deepEqual(pkg.capabilities?.untrustedWorkspaces?.restrictedConfigurations, [
      'tracefix.pythonPath',
      'tracefix.launch',
    ]);
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
