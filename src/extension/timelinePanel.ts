// The timeline: a webview listing every recorded event. Selecting one (click, ←/→, or a hover's
// "show step in timeline" link) highlights its line in an editor and shows the full locals at that
// point. The webview only renders; selection state lives here so hover links and tests agree with it.
import * as crypto from 'node:crypto';
import * as vscode from 'vscode';
import { localsAt } from '../core/trace/locals';
import type { Trace, TraceEvent } from '../core/trace/model';
import { isModule } from '../core/render/decorations';
import { clip } from '../core/render/valueHistory';
import type { EditorDecorations } from './editorDecorations';
import type { TraceStore } from './traceStore';

/** One row as the webview gets it. */
export interface TimelineRow {
  i: number;
  k: number | null;
  kind: TraceEvent['kind'];
  file: string;
  line: number;
  fn: string;
  call: number;
  depth: number;
  text: string;
}

type FromWebview = { type: 'ready' } | { type: 'select'; index: number } | { type: 'replay' };

const ROW_TEXT = 100;

export function rowOf(e: TraceEvent): TimelineRow {
  const parts = Object.entries(e.changed).map(([n, v]) => `${n} = ${v}`);
  if (e.kind === 'call') parts.unshift('call');
  if (e.deleted?.length) parts.push(`del ${e.deleted.join(', ')}`);
  if (e.kind === 'return' || e.kind === 'yield') parts.push(e.value === undefined || isModule(e) ? e.kind : `${e.kind} ${e.value}`);
  if (e.exception) parts.push(`✗ ${e.exception.type}: ${e.exception.message}`);
  const text = parts.join(e.kind === 'call' ? ' ' : ', ').replace(/\s*\n\s*/g, ' ⏎ ');
  return { i: e.index, k: e.step, kind: e.kind, file: e.file, line: e.line, fn: e.function, call: e.callIndex, depth: e.depth, text: clip(text, ROW_TEXT) };
}

export class TimelinePanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private selected: number | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly selectedEmitter = new vscode.EventEmitter<number>();
  readonly onDidSelect = this.selectedEmitter.event;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly store: TraceStore,
    private readonly decorations: EditorDecorations,
  ) {
    this.disposables.push(
      this.selectedEmitter,
      store.onDidChange((uri) => {
        if (uri) return;
        this.selected = undefined;
        this.decorations.setStep(undefined);
        this.postTrace();
      }),
    );
  }

  get isOpen(): boolean {
    return this.panel !== undefined;
  }

  state(): { open: boolean; selected?: number; rows: number } {
    const s: { open: boolean; selected?: number; rows: number } = { open: this.isOpen, rows: this.store.trace?.events.length ?? 0 };
    if (this.selected !== undefined) s.selected = this.selected;
    return s;
  }

  /** Opens (or reveals) the panel beside the editor, optionally at an event. */
  async show(eventIndex?: number): Promise<void> {
    if (!this.panel) {
      this.panel = vscode.window.createWebviewPanel('tracefix.timeline', 'Tracefix Timeline', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
        enableScripts: true,
        retainContextWhenHidden: true,
        localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'media')],
      });
      this.panel.webview.html = this.html(this.panel.webview);
      this.panel.onDidDispose(() => {
        this.panel = undefined;
        this.decorations.setStep(undefined);
      }, undefined, this.disposables);
      this.panel.webview.onDidReceiveMessage((m: FromWebview) => this.onMessage(m), undefined, this.disposables);
    } else {
      this.panel.reveal(undefined, true);
    }
    if (eventIndex !== undefined) await this.select(eventIndex);
  }

  /** Selects an event: editor highlight + full locals in the panel (`reveal: false`: leave the editors' scroll alone). */
  async select(index: number, opts: { reveal?: boolean } = {}): Promise<void> {
    const trace = this.store.trace;
    const e = trace?.events.at(index);
    if (!trace || !e) return;
    this.selected = index;
    void this.panel?.webview.postMessage({ type: 'select', index, detail: detailOf(trace, e) });
    this.selectedEmitter.fire(index);
    if (opts.reveal === false) {
      const file = this.store.fileByRel(e.file);
      this.decorations.setStep(file ? { fsPath: file.fsPath, line: e.line } : undefined);
      return;
    }
    await this.reveal(e);
  }

  private async reveal(e: TraceEvent): Promise<void> {
    const file = this.store.fileByRel(e.file);
    if (!file) return;
    const uri = vscode.Uri.file(file.fsPath);
    const visible = vscode.window.visibleTextEditors.find((ed) => ed.document.uri.fsPath === file.fsPath);
    const column = visible?.viewColumn ?? vscode.ViewColumn.One;
    const editor = await vscode.window.showTextDocument(uri, { viewColumn: column, preserveFocus: true, preview: true });
    const line = this.store.lineMap(editor.document)?.map.toCurrent(e.line);
    if (line !== undefined) editor.revealRange(editor.document.lineAt(line - 1).range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    this.decorations.setStep({ fsPath: file.fsPath, line: e.line });
  }

  private onMessage(m: FromWebview): void {
    if (m.type === 'ready') {
      this.postTrace();
    } else if (m.type === 'select' && Number.isInteger(m.index)) {
      void this.select(m.index);
    } else if (m.type === 'replay') {
      void vscode.commands.executeCommand('tracefix.replayFromStep', { eventIndex: this.selected ?? 0 });
    }
  }

  private postTrace(): void {
    if (!this.panel) return;
    const trace = this.store.trace;
    if (!trace) {
      void this.panel.webview.postMessage({ type: 'clear' });
      return;
    }
    const o = trace.outcome;
    const summary = `${trace.program.target} · ${o.status}${o.exception ? ` · ${o.exception.type}` : ''} · ${trace.events.length} events${o.partial ? ' (partial)' : ''}`;
    const i = trace.interpreter;
    const recordedWith = `Python ${i.version} (${i.path}) · debugpy ${i.debugpyVersion} (${i.debugpyPath}) · ${trace.engine} engine`;
    void this.panel.webview.postMessage({ type: 'trace', summary, recordedWith, rows: trace.events.map(rowOf), selected: this.selected });
    if (this.selected !== undefined) {
      const e = trace.events.at(this.selected);
      if (e) void this.panel.webview.postMessage({ type: 'select', index: this.selected, detail: detailOf(trace, e) });
    }
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
<link rel="stylesheet" href="${media('timeline.css')}">
<title>Tracefix Timeline</title>
</head>
<body>
<header><div id="summary">No trace recorded yet.</div><div id="recorded-with"></div>
<button id="replay" disabled title="Replay the recording in the debugger from the selected step (Step Back works)">Replay</button></header>
<main>
  <div id="steps" role="listbox" tabindex="0" aria-label="Recorded steps (use ← and → to move)"></div>
  <section id="detail" aria-live="polite"></section>
</main>
<script nonce="${nonce}" src="${media('timeline.js')}"></script>
</body>
</html>`;
  }

  dispose(): void {
    this.panel?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

function detailOf(trace: Trace, e: TraceEvent) {
  const parent = e.parentCallId === undefined ? undefined : trace.events.find((x) => x.callId === e.parentCallId);
  return {
    i: e.index,
    k: e.step,
    kind: e.kind,
    file: e.file,
    line: e.line,
    fn: e.function,
    call: e.callIndex,
    depth: e.depth,
    caller: parent ? `${parent.function} (${parent.file})` : undefined,
    changed: e.changed,
    locals: localsAt(trace, e.index),
    value: e.value,
    exception: e.exception ? `${e.exception.type}: ${e.exception.message}` : undefined,
  };
}
