// The recordings the editor runs: the one in progress (so a new run, the Cancel button or a chat
// request's cancellation can stop it) and how the last one ended, announced to whoever follows runs
// (the Explanation view's "later run", the test API).
import * as vscode from 'vscode';
import { CONTEXT_KEYS } from '../contributes/views';
import type { RunPlan } from './runPlan';

export type RunMode = 'explain' | 'trace';

export interface LastRun {
  mode: RunMode;
  status: 'ok' | 'cancelled' | 'error' | 'untrusted';
  plan?: RunPlan;
  error?: { code?: string; message: string };
  /** Command invoked → trace stored and painted. */
  durationMs?: number;
  /** The recorded run passed (the test passed / the script ran to its end with exit code 0). */
  passed?: boolean;
  /** One line on why it failed, when it did. */
  failure?: string;
  /** Run again from a Re-run button or command. */
  rerun?: boolean;
}

interface ActiveRecording {
  plan: RunPlan;
  controller: AbortController;
  finished: Promise<void>;
}

export class RunTracker implements vscode.Disposable {
  private active: ActiveRecording | undefined;
  private last: LastRun | undefined;
  private readonly recordingStarted = new vscode.EventEmitter<RunPlan>();
  readonly onDidStartRecording = this.recordingStarted.event;
  private readonly runFinished = new vscode.EventEmitter<LastRun>();
  readonly onDidFinishRun = this.runFinished.event;

  /** Called when a recording starts; returns the function to call when it settled. */
  beginRecording(plan: RunPlan, controller: AbortController): () => void {
    let settle!: () => void;
    const finished = new Promise<void>((r) => (settle = r));
    const active: ActiveRecording = { plan, controller, finished };
    this.active = active;
    void vscode.commands.executeCommand('setContext', CONTEXT_KEYS.running, true);
    this.recordingStarted.fire(plan);
    return () => {
      if (this.active === active) {
        this.active = undefined;
        void vscode.commands.executeCommand('setContext', CONTEXT_KEYS.running, false);
      }
      settle();
    };
  }

  get isRecording(): boolean {
    return this.active !== undefined;
  }

  /** Aborts the recording in progress (if any) and waits until it has settled. */
  async cancelRunning(): Promise<boolean> {
    const a = this.active;
    if (!a) return false;
    a.controller.abort();
    await a.finished;
    return true;
  }

  finishRun(run: LastRun): LastRun {
    this.last = run;
    this.runFinished.fire(run);
    return run;
  }

  get lastRun(): LastRun | undefined {
    return this.last;
  }

  dispose(): void {
    this.active?.controller.abort();
    this.recordingStarted.dispose();
    this.runFinished.dispose();
  }
}
