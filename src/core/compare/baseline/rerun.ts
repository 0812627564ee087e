// How a recording was made, as recorder options: what ran (script, module or pytest test, with its
// arguments), where (working directory, root) and with which interpreter and debugpy. A passing run
// for a recording that was loaded or made elsewhere (the MCP server, the editor's Compare with…) is
// obtained from these.
import type { Trace } from '../../trace/model';
import type { RecordOptions, RunTarget } from '../../trace/options';

export function rerunOptions(
  trace: Trace,
  extra: Partial<Omit<RecordOptions, 'target' | 'cwd'>> = {},
): RecordOptions {
  const p = trace.program;
  const target: RunTarget =
    p.kind === 'pytest'
      ? { kind: 'pytest', nodeId: p.target }
      : p.kind === 'module'
        ? { kind: 'module', module: p.target }
        : { kind: 'script', path: p.target };
  return {
    ...extra,
    target,
    args: p.args,
    cwd: p.cwd,
    root: p.root,
    python: trace.interpreter.path,
    ...(trace.interpreter.debugpyPath ? { debugpyPath: trace.interpreter.debugpyPath } : {}),
    limits: { ...trace.limits, ...extra.limits },
  };
}

/**
 * The interpreter a passing run is recorded with: the caller's choice (`rec.python`: a caller that
 * did not record the failing run itself, such as the MCP server with a loaded trace, names its own
 * and never runs what a file names), else the one that recorded the failing run.
 */
export function interpreterFor(
  rec: RecordOptions,
  failing: Trace,
): { python: string; debugpyPath?: string } {
  if (rec.python)
    return { python: rec.python, ...(rec.debugpyPath ? { debugpyPath: rec.debugpyPath } : {}) };
  const { path, debugpyPath } = failing.interpreter;
  return { python: path, ...(debugpyPath ? { debugpyPath } : {}) };
}
