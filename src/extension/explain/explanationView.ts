// The Explanation: a webview view in Tracefix's side bar container, beside the code (the editor keeps
// its whole width; the view can be dragged to the secondary side bar like any view). It renders the
// view model (viewModel.ts) of the current Explain & Fix run: the outcome banner, each round's
// rationale as safe Markdown with step links, its diff, verdict and buttons. While the model streams,
// updates are posted at most every UPDATE_MS. The webview (src/webview/explain) only renders and
// posts the user's clicks; under the extension's tests it also reports what it rendered (probe).
import * as vscode from 'vscode';
import { VIEWS } from '../contributes/views';
import { WebviewShell } from '../webview/shell';
import { EXPLANATION_PAGE } from './explanationPage';
import type {
  FromExplanationWebview,
  PanelAction,
  PanelView,
  ToExplanationWebview,
} from './protocol';
import type { RenderProbe } from './renderProbe';
import type { FixSession } from './session';
import { viewOf, type ViewContext } from './viewModel';

const UPDATE_MS = 40;

export class ExplanationView implements vscode.Disposable {
  private readonly shell: WebviewShell<FromExplanationWebview, ToExplanationWebview>;
  private session: FixSession | undefined;
  private sessionSub: { dispose(): void } | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lastPost = 0;

  /** `probe`: only under the extension's tests. */
  constructor(
    extensionUri: vscode.Uri,
    private readonly context: () => ViewContext,
    private readonly onAction: (session: FixSession, action: PanelAction) => Promise<void>,
    readonly probe: RenderProbe | undefined,
  ) {
    this.shell = new WebviewShell(extensionUri, VIEWS.explanation, EXPLANATION_PAGE, {
      onMessage: (m) => this.onMessage(m),
    });
  }

  get isOpen(): boolean {
    return this.shell.isOpen;
  }

  /** Follows `session` from now on. */
  follow(session: FixSession): void {
    if (session === this.session) return;
    this.sessionSub?.dispose();
    this.session = session;
    this.probe?.follow(session.id);
    this.sessionSub = session.onDidChange(() => this.schedule());
    this.post();
  }

  /** Re-renders (editor facts such as unsaved files changed). */
  refresh(): void {
    this.schedule();
  }

  /** Reveals the view without taking the focus from the editor. */
  show(): Promise<void> {
    return this.shell.show();
  }

  /** Same path as a click in the webview (used by the test API). */
  act(action: PanelAction): Promise<void> {
    return this.session ? this.onAction(this.session, action) : Promise.resolve();
  }

  private onMessage(m: FromExplanationWebview): void {
    switch (m.type) {
      case 'ready':
        this.post();
        return;
      case 'rendered':
        this.probe?.take(m);
        return;
      case 'open':
        if (typeof m.href === 'string' && /^https?:\/\//i.test(m.href))
          void vscode.env.openExternal(vscode.Uri.parse(m.href));
        return;
      case 'step':
        if (Number.isInteger(m.step)) void this.act(m);
        return;
      default:
        if (Number.isInteger(m.round)) void this.act(m);
    }
  }

  private schedule(): void {
    if (this.timer) return;
    const wait = Math.max(0, UPDATE_MS - (Date.now() - this.lastPost));
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.post();
    }, wait);
  }

  /** The view model as posted (for the test API; undefined without a session). */
  model(): PanelView | undefined {
    return this.session ? viewOf(this.session, this.context()) : undefined;
  }

  private post(): void {
    this.lastPost = Date.now();
    const view = this.model();
    if (view) this.shell.post({ type: 'view', view, report: this.probe !== undefined });
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.sessionSub?.dispose();
    this.shell.dispose();
  }
}
