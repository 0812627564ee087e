// Public surface of patch verification.
export {
  verifyPatch,
  displayCommand,
  sandboxForCopy,
  runFolders,
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
  createSandbox,
  mountArgs,
  sandboxCommand,
  SANDBOX_ENV,
  SANDBOX_ID,
  DEFAULT_SANDBOX_LIMITS,
  type Sandbox,
  type SandboxLimits,
  type SandboxStatus,
  type SandboxSpec,
  type ExtraBinds,
  type SandboxedSpawnWrapper,
} from './sandbox';
export { buildRunEnv, parsePassedEnv, MODEL_KEY_NAMES, type PassedEnv } from './runEnv';
export {
  pytestVerdict,
  programVerdict,
  nodeIdSelected,
  type FailingLine,
  type CheckLine,
} from './verdict';
export { isTestPath, testFilesIn, failingTestFile } from './testEdits';
