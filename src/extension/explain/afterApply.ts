// Undoing an applied fix. When nothing touched the edited documents since (saving is fine), it is
// VS Code's own Undo on them, so the undo stack, Redo and the saved state stay right. When the files
// were saved with the fix and not edited, the fix's reverse is applied the byte-faithful way. After
// other edits it is refused: taking the fix out would take those edits with it or clash with them.
import * as vscode from 'vscode';
import { UserError } from '../../core/errors';
import type { FixRound } from '../../core/fix';
import { diffFile } from '../../core/patch/hunks';
import { hashText } from '../../core/patch/guard';
import { textMatchesBase } from '../../core/patch/patchBytes';
import { encodingFromVscode } from '../../core/source/encoding';
import { applyRound } from './applyFix';
import type { AppliedFix, FixSession } from './session';

function holds(doc: vscode.TextDocument, text: string): boolean {
  return textMatchesBase(doc.getText(), encodingFromVscode(doc.encoding), text);
}

/** The round with its patch turned round: from the fixed texts back to the traced ones. */
function reversed(round: FixRound): FixRound {
  const files = (round.patch?.files ?? []).map((f) => ({
    ...diffFile(f.path, f.newText, f.oldText),
    path: f.path,
    oldText: f.newText,
    newText: f.oldText,
    baseHash: hashText(f.newText),
  }));
  return {
    ...round,
    summary: `undo ${round.summary || 'the fix'}`,
    patch: { files, diff: files.map((f) => f.unifiedDiff).join('') },
  };
}

export async function undoApplied(
  session: FixSession,
  round: FixRound,
  applied: AppliedFix,
): Promise<void> {
  const patchFiles = round.patch?.files ?? [];
  const docs = await Promise.all(
    applied.files.map((f) => vscode.workspace.openTextDocument(vscode.Uri.parse(f.uri))),
  );
  const untouched = applied.files.every((f, i) => docs[i]?.version === f.version);
  if (untouched && docs.length > 0) {
    for (let i = docs.length - 1; i >= 0; i--) {
      const doc = docs[i];
      if (
        !doc ||
        holds(doc, patchFiles.find((p) => p.path === applied.files[i]?.rel)?.oldText ?? '\0')
      )
        continue;
      await vscode.window.showTextDocument(doc, { preview: false, preserveFocus: false });
      await vscode.commands.executeCommand('undo');
    }
    if (
      applied.files.every(
        (f, i) =>
          docs[i] && holds(docs[i], patchFiles.find((p) => p.path === f.rel)?.oldText ?? '\0'),
      )
    )
      return;
  }
  const clean = applied.files.every((f, i) => {
    const doc = docs[i];
    const p = patchFiles.find((x) => x.path === f.rel);
    return doc !== undefined && p !== undefined && !doc.isDirty && holds(doc, p.newText);
  });
  if (!clean) {
    throw new UserError(
      'patch-conflict',
      `${applied.files.map((f) => f.rel).join(', ')} changed after the fix was applied, so Tracefix did not take the fix out (it would take your edits with it).`,
      'Use Undo (Ctrl+Z) in the editor, or save your edits and revert the lines by hand.',
    );
  }
  await applyRound(session, reversed(round));
}
