// Writes a fix into a file for the CLI, byte for byte: only the changed lines are re-encoded (see
// patchBytes.ts), the file's encoding, BOM and line ends stay. Refuses when the file changed since
// the trace; keeps the original bytes in a backup that never replaces an existing file (`.orig`, else
// `.orig.1`, `.orig.2`…); replaces the file atomically, keeping its mode (through a symlink, the
// target is written and the link stays).
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { UserError } from '../errors';
import { changedSinceTrace, hashText } from './guard';
import { decodeSource, type SourceEncoding } from '../source/encoding';
import { matchSource, patchSourceBytes } from './patchBytes';

export interface WritePatchedFileOptions {
  /** Keep the replaced bytes in a backup file first (default true). */
  backup?: boolean;
  /** The text the fix was computed from (as traced). Default: the file as it is now. */
  baseText?: string;
  /** hashText() of the text the fix was computed from; when set, a different file is refused. */
  expectedHash?: string;
  /** How to name the file in messages (default: the path as given). */
  displayPath?: string;
}

export interface WritePatchedFileResult {
  path: string;
  /** Set when a backup was written: `<file>.orig`, or `<file>.orig.N` when that existed. */
  backupPath?: string;
  /** False when the file already had the new text (nothing was written). */
  changed: boolean;
  encoding?: SourceEncoding;
}

/** Backups tried before giving up (a folder with that many is not worth adding to). */
const MAX_BACKUPS = 1000;

/** Creates the first free `<file>.orig`, `<file>.orig.1`, … with `bytes`; never replaces a file. */
export async function writeBackup(
  filePath: string,
  bytes: Uint8Array,
  mode: number,
  shown = filePath,
): Promise<string> {
  for (let n = 0; n < MAX_BACKUPS; n++) {
    const candidate = n === 0 ? `${filePath}.orig` : `${filePath}.orig.${n}`;
    try {
      await fs.writeFile(candidate, bytes, { flag: 'wx', mode: mode & 0o777 });
      return candidate;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  throw new UserError(
    'bad-argument',
    `${shown}.orig through ${shown}.orig.${MAX_BACKUPS - 1} all exist, so no backup could be kept; nothing was written.`,
    'Remove old backups, or apply with --no-backup.',
  );
}

/** Reads a file's bytes; `file-not-found` UserError when it is missing. */
export async function readSourceBytes(filePath: string, shown = filePath): Promise<Buffer> {
  try {
    return await fs.readFile(filePath);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT')
      throw new UserError('file-not-found', `${shown} does not exist.`);
    throw e;
  }
}

export async function writePatchedFile(
  filePath: string,
  newText: string,
  options: WritePatchedFileOptions = {},
): Promise<WritePatchedFileResult> {
  const shown = options.displayPath ?? filePath;
  const target = await fs.realpath(filePath).catch(() => filePath);
  const bytes = await readSourceBytes(target, shown);
  const mode = (await fs.stat(target)).mode;
  const baseText = options.baseText ?? decodeSource(bytes).text;
  if (options.expectedHash !== undefined) {
    const m = matchSource(bytes, baseText);
    const matches =
      m !== undefined &&
      (hashText(baseText) === options.expectedHash || hashText(m.text) === options.expectedHash);
    if (!matches) throw changedSinceTrace(shown);
  }
  const patched = patchSourceBytes(bytes, baseText, newText, shown);
  if (Buffer.compare(patched.bytes, bytes) === 0)
    return { path: filePath, changed: false, encoding: patched.encoding };
  const backupPath =
    options.backup === false ? undefined : await writeBackup(filePath, bytes, mode, shown);
  // Same directory, so the rename is atomic and a crash never leaves a half-written source file.
  const tmp = path.join(
    path.dirname(target),
    `.${path.basename(target)}.tracefix-${process.pid}-${Date.now()}.tmp`,
  );
  try {
    await fs.writeFile(tmp, patched.bytes, { mode: mode & 0o777, flag: 'wx' });
    await fs.chmod(tmp, mode & 0o7777);
    await fs.rename(tmp, target);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
  return { path: filePath, backupPath, changed: true, encoding: patched.encoding };
}
