// Every notification the extension shows goes through here, so each failure produces exactly one
// message and the test API can say which one was shown.
import * as vscode from 'vscode';

export type Severity = 'info' | 'warning' | 'error';

export interface ShownNotification {
  severity: Severity;
  message: string;
  items: string[];
  at: number;
  /** A modal question (confirm before doing something). */
  modal?: boolean;
  detail?: string;
}

export class Notifier {
  private readonly shown: ShownNotification[] = [];
  private readonly emitter = new vscode.EventEmitter<ShownNotification>();
  readonly onDidShow = this.emitter.event;

  get history(): readonly ShownNotification[] {
    return this.shown;
  }

  clear(): void {
    this.shown.length = 0;
  }

  /** Shows the message; resolves with the chosen item (never, if the user ignores it). */
  show(severity: Severity, message: string, ...items: string[]): Thenable<string | undefined> {
    const n: ShownNotification = { severity, message, items, at: Date.now() };
    this.shown.push(n);
    this.emitter.fire(n);
    if (severity === 'error') return vscode.window.showErrorMessage(message, ...items);
    if (severity === 'warning') return vscode.window.showWarningMessage(message, ...items);
    return vscode.window.showInformationMessage(message, ...items);
  }

  /** Asks a modal warning question; resolves with the chosen item (undefined: cancelled). */
  confirm(message: string, detail: string, ...items: string[]): Thenable<string | undefined> {
    const n: ShownNotification = {
      severity: 'warning',
      message,
      items,
      at: Date.now(),
      modal: true,
      detail,
    };
    this.shown.push(n);
    this.emitter.fire(n);
    return vscode.window.showWarningMessage(message, { modal: true, detail }, ...items);
  }

  dispose(): void {
    this.emitter.dispose();
  }
}
