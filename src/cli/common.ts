// Shared by the CLI commands: exit codes and the mapping of trace arguments to recorder options.
import { readFileSync } from 'node:fs';
import type { RecordOptions } from '../core/trace/options';
import type { CommonTraceArgs } from './args';

/** Exit codes: 0 ok; 1 the command ran but found no verified fix; 2 user error; 3 internal error. */
export const EXIT = { ok: 0, notFixed: 1, userError: 2, internal: 3 } as const;

export function recordOptions(a: CommonTraceArgs, signal?: AbortSignal): RecordOptions {
  return {
    target: a.target,
    args: a.programArgs,
    cwd: a.cwd,
    root: a.root,
    python: a.python,
    debugpyPath: a.debugpyPath,
    engine: a.engine,
    limits: { maxSteps: a.maxSteps, timeoutMs: a.timeoutMs, reprLength: a.reprLength },
    stdin: a.stdinFile !== undefined ? readFileSync(a.stdinFile, 'utf8') : undefined,
    log: a.verbose ? (dir, text) => process.stderr.write(`[dap ${dir}] ${text.slice(0, 2000)}\n`) : undefined,
    signal,
  };
}

