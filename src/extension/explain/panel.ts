// The Explanation panel: streams each round's rationale, then shows its diff and whether it was
// verified, with Apply / Preview / Show prompt buttons. Step references such as `(7)` are links:
// the extension reveals that step's line and selects it in the timeline. The webview only renders;
// it reports back what it rendered so tests can check the panel, not just the state behind it.
import * as crypto from 'node:crypto';
import * as vscode from 'vscode';
import { fixSummary, verificationLabel, type FixSession } from './session';

export interface RoundView {
  index: number;
  phase: string;
  rationale: string;
  summary: string;
  diff: string;
  hasPatch: boolean;
  verified: boolean | null;
  verdict: string;
  notes: string[];
}

export interface PanelView {
  session: number;
  title: string;
  status: string;
  statusText: string;
  maxStep: number;
  offered: number | null;
  error: string | null;
  rounds: RoundView[];
}

/** What the webview says it rendered, per round. */
export interface RenderedRound {
  index: number;
  text: string;
  links: number[];
  verdict: string;
}

export type PanelAction = { type: 'step'; step: number } | { type: 'apply' | 'preview' | 'prompt'; round: number };
type FromWebview = { type: 'ready' } | { type: 'rendered'; session: number; rounds: RenderedRound[] } | PanelAction;

export function viewOf(s: FixSession): PanelView {
  const kind = s.trace.program.kind;
  const statusText = {
    running: `Working… (up to ${s.maxRounds} round${s.maxRounds === 1 ? '' : 's'})`,
    fixed: 'Verified fix found.',
    'not-fixed': `No verified fix after ${s.rounds.length} round${s.rounds.length === 1 ? '' : 's'}.`,
    error: 'Stopped by an error.',
    cancelled: 'Cancelled.',
  }[s.status];
  return {
    session: s.id,
    title: `${s.trace.program.target}${s.providerLabel ? ` · ${s.providerLabel}` : ''}`,
    status: s.status,
    statusText,
    maxStep: s.maxStep,
    offered: s.offeredRound()?.index ?? null,
    error: s.error ? `${s.error.message}${s.error.hint ? ` ${s.error.hint}` : ''}` : null,
    rounds: s.rounds.map((r) => {
      const res = r.result;
      return {
        index: r.index,
        phase: r.phase,
        rationale: res?.rationale || r.streamed,
        summary: res ? fixSummary(res) : '',
        diff: res?.patch?.diff ?? '',
        // A patch that changes the tests (not allowed) is shown, but offers no Apply / Preview.
        hasPatch: s.canOffer(res),
        verified: res ? res.verification?.passed === true : null,
        verdict: res ? verificationLabel(res, kind) : '',
        notes: [...r.notes, ...(res?.problems ?? [])],
      };
    }),
  };
}

/** Right of the timeline when it is open, so opening the explanation does not hide it. */
function besideTimeline(): vscode.ViewColumn {
  for (const group of vscode.window.tabGroups.all) {
    const timeline = group.tabs.some((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('tracefix.timeline'));
    if (timeline) return group.viewColumn + 1;
  }
  return vscode.ViewColumn.Beside;
}

export class ExplainPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private session: FixSession | undefined;
  private sessionSub: vscode.Disposable | undefined;
  private lastRendered: RenderedRound[] = [];
  private readonly disposables: vscode.Disposable[] = [];
  private readonly renderedEmitter = new vscode.EventEmitter<RenderedRound[]>();
  readonly onDidRender = this.renderedEmitter.event;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly onAction: (session: FixSession, action: PanelAction) => Promise<void>,
  ) {
    this.disposables.push(this.renderedEmitter);
  }

  get isOpen(): boolean {
    return this.panel !== undefined;
  }

  get rendered(): readonly RenderedRound[] {
    return this.lastRendered;
  }

  /** Follows `session` from now on and opens (or reveals) the panel. */
  show(session: FixSession | undefined = this.session): void {
    if (session !== this.session) {
      this.sessionSub?.dispose();
      this.session = session;
      this.lastRendered = [];
      this.sessionSub = session?.onDidChange((c) => {
        if (c.kind === 'delta') void this.panel?.webview.postMessage({ type: 'delta', session: session.id, round: c.round, text: c.text });
        else this.post();
      });
    }
    if (!this.panel) {
      this.panel = vscode.window.createWebviewPanel('tracefix.explanation', 'Tracefix Explanation', { viewColumn: besideTimeline(), preserveFocus: true }, {
        enableScripts: true,
        retainContextWhenHidden: true,
        localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'media')],
      });
      this.panel.webview.html = this.html(this.panel.webview);
      this.panel.onDidDispose(() => (this.panel = undefined), undefined, this.disposables);
      this.panel.webview.onDidReceiveMessage((m: FromWebview) => this.onMessage(m), undefined, this.disposables);
    } else {
      this.panel.reveal(undefined, true);
      this.post();
    }
  }

  /** Same path as a click in the webview (used by the test API). */
  act(action: PanelAction): Promise<void> {
    return this.session ? this.onAction(this.session, action) : Promise.resolve();
  }

  private onMessage(m: FromWebview): void {
    if (m.type === 'ready') {
      this.post();
    } else if (m.type === 'rendered') {
      if (m.session !== this.session?.id || !Array.isArray(m.rounds)) return;
      this.lastRendered = m.rounds;
      this.renderedEmitter.fire(m.rounds);
    } else if ((m.type === 'step' && Number.isInteger(m.step)) || ((m.type === 'apply' || m.type === 'preview' || m.type === 'prompt') && Number.isInteger(m.round))) {
      void this.act(m);
    }
  }

  private post(): void {
    if (this.panel && this.session) void this.panel.webview.postMessage({ type: 'view', view: viewOf(this.session) });
  }

  private html(webview: vscode.Webview): string {
    const nonce = crypto.randomBytes(16).toString('base64');
    const media = (f: string) => webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'media', f)).toString();
    const csp = [`default-src 'none'`, `style-src ${webview.cspSource}`, `font-src ${webview.cspSource}`, `script-src 'nonce-${nonce}'`].join('; ');
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${media('explain.css')}">
<title>Tracefix Explanation</title>
</head>
<body>
<header><div id="title">Explain &amp; Fix</div><div id="status" role="status" aria-live="polite"></div></header>
<div id="error" hidden></div>
<main id="rounds"></main>
<script nonce="${nonce}" src="${media('explain.js')}"></script>
</body>
</html>`;
  }

  dispose(): void {
    this.sessionSub?.dispose();
    this.panel?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
