// Types the DAP layer shares with its callers (kept here so that core/dap depends on nothing above it).

/** One DAP message as seen by the client, for logs (OutputChannel at trace level, `--verbose`). */
export type DapLogger = (direction: 'send' | 'recv' | 'info', text: string) => void;

/** Wraps the command that starts the debug adapter (and so the program), e.g. in a sandbox.
 * `binds.readWrite`: folders the wrapped process must be able to use (the recorder's channel). */
export type SpawnWrapper = (
  command: string,
  args: string[],
  binds?: { readWrite: string[] },
) => { command: string; args: string[] };

/** Which Python (and debugpy) to record with. */
export interface InterpreterOptions {
  /** Explicit interpreter; when set, no other candidate is tried. */
  python?: string;
  /** A folder holding a `debugpy` package (or the package folder itself), e.g. the one bundled with
   * the ms-python.debugpy extension (`bundled/libs`). Used when the interpreter lacks debugpy. */
  debugpyPath?: string;
  /** Environment to search PATH / TRACEFIX_PYTHON in (defaults to process.env). */
  env?: NodeJS.ProcessEnv;
}
