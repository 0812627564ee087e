// A webview view of Tracefix (the Timeline, the Explanation) as VS Code hosts it: registered with
// its context retained while hidden, the page (page.ts) served with the stylesheets and the
// webview scripts as its only resource roots, messages handed to the view's handler, and `show()` that reveals it without
// taking the focus and waits until VS Code has resolved it.
import * as crypto from 'node:crypto';
import * as vscode from 'vscode';
import { WEBVIEW_ROOTS, webviewHtml, type WebviewPage } from './page';

/** How long `show()` waits for VS Code to resolve a view it has never shown. */
const RESOLVE_WAIT_MS = 5000;

export interface WebviewHandlers<In> {
  onMessage(message: In): void;
  /** The view was closed (its webview is gone until shown again). */
  onDidDispose?(): void;
}

export class WebviewShell<In, Out> implements vscode.Disposable, vscode.WebviewViewProvider {
  private view: vscode.WebviewView | undefined;
  private readonly viewDisposables: vscode.Disposable[] = [];
  private readonly resolved = new vscode.EventEmitter<void>();
  private readonly registration: vscode.Disposable;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly viewId: string,
    private readonly page: WebviewPage,
    private readonly handlers: WebviewHandlers<In>,
  ) {
    this.registration = vscode.window.registerWebviewViewProvider(viewId, this, {
      webviewOptions: { retainContextWhenHidden: true },
    });
  }

  /** The view is visible. */
  get isOpen(): boolean {
    return this.view?.visible === true;
  }

  /** The view has a webview (visible or retained while hidden). */
  get isResolved(): boolean {
    return this.view !== undefined;
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    for (const d of this.viewDisposables.splice(0)) d.dispose();
    this.view = view;
    const root = this.extensionUri;
    view.webview.options = {
      enableScripts: true,
      localResourceRoots: Object.values(WEBVIEW_ROOTS).map((d) => vscode.Uri.joinPath(root, d)),
    };
    view.webview.html = webviewHtml(this.page, {
      cspSource: view.webview.cspSource,
      nonce: crypto.randomBytes(16).toString('base64'),
      uri: (rel) => view.webview.asWebviewUri(vscode.Uri.joinPath(root, rel)).toString(),
    });
    this.viewDisposables.push(
      view.webview.onDidReceiveMessage((m: In) => this.handlers.onMessage(m)),
      view.onDidDispose(() => {
        if (this.view === view) this.view = undefined;
        this.handlers.onDidDispose?.();
      }),
    );
    this.resolved.fire();
  }

  /** Posts to the webview, if there is one. */
  post(message: Out): void {
    void this.view?.webview.postMessage(message);
  }

  /** Reveals the view without taking the focus from the editor. */
  async show(): Promise<void> {
    if (this.view) {
      this.view.show(true);
      return;
    }
    const resolved = new Promise<void>((resolve) => {
      const sub = this.resolved.event(() => {
        sub.dispose();
        clearTimeout(timer);
        resolve();
      });
      const timer = setTimeout(() => {
        sub.dispose();
        resolve();
      }, RESOLVE_WAIT_MS);
    });
    await vscode.commands.executeCommand(`${this.viewId}.focus`, { preserveFocus: true });
    if (!this.view) await resolved;
  }

  dispose(): void {
    for (const d of this.viewDisposables.splice(0)) d.dispose();
    this.registration.dispose();
    this.resolved.dispose();
  }
}
