// Verifies a candidate patch: the same run (pytest node id, script or module, with its args and
// interpreter) without tracing, against a temporary copy of the root with the patched files written
// into it. The user's tree is never written; the copy is removed afterwards.
import * as path from 'node:path';
import { findInterpreter } from '../dap/python';
import type { RecordOptions } from '../trace/options';
import { runPassed, summarizeFailure } from './failureSummary';
import { runProgram } from './runProgram';
import { plainArgv, resolveRun, targetInCopy } from './targetInCopy';
import { copyWorkspace, type CopyLimits, type PatchedFile } from './workspaceCopy';

export const DEFAULT_VERIFY_TIMEOUT_MS = 30_000;

export type VerifyOptions = Pick<RecordOptions, 'target' | 'args' | 'cwd' | 'root' | 'python' | 'debugpyPath' | 'env' | 'stdin' | 'programEnv' | 'signal'> & {
  /** The patched files, relative to the root (files not listed are copied unchanged). */
  files: PatchedFile[];
  /** Wall-clock limit of the run (default 30 s). */
  timeoutMs?: number;
  /** Characters of output kept in the result (default 64 000). */
  maxOutputChars?: number;
  copyLimits?: Partial<CopyLimits>;
};

export interface VerifyResult {
  passed: boolean;
  exitCode: number | null;
  timedOut: boolean;
  /** stdout and stderr interleaved, bounded (the middle elided). */
  output: string;
  /** '' when passed; else one line: the assertion / exception, pytest's summary, or "timed out after N s". */
  failure: string;
  /** What was run, for display: `python -m pytest tests/test_x.py::test_y`. */
  command: string;
  durationMs: number;
}

export async function verifyPatch(opts: VerifyOptions): Promise<VerifyResult> {
  const interp = await findInterpreter(opts);
  const timeoutMs = opts.timeoutMs ?? DEFAULT_VERIFY_TIMEOUT_MS;
  const args = opts.args ?? [];
  // Resolved as the tracer does (validates the target; default root = cwd or the script's folder).
  const { root } = resolveRun(opts);
  const copy = copyWorkspace(root, opts.files, opts.copyLimits);
  try {
    const t = targetInCopy(opts, copy);
    const base = opts.env ?? process.env;
    const env: NodeJS.ProcessEnv = {
      ...base,
      PYTHONHASHSEED: '0',
      PYTHONIOENCODING: 'utf-8',
      // Keep the copy as the program left it and skip bytecode writes entirely.
      PYTHONDONTWRITEBYTECODE: '1',
      ...opts.programEnv,
    };
    if (t.pythonPath) env.PYTHONPATH = [t.pythonPath, env.PYTHONPATH].filter(Boolean).join(path.delimiter);
    const argv = plainArgv(t.target, args);
    const run = await runProgram({
      python: interp.python, argv, cwd: t.cwd, env, stdin: opts.stdin, timeoutMs,
      maxOutputChars: opts.maxOutputChars, signal: opts.signal,
    });
    // Name the user's files, not the temporary copy, in what the user and the model read.
    const output = run.output.split(copy.root).join(copy.originalRoot);
    const facts = { kind: t.resolved.kind, exitCode: run.exitCode, signal: run.signal, timedOut: run.timedOut, timeoutMs, output };
    const passed = runPassed(facts);
    return {
      passed,
      exitCode: run.exitCode,
      timedOut: run.timedOut,
      output,
      failure: passed ? '' : summarizeFailure(facts),
      command: displayCommand(opts, args),
      durationMs: run.durationMs,
    };
  } finally {
    copy.dispose();
  }
}

/** How the user would type the run, e.g. `python -m pytest tests/test_x.py::test_y`. */
export function displayCommand(opts: Pick<RecordOptions, 'target'>, args: string[]): string {
  const quote = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
  const rest = args.map(quote).join(' ');
  const t = opts.target;
  const head = t.kind === 'script' ? `python ${quote(t.path)}` : t.kind === 'module' ? `python -m ${t.module}` : `python -m pytest ${quote(t.nodeId)}`;
  return rest ? `${head} ${rest}` : head;
}
