// Verifies a candidate patch: the same run (pytest node id, script or module, with its args and
// interpreter) without tracing, against a temporary copy of the folder with the patched files
// written into it, inside a sandbox (sandbox.ts) unless the user allowed running without one, in an
// environment built from an allow-list (runEnv.ts). The verdict comes from authenticated evidence
// the run sends over a channel outside the sandbox (evidence.ts, verdict.ts), not from the exit
// code. The user's tree is never written; the copy is removed afterwards.
import { randomBytes } from 'node:crypto';
import { writeFile, mkdir } from 'node:fs/promises';
import * as path from 'node:path';
import { UserError } from '../errors';
import { findInterpreter } from '../dap/python';
import type { RecordOptions } from '../trace/options';
import { interpreterPaths } from './interpreterPaths';
import { runProgram } from './runProgram';
import { buildRunEnv, type PassedEnv } from './runEnv';
import { createSandbox, probeSandbox, type Sandbox, type SandboxLimits } from './sandbox';
import { programRecordOf, pytestRecordOf, readEvidence } from './evidence';
import { copyForRun, plainArgv, targetInCopy } from './targetInCopy';
import { programVerdict, pytestVerdict, type FailingLine } from './verdict';
import { isInside, type CopyLimits, type PatchedFile, type WorkspaceCopy } from './workspaceCopy';
import pytestPlugin from './python/tracefix_verify_pytest.py';
import programRunner from './python/tracefix_verify_main.py';
import channelModule from './python/tracefix_verify_channel.py';

export const DEFAULT_VERIFY_TIMEOUT_MS = 30_000;

export type VerifyOptions = Pick<
  RecordOptions,
  | 'target'
  | 'args'
  | 'cwd'
  | 'root'
  | 'python'
  | 'debugpyPath'
  | 'env'
  | 'stdin'
  | 'programEnv'
  | 'signal'
> & {
  /** The patched files, relative to the root (files not listed are copied unchanged). */
  files: PatchedFile[];
  /** Wall-clock limit of the run (default 30 s). */
  timeoutMs?: number;
  /** Characters of output kept in the result (default 64 000). */
  maxOutputChars?: number;
  copyLimits?: Partial<CopyLimits>;
  /** Run inside the sandbox (default true; UserError 'untrusted' when there is none). false only
   * when the user allowed model-written code to run unsandboxed. */
  sandbox?: boolean;
  /** The line that failed in the original run (and its checks), as they are in the patched files. */
  failingLine?: FailingLine;
  /** Environment variables the user passed to model-written runs (`--env`); see runEnv.ts. */
  passEnv?: readonly PassedEnv[];
  /** The sandbox's limits (defaults: DEFAULT_SANDBOX_LIMITS). */
  sandboxLimits?: Partial<SandboxLimits>;
};

export interface VerifyResult {
  passed: boolean;
  exitCode: number | null;
  timedOut: boolean;
  /** stdout and stderr interleaved, bounded (the middle elided). */
  output: string;
  /** '' when passed; else one line: the assertion / exception, pytest's summary, "the test was
   * skipped", "the program stopped early with sys.exit(0)…", or "timed out after N s". */
  failure: string;
  /** What was run, for display: `python -m pytest tests/test_x.py::test_y`. */
  command: string;
  durationMs: number;
  /** Whether the run was sandboxed. */
  sandboxed: boolean;
}

export const NO_SANDBOX_HINT =
  'Install bubblewrap (Debian/Ubuntu: apt-get install bubblewrap), or allow model-written code to run without a sandbox (tracefix fix --no-sandbox; the editor asks).';

/** The sandbox for runs in `copy` (undefined when `sandbox` is false); UserError when none is
 * available. Create it once everything is written into the copy (a root caller's copy is handed to
 * the sandbox's id); dispose of it before the copy. */
