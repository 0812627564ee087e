// The patch a round proposes: per file, the text at trace time, the new text, minimal hunks and a
// unified diff; and writing a verified patch into the user's tree with a guard against files that
// changed since the trace and a `.orig` backup.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { formatPatch, structuredPatch } from 'diff';
import { UserError } from '../errors';

export interface PatchHunk {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  /** Lines with their ' ', '-', '+' prefix (and '\ No newline at end of file' markers). */
  lines: string[];
}

export interface FilePatch {
  /** Relative to the root, forward slashes. */
  path: string;
  oldText: string;
  newText: string;
  hunks: PatchHunk[];
  /** Unified diff of this file (`--- a/path` / `+++ b/path`). */
  diff: string;
}

export interface ProposedPatch {
  files: FilePatch[];
  /** Unified diff of every file. */
  diff: string;
}

const CONTEXT = 3;

/** Builds the patch from the files as traced and the model's new texts (unchanged files dropped). */
export function makePatch(original: { path: string; text: string }[], changed: { path: string; newText: string }[]): ProposedPatch {
  const byPath = new Map(original.map((f) => [f.path, f.text]));
  const files: FilePatch[] = [];
  for (const c of changed) {
    const oldText = byPath.get(c.path) ?? '';
    if (oldText === c.newText) continue;
    const sp = structuredPatch(`a/${c.path}`, `b/${c.path}`, oldText, c.newText, undefined, undefined, { context: CONTEXT });
    const diff = formatPatch(sp, { includeIndex: false, includeUnderline: false, includeFileHeaders: true });
    files.push({
      path: c.path,
      oldText,
      newText: c.newText,
      hunks: sp.hunks.map((h) => ({ oldStart: h.oldStart, oldLines: h.oldLines, newStart: h.newStart, newLines: h.newLines, lines: [...h.lines] })),
      diff,
    });
  }
  return { files, diff: files.map((f) => f.diff).join('') };
}

/** Lines added and removed, for a one-line description. */
export function patchStats(p: ProposedPatch): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const f of p.files) {
    for (const h of f.hunks) {
      for (const l of h.lines) {
        if (l.startsWith('+')) added++;
        else if (l.startsWith('-')) removed++;
      }
    }
  }
  return { added, removed };
}

export interface ApplyOptions {
  /** Keep `<file>.orig` with the previous content (default true). */
  backup?: boolean;
}

export interface AppliedFile {
  path: string;
  absolutePath: string;
  backupPath?: string;
}

/**
 * Writes the patch into `root`. Every file must still hold the text the patch was made against
 * (else UserError 'patch-conflict' and nothing is written). Each file is written through a
 * temporary sibling and renamed, so a crash never leaves half a file.
 */
export function applyPatch(root: string, patch: ProposedPatch, options: ApplyOptions = {}): AppliedFile[] {
  const backup = options.backup !== false;
  const targets = patch.files.map((f) => {
    const abs = path.resolve(root, f.path);
    const rel = path.relative(root, abs);
    if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) throw new UserError('bad-argument', `The patch names a file outside ${root}: ${f.path}`);
    let current: string | undefined;
    try {
      current = readFileSync(abs, 'utf8');
    } catch {
      current = undefined;
    }
    if (current !== f.oldText && !(current === undefined && f.oldText === '')) {
      throw new UserError('patch-conflict', `${f.path} changed since it was traced; the patch was not applied.`, 'Run `tracefix fix` again on the current code.');
    }
    return { f, abs, existed: current !== undefined };
  });
  const applied: AppliedFile[] = [];
  for (const { f, abs, existed } of targets) {
    let backupPath: string | undefined;
    if (backup && existed) {
      backupPath = `${abs}.orig`;
      writeFileSync(backupPath, f.oldText);
    }
    const tmp = `${abs}.tracefix-${process.pid}.tmp`;
    writeFileSync(tmp, f.newText);
    renameSync(tmp, abs);
    applied.push({ path: f.path, absolutePath: abs, backupPath });
  }
  return applied;
}

/** True when every file of the patch still has the content it was made against. */
export function patchStillApplies(root: string, patch: ProposedPatch): boolean {
  return patch.files.every((f) => {
    const abs = path.resolve(root, f.path);
    if (!existsSync(abs)) return f.oldText === '';
    return readFileSync(abs, 'utf8') === f.oldText;
  });
}
