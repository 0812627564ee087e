// Explain & Fix / Trace Only / Re-run: decide what to run (Re-run: the same target again), save as `debug.saveBeforeStart` says,
// record it under a cancellable progress notification, paint it, and for Explain & Fix open the
// timeline and hand the recording to Explain & Fix — unless the target passes, which is said as
// information. Every failure ends in exactly one notification (errors.ts) that says what to do.
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { CancelledError, errorMessage, isUserError } from '../../core/errors';
import type { Trace } from '../../core/trace/model';
import { recordingModel } from '../../core/trace/recordingModel';
import { recordOptionsFor, type RecordOptions } from '../../core/trace/options';
import { recordTrace } from '../../core/trace/record';
import { traceFailure, tracePassed } from '../../core/verify/traceOutcome';
import type { ErrorReporter } from '../errors';
import { failsText, passesText } from '../explain/labels';
import { chooseInterpreter } from './interpreter';
import type { Notifier } from '../notify';
import { substitute, type RunPlan } from './runPlan';
import type { TargetResolver } from './runTarget';
import type { LastRun, RunMode, RunTracker } from './runs';
import { saveBeforeRun } from './saveBeforeRun';
import { readSettings } from '../settings';
import type { TimelineView } from '../timeline/timelineView';
import type { TraceStore } from './traceStore';

export interface RunOptions {
  /** Run this plan instead of resolving the target from the editor (Re-run). */
  plan?: RunPlan;
  rerun?: boolean;
}

/** What Explain & Fix is given after a failing recording. */
export interface Explainer {
  /** `options`: how the failing run was recorded (fixes are verified and re-traced the same way). */
  explain(trace: Trace, plan: RunPlan, options: RecordOptions): Promise<void>;
}

export interface TraceRunnerDeps {
  log: vscode.LogOutputChannel;
  notifier: Notifier;
  errors: ErrorReporter;
  store: TraceStore;
  targets: TargetResolver;
  timeline: TimelineView;
  runs: RunTracker;
  explainer: Explainer;
}

const TRUST_ITEM = 'Manage Workspace Trust';

export class TraceRunner {
  constructor(private readonly deps: TraceRunnerDeps) {}

  /** Records the target `arg` names (or `opts.plan`), paints it and, for 'explain', explains it. */
  async run(mode: RunMode, arg: unknown, opts: RunOptions = {}): Promise<LastRun> {
    const { log, notifier, store, runs } = this.deps;
    const started = Date.now();
    if (!vscode.workspace.isTrusted) {
      void notifier
        .show(
          'warning',
          'Tracefix runs your program to record it, and this workspace is in Restricted Mode, so Tracefix runs nothing here. Trust the workspace to trace.',
          TRUST_ITEM,
        )
        .then((c) => c === TRUST_ITEM && vscode.commands.executeCommand('workbench.trust.manage'));
      return runs.finishRun({ mode, status: 'untrusted' });
    }
    await runs.cancelRunning();
    let plan: RunPlan | undefined;
    try {
      const resolved = opts.plan ?? this.deps.targets.resolve(arg);
      plan = resolved;
      const { trace, unsaved, options } = await this.record(resolved);
      store.set(trace, resolved);
      const passed = tracePassed(trace);
      const run: LastRun = {
        mode,
        status: 'ok',
        plan: resolved,
        durationMs: Date.now() - started,
        passed,
      };
      if (!passed) run.failure = traceFailure(trace);
      if (opts.rerun) run.rerun = true;
      log.info(`painted ${trace.sources.length} file(s) ${run.durationMs} ms after the command`);
      this.report(trace, unsaved);
      if (mode === 'explain') {
        if (passed) {
          // Nothing to explain: said as information, and the last explanation stays where it was.
          log.info(`explain: ${trace.program.target} passes; the model is not asked`);
          void notifier.show('info', `${passesText(trace.program)} — nothing to fix.`);
        } else {
          await this.explain(trace, resolved, options);
        }
      }
      return runs.finishRun(run);
    } catch (e) {
      const run: LastRun = {
        mode,
        status: e instanceof CancelledError ? 'cancelled' : 'error',
        error: { message: errorMessage(e), ...(isUserError(e) ? { code: e.code } : {}) },
      };
      if (plan) run.plan = plan;
      if (e instanceof CancelledError)
        vscode.window.setStatusBarMessage('Tracefix: recording cancelled', 5000);
      this.deps.errors.report(e, { where: 'recording' });
      return runs.finishRun(run);
    }
  }

