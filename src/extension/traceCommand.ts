// Explain & Fix / Trace Only / Re-run: decide what to run, save as `debug.saveBeforeStart` says,
// record it under a cancellable progress notification, paint it, and for Explain & Fix open the
// timeline and run the explain pipeline — unless the target passes, which is said as information.
// Every failure ends in exactly one notification that says what to do.
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { CancelledError, errorMessage, isUserError, type UserError } from '../core/errors';
import type { Trace } from '../core/trace/model';
import { recordTrace } from '../core/trace/record';
import { traceFailure, tracePassed } from '../core/verify/traceOutcome';
import type { TracefixContext } from './context';
import { passesText } from './explain/labels';
import { chooseInterpreter } from './interpreter';
import { substitute, type RunPlan } from './runPlan';
import { saveBeforeRun } from './saveBeforeRun';
import { readSettings } from './settings';

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

export interface RunOptions {
  /** Run this plan instead of resolving the target from the editor (Re-run). */
  plan?: RunPlan;
  rerun?: boolean;
}

const TRUST_ITEM = 'Manage Workspace Trust';
const SETTINGS_ITEM = 'Open Settings';
const LOG_ITEM = 'Show Log';

export async function runTraceCommand(
  ctx: TracefixContext,
  mode: RunMode,
  arg: unknown,
  opts: RunOptions = {},
): Promise<LastRun> {
  const started = Date.now();
  if (!vscode.workspace.isTrusted) {
    void ctx.notifier
      .show(
        'warning',
        'Tracefix runs your program to record it, and this workspace is in Restricted Mode, so Tracefix runs nothing here. Trust the workspace to trace.',
        TRUST_ITEM,
      )
      .then((c) => c === TRUST_ITEM && vscode.commands.executeCommand('workbench.trust.manage'));
    return ctx.finishRun({ mode, status: 'untrusted' });
  }
  await ctx.cancelRunning();
  let plan: RunPlan | undefined;
  try {
    const resolved = opts.plan ?? ctx.targets.resolve(arg);
    plan = resolved;
    const { trace, unsaved } = await record(ctx, resolved);
    ctx.store.set(trace, resolved);
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
    ctx.log.info(`painted ${trace.sources.length} file(s) ${run.durationMs} ms after the command`);
    report(ctx, trace, unsaved);
    if (mode === 'explain') {
      if (passed) {
        // Nothing to explain: said as information, and the last explanation stays where it was.
        ctx.log.info(`explain: ${trace.program.target} passes; the model is not asked`);
        void ctx.notifier.show('info', `${passesText(trace.program)} — nothing to fix.`);
      } else {
        await explain(ctx, trace, resolved);
      }
    }
    return ctx.finishRun(run);
  } catch (e) {
    const run: LastRun = {
      mode,
      status: e instanceof CancelledError ? 'cancelled' : 'error',
      error: { message: errorMessage(e) },
    };
    if (plan) run.plan = plan;
    if (isUserError(e)) run.error!.code = e.code;
    if (e instanceof CancelledError) {
      ctx.log.info('recording cancelled');
      vscode.window.setStatusBarMessage('Tracefix: recording cancelled', 5000);
    } else {
      showError(ctx, e);
    }
    return ctx.finishRun(run);
  }
}

async function record(
  ctx: TracefixContext,
  plan: RunPlan,
): Promise<{ trace: Trace; unsaved: string[] }> {
  const folder = vscode.Uri.file(plan.root);
  const settings = readSettings(folder);
  const { setting, unsaved } = await saveBeforeRun(plan.root);
  ctx.log.info(
    `debug.saveBeforeStart: ${setting}${unsaved.length ? `; ${unsaved.join(', ')} not saved, the run uses the saved text` : ''}`,
  );
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
    log: ctx.log,
  });
  ctx.log.info(
    `recording ${plan.label} (${plan.origin}) in ${plan.cwd}; python: ${interp.python ?? 'from PATH'} (${interp.source})${interp.debugpyPath ? `; fallback debugpy: ${interp.debugpyPath}` : ''}`,
  );
  const trace = await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: `Tracefix: recording ${plan.label}`,
      cancellable: true,
    },
    async (_progress, token) => {
      const controller = new AbortController();
      const sub = token.onCancellationRequested(() => controller.abort());
      const done = ctx.beginRecording(plan, controller);
      try {
        return await recordTrace({
          target: plan.target,
          args: plan.args,
          cwd: plan.cwd,
          root: plan.root,
          engine: settings.engine,
          limits: settings.limits,
          ...(interp.python ? { python: interp.python } : {}),
          ...(interp.debugpyPath ? { debugpyPath: interp.debugpyPath } : {}),
          ...(plan.env ? { programEnv: plan.env } : {}),
          log: (direction, text) => ctx.log.trace(`${direction} ${text}`),
          signal: controller.signal,
        });
      } finally {
        sub.dispose();
        done();
      }
    },
  );
  return { trace, unsaved };
}

