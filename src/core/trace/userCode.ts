// What counts as the user's code: the files under the recording's root, except in these folders
// (installed packages, virtual environments, caches, build output). Used by the recorder helper (it
// decides at run time, per code object that runs).
import { BUILD_OUTPUT_DIRS, NOT_USER_CODE_DIRS } from '../excludedDirs';

export const EXCLUDED_DIRS: readonly string[] = [...NOT_USER_CODE_DIRS, ...BUILD_OUTPUT_DIRS];
