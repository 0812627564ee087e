// Every notification the extension shows goes through here, so each failure produces exactly one
// message; under the extension's tests it also keeps them, so the test API can say which were shown.
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
  private readonly keepHistory: boolean;

  constructor(opts: { keepHistory: boolean }) {
    this.keepHistory = opts.keepHistory;
  }

  /** What was shown since the last clear() (kept only under the extension's tests). */
  get history(): readonly ShownNotification[] {
    return this.shown;
  }

  clear(): void {
    this.shown.length = 0;
  }

  /** Shows the message; resolves with the chosen item (never, if the user ignores it). */
  show(severity: Severity, message: string, ...items: string[]): Thenable<string | undefined> {
    this.keep({ severity, message, items, at: Date.now() });
    if (severity === 'error') return vscode.window.showErrorMessage(message, ...items);
    if (severity === 'warning') return vscode.window.showWarningMessage(message, ...items);
    return vscode.window.showInformationMessage(message, ...items);
  }

  /** Asks a modal warning question; resolves with the chosen item (undefined: cancelled). */
  confirm(message: string, detail: string, ...items: string[]): Thenable<string | undefined> {
    this.keep({ severity: 'warning', message, items, at: Date.now(), modal: true, detail });
    return vscode.window.showWarningMessage(message, { modal: true, detail }, ...items);
  }

  private keep(n: ShownNotification): void {
    if (this.keepHistory) this.shown.push(n);
  }

  dispose(): void {
    this.shown.length = 0;
  }
}
