import type { DapLogger, InterpreterOptions, SpawnWrapper } from '../dap/types';
import type { Trace, TraceLimits } from './model';

export type { DapLogger, InterpreterOptions, SpawnWrapper };

/** What to run. Paths may be relative to `cwd`. */
export type RunTarget =
  | { kind: 'script'; path: string }
  | { kind: 'module'; module: string }
  /** A pytest node id such as `tests/test_x.py::test_name` (or just a test file). */
  | { kind: 'pytest'; nodeId: string };

/** 'fast': the in-process recorder (default); 'step': the stepping reference. */
export type EngineName = 'fast' | 'step';

/** Every name `--engine` and `tracefix.engine` accept. */
export const ENGINE_NAMES: readonly EngineName[] = ['fast', 'step'];
export const DEFAULT_ENGINE: EngineName = 'fast';

/** The engine a flag or setting names; undefined for a name no engine has. */
export function engineNamed(name: string): EngineName | undefined {
  return (ENGINE_NAMES as readonly string[]).includes(name) ? (name as EngineName) : undefined;
}

export interface RecordOptions extends InterpreterOptions {
  target: RunTarget;
  args?: string[];
  /** Working directory of the program (absolute). */
  cwd: string;
  /** Folder whose .py files are user code; defaults to cwd (or the script's folder if outside cwd). */
  root?: string;
  /** Line-record the bodies of user modules run by imports (default: not recorded, summarised). */
  recordImports?: boolean;
  engine?: EngineName;
  limits?: Partial<TraceLimits>;
  /** Text fed to the program's stdin; without it stdin is at EOF. */
  stdin?: string;
  /** Extra environment variables for the program. */
  programEnv?: Record<string, string>;
  log?: DapLogger;
  signal?: AbortSignal;
  /** Wraps the command that starts the debug adapter (and so the program), e.g. in a bubblewrap
   * sandbox when the program is model-written code in a temporary copy. */
  spawnWrapper?: SpawnWrapper;
  /** Called once when debugpy has been asked to launch the program, while the interpreter starts
   * in its own process: room for the caller's synchronous set-up. */
  whileStarting?: () => void;
}

/** What to run, and where: a run plan in the editor, the target arguments of the CLI. */
export type RunSpec = Pick<
  RecordOptions,
  'target' | 'args' | 'cwd' | 'root' | 'programEnv' | 'stdin'
>;

/** How to record it: interpreter, engine and limits (settings in the editor, flags in the CLI). */
export type RecorderChoice = Pick<
  RecordOptions,
  'python' | 'debugpyPath' | 'env' | 'engine' | 'limits' | 'recordImports' | 'spawnWrapper'
>;

/** This recording's own log and cancellation. */
export type RecordingIo = Pick<RecordOptions, 'log' | 'signal'>;

/**
 * The recorder's options: every caller (the CLI's commands, the MCP server, the editor's trace
 * command and its Explain & Fix) describes a recording in these three parts, here. Fields left
 * undefined are left out, so the recorder's own defaults apply.
 */
export function recordOptionsFor(
  run: RunSpec,
  how: RecorderChoice = {},
  io: RecordingIo = {},
): RecordOptions {
  const all: RecordOptions = { ...how, ...run, ...io };
  for (const key of Object.keys(all) as (keyof RecordOptions)[]) {
    if (all[key] === undefined) delete all[key];
  }
  return all;
}

/**
 * The options to run `trace`'s program again where the failure was seen: the interpreter that
 * recorded it (its resolved path, even when it was found on PATH) and the debugpy it used (a
 * bundled fallback included). Verifying a fix and tracing the patched program use these.
 */
export function sameInterpreterAs(opts: RecordOptions, trace: Trace): RecordOptions {
  const { log: _log, signal: _signal, ...base } = opts;
  const { path, debugpyPath } = trace.interpreter;
  return { ...base, python: path, ...(debugpyPath ? { debugpyPath } : {}) };
}
