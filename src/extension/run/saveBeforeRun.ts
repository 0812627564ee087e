// Saving before a run, as VS Code does before a debug session (`debug.saveBeforeStart`, which can
// differ per language): anything but "none" saves every modified file editor first (untitled ones
// are left alone: nothing runs them). The recorder reads files from disk, so with "none" the run uses
// the saved text of a modified file; the caller says so.
import * as path from 'node:path';
import * as vscode from 'vscode';

export type SaveBeforeStart =
  'allEditorsInActiveGroup' | 'nonUntitledEditorsInActiveGroup' | 'none';

export function saveBeforeStartSetting(): SaveBeforeStart {
  const languageId = vscode.window.activeTextEditor?.document.languageId;
  const value = vscode.workspace
    .getConfiguration('debug', languageId ? { languageId } : undefined)
    .get<string>('saveBeforeStart');
  return value === 'none' || value === 'nonUntitledEditorsInActiveGroup'
    ? value
    : 'allEditorsInActiveGroup';
}

/** Saves as `debug.saveBeforeStart` says; returns the setting and the Python files under `root` left modified. */
export async function saveBeforeRun(
  root: string,
): Promise<{ setting: SaveBeforeStart; unsaved: string[] }> {
  const setting = saveBeforeStartSetting();
  if (setting !== 'none') await vscode.workspace.saveAll(false);
  const unsaved = vscode.workspace.textDocuments
    .filter(
      (d) =>
        d.isDirty &&
        d.uri.scheme === 'file' &&
        d.languageId === 'python' &&
        !path.relative(root, d.uri.fsPath).startsWith('..'),
    )
    .map((d) => path.relative(root, d.uri.fsPath).split(path.sep).join('/'));
  return { setting, unsaved };
}
