// Errors are typed so the edges can map them: a UserError is shown as is (notification / one stderr
// line), anything else is an internal failure reported with a pointer to the log.

export type UserErrorCode =
  | 'no-python'
  | 'no-debugpy'
  | 'no-pytest'
  | 'file-not-found'
  | 'syntax-error'
  | 'bad-argument'
  | 'untrusted'
  | 'no-trace'
  | 'model-auth'
  | 'model-not-found'
  | 'model-context-length'
  | 'model-rate-limit'
  | 'model-unavailable'
  | 'model-timeout'
  | 'model-incomplete'
  | 'patch-conflict'
  | 'recorder-failed'
  /** No passing run to compare against (no git, a missing ref, the test fails there too…). */
  | 'no-baseline'
  | 'pytest-error'
  | 'timeout'
  | 'cancelled';

export class UserError extends Error {
  override readonly name = 'UserError';
  constructor(
    readonly code: UserErrorCode,
    message: string,
    /** A short suggestion of what to do (install command, setting to change…). */
    readonly hint?: string,
  ) {
    super(message);
  }
}

export class InternalError extends Error {
  override readonly name = 'InternalError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export class CancelledError extends UserError {
  constructor(message = 'Cancelled.') {
    super('cancelled', message);
  }
}

export function isUserError(e: unknown): e is UserError {
  return e instanceof UserError;
}

export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}

/** For a log: the stack of an Error (its message when it has none), else the value as text. */
export function errorStack(e: unknown): string {
  return e instanceof Error ? (e.stack ?? e.message) : String(e);
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CancelledError();
}
