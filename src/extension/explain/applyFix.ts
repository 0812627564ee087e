// Applying and previewing a round's patch in the editor. Applying is ONE WorkspaceEdit of the minimal
// hunks (one undo step), refused as a whole when any file no longer holds the text that was traced.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { UserError } from '../../core/errors';
import type { FilePatch } from '../../core/fix';
import { assertUnchanged, isUnchanged } from '../../core/patch/guard';
import { fixUri } from './documents';
import { hunkReplacements } from './hunkEdits';
import { fixSummary, verificationLabel, type FixSession } from './session';
import type { FixRound } from '../../core/fix';

export function fileUriOf(session: FixSession, f: FilePatch): vscode.Uri {
  return vscode.Uri.file(path.join(session.root, ...f.path.split('/')));
}

/** The open (or opened) document of a patched file; a file that does not exist is refused. */
async function documentOf(session: FixSession, f: FilePatch): Promise<vscode.TextDocument> {
  try {
    return await vscode.workspace.openTextDocument(fileUriOf(session, f));
  } catch {
    throw new UserError('file-not-found', `${f.path} does not exist, so the fix was not applied.`, 'Run Explain & Fix again.');
  }
}

/** Is the document still the text the patch was made against (the traced text)? */
export function documentUnchanged(doc: vscode.TextDocument, f: FilePatch): boolean {
  return isUnchanged(doc.getText(), f.baseHash);
}

/** Builds the edit; throws `patch-conflict` (nothing applied) when a file changed since the trace. */
export async function buildFixEdit(session: FixSession, round: FixRound): Promise<vscode.WorkspaceEdit> {
  const patch = round.patch;
  if (!patch || patch.files.length === 0) throw new UserError('bad-argument', `Round ${round.index} has no fix to apply.`);
  const edit = new vscode.WorkspaceEdit();
  for (const f of patch.files) {
    const doc = await documentOf(session, f);
    const text = doc.getText();
    assertUnchanged(f.path, text, f.baseHash);
    for (const r of hunkReplacements(text, f.hunks)) {
      edit.replace(doc.uri, new vscode.Range(doc.positionAt(r.start), doc.positionAt(r.end)), r.text, {
        label: `Tracefix: ${fixSummary(round)}`,
        needsConfirmation: false,
      });
    }
  }
  return edit;
}

export async function applyRound(session: FixSession, round: FixRound): Promise<void> {
  const edit = await buildFixEdit(session, round);
  if (!(await vscode.workspace.applyEdit(edit))) throw new UserError('patch-conflict', 'VS Code did not apply the fix (the files may be read-only or changed meanwhile).');
}

/** `vscode.diff` between a patched file as it is now and as the round would make it. */
export async function previewRound(session: FixSession, round: FixRound, relPath?: string): Promise<void> {
  const f = round.patch?.files.find((x) => relPath === undefined || x.path === relPath);
  if (!f) throw new UserError('bad-argument', `Round ${round.index} has no fix${relPath ? ` for ${relPath}` : ''} to preview.`);
  const title = `${path.basename(f.path)} ↔ Tracefix fix (round ${round.index}, ${verificationLabel(round, session.trace.program.kind)})`;
  await vscode.commands.executeCommand('vscode.diff', fileUriOf(session, f), fixUri(session, round.index, f.path), title, { preview: true });
}