function expandHome(p: string): string {
  return p === '~' || p.startsWith('~/') ? path.join(os.homedir(), p.slice(1)) : p;
}

function report(ctx: TracefixContext, trace: Trace, unsaved: string[]): void {
  const o = trace.outcome;
  const where = o.exception?.file ? ` at ${o.exception.file}:${o.exception.line ?? '?'}` : '';
  const what = o.exception
    ? `${o.exception.type}${where}`
    : o.testPassed === true
      ? 'test passed'
      : `exit ${o.exitCode ?? '?'}`;
  const text = `${trace.events.length} events · ${what}${o.partial ? ` · partial (${o.status})` : ''}${unsaved.length ? ` · ran the saved ${unsaved.join(', ')}` : ''}`;
  ctx.log.info(
    `trace: ${text}; ${trace.engine} engine, ${o.durationMs} ms, python ${trace.interpreter.version} (${trace.interpreter.path}), debugpy ${trace.interpreter.debugpyVersion}`,
  );
  for (const chunk of trace.output)
    ctx.log.info(`[${chunk.stream}] ${chunk.text.replace(/\n$/, '')}`);
  vscode.window.setStatusBarMessage(`Tracefix: ${text}`, 10_000);
}

/** Opens the timeline at the exception (or the last event) and runs the registered explain steps. */
async function explain(ctx: TracefixContext, trace: Trace, plan: RunPlan): Promise<void> {
  const exc = trace.outcome.exception;
  const at = exc
    ? trace.events.findIndex(
        (e) => e.kind === 'exception' && e.file === exc.file && e.line === exc.line,
      )
    : -1;
  await ctx.timeline.show(at >= 0 ? at : trace.events.length - 1);
  if (ctx.explainSteps.isEmpty) {
    ctx.log.info(
      'explain: no explain step is registered in this build; the trace, inline values and timeline are shown',
    );
    return;
  }
  await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: 'Tracefix: explaining',
      cancellable: true,
    },
    async (progress, token) => {
      const controller = new AbortController();
      const sub = token.onCancellationRequested(() => controller.abort());
      try {
        await ctx.explainSteps.run({
          trace,
          plan,
          settings: readSettings(vscode.Uri.file(plan.root)),
          secrets: ctx.secrets,
          log: ctx.log,
          signal: controller.signal,
          progress,
        });
      } finally {
        sub.dispose();
      }
    },
  );
}

function showError(ctx: TracefixContext, e: unknown): void {
  if (!isUserError(e)) {
    ctx.log.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
    void ctx.notifier
      .show('error', `Tracefix failed: ${errorMessage(e)}`, LOG_ITEM)
      .then((c) => c === LOG_ITEM && ctx.log.show());
    return;
  }
  ctx.log.warn(`${e.code}: ${e.message}${e.hint ? ` (${e.hint})` : ''}`);
  const fix = interpreterAdvice(e);
  if (fix) {
    void ctx.notifier.show('error', `${e.message} ${fix}`, SETTINGS_ITEM).then((c) => {
      if (c === SETTINGS_ITEM)
        void vscode.commands.executeCommand('workbench.action.openSettings', 'tracefix.pythonPath');
    });
    return;
  }
  void ctx.notifier.show('error', e.hint ? `${e.message} ${e.hint}` : e.message);
}

/** Editor wording for interpreter problems (the core's hints speak of CLI flags). */
function interpreterAdvice(e: UserError): string | undefined {
  if (e.code === 'no-debugpy') {
    return 'Install debugpy for that interpreter (`python -m pip install debugpy`, or `sudo apt-get install python3-debugpy` for the system Python), install the Python Debugger extension (ms-python.debugpy), or set `tracefix.pythonPath` to an interpreter that has debugpy.';
  }
  if (e.code === 'no-pytest') {
    return 'Install pytest for that interpreter (`python -m pip install pytest`, or `sudo apt-get install python3-pytest` for the system Python), or set `tracefix.pythonPath` to an interpreter that has it.';
  }
  if (e.code === 'no-python') {
    return 'Set `tracefix.pythonPath` to a Python 3 interpreter, or select one with the Python extension.';
  }
  return undefined;
}
