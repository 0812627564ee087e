// Read-only virtual documents: `tracefix-fix:` holds a file as a round's patch would make it (the
// right side of "Preview fix"), `tracefix-prompt:` the exact redacted messages a round sent.
import * as vscode from 'vscode';
import type { ChatMessage } from '../../core/model/client/provider';
import type { FixSession } from './session';

export const FIX_SCHEME = 'tracefix-fix';
export const PROMPT_SCHEME = 'tracefix-prompt';

/** The file as round `round`'s patch makes it. The first path segment names the fix, so a tab or
 * the breadcrumbs never pass it off as the workspace file of the same name. */
export function fixUri(session: FixSession, round: number, relPath: string): vscode.Uri {
  return vscode.Uri.from({
    scheme: FIX_SCHEME,
    path: `/Round ${round} fix/${relPath}`,
    query: `session=${session.id}&round=${round}`,
  });
}

export function promptUri(session: FixSession, round: number): vscode.Uri {
  return vscode.Uri.from({
    scheme: PROMPT_SCHEME,
    path: `/Tracefix prompt (round ${round}).md`,
    query: `session=${session.id}&round=${round}`,
  });
}

export function promptText(messages: readonly ChatMessage[]): string {
  return messages.map((m) => `<!-- ${m.role} -->\n${m.content}`).join('\n\n');
}

export class FixDocuments implements vscode.TextDocumentContentProvider {
  constructor(private readonly current: () => FixSession | undefined) {}

  provideTextDocumentContent(uri: vscode.Uri): string {
    const q = new URLSearchParams(uri.query);
    const session = this.current();
    if (!session || String(session.id) !== q.get('session'))
      return '(This Explain & Fix run is no longer current: run Explain & Fix again.)';
    const round = session.round(Number(q.get('round')));
    if (!round) return '';
    if (uri.scheme === PROMPT_SCHEME) return promptText(round.prompt);
    const rel = uri.path.replace(/^\/[^/]*\//, '');
    return round.patch?.files.find((f) => f.path === rel)?.newText ?? '';
  }
}
