// The one place an error becomes what the user sees. The core throws typed errors (core/errors.ts);
// here a UserError is shown as its message and hint with the action that fixes it (a setting, the
// API key), a CancelledError shows nothing (the user asked for it), and anything
// else is a failure of Tracefix: its stack goes to the log and the notification offers the log.
import * as vscode from 'vscode';
import {
  CancelledError,
  errorMessage,
  errorStack,
  isUserError,
  type UserErrorCode,
} from '../core/errors';
import { COMMANDS } from './contributes/commands';
import type { Notifier } from './notify';

interface ErrorAction {
  title: string;
  run(): unknown;
}

const openSettings = (query: string): ErrorAction => ({
  title: 'Open Settings',
  run: () => vscode.commands.executeCommand('workbench.action.openSettings', query),
});

interface CodeAdvice {
  /** Replaces the core's hint, which speaks of CLI flags. */
  advice?: string;
  actions: ErrorAction[];
}

/** What the editor says and offers per error code (codes not listed: message and hint, no action). */
const ADVICE: Partial<Record<UserErrorCode, CodeAdvice>> = {
  'no-debugpy': {
    advice:
      'Install debugpy for that interpreter (`python -m pip install debugpy`, or `sudo apt-get install python3-debugpy` for the system Python), install the Python Debugger extension (ms-python.debugpy), or set `tracefix.pythonPath` to an interpreter that has debugpy.',
    actions: [openSettings('tracefix.pythonPath')],
  },
  'no-pytest': {
    advice:
      'Install pytest for that interpreter (`python -m pip install pytest`, or `sudo apt-get install python3-pytest` for the system Python), or set `tracefix.pythonPath` to an interpreter that has it.',
    actions: [openSettings('tracefix.pythonPath')],
  },
  'no-python': {
    advice:
      'Set `tracefix.pythonPath` to a Python 3 interpreter, or select one with the Python extension.',
    actions: [openSettings('tracefix.pythonPath')],
  },
  'model-auth': {
    actions: [
      { title: 'Set API Key', run: () => vscode.commands.executeCommand(COMMANDS.setApiKey) },
      openSettings('tracefix.baseUrl'),
    ],
  },
  'model-not-found': { actions: [openSettings('tracefix.')] },
  'model-unavailable': { actions: [openSettings('tracefix.')] },
  'model-context-length': { actions: [openSettings('tracefix.')] },
};

export interface ReportOptions {
  /** Prefix of the log line, e.g. `explain` or `replay`. */
  where?: string;
  /** Put before every message shown, e.g. "Tracefix replay". */
  prefix?: string;
  /** Put before an unexpected error's message (default: the prefix, else "Tracefix failed"). */
  failed?: string;
}

const SHOW_LOG = 'Show Log';

export class ErrorReporter {
  constructor(
    private readonly notifier: Notifier,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** Shows `e` as exactly one notification, or none for a cancellation. */
  report(e: unknown, opts: ReportOptions = {}): void {
    const where = opts.where ? `${opts.where}: ` : '';
    const prefix = opts.prefix ? `${opts.prefix}: ` : '';
    if (e instanceof CancelledError) {
      this.log.info(`${where}cancelled`);
      return;
    }
    if (!isUserError(e)) {
      this.log.error(`${where}${errorStack(e)}`);
      const failed = opts.failed ?? opts.prefix ?? 'Tracefix failed';
      void this.notifier
        .show('error', `${failed}: ${errorMessage(e)}`, SHOW_LOG)
        .then((c) => c === SHOW_LOG && this.log.show());
      return;
    }
    this.log.warn(`${where}${e.code}: ${e.message}${e.hint ? ` (${e.hint})` : ''}`);
    const advice = ADVICE[e.code];
    const hint = advice?.advice ?? e.hint;
    const actions = advice?.actions ?? [];
    const message = `${prefix}${e.message}${hint ? ` ${hint}` : ''}`;
    void this.notifier
      .show('error', message, ...actions.map((a) => a.title))
      .then((chosen) => actions.find((a) => a.title === chosen)?.run());
  }
}
