// An earlier round as the next round's prompt shows it: the patch (its diff, cut when long), why
// it failed (the verification's output tail), and — when tracing is on — the NExT trace of the
// program with that patch, recorded in a temporary copy (sandboxed like verification).
import { CancelledError, InternalError, UserError, errorMessage } from '../errors';
import type { PreviousAttempt } from '../model/prompt';
import { renderNext } from '../render/next';
import type { Trace } from '../trace/model';
import type { RecordOptions } from '../trace/options';
import { recordTrace } from '../trace/record';
import { copyForRun, recordOptionsInCopy, targetInCopy } from '../verify/targetInCopy';
import { buildRunEnv, type PassedEnv } from '../verify/runEnv';
import type { Sandbox } from '../verify/sandbox';
import { pythonPathInCopy, runFolders, sandboxForCopy } from '../verify/verify';
import type { ProposedPatch } from './patchAdapter';
import type { FixEvent, FixRound } from './types';

/** The quoted diff of an earlier attempt is cut beyond this. */
const MAX_ATTEMPT_DIFF_CHARS = 4000;
const MAX_ATTEMPT_OUTPUT_LINES = 25;

export interface RunPolicy {
  /** false: no model-written code runs at all (patches stay unverified). */
  verify: boolean;
  sandbox: boolean;
  /** Environment variables the user passed to model-written runs (--env, tracefix.verify.env). */
  env: readonly PassedEnv[];
}

export interface AttemptContext {
  rec: RecordOptions;
  run: RunPolicy;
  /** The interpreter that recorded the failure. */
  interpreter: Trace['interpreter'];
  signal?: AbortSignal;
  useTrace: boolean;
  budget: number;
  /** The round the attempt is shown in. */
  index: number;
  emit: (e: FixEvent) => void;
  onPatchedTrace?: (trace: Trace) => void;
}

/** The failed round as the next prompt shows it; with a trace of the patched program when tracing is on. */
export async function attemptOf(round: FixRound, ctx: AttemptContext): Promise<PreviousAttempt> {
  if (!round.patch) {
    return {
      patchSummary: 'No change could be taken from the answer.',
      failure: [round.failure, ...round.problems.slice(0, -1)].join('\n'),
    };
  }
  let diff = round.patch.diff;
  if (diff.length > MAX_ATTEMPT_DIFF_CHARS)
    diff = `${diff.slice(0, MAX_ATTEMPT_DIFF_CHARS)}\n[… diff cut …]`;
  const patchSummary = round.summary ? `${round.summary}\n\n${diff}` : diff;
  const v = round.verification;
  const outputTail = v
    ? v.output
        .replace(/\r\n?/g, '\n')
        .trimEnd()
        .split('\n')
        .slice(-MAX_ATTEMPT_OUTPUT_LINES)
        .join('\n')
    : '';
  const failure =
    round.changesTests.length && !v
      ? `The patch changed the tests (${round.changesTests.join(', ')}), which is not allowed: fix the code under test and leave the tests as they are.`
      : outputTail && !outputTail.includes(round.failure)
        ? `${round.failure}\n\n${outputTail}`
        : outputTail || round.failure;
  const attempt: PreviousAttempt = { patchSummary, failure };
  if (ctx.useTrace) {
    const traced = await tracePatched(round.patch, ctx);
    if (traced) attempt.nextTrace = traced;
  }
  return attempt;
}

/** NExT text of the program with the patch applied, traced in a temporary copy; undefined when that fails. */
async function tracePatched(
  patch: ProposedPatch,
  ctx: AttemptContext,
): Promise<string | undefined> {
  const rec = ctx.rec;
  ctx.emit({ type: 'trace-start', round: ctx.index, patched: true });
  let copy;
  let sandbox: Sandbox | undefined;
  try {
    copy = await copyForRun(
      rec,
      patch.files.map((f) => ({ path: f.path, text: f.newText, baseText: f.oldText })),
      { signal: ctx.signal },
    );
    const inCopy = recordOptionsInCopy(rec, copy);
    const t = targetInCopy(rec, copy);
    const python = rec.python ?? ctx.interpreter.path;
    const base = rec.env ?? process.env;
    const pythonPath = await pythonPathInCopy(copy, {
      first: t.pythonPath ? [t.pythonPath] : [],
      python,
      env: { ...base, ...rec.programEnv },
      originalCwd: t.resolved.cwd,
    });
    const folders = await runFolders(copy, ctx.run.sandbox);
    // The adapter and the debuggee both run inside the sandbox; the debugpy folder stays readable.
    sandbox = await sandboxForCopy(copy, {
      sandbox: ctx.run.sandbox,
      python,
      env: base,
      cwd: inCopy.cwd,
      originalCwd: t.resolved.cwd,
      readOnly: [rec.debugpyPath ?? '', ctx.interpreter.debugpyPath].filter(Boolean),
    });
    const trace = await recordTrace({
      ...inCopy,
      python,
      // Built, not inherited: the adapter, the launcher and the program see only this.
      env: buildRunEnv(base, { ...folders, passed: ctx.run.env }),
      signal: ctx.signal,
      spawnWrapper: sandbox?.wrap,
      programEnv: {
        ...inCopy.programEnv,
        PWD: inCopy.cwd,
        ...(pythonPath ? { PYTHONPATH: pythonPath } : {}),
      },
    });
    // Half the budget: the prompt also carries the original trace.
    const next = renderNext(trace, { budget: Math.max(1000, Math.floor(ctx.budget / 2)) });
    ctx.emit({
      type: 'trace-done',
      round: ctx.index,
      patched: true,
      trace,
      nextTokens: next.tokens,
    });
    ctx.onPatchedTrace?.(trace);
    return next.text;
  } catch (e) {
    if (e instanceof CancelledError) throw e;
    // A patch that breaks the program (syntax error, import error) cannot be traced; the failure
    // from verification already says why, so the round goes on without this trace.
    const message =
      e instanceof UserError || e instanceof InternalError ? e.message : errorMessage(e);
    ctx.emit({ type: 'trace-failed', round: ctx.index, message });
    return undefined;
  } finally {
    await sandbox?.dispose();
    copy?.dispose();
  }
}
