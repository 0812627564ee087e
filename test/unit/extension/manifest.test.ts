// What package.json promises the user about where Tracefix appears: the run commands in the Python
// editor, title bar and explorer menus, hover-only commands hidden from the palette, a setting for
// every core limit, the views' places, and limited support in Restricted Mode. (That VS Code
// registers and runs all of it is test/vscode/suite/extension.test.ts; package.json's contributions
// are generated from src/extension/contributes, checked by `npm run lint`.)
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'vitest';

interface MenuItem {
  command: string;
  when?: string;
  group?: string;
}

interface ViewContrib {
  type?: string;
  id: string;
  name: string;
}

const RUN_COMMANDS = ['tracefix.explainAndFix', 'tracefix.traceOnly'];

const pkg = JSON.parse(readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8')) as {
  contributes: {
    menus: Record<string, MenuItem[]>;
    configuration: {
      properties: Record<
        string,
        { enum?: string[]; default?: unknown; markdownDeprecationMessage?: string }
      >;
    };
    colors: { id: string }[];
    viewsContainers: Record<string, { id: string; title: string; icon: string }[]>;
    views: Record<string, ViewContrib[]>;
  };
  capabilities?: {
    untrustedWorkspaces?: { supported?: unknown; restrictedConfigurations?: string[] };
  };
};

function contributes(): typeof pkg.contributes {
  return pkg.contributes;
}

describe('package.json: where Tracefix appears', () => {
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
      'maxEvents',
      'timeoutSeconds',
      'reprLength',
      'budget',
      'engine',
      'pythonPath',
      'launch',
    ]) {
      assert.ok(configuration.properties[`tracefix.${key}`], `tracefix.${key}`);
    }
    assert.equal(configuration.properties['tracefix.maxEvents']?.default, 20000);
    // The old name is still read, shown as renamed.
    assert.match(
      String(configuration.properties['tracefix.maxSteps']?.markdownDeprecationMessage),
      /Renamed to `#tracefix.maxEvents#`/,
    );
    assert.equal(configuration.properties['tracefix.engine']?.default, 'fast');
    assert.deepEqual(configuration.properties['tracefix.engine']?.enum, ['fast', 'step']);
    assert.deepEqual(colors.map((x) => x.id).sort(), [
      'tracefix.currentStepBackground',
      'tracefix.divergenceBorder',
      'tracefix.exceptionBackground',
      'tracefix.exceptionForeground',
      'tracefix.staleForeground',
      'tracefix.traceForeground',
      'tracefix.whyBackground',
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
      'tracefix.compareWith',
      'tracefix.clearTrace',
      'tracefix.clearWhy',
    ]);
    assert.equal(
      menus.commandPalette?.find((m) => m.command === 'tracefix.clearWhy')?.when,
      'tracefix.hasWhy',
      'Clear Why Highlight only while a chain is highlighted',
    );
  });

  it('declares limited support for untrusted workspaces', () => {
    assert.equal(pkg.capabilities?.untrustedWorkspaces?.supported, 'limited');
    assert.deepEqual(pkg.capabilities?.untrustedWorkspaces?.restrictedConfigurations, [
      'tracefix.pythonPath',
      'tracefix.launch',
    ]);
  });
});
