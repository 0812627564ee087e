// The patch a round proposes, built on src/core/patch: per file the text at trace time, the new text,
// minimal hunks and a unified diff; and writing a verified patch into the user's tree byte for byte
// (all files checked against the traced text before any is written; `.orig` backups never replaced).
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { UserError } from '../errors';
import { writePatchedFile, type WritePatchedFileResult } from '../patch/applyFile';
import { changedSinceTrace, hashText } from '../patch/guard';
import { diffFile, type FilePatch as HunksPatch } from '../patch/hunks';
import { matchSource, patchSourceBytes } from '../patch/patchBytes';

export interface FilePatch extends HunksPatch {
  /** Relative to the root, forward slashes. */
  path: string;
  /** The file as traced (what the hunks apply to). */
  oldText: string;
  newText: string;
  /** hashText(oldText), checked before writing. */
  baseHash: string;
}

export interface ProposedPatch {
  files: FilePatch[];
  /** Unified diff of every file. */
  diff: string;
}

/** Builds the patch from the files as traced and the model's new texts (unchanged files dropped). */
export function makePatch(
  original: { path: string; text: string }[],
  changed: { path: string; newText: string }[],
): ProposedPatch {
  const byPath = new Map(original.map((f) => [f.path, f.text]));
  const files: FilePatch[] = [];
  for (const c of changed) {
    const oldText = byPath.get(c.path) ?? '';
    // A byte order mark the model did not echo is not a change (it is invisible in the prompt).
    const newText =
      oldText.startsWith('\ufeff') && !c.newText.startsWith('\ufeff')
        ? `\ufeff${c.newText}`
        : c.newText;
    const fp = diffFile(c.path, oldText, newText);
    if (fp.hunks.length === 0) continue;
    files.push({ ...fp, path: c.path, oldText, newText, baseHash: hashText(oldText) });
  }
  return { files, diff: files.map((f) => f.unifiedDiff).join('') };
}

export function patchStats(p: ProposedPatch): { added: number; removed: number } {
  return p.files.reduce((s, f) => ({ added: s.added + f.added, removed: s.removed + f.removed }), {
    added: 0,
    removed: 0,
  });
}

export interface ApplyOptions {
  /** Keep `<file>.orig` with the previous content (default true). */
  backup?: boolean;
}

function resolveInside(root: string, rel: string): string {
  const abs = path.resolve(root, rel);
  const r = path.relative(root, abs);
  if (!r || r.startsWith('..') || path.isAbsolute(r))
    throw new UserError('bad-argument', `The patch names a file outside ${root}: ${rel}`);
  return abs;
}

/**
 * Writes the patch into `root`, byte for byte (only the changed lines are re-encoded; encoding, BOM
 * and line ends stay). Every file must still hold the text the patch was made against, else
 * UserError 'patch-conflict' and nothing is written.
 */
export async function applyPatch(
  root: string,
  patch: ProposedPatch,
  options: ApplyOptions = {},
): Promise<WritePatchedFileResult[]> {
  const targets = patch.files.map((f) => ({ f, abs: resolveInside(root, f.path) }));
  for (const { f, abs } of targets) {
    let bytes: Buffer;
    try {
      bytes = await readFile(abs);
    } catch {
      throw new UserError(
        'file-not-found',
        `${f.path} no longer exists; the patch was not applied.`,
      );
    }
    // Checks every file (and that each change can be encoded) before any is written.
    if (!matchSource(bytes, f.oldText) || hashText(f.oldText) !== f.baseHash)
      throw changedSinceTrace(f.path);
    patchSourceBytes(bytes, f.oldText, f.newText, f.path);
  }
  const written: WritePatchedFileResult[] = [];
  for (const { f, abs } of targets) {
    written.push(
      await writePatchedFile(abs, f.newText, {
        backup: options.backup !== false,
        baseText: f.oldText,
        expectedHash: f.baseHash,
        displayPath: f.path,
      }),
    );
  }
  return written;
}
