// Public surface of patch verification.
export {
  verifyPatch,
  displayCommand,
  sandboxForCopy,
  pythonPathInCopy,
  unmapCopyPaths,
  DEFAULT_VERIFY_TIMEOUT_MS,
  NO_SANDBOX_HINT,
  type VerifyOptions,
  type VerifyResult,
} from './verify';
export {
  summarizeFailure,
  runPassed,
  lastTracebackException,
  pytestSummaryLine,
  pytestErrorLine,
} from './failureSummary';
export {
  copyWorkspace,
  COPY_EXCLUDED_DIRS,
  type PatchedFile,
  type WorkspaceCopy,
  type CopyOptions,
} from './workspaceCopy';
export { copyForRun, foldersToCopy, recordOptionsInCopy, targetInCopy } from './targetInCopy';
export {
  probeSandbox,
  resetSandboxProbe,
  bwrapArgs,
  sandboxWrapper,
  SANDBOX_ENV,
  type SandboxStatus,
  type SandboxSpec,
  type ExtraBinds,
  type SandboxedSpawnWrapper,
} from './sandbox';
export { pytestVerdict, programVerdict, nodeIdSelected, type FailingLine } from './verdict';
export { isTestPath, testFilesIn, failingTestFile } from './testEdits';
