import type { TraceLimits } from './model';

/** What to run. Paths may be relative to `cwd`. */
export type RunTarget =
  | { kind: 'script'; path: string }
  | { kind: 'module'; module: string }
  /** A pytest node id such as `tests/test_x.py::test_name` (or just a test file). */
  | { kind: 'pytest'; nodeId: string };

/** 'fast': the in-process recorder (default); 'step': the stepping reference. 'logpoint' is the
 * former name of 'fast' and is still accepted. */
export type EngineName = 'fast' | 'step' | 'logpoint';

/** Every name `--engine` and `tracefix.engine` accept. */
export const ENGINE_NAMES: readonly EngineName[] = ['fast', 'step', 'logpoint'];
export const DEFAULT_ENGINE: EngineName = 'fast';

/** The engine a flag or setting names; undefined for a name no engine has. */
export function engineNamed(name: string): EngineName | undefined {
  return (ENGINE_NAMES as readonly string[]).includes(name) ? (name as EngineName) : undefined;
}

import type { DapLogger, InterpreterOptions, SpawnWrapper } from '../dap/types';

export type { DapLogger, InterpreterOptions, SpawnWrapper };

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
}
