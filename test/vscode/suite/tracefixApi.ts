// Shared helpers of the Tracefix in-host suites (not a suite: run.mjs bundles *.test.ts only).
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TracefixExtensionExports } from '../../../src/extension/extension';
import type { TracefixTestApi } from '../../../src/extension/testApi';
import type { LastRun } from '../../../src/extension/run/runs';

export const EXTENSION_ID = 'tracefix.tracefix';

export async function tracefix(): Promise<TracefixTestApi> {
  const ext = vscode.extensions.getExtension<TracefixExtensionExports>(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is installed`);
  const exports = await ext.activate();
  assert.ok(exports._test, 'the test API (VS Code runs the extension under tests)');
  return exports._test;
}

export function workspaceDir(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'a workspace folder is open');
  return folder.uri.fsPath;
}

export function wsUri(rel: string): vscode.Uri {
  return vscode.Uri.file(path.join(workspaceDir(), rel));
}

/** Opens a workspace file in the first column, cursor on 1-based `line`. */
export async function openAt(rel: string, line = 1): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(wsUri(rel));
  const editor = await vscode.window.showTextDocument(doc, {
    viewColumn: vscode.ViewColumn.One,
    preview: false,
  });
  const pos = new vscode.Position(line - 1, 0);
  editor.selection = new vscode.Selection(pos, pos);
  return editor;
}

/** Polls `probe` until it returns a value other than undefined/false; fails with `what` after `ms`. */
export async function waitFor<T>(
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  what: string,
  ms = 30_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Runs a Tracefix command and returns how the run ended. */
export async function run(
  command: 'tracefix.traceOnly' | 'tracefix.explainAndFix',
  arg?: unknown,
): Promise<LastRun> {
  const result = await vscode.commands.executeCommand<LastRun>(command, arg);
  assert.ok(result, `${command} returned its run`);
  return result;
}

export function assertOk(r: LastRun): void {
  assert.equal(r.status, 'ok', `run failed: ${JSON.stringify(r.error)}`);
}

export async function setSetting(key: string, value: unknown): Promise<void> {
  await vscode.workspace
    .getConfiguration('tracefix')
    .update(key, value, vscode.ConfigurationTarget.Workspace);
}

/**
 * Turns files.autoSave off for the workspace (`false`: back to the default). code-server saves modified
 * files after a delay by default, and suites that check what is saved when must decide that themselves.
 */
export async function setAutoSaveOff(off: boolean): Promise<void> {
  await vscode.workspace
    .getConfiguration('files')
    .update('autoSave', off ? 'off' : undefined, vscode.ConfigurationTarget.Workspace);
}

/** Closes every editor without saving (each suite starts from the files as copied). */
export async function closeAll(): Promise<void> {
  for (const doc of vscode.workspace.textDocuments.filter((d) => d.isDirty)) {
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/** Text of the decoration on 1-based `line`, or undefined. */
export function textAt(api: TracefixTestApi, uri: vscode.Uri, line: number): string | undefined {
  return api.lastDecorations(uri)?.lines.find((l) => l.line === line)?.text;
}

/** A model answer fixing the fixture's `spread` (stats.py) with `low = <lowInit>`. */
export function spreadAnswer(rationale: string, lowInit: string, summary: string): string {
  return `${rationale}

Summary: ${summary}

\`\`\`python
# stats.py
def spread(values):
    low = ${lowInit}
    high = values[0]
    for v in values:
        if v < low:
            low = v
        if v > high:
            high = v
    return high - low
\`\`\`
`;
}