  /** Runs `plan` (else the recording on screen's, else the last run's) again, and says how it went. */
  async rerun(given?: RunPlan): Promise<LastRun | undefined> {
    const { notifier, store, runs } = this.deps;
    const plan = given ?? store.plan ?? runs.lastRun?.plan;
    if (!plan) {
      void notifier.show(
        'info',
        'Nothing to run again yet: run "Tracefix: Trace Only" or "Tracefix: Explain & Fix" first.',
      );
      return undefined;
    }
    const run = await this.run('trace', undefined, { plan, rerun: true });
    const trace = store.trace;
    if (run.status !== 'ok' || !trace) return run;
    if (run.passed) {
      void notifier.show('info', `${passesText(trace.program)}.`);
    } else {
      const again = 'Explain & Fix';
      void notifier
        .show('warning', `${failsText(trace.program)}: ${run.failure ?? 'see the timeline'}`, again)
        .then((c) => {
          if (c === again) void this.run('explain', undefined, { plan });
        });
    }
    return run;
  }

  /** How `plan` is recorded: the settings' engine and limits, the interpreter chosen for its folder. */
  async recordOptions(plan: RunPlan): Promise<RecordOptions> {
    const { log } = this.deps;
    const folder = vscode.Uri.file(plan.root);
    const settings = readSettings(folder);
    const settingPython = settings.pythonPath
      ? substitute(expandHome(settings.pythonPath), {
          workspaceFolder: plan.root,
          env: process.env,
          userHome: os.homedir(),
        })
      : undefined;
    const interp = await chooseInterpreter({
      launchPython: plan.python,
      settingPython,
      folder,
      log,
    });
    log.info(
      `recording ${plan.label} (${plan.origin}) in ${plan.cwd}; python: ${interp.python ?? 'from PATH'} (${interp.source})${interp.debugpyPath ? `; fallback debugpy: ${interp.debugpyPath}` : ''}`,
    );
    return recordOptionsFor(
      {
        target: plan.target,
        args: plan.args,
        cwd: plan.cwd,
        root: plan.root,
        programEnv: plan.env,
      },
      {
        engine: settings.engine,
        limits: settings.limits,
        python: interp.python,
        debugpyPath: interp.debugpyPath,
      },
    );
  }

  private async record(
    plan: RunPlan,
  ): Promise<{ trace: Trace; unsaved: string[]; options: RecordOptions }> {
    const { log, runs } = this.deps;
    const { setting, unsaved } = await saveBeforeRun(plan.root);
    log.info(
      `debug.saveBeforeStart: ${setting}${unsaved.length ? `; ${unsaved.join(', ')} not saved, the run uses the saved text` : ''}`,
    );
    const options = await this.recordOptions(plan);
    const trace = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: `Tracefix: recording ${plan.label}`,
        cancellable: true,
      },
      async (_progress, token) => {
        const controller = new AbortController();
        const sub = token.onCancellationRequested(() => controller.abort());
        const done = runs.beginRecording(plan, controller);
        try {
          return await recordTrace({
            ...options,
            log: (direction, text) => log.trace(`${direction} ${text}`),
            signal: controller.signal,
          });
        } finally {
          sub.dispose();
          done();
        }
      },
    );
    return { trace, unsaved, options };
  }

  private report(trace: Trace, unsaved: string[]): void {
    const log = this.deps.log;
    const o = trace.outcome;
    const where = o.exception?.file ? ` at ${o.exception.file}:${o.exception.line ?? '?'}` : '';
    const what = o.exception
      ? `${o.exception.type}${where}`
      : o.testPassed === true
        ? 'test passed'
        : `exit ${o.exitCode ?? '?'}`;
    const text = `${trace.events.length} events · ${what}${o.partial ? ` · partial (${o.status})` : ''}${unsaved.length ? ` · ran the saved ${unsaved.join(', ')}` : ''}`;
    log.info(
      `trace: ${text}; ${trace.engine} engine, ${o.durationMs} ms, python ${trace.interpreter.version} (${trace.interpreter.path}), debugpy ${trace.interpreter.debugpyVersion}`,
    );
    for (const chunk of trace.output)
      log.info(`[${chunk.stream}] ${chunk.text.replace(/\n$/, '')}`);
    vscode.window.setStatusBarMessage(`Tracefix: ${text}`, 10_000);
  }

  /** Opens the timeline at the exception (or the last event), then Explain & Fix. */
  private async explain(trace: Trace, plan: RunPlan, options: RecordOptions): Promise<void> {
    const exc = trace.outcome.exception;
    const model = recordingModel(trace);
    const at = exc
      ? (model.exceptionEvents.find(
          (i) => model.fileAt(i) === exc.file && model.lineAt(i) === exc.line,
        ) ?? -1)
      : -1;
    await this.deps.timeline.show(at >= 0 ? at : trace.events.length - 1);
    await this.deps.explainer.explain(trace, plan, options);
  }
}

function expandHome(p: string): string {
  return p === '~' || p.startsWith('~/') ? path.join(os.homedir(), p.slice(1)) : p;
}
