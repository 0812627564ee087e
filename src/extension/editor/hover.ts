// Hover on a traced line: the table of its recorded executions (core/render/hover), with command links
// trusted for Tracefix's own commands only. On a stale file only unchanged lines answer, at their
// new position, with a note saying the values are from before the edit.
import * as vscode from 'vscode';
import { buildHover } from '../../core/render/hover';
import { HOVER_COMMANDS } from '../contributes/commands';
import type { TraceStore } from '../run/traceStore';

export const STALE_NOTE =
  '$(warning) *This file changed since the trace was recorded: values are from the recorded run.*';

export class TraceHoverProvider implements vscode.HoverProvider {
  constructor(private readonly store: TraceStore) {}

  /** The hover Markdown of the document's 1-based `line`, as the provider would show it. */
  markdown(doc: vscode.TextDocument, line: number): string | undefined {
    const trace = this.store.trace;
    const m = this.store.lineMap(doc);
    if (!trace || !m) return undefined;
    const original = m.map.toOriginal(line);
    if (original === undefined) return undefined;
    const recording = this.store.recording;
    const notes = [
      ...(recording?.kind === 'patched'
        ? [
            `$(beaker) *Recorded for ${recording.role ?? 'a later round'}: the program with a proposed fix, run in a temporary copy.*`,
          ]
        : []),
      ...(m.map.identity ? [] : [STALE_NOTE]),
    ];
    const hover = buildHover(
      trace,
      m.file.rel,
      original,
      notes.length
        ? { commands: HOVER_COMMANDS, note: notes.join('\n\n') }
        : { commands: HOVER_COMMANDS },
    );
    return hover?.markdown;
  }

  provideHover(doc: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const text = this.markdown(doc, position.line + 1);
    if (!text) return undefined;
    const md = new vscode.MarkdownString(text, true);
    md.isTrusted = { enabledCommands: Object.values(HOVER_COMMANDS) };
    return new vscode.Hover(md, doc.lineAt(position.line).range);
  }
}
