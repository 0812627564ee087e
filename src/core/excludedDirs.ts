// Folders that never hold the user's own code, shared by everything that walks a project: version
// control, virtual environments and installed packages, tool caches. Each user of the list adds what
// its job needs on top (below), so the lists cannot drift apart again. The names live in
// excludedDirs.json, which the helper's Python tests read as well.
import dirs from './excludedDirs.json';

/** Never the user's code, at any depth. */
export const NOT_USER_CODE_DIRS: readonly string[] = dirs.notUserCode;

/** Build output: copies of the code made by packaging. The recorder records the source, not the
 * copy; a verification copy keeps them (a program may import what was built in place). */
export const BUILD_OUTPUT_DIRS: readonly string[] = dirs.buildOutput;

/** Editor and test-harness state: never read by a run, so never copied for verification. */
export const EDITOR_STATE_DIRS: readonly string[] = dirs.editorState;
