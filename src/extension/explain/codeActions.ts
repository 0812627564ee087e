// QuickFix code actions on the lines a fix changes: "Tracefix: apply fix — <summary> (verified)" and
// "Tracefix: preview fix". Offered only while the file still holds the traced text (else the hunks'
// lines would point at the wrong code); a verified fix is the preferred action.
import * as vscode from 'vscode';
import { documentUnchanged, fileUriOf } from './applyFix';
import { fixSummary, verificationLabel, type FixSession } from './session';

export const APPLY_FIX = 'tracefix.applyFix';
export const PREVIEW_FIX = 'tracefix.previewFix';

export class FixCodeActions implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(private readonly current: () => FixSession | undefined) {}

  provideCodeActions(
    doc: vscode.TextDocument,
    range: vscode.Range | vscode.Selection,
  ): vscode.CodeAction[] {
    const session = this.current();
    const round = session?.offeredRound();
    if (!session || !round?.patch) return [];
    const f = round.patch.files.find((x) => fileUriOf(session, x).fsPath === doc.uri.fsPath);
    if (!f || !documentUnchanged(doc, f)) return [];
    // A hunk covers old lines [startLine, endLine); a pure insertion sits on the line before it.
    const touches = f.hunks.some((h) => {
      const first = h.startLine === h.endLine ? Math.max(0, h.startLine - 1) : h.startLine;
      const last = Math.max(first, h.endLine - 1);
      return range.start.line <= last && range.end.line >= first;
    });
    if (!touches) return [];
    const verified = round.verification?.passed === true;
    const label = verificationLabel(round, session.trace.program.kind);
    const shortLabel = verified ? 'verified' : label.length > 90 ? `${label.slice(0, 89)}…` : label;
    const apply = new vscode.CodeAction(
      `Tracefix: apply fix — ${fixSummary(round)} (${shortLabel})`,
      vscode.CodeActionKind.QuickFix,
    );
    apply.command = {
      command: APPLY_FIX,
      title: 'Apply fix',
      arguments: [{ session: session.id, round: round.index }],
    };
    apply.isPreferred = verified;
    const preview = new vscode.CodeAction('Tracefix: preview fix', vscode.CodeActionKind.QuickFix);
    preview.command = {
      command: PREVIEW_FIX,
      title: 'Preview fix',
      arguments: [{ session: session.id, round: round.index, path: f.path }],
    };
    return [apply, preview];
  }
}
