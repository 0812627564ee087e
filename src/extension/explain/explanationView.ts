// The Explanation: a webview view in Tracefix's side bar container, beside the code (the editor keeps
// its whole width; the view can be dragged to the secondary side bar like any view). It renders the
// view model (viewModel.ts) of the current Explain & Fix run: the outcome banner, each round's
// rationale as safe Markdown with step links, its diff, verdict and buttons. While the model streams,
// updates are posted at most every UPDATE_MS. The webview only renders; it reports back what it
// rendered so tests check the view itself, not just the state behind it.
import * as vscode from 'vscode';
import { VIEWS } from '../commandIds';
import { WebviewShell } from '../webviewShell';
import type { FixSession } from './session';
import type { ActionType, PanelView, ViewContext } from './viewModel';
import { viewOf } from './viewModel';

const UPDATE_MS = 40;

/** What the webview says it rendered, per round. */
export interface RenderedRound {
  index: number;
  /** The rationale's text as displayed (Markdown rendered). */
  text: string;
  /** Step numbers of the links, in order, and the recording each opens. */
  links: number[];
  linkTargets: { step: number; rec: number }[];
  verdict: string;
  /** The round was still streaming when rendered. */
  streaming: boolean;
  /** Labels of its buttons. */
  buttons: string[];
  confirm: string;
  collapsed: boolean;
  /** Elements of Markdown it rendered (e.g. 'code', 'b', 'li'), for checks that Markdown is rendered. */
  tags: string[];
  /** The trace tool calls shown: `name(args)`, the answer's text and its step links. */
  toolCalls?: { name: string; text: string; links: number[]; error: boolean }[];
}

export interface RenderedView {
  session: number;
  banner: { kind: string; title: string; detail: string; buttons: string[] };
  rounds: RenderedRound[];
  /** Rounds whose heading is on screen (below the banner). */
  inView: number[];
}

export type PanelAction =
  | { type: 'step'; step: number; rec?: number }
  | { type: ActionType; round: number; confirmed?: boolean }
  | { type: 'open'; href: string };

type FromWebview = { type: 'ready' } | ({ type: 'rendered' } & RenderedView) | PanelAction;

// Nothing remote: styles and the script from the extension only, no images, fonts or frames.
const PAGE = {
  title: 'Tracefix Explanation',
  css: 'explain.css',
  scripts: ['explainDom.js', 'explain.js'],
  body: `
<header id="banner" class="banner kind-empty" role="status" aria-live="polite">
  <div class="banner-head"><span class="icon" aria-hidden="true"></span><span id="banner-title">No explanation yet</span></div>
  <div id="banner-detail">Run <b>Tracefix: Explain &amp; Fix</b> on a failing test or script: the rationale streams in here, with a fix checked against the test.</div>
  <div id="banner-actions" class="buttons"></div>
</header>
<div id="title"></div>
<main id="rounds"></main>
`,
};

export class ExplanationView implements vscode.Disposable {
  private readonly shell: WebviewShell<FromWebview>;
  private session: FixSession | undefined;
  private sessionSub: { dispose(): void } | undefined;
  private last: RenderedView | undefined;
  /** Per round, the texts rendered while it streamed (tests compare them with the final one). */
  private streamedTexts = new Map<number, string[]>();
  private timer: NodeJS.Timeout | undefined;
  private lastPost = 0;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly renderedEmitter = new vscode.EventEmitter<RenderedView>();
  readonly onDidRender = this.renderedEmitter.event;

  constructor(
    extensionUri: vscode.Uri,
    private readonly context: () => ViewContext,
    private readonly onAction: (session: FixSession, action: PanelAction) => Promise<void>,
  ) {
    this.shell = new WebviewShell<FromWebview>(extensionUri, VIEWS.explanation, PAGE, {
      onMessage: (m) => this.onMessage(m),
    });
    this.disposables.push(this.shell, this.renderedEmitter);
  }

  get isOpen(): boolean {
    return this.shell.isOpen;
  }

  get rendered(): RenderedView | undefined {
    return this.last?.session === this.session?.id ? this.last : undefined;
  }

  streamedRenders(round: number): readonly string[] {
    return this.streamedTexts.get(round) ?? [];
  }

  /** Follows `session` from now on (undefined: keep the one shown). */
  follow(session: FixSession): void {
    if (session === this.session) return;
    this.sessionSub?.dispose();
    this.session = session;
    this.streamedTexts = new Map();
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

  private onMessage(m: FromWebview): void {
    if (m.type === 'ready') {
      this.post();
    } else if (m.type === 'rendered') {
      if (m.session !== this.session?.id || !Array.isArray(m.rounds)) return;
      this.last = { session: m.session, banner: m.banner, rounds: m.rounds, inView: m.inView };
      for (const r of m.rounds) {
        if (!r.streaming) continue;
        const list = this.streamedTexts.get(r.index) ?? [];
        if (list[list.length - 1] !== r.text && list.length < 500) list.push(r.text);
        this.streamedTexts.set(r.index, list);
      }
      this.renderedEmitter.fire(this.last);
    } else if (m.type === 'open') {
      if (typeof m.href === 'string' && /^https?:\/\//i.test(m.href))
        void vscode.env.openExternal(vscode.Uri.parse(m.href));
    } else if (
      m.type === 'step'
        ? Number.isInteger(m.step)
        : Number.isInteger((m as { round?: unknown }).round)
    ) {
      void this.act(m);
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
    if (view) this.shell.post({ type: 'view', view });
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.sessionSub?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
