// The "explain" half of Explain & Fix, as a pipeline of pluggable steps that run after a trace was
// recorded and painted. This build registers none: asking a model, verifying its patch against the
// test and offering it as a code action are each a step in their own module, registered in
// extension.ts with `ctx.explainSteps.register(step)`. Nothing here invents an answer.
import * as vscode from 'vscode';
import type { Trace } from '../core/trace/model';
import type { RunPlan } from './runPlan';
import type { TracefixSettings } from './settings';

/** SecretStorage key of the model API key (`Tracefix: Set Model API Key`). */
export const API_KEY_SECRET = 'tracefix.apiKey';

export interface ExplainInput {
  trace: Trace;
  plan: RunPlan;
  settings: TracefixSettings;
  secrets: vscode.SecretStorage;
  log: vscode.LogOutputChannel;
  /** Cancelled by the progress notification's Cancel button. */
  signal: AbortSignal;
  progress: vscode.Progress<{ message?: string }>;
  /** Results earlier steps left for later ones (e.g. the model's patch for the verifier). */
  results: Map<string, unknown>;
}

export interface ExplainStep {
  readonly id: string;
  /** Progress text while the step runs, e.g. "Asking the model…". */
  readonly title: string;
  run(input: ExplainInput): Promise<void>;
}

export class ExplainPipeline {
  private readonly steps: ExplainStep[] = [];

  register(step: ExplainStep): vscode.Disposable {
    this.steps.push(step);
    return new vscode.Disposable(() => {
      const i = this.steps.indexOf(step);
      if (i >= 0) this.steps.splice(i, 1);
    });
  }

  get ids(): string[] {
    return this.steps.map((s) => s.id);
  }

  get isEmpty(): boolean {
    return this.steps.length === 0;
  }

  /** Runs every step in order; a step's error stops the pipeline and propagates. */
  async run(input: Omit<ExplainInput, 'results'>): Promise<Map<string, unknown>> {
    const results = new Map<string, unknown>();
    for (const step of [...this.steps]) {
      if (input.signal.aborted) break;
      input.progress.report({ message: step.title });
      input.log.info(`explain: ${step.id}`);
      await step.run({ ...input, results });
    }
    return results;
  }
}
