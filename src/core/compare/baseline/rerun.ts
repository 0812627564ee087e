// The interpreter a passing run is recorded with. A recording names the program, folders and
// interpreter that made it, and a loaded one (a file, which anything may have written) names what it
// likes: a caller that did not record the failing run itself resolves its own interpreter
// (withInterpreter) and the passing run never runs one a file names.
import { findInterpreter } from '../../dap/python';
import type { Trace } from '../../trace/model';
import type { RecordOptions } from '../../trace/options';

/** `rec` with its interpreter chosen: the configured one, else the one a recording would find. */
export async function withInterpreter(rec: RecordOptions): Promise<RecordOptions> {
  if (rec.python) return rec;
  const { python } = await findInterpreter({
    ...(rec.debugpyPath ? { debugpyPath: rec.debugpyPath } : {}),
    ...(rec.env ? { env: rec.env } : {}),
  });
  return { ...rec, python };
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
