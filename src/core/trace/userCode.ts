// What counts as the user's code: the files under the recording's root, except in these folders
// (installed packages, virtual environments, caches, build output), and except what lies in the
// interpreter's or a library's folders, which the recorder helper works out at run time
// (debuggee/pydevd_tracefix_roots.py) with Tracefix's own install folder (below) added.
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { BUILD_OUTPUT_DIRS, NOT_USER_CODE_DIRS } from '../excludedDirs';

export const EXCLUDED_DIRS: readonly string[] = [...NOT_USER_CODE_DIRS, ...BUILD_OUTPUT_DIRS];

/** Tracefix's own install folder (the extension's or the CLI's package, with its bundled debugpy):
 * the nearest folder above the running code whose package.json is Tracefix's. */
export function tracefixInstallFolder(from: string = __dirname): string | undefined {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'tracefix')
          return dir;
      } catch {
        /* not ours */
      }
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** Folders never recorded as user code besides those the helper finds itself (a folder that holds
 * the recording's root is ignored by the helper: recording inside Tracefix's checkout still works). */
export function notUserCodeFolders(debugpyPath?: string): string[] {
  return [tracefixInstallFolder(), debugpyPath].filter((d): d is string => !!d);
}
