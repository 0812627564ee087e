// Writes a patched file for the CLI: refuses if the file changed since the trace, keeps a `.orig`
// copy of what it replaces (unless disabled), and replaces the file atomically, keeping its mode.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { UserError } from '../errors';
import { assertUnchanged } from './guard';

export interface WritePatchedFileOptions {
  /** Write `<file>.orig` with the replaced text first (default true). An existing `.orig` is overwritten. */
  backup?: boolean;
  /** hashText() of the text the patch was computed from; when set, a different file is refused. */
  expectedHash?: string;
  /** How to name the file in messages (default: the path as given). */
  displayPath?: string;
}

export interface WritePatchedFileResult {
  path: string;
  /** Set when a backup was written. */
  backupPath?: string;
  /** False when the file already had `newText` (nothing was written). */
  changed: boolean;
}

export async function writePatchedFile(filePath: string, newText: string, options: WritePatchedFileOptions = {}): Promise<WritePatchedFileResult> {
  const shown = options.displayPath ?? filePath;
  let current: string;
  let mode: number;
  try {
    current = await fs.readFile(filePath, 'utf8');
    mode = (await fs.stat(filePath)).mode;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new UserError('file-not-found', `${shown} does not exist.`);
    throw e;
  }
  if (options.expectedHash !== undefined) assertUnchanged(shown, current, options.expectedHash);
  if (current === newText) return { path: filePath, changed: false };
  let backupPath: string | undefined;
  if (options.backup !== false) {
    backupPath = `${filePath}.orig`;
    await fs.writeFile(backupPath, current, { encoding: 'utf8', mode });
  }
  // Same directory, so the rename is atomic and a crash never leaves a half-written source file.
  const tmp = path.join(path.dirname(filePath), `.${path.basename(filePath)}.tracefix-${process.pid}-${Date.now()}.tmp`);
  try {
    await fs.writeFile(tmp, newText, { encoding: 'utf8', mode });
    await fs.chmod(tmp, mode);
    await fs.rename(tmp, filePath);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
  return { path: filePath, backupPath, changed: true };
}