export async function sandboxForCopy(
  copy: WorkspaceCopy,
  o: {
    sandbox?: boolean;
    python: string;
    env: NodeJS.ProcessEnv;
    cwd: string;
    originalCwd: string;
    readOnly?: string[];
    limits?: Partial<SandboxLimits>;
  },
): Promise<Sandbox | undefined> {
  if (o.sandbox === false) return undefined;
  const status = await probeSandbox(o.env);
  if (!status.available)
    throw new UserError(
      'untrusted',
      `Not running model-written code: ${status.reason}.`,
      NO_SANDBOX_HINT,
    );
  const paths = await interpreterPaths(o.python, o.env, o.originalCwd);
  return createSandbox(status, {
    originals: copy.originals,
    copyDir: copy.dir,
    copyBytes: copy.bytes,
    copyFiles: copy.files,
    // The interpreter and its libraries (a venv may live in the hidden project folder, pyenv in the
    // hidden home); never a sys.path entry into the user's own files (an editable install): those
    // point into the copy.
    readOnly: [
      ...paths.prefixes,
      ...paths.sysPath.filter((p) => !copy.originals.some((r) => isInside(p, r))),
      ...(o.readOnly ?? []),
    ],
    cwd: o.cwd,
    // A shim (pyenv) runs the real interpreter through files in the hidden home: run that directly.
    commands:
      paths.executable && paths.executable !== o.python ? { [o.python]: paths.executable } : {},
    limits: o.limits,
    home: o.env.HOME,
  });
}

/** HOME (and, without a sandbox, the temp folder) of a run: folders of the copy, made here. */
export async function runFolders(
  copy: WorkspaceCopy,
  sandboxed: boolean,
): Promise<{ home: string; tmp: string }> {
  const home = path.join(copy.dir, '.home');
  const tmp = sandboxed ? '/tmp' : path.join(copy.dir, '.tmp');
  await mkdir(home, { recursive: true });
  if (!sandboxed) await mkdir(tmp, { recursive: true });
  return { home, tmp };
}

/**
 * PYTHONPATH for a run in the copy: the copied root when the cwd is outside it, then every
 * interpreter path (editable install, PYTHONPATH entry) that pointed into the user's folder, now
 * pointing into the copy, so the patched files are the ones imported.
 */
export async function pythonPathInCopy(
  copy: WorkspaceCopy,
  o: { first: string[]; python: string; env: NodeJS.ProcessEnv; originalCwd: string },
): Promise<string> {
  const paths = await interpreterPaths(o.python, o.env, o.originalCwd);
  const mine = paths.sysPath.filter(
    (p) =>
      copy.originals.some((r) => isInside(p, r)) && !paths.prefixes.some((x) => isInside(p, x)),
  );
  const given = (o.env.PYTHONPATH ?? '')
    .split(path.delimiter)
    .filter(Boolean)
    .map((p) => (path.isAbsolute(p) ? copy.map(p) : p));
  return [...new Set([...o.first, ...mine.map((p) => copy.map(p)), ...given])].join(path.delimiter);
}

/** Replaces the copy's paths by the user's in text the user and the model read. */
export function unmapCopyPaths(text: string, copy: WorkspaceCopy): string {
  let out = text;
  for (const orig of [...copy.originals].sort((a, b) => b.length - a.length))
    out = out.split(copy.map(orig)).join(orig);
  return out;
}

