// Writes a patched file into a verification copy by its RESOLVED path: every folder on the way is
// looked at with lstat, a symlink is followed only when its real target lies inside the copy, and the
// file is opened with O_NOFOLLOW, so a patch can never land outside the copy — not through a folder
// link, a file link, or a link put in place between the check and the write (the final open refuses
// a link, and the parent's real path is checked again after the write's open).
import { constants, type Stats } from 'node:fs';
import { lstat, mkdir, open, realpath } from 'node:fs/promises';
import * as path from 'node:path';
import { UserError } from '../errors';
import { patchSourceBytes } from '../patch/patchBytes';

export interface PatchedFile {
  /** Relative to the root, forward or platform slashes. */
  path: string;
  text: string;
  /** The text the fix was made from: when given, the copy gets the original bytes with only the
   * changed lines re-encoded (the bytes `--apply` would write), not `text` as UTF-8. */
  baseText?: string;
}

/** True when `p` is `dir` or inside it. */
export function isInside(p: string, dir: string): boolean {
  const rel = path.relative(dir, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

function outside(f: PatchedFile, why: string): UserError {
  return new UserError('bad-argument', `A patched file is outside the copy (${why}): ${f.path}`);
}

async function lstatOrNull(p: string): Promise<Stats | null> {
  return lstat(p).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return null;
    throw e;
  });
}

/** The real folder `rel` names under `root` (created as needed), never leaving `fence`. */
async function resolveFolder(
  root: string,
  parts: string[],
  fence: string,
  f: PatchedFile,
): Promise<string> {
  let dir = root;
  for (const part of parts) {
    const next = path.join(dir, part);
    const st = await lstatOrNull(next);
    if (!st) {
      await mkdir(next);
      dir = next;
    } else if (st.isSymbolicLink()) {
      const real = await realpath(next).catch(() => '');
      if (!real || !isInside(real, fence)) throw outside(f, `${part} links elsewhere`);
      if (!(await lstat(real)).isDirectory()) throw outside(f, `${part} is not a folder`);
      dir = real;
    } else if (st.isDirectory()) {
      dir = next;
    } else {
      throw outside(f, `${part} is not a folder`);
    }
  }
  return dir;
}

/**
 * Writes `f` under `root` (a folder of the copy) without ever writing outside `fence` (the copy's
 * temporary folder): UserError('bad-argument') for a path that escapes lexically or by a link.
 */
export async function writePatched(root: string, fence: string, f: PatchedFile): Promise<void> {
  const rel = f.path.split(/[\\/]/).join(path.sep);
  const lexical = path.resolve(root, rel);
  if (path.isAbsolute(rel) || !isInside(lexical, root) || lexical === root)
    throw new UserError('bad-argument', `A patched file is outside the root folder: ${f.path}`);
  const parts = path.relative(root, lexical).split(path.sep);
  const name = parts.pop() ?? '';
  const realFence = await realpath(fence);
  const dir = await resolveFolder(await realpath(root), parts, realFence, f);
  let dst = path.join(dir, name);
  const st = await lstatOrNull(dst);
  if (st?.isSymbolicLink()) {
    // A link to a file of the copy is written through, as the user's tree would be.
    const real = await realpath(dst).catch(() => '');
    if (!real || !isInside(real, realFence)) throw outside(f, 'it links elsewhere');
    dst = real;
  }
  const flags = constants.O_NOFOLLOW;
  let original: Buffer | undefined;
  if (f.baseText !== undefined) {
    const h = await open(dst, constants.O_RDONLY | flags).catch(() => undefined);
    if (h) {
      try {
        if ((await h.stat()).isFile()) original = await h.readFile();
      } finally {
        await h.close();
      }
    }
  }
  const bytes = original
    ? patchSourceBytes(original, f.baseText ?? '', f.text, f.path).bytes
    : Buffer.from(f.text, 'utf8');
  // O_NOFOLLOW: a link swapped in since the lstat above makes the open fail (ELOOP) instead of
  // writing through it; the truncation happens only once the handle is known to be a file here.
  const h = await open(dst, constants.O_WRONLY | constants.O_CREAT | flags, 0o644).catch(
    (e: NodeJS.ErrnoException) => {
      if (e.code === 'ELOOP') throw outside(f, 'it became a link');
      throw e;
    },
  );
  try {
    const opened = await h.stat();
    const parent = await realpath(path.dirname(dst));
    if (!opened.isFile() || !isInside(parent, realFence))
      throw outside(f, 'its folder moved out of the copy');
    await h.truncate(0);
    await h.writeFile(bytes);
  } finally {
    await h.close();
  }
}
