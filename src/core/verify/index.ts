// Public surface of patch verification.
export { verifyPatch, displayCommand, DEFAULT_VERIFY_TIMEOUT_MS, type VerifyOptions, type VerifyResult } from './verify';
export { summarizeFailure, runPassed, lastTracebackException, pytestSummaryLine, pytestErrorLine } from './failureSummary';
export { copyWorkspace, COPY_EXCLUDED_DIRS, type PatchedFile, type WorkspaceCopy } from './workspaceCopy';
export { recordOptionsInCopy, targetInCopy } from './targetInCopy';