export async function verifyPatch(opts: VerifyOptions): Promise<VerifyResult> {
  const interp = await findInterpreter(opts);
  const timeoutMs = opts.timeoutMs ?? DEFAULT_VERIFY_TIMEOUT_MS;
  const args = opts.args ?? [];
  const base = opts.env ?? process.env;
  const sandboxed = opts.sandbox !== false;
  // Refuse before copying anything when model-written code could only run unsandboxed.
  if (sandboxed) {
    const status = await probeSandbox(base);
    if (!status.available)
      throw new UserError(
        'untrusted',
        `Not running model-written code: ${status.reason}.`,
        NO_SANDBOX_HINT,
      );
  }
  const copy = await copyForRun(opts, opts.files, { limits: opts.copyLimits, signal: opts.signal });
  let sandbox: Sandbox | undefined;
  try {
    const t = targetInCopy(opts, copy);
    const support = path.join(copy.dir, '.tracefix');
    await mkdir(support, { recursive: true });
    const runner = path.join(support, 'tracefix_verify_main.py');
    await writeFile(runner, programRunner);
    await writeFile(path.join(support, 'tracefix_verify_pytest.py'), pytestPlugin);
    await writeFile(path.join(support, 'tracefix_verify_channel.py'), channelModule);
    const folders = await runFolders(copy, sandboxed);
    const failing = opts.failingLine;
    const watch =
      failing?.kind === 'line'
        ? [failing, ...(failing.checks ?? [])].map((l, id) => ({
            id,
            file: path.join(t.root, l.file),
            line: l.line,
          }))
        : [];
    const pythonPath = await pythonPathInCopy(copy, {
      first: t.pythonPath ? [t.pythonPath] : [],
      python: interp.python,
      env: { ...base, ...opts.programEnv },
      originalCwd: t.resolved.cwd,
    });
    // PYTHONPATH reaches the program through the launcher, after it holds its evidence key: a
    // module of the copy on the path must not run before (tracefix_verify_main.py).
    const env = buildRunEnv(base, {
      ...folders,
      passed: opts.passEnv,
      set: {
        PYTHONHASHSEED: '0',
        PYTHONIOENCODING: 'utf-8',
        // Keep the copy as the program left it and skip bytecode writes entirely.
        PYTHONDONTWRITEBYTECODE: '1',
        ...opts.programEnv,
        TRACEFIX_VERIFY: JSON.stringify({ pythonPath: pythonPath.split(path.delimiter), watch }),
        // The shell's idea of the cwd would still name the user's folder.
        PWD: t.cwd,
        PYTHONPATH: undefined,
      },
    });
    const kind = t.resolved.kind;
    const targetArgs =
      t.target.kind === 'pytest'
        ? ['pytest', ...plainArgv(t.target, []).slice(2), ...args]
        : t.target.kind === 'script'
          ? ['script', t.target.path, ...args]
          : ['module', t.target.module, ...args];
    sandbox = await sandboxForCopy(copy, {
      sandbox: opts.sandbox,
      python: interp.python,
      env: base,
      cwd: t.cwd,
      originalCwd: t.resolved.cwd,
      limits: opts.sandboxLimits,
    });
    const key = randomBytes(32);
    const run = await runProgram({
      python: interp.python,
      argv: [runner, ...targetArgs],
      cwd: t.cwd,
      env,
      stdin: opts.stdin,
      timeoutMs,
      maxOutputChars: opts.maxOutputChars,
      signal: opts.signal,
      wrap: sandbox?.wrap,
      channel: { key },
    });
    // Name the user's files, not the temporary copy, in what the user and the model read.
    const output = unmapCopyPaths(run.output.split(support).join('<tracefix>'), copy);
    const facts = {
      kind,
      exitCode: run.exitCode,
      signal: run.signal,
      timedOut: run.timedOut,
      timeoutMs,
      output,
    };
    const evidence = readEvidence(run.channel?.data ?? Buffer.alloc(0), key, run.channel?.overflow);
    const events = evidence.problem ? [] : evidence.events;
    let failure =
      kind === 'pytest'
        ? pytestVerdict(
            pytestRecordOf(events),
            facts,
            opts.target.kind === 'pytest' ? opts.target.nodeId : '',
            failing,
          )
        : programVerdict(programRecordOf(events), facts, failing);
    if (evidence.problem && (failure === '' || run.exitCode === 0)) failure = evidence.problem;
    if (failure && sandbox?.oomKilled())
      failure = `the run went over the sandbox's memory limit (${Math.round(sandbox.limits.memoryBytes / 1024 / 1024)} MB) and was killed: ${failure}`;
    return {
      passed: failure === '',
      exitCode: run.exitCode,
      timedOut: run.timedOut,
      output,
      failure: unmapCopyPaths(failure, copy),
      command: displayCommand(opts, args),
      durationMs: run.durationMs,
      sandboxed: sandbox !== undefined,
    };
  } finally {
    await sandbox?.dispose();
    copy.dispose();
  }
}

/** How the user would type the run, e.g. `python -m pytest tests/test_x.py::test_y`. */
export function displayCommand(opts: Pick<RecordOptions, 'target'>, args: string[]): string {
  const quote = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
  const rest = args.map(quote).join(' ');
  const t = opts.target;
  const head =
    t.kind === 'script'
      ? `python ${quote(t.path)}`
      : t.kind === 'module'
        ? `python -m ${t.module}`
        : `python -m pytest ${quote(t.nodeId)}`;
  return rest ? `${head} ${rest}` : head;
}
